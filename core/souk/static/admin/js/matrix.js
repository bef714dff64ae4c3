// Mini-apps by country: each cell's state, and what an operator may do with it.

import { h, replace } from "../../js/dom.js";
import { call, mayChange } from "./api.js";
import { settingsForm } from "./settings.js";

const DEFAULT_COUNTRIES = ["IN", "BR", "FR", "US"];
let countries = [...DEFAULT_COUNTRIES];

function label(cell) {
  if (cell.state === "rolling") return `rolling ${cell.percent}%`;
  return cell.state;
}

function bounds(app) {
  return h(
    "p",
    { class: "bounds" },
    `May serve: ${app.allowed_countries.join(", ")} · asks for: ${app.scopes.join(", ") || "no scopes"} · SDK ${app.sdk}`,
  );
}

export async function matrixSection(main, operator) {
  const matrix = await call("GET", `/api/v1/admin/matrix?countries=${countries.join(",")}`);
  const panel = h("div", { id: "cell-panel" });
  const problem = h("p", { class: "error", role: "alert" });
  const again = () => matrixSection(main, operator);
  const act = async (work) => {
    try {
      await work();
      await again();
    } catch (failure) {
      problem.textContent = failure.message;
    }
  };
  const canChange = (country) => mayChange(operator, country);
  const everywhere = operator.role === "owner" || (operator.role === "operator" && operator.countries.includes("*"));

  function showCell(app, country) {
    const cell = app.cells[country];
    const base = `/api/v1/admin/apps/${encodeURIComponent(app.name)}/countries/${country}`;
    const percent = h("input", {
      type: "number",
      min: "0",
      max: "100",
      value: String(cell.percent || 50),
      "aria-label": "Percent of the country's people",
    });
    const may = canChange(country) && !app.builtin;
    const settings = h("div", { class: "cell-settings" });
    replace(
      panel,
      h(
        "div",
        { class: "panel", "aria-label": `${app.title} in ${country}` },
        h("h2", {}, `${app.title} in ${country}: ${label(cell)}`),
        bounds(app),
        !cell.allowed ? h("p", { class: "note" }, `Its manifest does not allow ${country}.`) : null,
        may && cell.allowed
          ? h(
              "div",
              { class: "row" },
              h("button", { type: "button", class: "act", onclick: () => act(() => call("PUT", base)) }, "Enable for everyone"),
              h("label", {}, "Roll out to", percent, "%"),
              h(
                "button",
                {
                  type: "button",
                  class: "act",
                  onclick: () => act(() => call("PUT", `${base}/rollout`, { percent: Number(percent.value) })),
                },
                "Roll out",
              ),
              h("button", { type: "button", class: "act plain", onclick: () => act(() => call("POST", `${base}/rollback`)) }, "Roll back"),
              h("button", { type: "button", class: "act plain", onclick: () => act(() => call("DELETE", base)) }, "Disable"),
            )
          : h("p", { class: "note" }, may ? "" : "Your account cannot change this cell."),
        settings,
      ),
    );
    if (app.has_settings) settingsForm(settings, app, country, may).catch((failure) => (problem.textContent = failure.message));
  }

  function killSwitch(app) {
    if (app.builtin || !everywhere) return null;
    const path = `/api/v1/admin/apps/${encodeURIComponent(app.name)}`;
    if (app.state === "running") {
      return h(
        "button",
        {
          type: "button",
          class: "act danger",
          "aria-label": `Kill ${app.title}`,
          onclick: () => act(() => call("POST", `${path}/suspend`, { reason: `killed from the console by ${operator.name}` })),
        },
        "Kill",
      );
    }
    return h(
      "button",
      { type: "button", class: "act", "aria-label": `Restore ${app.title}`, onclick: () => act(() => call("POST", `${path}/resume`)) },
      "Restore",
    );
  }

  const newCountry = h("input", { size: "3", maxlength: "2", placeholder: "CC", "aria-label": "Add a country" });
  const addCountry = h(
    "form",
    {
      class: "row",
      onsubmit: (event) => {
        event.preventDefault();
        const code = newCountry.value.trim().toUpperCase();
        if (/^[A-Z]{2}$/.test(code) && !countries.includes(code)) countries = [...countries, code];
        again();
      },
    },
    newCountry,
    h("button", { type: "submit", class: "act plain" }, "Add country"),
  );

  const table = h(
    "table",
    { id: "matrix" },
    h("thead", {}, h("tr", {}, h("th", {}, "Mini-app"), countries.map((c) => h("th", {}, c)), h("th", {}, "Everywhere"))),
    h(
      "tbody",
      {},
      matrix.apps.map((app) =>
        h(
          "tr",
          { dataset: { app: app.name } },
          h("th", {}, app.title, h("div", { class: "note" }, `${app.name} ${app.version}`)),
          countries.map((country) =>
            h(
              "td",
              {},
              h(
                "button",
                {
                  type: "button",
                  class: `cell state-${app.cells[country].state}`,
                  "aria-label": `${app.title} in ${country}: ${label(app.cells[country])}`,
                  onclick: () => showCell(app, country),
                },
                label(app.cells[country]),
              ),
            ),
          ),
          h("td", {}, app.state === "running" ? "" : `${app.state} `, killSwitch(app)),
        ),
      ),
    ),
  );
  replace(main, table, addCountry, problem, panel);
}
