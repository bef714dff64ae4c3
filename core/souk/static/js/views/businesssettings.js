// Settings, Businesses: which businesses may write to me. Each business I chat with, hold a
// subscription with or blocked, with each kind of message as a switch (on: subscribed, off:
// revoked) and a Block / Unblock button. A business writes freely only within 24 hours of my
// last message to it; outside that, only the kinds I switched on; once blocked, nothing.

import { ApiError } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { hue, initials } from "../format.js";
import { whenLine } from "./dialog.js";

const path = (handle, tail) => `/businesses/${encodeURIComponent(handle)}${tail}`;

export class BusinessSettings {
  constructor({ api, store }) {
    this.api = api;
    this.store = store;
    this.list = h("ul", { class: "settings-apps settings-businesses" });
    this.status = h("p", { class: "privacy-status", role: "status" });
    this.element = h(
      "div",
      { class: "settings-section" },
      h(
        "p",
        { class: "dialog-lead" },
        "A business may answer you within 24 hours of your last message to it. After that, it may " +
          "send only the kinds of message you switch on here. A business you block can send you nothing.",
      ),
      this.list,
      this.status,
    );
  }

  async load() {
    this.status.textContent = "";
    try {
      const { kinds, subscriptions, blocked } = await this.api.get("/me/business-messages");
      const businesses = new Map();
      const add = (handle, name) => {
        if (!businesses.has(handle)) businesses.set(handle, { handle, name, kinds: [] });
      };
      for (const c of this.store.orderedConversations()) {
        if (c.business) add(c.business.handle, c.business.name);
      }
      for (const s of subscriptions) add(s.handle, s.name);
      for (const s of subscriptions) businesses.get(s.handle).kinds.push(s.kind);
      for (const b of blocked) {
        add(b.handle, b.name);
        businesses.get(b.handle).blocked_at = b.blocked_at;
      }
      replace(this.list, [...businesses.values()].map((business) => this.card(business, kinds)));
      if (!businesses.size) this.status.textContent = "You have not chatted with a business yet.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    }
  }

  card(business, kinds) {
    const note = h("p", { class: "privacy-status", role: "status" });
    const blocked = Boolean(business.blocked_at);
    const switches = kinds.map(({ kind, label, description }) => {
      const id = uid("business-kind");
      const box = h("input", { type: "checkbox", id, disabled: blocked, checked: business.kinds.includes(kind) });
      box.addEventListener("change", () => this.toggle(business, kind, label, box, note));
      return h(
        "li",
        { class: "business-kind" },
        box,
        h("label", { for: id }, label),
        h("span", { class: "info-when" }, ` · ${description}`),
      );
    });
    const button = h(
      "button",
      { type: "button", class: blocked ? "btn btn-secondary" : "btn btn-danger" },
      blocked ? `Unblock ${business.name}` : `Block ${business.name}`,
    );
    button.addEventListener("click", () => this.setBlocked(business, !blocked, button, note));
    return h(
      "li",
      { class: "settings-app", dataset: { business: business.handle } },
      h(
        "div",
        { class: "settings-app-head" },
        h(
          "span",
          { class: `avatar avatar-business hue-${hue(business.handle)}`, "aria-hidden": "true" },
          initials(business.name),
        ),
        h(
          "div",
          {},
          h("h4", {}, business.name),
          h(
            "p",
            { class: "info-when" },
            blocked ? `Blocked ${whenLine(business.blocked_at)}: it can send you nothing` : `@${business.handle}`,
          ),
        ),
      ),
      h("ul", { class: "granted", "aria-label": `What ${business.name} may send you` }, switches),
      h("div", { class: "settings-app-actions" }, button),
      note,
    );
  }

  async toggle(business, kind, label, box, note) {
    box.disabled = true;
    try {
      if (box.checked) {
        await this.api.post(path(business.handle, "/subscriptions"), { kind, source: "settings" });
        note.textContent = `${label}: on.`;
      } else {
        await this.api.request("DELETE", path(business.handle, `/subscriptions/${kind}`));
        note.textContent = `${label}: revoked.`;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      box.checked = !box.checked;
      note.textContent = error.message;
    }
    box.disabled = false;
  }

  async setBlocked(business, blocking, button, note) {
    button.disabled = true;
    try {
      const answer = await this.api.request(blocking ? "POST" : "DELETE", path(business.handle, "/block"));
      this.markChats(business.handle, answer.blocked);
      await this.load();
      this.status.textContent = `${business.name} is ${answer.blocked ? "blocked" : "unblocked"}.`;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      button.disabled = false;
      note.textContent = error.message;
    }
  }

  /** The chat with the business says at once whether it is blocked. */
  markChats(handle, blocked) {
    for (const c of this.store.orderedConversations()) {
      if (c.business?.handle !== handle) continue;
      this.store.addConversation({ ...c, business: { ...c.business, blocked } });
    }
  }
}
