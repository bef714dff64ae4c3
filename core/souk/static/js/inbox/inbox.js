// The shared inbox of a business (#/inbox/HANDLE), for its staff: tabs of the customer chats
// that are open, pending, resolved or all; one chosen is shown beside (thread.js).
//
// The staff are not members of their customers' chats: what changes in the inbox comes as
// "inbox" frames on the live connection, and after a reconnection the list is read again.

import { h, replace } from "../dom.js";
import { Live } from "../ws.js";
import { InboxApi } from "./inboxapi.js";
import { LinkPanel } from "./linkpanel.js";
import { StatsPanel } from "./stats.js";
import { ThreadPane } from "./thread.js";

const TABS = [
  ["open", "Open"],
  ["pending", "Pending"],
  ["resolved", "Resolved"],
  ["all", "All"],
];

function threadItem(thread, chosen, onPick) {
  const last = thread.last_message;
  return h(
    "li",
    {},
    h(
      "button",
      {
        class: `inbox-item${chosen ? " chosen" : ""}`,
        type: "button",
        "aria-current": chosen ? "true" : false,
        dataset: { conversation: thread.conversation_id },
        onclick: () => onPick(thread.conversation_id),
      },
      h("span", { class: "inbox-item-name" }, thread.customer.display_name),
      h("span", { class: "inbox-item-text" }, last ? last.text : ""),
      h(
        "span",
        { class: "inbox-item-meta" },
        thread.assignee ? thread.assignee.display_name : "Unassigned",
        thread.labels.length ? ` · ${thread.labels.join(", ")}` : "",
      ),
    ),
  );
}

export class InboxView {
  constructor({ api, token, me, handle, onUnauthorized, onLeave }) {
    this.inbox = new InboxApi(api, handle);
    this.me = me;
    this.state = "open";
    this.chosen = null;
    this.business = null;
    this.stats = new StatsPanel(this.inbox);
    this.link = new LinkPanel(handle);
    this.thread = new ThreadPane({ inbox: this.inbox, me, onChanged: () => this.load() });
    this.tabs = h("div", { class: "inbox-tabs", role: "tablist", "aria-label": "Conversations by state" });
    this.list = h("ul", { class: "inbox-list", "aria-label": "Conversations" });
    this.title = h("h1", { class: "inbox-title" }, "Inbox");
    this.notice = h("p", { class: "inbox-error", role: "alert" });
    this.element = h(
      "main",
      { class: "inbox" },
      h(
        "header",
        { class: "inbox-header" },
        this.title,
        h("button", { class: "btn", type: "button", onclick: () => this.link.toggle() }, "Link & QR code"),
        h("button", { class: "btn", type: "button", onclick: () => this.stats.toggle() }, "Service levels"),
        h("button", { class: "btn", type: "button", onclick: onLeave }, "Back to chats"),
      ),
      this.notice,
      this.link.element,
      this.stats.element,
      h("div", { class: "inbox-body" }, h("nav", { class: "inbox-side" }, this.tabs, this.list), this.thread.element),
    );
    this.live = new Live({
      token,
      since: () => ({}),
      onFrame: (frame) => this.onFrame(frame),
      onStatus: () => {},
      onResumed: () => this.load(),
      onUnauthorized,
    });
  }

  async start() {
    try {
      const [business, staff] = await Promise.all([this.inbox.business(), this.inbox.staff()]);
      this.business = business;
      this.thread.setStaff(staff.staff);
      this.title.textContent = `${business.name} · Inbox`;
    } catch (error) {
      this.notice.textContent = error.message || "This inbox cannot be opened.";
      return;
    }
    this.live.start();
    await this.load();
  }

  stop() {
    this.live.stop();
  }

  onFrame(frame) {
    if (frame.type !== "inbox" || !this.business || frame.business_id !== this.business.id) return;
    this.load();
    this.thread.refresh(frame.thread.conversation_id);
  }

  pickTab(state) {
    this.state = state;
    this.load();
  }

  pick(id) {
    this.chosen = id;
    this.thread.open(id);
    this.load();
  }

  async load() {
    const page = await this.inbox.list(this.state);
    replace(
      this.tabs,
      TABS.map(([state, label]) =>
        h(
          "button",
          {
            class: `inbox-tab${state === this.state ? " chosen" : ""}`,
            type: "button",
            role: "tab",
            "aria-selected": state === this.state ? "true" : "false",
            onclick: () => this.pickTab(state),
          },
          `${label} (${page.counts[state]})`,
        ),
      ),
    );
    replace(
      this.list,
      page.threads.length
        ? page.threads.map((t) => threadItem(t, t.conversation_id === this.chosen, (id) => this.pick(id)))
        : h("li", { class: "inbox-empty" }, "Nothing here."),
    );
  }
}
