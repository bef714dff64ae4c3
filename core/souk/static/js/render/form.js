// A screen's form: labelled fields, sent back as an action; the server's refusals shown beside each field.

import { ApiError } from "../api.js";
import { resolveDay } from "../days.js";
import { h, uid } from "../dom.js";
import { sentence } from "../format.js";
import { isAlreadyDone, settleAnswered } from "./answered.js";
import { dateRangeControl } from "./daterange.js";
import { fileControl } from "./filefield.js";

export const FIELD_TYPES = new Set(["text", "number", "select", "date", "date_range", "file"]);

function input(field, id, describedBy, viewer) {
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
      return h("input", {
        ...common,
        type: "date",
        min: resolveDay(field.min, viewer.timeZone),
        max: resolveDay(field.max, viewer.timeZone),
      });
    default:
      throw new Error(`unknown field type ${field.type}`);
  }
}

/** A field of one input: {element, read, focus, invalid}, as dateRangeControl gives for two. */
function singleControl(field, id, describedBy, viewer) {
  const element = input(field, id, describedBy, viewer);
  return {
    element,
    read: () => (element.value.trim() === "" ? undefined : element.value),
    focus: () => element.focus(),
    invalid(refused) {
      if (refused) element.setAttribute("aria-invalid", "true");
      else element.removeAttribute("aria-invalid");
    },
  };
}

function numberHint(field) {
  if (field.min !== null && field.min !== undefined && field.max !== null && field.max !== undefined) {
    return `${field.min} to ${field.max}`;
  }
  if (field.min !== null && field.min !== undefined) return `at least ${field.min}`;
  if (field.max !== null && field.max !== undefined) return `at most ${field.max}`;
  return false;
}

/** The field with its label, help and the place for its error; a range is a group of two days. */
function fieldRow(field, viewer) {
  const id = uid("field");
  const helpId = field.help ? `${id}-help` : null;
  const errorId = `${id}-error`;
  const describedBy = [helpId, errorId].filter(Boolean).join(" ");
  const range = field.type === "date_range";
  const made = range ? dateRangeControl : field.type === "file" ? fileControl : singleControl;
  const control = made(field, id, describedBy, viewer);
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const caption = [field.label, field.required ? null : h("span", { class: "optional" }, " (optional)")];
  const element = h(
    range ? "fieldset" : "div",
    { class: `field field-${field.type}` },
    range ? h("legend", {}, caption) : h("label", { for: id }, caption),
    control.element,
    field.help ? h("p", { class: "field-help", id: helpId }, field.help) : null,
    error,
  );
  return { element, control, error };
}

/**
 * actions.press(message, componentId, values) -> Promise (ApiError 422 invalid_form on refusal);
 * viewer: {timeZone}, what "today" means in the field's bounds.
 */
export function renderForm(form, message, actions, viewer = {}) {
  const rows = new Map(); // field name -> {element, control, error}
  for (const field of form.fields) rows.set(field.name, fieldRow(field, viewer));
  const status = h("p", { class: "form-status", role: "status", "aria-live": "polite" });
  const general = h("p", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, form.submit_label || "Submit");

  function showErrors(errors) {
    let first = null;
    for (const [name, { control, error }] of rows) {
      const refusal = errors[name];
      error.textContent = refusal ? sentence(refusal) : "";
      error.hidden = !refusal;
      control.invalid(Boolean(refusal));
      if (refusal && !first) first = control;
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
        const refused = {};
        for (const [name, { control }] of rows) {
          const refusal = control.refusal?.();
          if (refusal) refused[name] = refusal;
        }
        if (Object.keys(refused).length) {
          showErrors(refused)?.focus();
          return;
        }
        const values = {};
        for (const [name, { control }] of rows) {
          const value = await control.read();
          if (value !== undefined) values[name] = value;
        }
        submit.disabled = true;
        element.setAttribute("aria-busy", "true");
        status.textContent = "";
        let answered = false;
        try {
          await actions.press(message, form.id, values);
          showErrors({});
          status.textContent = "Sent.";
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const byField = error.code === "invalid_form" && error.details && error.details.fields;
          answered = isAlreadyDone(error);
          if (byField) {
            showErrors(byField)?.focus();
          } else if (answered) {
            showErrors({});
            settleAnswered(submit, error.message);
          } else {
            showErrors({});
            general.textContent = error.message;
            general.hidden = false;
          }
        } finally {
          submit.disabled = answered;
          element.removeAttribute("aria-busy");
        }
      },
    },
    [...rows.values()].map((row) => row.element),
    general,
    h("div", { class: "form-actions" }, submit, status),
  );
  return element;
}
