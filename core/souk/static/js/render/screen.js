// Screens: the SDK's components (text, image, card, list, button, form, divider, seat map) as DOM.
//
// A screen with a component this client does not know is shown as its plain-text
// rendering (message.text), which every screen message carries, instead of breaking the page.

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { isAlreadyDone, settleAnswered } from "./answered.js";
import { apiImage } from "./apiimage.js";
import { FIELD_TYPES, renderForm } from "./form.js";
import { renderSeatMap } from "./seatmap.js";
import { textBlock } from "./text.js";

const COMPONENTS = new Set(["text", "image", "card", "list", "button", "form", "divider", "seat_map"]);

/** True when every component (and every form field) is one we can draw. */
export function drawable(screen) {
  if (!screen || typeof screen.title !== "string" || !Array.isArray(screen.body)) return false;
  return screen.body.every(
    (c) =>
      c &&
      COMPONENTS.has(c.type) &&
      (c.type !== "form" || (Array.isArray(c.fields) && c.fields.every((f) => f && FIELD_TYPES.has(f.type)))),
  );
}

/** The plain-text rendering, for screens we cannot draw. */
export function plainScreen(message) {
  return h("div", { class: "screen screen-plain" }, textBlock(message.text));
}

/** actions: {press(message, componentId, values) -> Promise}; viewer: {timeZone} (see form.js) */
export function renderScreen(message, actions, viewer = {}) {
  const screen = message.screen;
  if (!drawable(screen)) return plainScreen(message);
  try {
    const feedback = h("p", { class: "screen-feedback", role: "alert", hidden: true });
    const context = { message, actions, feedback, viewer };
    return h(
      "div",
      { class: "screen" },
      h("h3", { class: "screen-title" }, screen.title),
      drawBody(screen.body, context),
      feedback,
    );
  } catch (error) {
    console.warn("could not draw a screen; showing its text", error);
    return plainScreen(message);
  }
}

/** Components in order; buttons that follow each other share one row. */
function drawBody(body, context) {
  const nodes = [];
  let row = null;
  for (const component of body) {
    if (component.type === "button") {
      if (!row) nodes.push((row = h("div", { class: "screen-buttons" })));
      row.append(button(component, context));
    } else {
      row = null;
      nodes.push(renderComponent(component, context));
    }
  }
  return nodes;
}

export function renderComponent(component, context) {
  switch (component.type) {
    case "text":
      return textBlock(component.text, `screen-text screen-text-${component.style || "body"}`);
    case "image":
      return image(component.url, component.alt, "screen-image", context.message);
    case "divider":
      return h("hr", { class: "screen-divider" });
    case "button":
      return h("div", { class: "screen-buttons" }, button(component, context));
    case "card":
      return card(component, context);
    case "list":
      return list(component, context);
    case "form":
      return renderForm(component, context.message, context.actions, context.viewer);
    case "seat_map":
      return renderSeatMap(component, context);
    default:
      throw new Error(`unknown component ${component.type}`);
  }
}

// Images come from this server only: Souk's media store, or the mini-app's own routes. An outside
// URL was fetched by the server when the screen was sent, and the screen names its copy; this
// client never asks another server for anything, so nobody there learns who looked.
function image(url, alt, className, message) {
  return apiImage(url, alt, className, message);
}

export function button(component, context) {
  const style = ["primary", "secondary", "danger"].includes(component.style) ? component.style : "secondary";
  const el = h(
    "button",
    {
      type: "button",
      class: `btn btn-${style}`,
      dataset: { component: component.id || "" },
      onclick: async () => {
        el.disabled = true;
        el.setAttribute("aria-busy", "true");
        context.feedback.hidden = true;
        let answered = false;
        try {
          await context.actions.press(context.message, component.id, {});
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          answered = isAlreadyDone(error);
          if (answered) {
            settleAnswered(el, error.message);
          } else {
            context.feedback.textContent = error.message;
            context.feedback.hidden = false;
          }
        } finally {
          el.disabled = answered;
          el.removeAttribute("aria-busy");
        }
      },
    },
    component.label,
  );
  return el;
}

function card(component, context) {
  return h(
    "article",
    { class: "screen-card" },
    component.image_url
      ? image(component.image_url, component.title, "screen-card-image", context.message)
      : null,
    h(
      "div",
      { class: "screen-card-main" },
      h("h4", { class: "screen-card-title" }, component.title),
      component.subtitle ? h("p", { class: "screen-card-subtitle" }, component.subtitle) : null,
      component.body ? textBlock(component.body, "screen-card-body") : null,
      component.buttons && component.buttons.length
        ? h(
            "div",
            { class: "screen-buttons" },
            component.buttons.map((b) => button(b, context)),
          )
        : null,
    ),
  );
}

function list(component, context) {
  if (!component.items || component.items.length === 0) {
    return h("p", { class: "screen-empty" }, component.empty_text || "Nothing here yet.");
  }
  return h(
    "ul",
    { class: "screen-list" },
    component.items.map((item) =>
      h(
        "li",
        { class: "screen-list-item" },
        h(
          "div",
          { class: "screen-list-text" },
          h("span", { class: "screen-list-title" }, item.title),
          item.subtitle ? h("span", { class: "screen-list-subtitle" }, item.subtitle) : null,
        ),
        item.button ? button(item.button, context) : null,
      ),
    ),
  );
}
