// The audit log: filtered, a page at a time, exported as CSV.

import { h, replace } from "../../js/dom.js";
import { call, download } from "./api.js";

const FILTERS = ["app", "country", "actor", "action"];
const chosen = {};

function query() {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (chosen[name]) params.set(name, chosen[name]);
  return params.toString();
}

function state(value) {
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

export async function auditSection(main) {
  const page = await call("GET", `/api/v1/admin/audit?limit=200&${query()}`);
  const inputs = FILTERS.map((name) =>
    h("input", { name, value: chosen[name] || "", placeholder: name, "aria-label": `Filter by ${name}`, size: "10" }),
  );
  const problem = h("p", { class: "error", role: "alert" });
  const filters = h(
    "form",
    {
      class: "row",
      onsubmit: (event) => {
        event.preventDefault();
        for (const input of inputs) chosen[input.name] = input.value.trim();
        auditSection(main);
      },
    },
    inputs,
    h("button", { type: "submit", class: "act plain" }, "Filter"),
    h(
      "button",
      {
        type: "button",
        class: "act plain",
        onclick: () => download(`/api/v1/admin/audit.csv?${query()}`, "souk-audit.csv").catch((f) => (problem.textContent = f.message)),
      },
      "Export CSV",
    ),
  );
  const rows = page.entries.map((e) =>
    h(
      "tr",
      {},
      h("td", {}, e.at.replace("T", " ").slice(0, 19)),
      h("td", {}, e.actor),
      h("td", {}, e.action),
      h("td", {}, e.app || ""),
      h("td", {}, e.country || ""),
      h("td", {}, e.detail || ""),
      h("td", {}, h("pre", { class: "state" }, state(e.before))),
      h("td", {}, h("pre", { class: "state" }, state(e.after))),
    ),
  );
  replace(
    main,
    filters,
    problem,
    h(
      "table",
      { id: "audit" },
      h("thead", {}, h("tr", {}, ["When (UTC)", "Who", "What", "Mini-app", "Country", "Why", "Before", "After"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: "8", class: "note" }, "No entries."))),
    ),
  );
}
