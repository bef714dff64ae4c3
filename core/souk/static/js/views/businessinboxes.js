// The businesses you work for, above your chats: each opens its shared inbox (#/inbox/HANDLE)
// and says how many customers wait there for an answer. Shown only to a business's staff.

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { icon } from "../icons.js";

export class BusinessInboxes {
  constructor(api) {
    this.api = api;
    this.element = h("nav", { class: "business-inboxes", "aria-label": "Business inboxes", hidden: true });
  }

  async load() {
    let businesses;
    try {
      ({ businesses } = await this.api.get("/me/businesses"));
    } catch (error) {
      if (error instanceof ApiError) return; // the chats work without it; the next start tries again
      throw error;
    }
    replace(this.element, businesses.map(inboxLink));
    this.element.hidden = businesses.length === 0;
  }
}

function inboxLink(business) {
  const waiting = business.waiting;
  return h(
    "a",
    {
      class: "business-inbox",
      href: `#/inbox/${encodeURIComponent(business.handle)}`,
      "aria-label": `${business.name} inbox${waiting ? `, ${waiting} waiting` : ""}`,
    },
    icon("chat", "icon icon-sm"),
    h("span", { class: "business-inbox-name" }, `${business.name} · Inbox`),
    waiting ? h("span", { class: "unread-badge", "aria-hidden": "true" }, String(waiting)) : null,
  );
}
