// Consent screens: the core (sender "system") asks whether a mini-app may have some scopes.
// Shown as a permission request: which mini-app, what it asks for, Allow or Deny. Once
// answered, the core replaces the request with its answer, a text ("You allowed ...").

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { icon } from "../icons.js";
import { isAlreadyDone, settleAnswered } from "./answered.js";
import { textBlock } from "./text.js";

function buttons(screen) {
  return (screen.body || []).filter((c) => c && c.type === "button");
}

export function isConsent(message) {
  if (message.sender.kind !== "system" || !message.screen || !Array.isArray(message.screen.body))
    return false;
  const actions = buttons(message.screen).map((b) => b.action);
  return actions.includes("allow") && actions.includes("deny");
}

/** store: for the mini-app's title and what was already granted; actions.press as for screens. */
export function renderConsent(message, actions, store) {
  const screen = message.screen;
  const allow = buttons(screen).find((b) => b.action === "allow");
  const deny = buttons(screen).find((b) => b.action === "deny");
  const payload = allow.payload || {};
  const appTitle = store.appTitle(payload.app) || payload.app || "A mini-app";
  const scopes = screen.body
    .filter((c) => c.type === "list")
    .flatMap((c) => c.items || [])
    .map((item) =>
      h(
        "li",
        {},
        icon("check", "icon consent-check"),
        h("span", { class: "consent-scope" }, item.title),
        item.subtitle ? h("code", { class: "consent-scope-id" }, item.subtitle) : null,
      ),
    );
  const notes = screen.body
    .filter((c) => c.type === "text" && c.style === "muted")
    .map((c) => textBlock(c.text, "consent-note"));
  // The promise "you can take this back at any time in your settings" leads there.
  notes.push(h("a", { class: "consent-settings", href: "#/settings/apps" }, "Open your settings"));
  const state = h("p", { class: "consent-state", role: "status", "aria-live": "polite" });
  const allowButton = h("button", { type: "button", class: "btn btn-primary" }, allow.label || "Allow");
  const denyButton = h("button", { type: "button", class: "btn btn-secondary" }, deny.label || "Deny");

  function settle(text) {
    allowButton.disabled = true;
    denyButton.disabled = true;
    state.textContent = text;
  }

  async function answer(component, done) {
    allowButton.disabled = true;
    denyButton.disabled = true;
    state.textContent = "";
    try {
      await actions.press(message, component.id, {});
      settle(done);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (isAlreadyDone(error)) {
        settleAnswered(allowButton, error.message);
        return;
      }
      allowButton.disabled = false;
      denyButton.disabled = false;
      state.textContent = error.message;
    }
  }
  allowButton.addEventListener("click", () => answer(allow, `Allowed. ${appTitle} can now do this.`));
  denyButton.addEventListener("click", () => answer(deny, `Denied. ${appTitle} was not given access.`));

  const wanted = Array.isArray(payload.scopes) ? payload.scopes.map(String) : [];
  const element = h(
    "section",
    {
      class: "consent",
      "aria-label": `Permission request from ${appTitle}`,
      dataset: { app: String(payload.app || ""), scopes: wanted.join(" ") },
    },
    h(
      "header",
      { class: "consent-head" },
      h("span", { class: "consent-badge" }, icon("shield")),
      h(
        "div",
        {},
        h("p", { class: "consent-kicker" }, "Permission request"),
        h("h3", { class: "consent-title" }, `${appTitle} asks for your permission`),
      ),
    ),
    payload.command
      ? h("p", { class: "consent-why" }, "To run ", h("code", {}, payload.command), ", it would like to:")
      : h("p", { class: "consent-why" }, `${appTitle} would like to:`),
    h("ul", { class: "consent-scopes" }, scopes),
    notes,
    h("div", { class: "consent-actions" }, denyButton, allowButton),
    state,
  );
  refreshConsents(element, store);
  return element;
}

function granted(store, app, scopes) {
  const given = store.apps.find((a) => a.name === app)?.granted || [];
  return scopes.length > 0 && scopes.every((s) => given.includes(s));
}

/** Requests already answered (here, or in another request for the same scopes) show it. */
export function refreshConsents(root, store) {
  const requests = root.matches?.(".consent") ? [root] : root.querySelectorAll(".consent");
  for (const request of requests) {
    const scopes = (request.dataset.scopes || "").split(" ").filter(Boolean);
    if (!granted(store, request.dataset.app, scopes)) continue;
    for (const button of request.querySelectorAll(".consent-actions button")) button.disabled = true;
    const state = request.querySelector(".consent-state");
    if (!state.textContent) state.textContent = "Allowed.";
  }
}
