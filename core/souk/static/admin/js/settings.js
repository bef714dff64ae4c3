// A mini-app's per-country settings as a form: its own fields, bounds and defaults.

import { h, replace } from "../../js/dom.js";
import { call } from "./api.js";

function input(field, may) {
  const common = { name: field.name, "aria-label": field.title, disabled: !may };
  if (field.choices) {
    return h(
      "select",
      common,
      field.choices.map((choice) => h("option", { value: String(choice), selected: choice === field.value }, String(choice))),
    );
  }
  if (field.type === "boolean") return h("input", { ...common, type: "checkbox", checked: field.value === true });
  if (field.type === "integer" || field.type === "number") {
    return h("input", {
      ...common,
      type: "number",
      step: field.type === "integer" ? "1" : "any",
      min: field.minimum ?? null,
      max: field.maximum ?? null,
      value: String(field.value),
    });
  }
  return h("input", { ...common, value: String(field.value ?? "") });
}

/** What the form holds for a field, typed as its schema says (the server checks it again). */
function read(field, element) {
  if (field.choices) return field.choices.find((choice) => String(choice) === element.value);
  if (field.type === "boolean") return element.checked;
  if (field.type === "integer" || field.type === "number") return element.value === "" ? null : Number(element.value);
  return element.value;
}

function note(field) {
  const parts = [field.description, `default ${field.default}`];
  if (field.changed) parts.push(`changed ${field.changed.at.slice(0, 16).replace("T", " ")} by ${field.changed.by}`);
  return h("span", { class: "note" }, parts.filter(Boolean).join(" · "));
}

/** Draw the settings of `app` in `country` into `box`; `may`: whether this account may change them. */
export async function settingsForm(box, app, country, may) {
  const path = `/api/v1/admin/apps/${encodeURIComponent(app.name)}/countries/${country}/settings`;
  const current = await call("GET", path);
  const problem = h("p", { class: "error", role: "alert" });
  const status = h("p", { class: "note", role: "status" });
  const inputs = current.fields.map((field) => [field, input(field, may)]);
  const form = h(
    "form",
    {
      class: "settings",
      "aria-label": `${app.title} settings in ${country}`,
      onsubmit: async (event) => {
        event.preventDefault();
        const values = {};
        for (const [field, element] of inputs) {
          const value = read(field, element);
          if (value !== field.value) values[field.name] = value;
        }
        if (!Object.keys(values).length) {
          status.textContent = "Nothing to change.";
          return;
        }
        try {
          await call("PATCH", path, { values });
          await settingsForm(box, app, country, may);
          box.querySelector("[role=status]").textContent = "Saved: in effect from the next request.";
        } catch (failure) {
          problem.textContent = failure.message;
        }
      },
    },
    h("h3", {}, `Settings in ${country}`),
    inputs.map(([field, element]) => h("div", { class: "row" }, h("label", {}, field.title, element), note(field))),
    problem,
    status,
    may ? h("button", { type: "submit", class: "act" }, "Save settings") : h("p", { class: "note" }, "Your account cannot change them."),
  );
  replace(box, form);
}
