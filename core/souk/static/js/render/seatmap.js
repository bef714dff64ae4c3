// A seat map (the SDK's ui.SeatMap): sections of rows of seats, each free, held, sold, blocked
// or the viewer's own ("mine"), with the price categories as a legend.
//
// Pressing a free seat or one of mine sends the map's action with {seat: id}; the server decides
// (a seat drawn free may have been taken a moment ago) and the mini-app replaces the map with
// what is true now. Other seats are shown, not pressable. A press on a version of the map that
// was replaced meanwhile is answered "already done": the new version is on its way, tap again.

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { isAlreadyDone } from "./answered.js";

const STATES = {
  free: "free",
  mine: "yours",
  held: "held by someone",
  sold: "sold",
  blocked: "not for sale",
};
const PRESSABLE = new Set(["free", "mine"]);
const CATEGORY_COLOURS = 8;

/** component: a seat_map; context: {message, actions, feedback} (see screen.js) */
export function renderSeatMap(component, context) {
  const colours = new Map((component.categories || []).map((c, i) => [c.code, i % CATEGORY_COLOURS]));
  const seats = [];

  async function press(seat, el) {
    for (const other of seats) other.disabled = true;
    el.setAttribute("aria-busy", "true");
    context.feedback.hidden = true;
    try {
      await context.actions.press(context.message, component.id, { seat: seat.id });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      context.feedback.textContent = isAlreadyDone(error)
        ? "The map changed a moment ago: tap the seat again on the map as it is now."
        : error.message;
      context.feedback.hidden = false;
    } finally {
      el.removeAttribute("aria-busy");
      for (const other of seats) other.disabled = !PRESSABLE.has(other.dataset.state);
    }
  }

  function seatButton(seat, row, categories) {
    const state = STATES[seat.state] ? seat.state : "blocked";
    const category = categories.get(seat.category);
    const label = `Seat ${seat.id}, ${STATES[state]}${category ? `, ${category.label}` : ""}`;
    const el = h(
      "button",
      {
        type: "button",
        class: `seat seat-${state}`,
        title: label,
        "aria-label": label,
        "aria-pressed": state === "mine" ? "true" : "false",
        disabled: !PRESSABLE.has(state),
        dataset: { seat: seat.id, state, category: String(colours.get(seat.category) ?? "") },
        onclick: () => press(seat, el),
      },
      seat.label || seat.id,
    );
    seats.push(el);
    return el;
  }

  const categories = new Map((component.categories || []).map((c) => [c.code, c]));
  return h(
    "div",
    { class: "seatmap", dataset: { component: component.id || "" } },
    (component.sections || []).map((section) =>
      h(
        "section",
        { class: "seatmap-section", "aria-label": section.name },
        h("h4", { class: "seatmap-section-name" }, section.name),
        (section.rows || []).map((row) =>
          h(
            "div",
            { class: "seatmap-row", role: "group", "aria-label": `Row ${row.label}` },
            h("span", { class: "seatmap-row-label", "aria-hidden": "true" }, row.label),
            (row.seats || []).map((seat) => seatButton(seat, row, categories)),
          ),
        ),
      ),
    ),
    legend(component, colours),
  );
}

function legend(component, colours) {
  const states = ["free", "mine", "held", "sold", "blocked"].map((state) =>
    h("li", {}, h("span", { class: `seat seat-key seat-${state}`, "aria-hidden": "true" }), STATES[state]),
  );
  const categories = (component.categories || []).map((category) =>
    h(
      "li",
      {},
      h("span", {
        class: "seat seat-key seat-free",
        dataset: { category: String(colours.get(category.code)) },
        "aria-hidden": "true",
      }),
      category.label,
    ),
  );
  return h("ul", { class: "seatmap-legend" }, states, categories);
}
