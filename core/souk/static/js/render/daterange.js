// A date-range field: two days, from and to, sent as {"start": "2026-12-02", "end": "2026-12-05"}.
//
// The date pickers keep to the field's bounds ("today" is the user's own today) and the end to
// what the start allows (after it, or on it with same_day; within max_days); the server is the
// one that checks, and its refusal is shown beside the field like any other.

import { addDays, earlierDay, laterDay, resolveDay } from "../days.js";
import { h } from "../dom.js";

/** {element, read, focus, invalid} of a form's field (see form.js). */
export function dateRangeControl(field, id, describedBy, viewer) {
  const low = resolveDay(field.min, viewer.timeZone);
  const high = resolveDay(field.max, viewer.timeZone);
  const day = (part) =>
    h("input", {
      id: `${id}-${part}`,
      type: "date",
      name: `${field.name}.${part}`,
      required: field.required,
      "aria-describedby": describedBy,
      min: low,
      max: high,
      dataset: { field: field.name, part },
    });
  const start = day("start");
  const end = day("end");

  function keepEndAfterStart() {
    const from = start.value || null;
    const first = from && (field.same_day ? from : addDays(from, 1));
    const last = from && field.max_days ? addDays(from, field.max_days) : null;
    end.min = laterDay(first, low) || "";
    end.max = earlierDay(last, high) || "";
  }
  start.addEventListener("input", keepEndAfterStart);
  keepEndAfterStart();

  const inputs = [start, end];
  return {
    element: h(
      "div",
      { class: "date-range" },
      h("div", { class: "date-range-part" }, h("label", { for: start.id }, "From"), start),
      h("div", { class: "date-range-part" }, h("label", { for: end.id }, "To"), end),
    ),
    /** Nothing when both are empty; else the days given (the server names a missing one). */
    read() {
      const value = {};
      if (start.value) value.start = start.value;
      if (end.value) value.end = end.value;
      return Object.keys(value).length ? value : undefined;
    },
    focus: () => start.focus(),
    invalid(refused) {
      for (const input of inputs) {
        if (refused) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    },
  };
}
