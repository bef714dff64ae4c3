// A screen's form: labelled fields, sent back as an action; the server's refusals shown beside each field.

import { ApiError } from "../api.js";
import { h, uid } from "../dom.js";

export const FIELD_TYPES = new Set(["text", "number", "select", "date"]);

function control(field, id, describedBy) {
  const common = {
    id,
    name: field.name,
    required: field.required,
    "aria-required": field.required ? "true" : false,
    "aria-describedby": describedBy,
    dataset: { field: field.name },
    value: field.type === "select" ? null : (field.value ?? null), // filled in at first, when given
  };
  switch (field.type) {
    case "text":
      if (field.multiline) {
        return h("textarea", {
          ...common,
          rows: 3,
          maxlength: field.max_length,
          placeholder: field.placeholder,
        });
      }
      return h("input", {
        ...common,
        type: "text",
        maxlength: field.max_length,
        placeholder: field.placeholder,
        autocomplete: "off",
      });
    case "number":
      // Text with a numeric keypad, not type=number: the browser would hide what was typed from the
      // server's check ("abc" becomes ""), and the server is the one that says what is wrong.
      return h("input", {
        ...common,
        type: "text",
        inputmode: field.integer ? "numeric" : "decimal",
        autocomplete: "off",
        placeholder: numberHint(field),
      });
    case "select": {
      const options = [h("option", { value: "" }, field.required ? "Choose…" : "(none)")];
      for (const option of field.options) {
        options.push(
          h("option", { value: option.value, selected: option.value === field.value }, option.label),
        );
      }
      return h("select", common, options);
    }
    case "date":
      return h("input", { ...common, type: "date", min: field.min, max: field.max });
    default:
      throw new Error(`unknown field type ${field.type}`);
  }
}

function numberHint(field) {
  if (field.min !== null && field.min !== undefined && field.max !== null && field.max !== undefined) {
    return `${field.min} to ${field.max}`;
  }
  if (field.min !== null && field.min !== undefined) return `at least ${field.min}`;
  if (field.max !== null && field.max !== undefined) return `at most ${field.max}`;
  return false;
}

/** actions.press(message, componentId, values) -> Promise (ApiError 422 invalid_form on refusal). */
export function renderForm(form, message, actions) {
  const rows = new Map(); // field name -> {input, error}
  const status = h("p", { class: "form-status", role: "status", "aria-live": "polite" });
  const general = h("p", { class: "form-error", role: "alert", hidden: true });
  const fields = form.fields.map((field) => {
    const id = uid("field");
    const helpId = field.help ? `${id}-help` : null;
    const errorId = `${id}-error`;
    const input = control(field, id, [helpId, errorId].filter(Boolean).join(" "));
    const error = h("p", { class: "field-error", id: errorId, hidden: true });
    rows.set(field.name, { input, error });
    return h(
      "div",
      { class: `field field-${field.type}` },
      h(
        "label",
        { for: id },
        field.label,
        field.required ? null : h("span", { class: "optional" }, " (optional)"),
      ),
      input,
      field.help ? h("p", { class: "field-help", id: helpId }, field.help) : null,
      error,
    );
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, form.submit_label || "Submit");

  function showErrors(errors) {
    let first = null;
    for (const [name, { input, error }] of rows) {
      const message = errors[name];
      error.textContent = message ? `${capitalize(message)}.`.replace(/\.\.$/, ".") : "";
      error.hidden = !message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (message && !first) first = input;
    }
    const unknown = Object.entries(errors).filter(([name]) => !rows.has(name));
    general.textContent = unknown.map(([name, text]) => `${name}: ${text}`).join(" ");
    general.hidden = unknown.length === 0;
    return first;
  }

  const element = h(
    "form",
    {
      class: "screen-form",
      novalidate: true,
      dataset: { component: form.id || "" },
      onsubmit: async (event) => {
        event.preventDefault();
        const values = {};
        for (const [name, { input }] of rows) if (input.value.trim() !== "") values[name] = input.value;
        submit.disabled = true;
        element.setAttribute("aria-busy", "true");
        status.textContent = "";
        try {
          await actions.press(message, form.id, values);
          showErrors({});
          status.textContent = "Sent.";
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const byField = error.code === "invalid_form" && error.details && error.details.fields;
          if (byField) {
            const first = showErrors(byField);
            if (first) first.focus();
          } else {
            showErrors({});
            general.textContent = error.message;
            general.hidden = false;
          }
        } finally {
          submit.disabled = false;
          element.removeAttribute("aria-busy");
        }
      },
    },
    fields,
    general,
    h("div", { class: "form-actions" }, submit, status),
  );
  return element;
}

function capitalize(text) {
  const value = String(text);
  return value.charAt(0).toUpperCase() + value.slice(1);
}
