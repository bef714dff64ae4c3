// One customer chat in the inbox, as the staff see it: who it is assigned to (take it, give
// it to someone, resolve it), its messages with the agent who wrote each of the business's,
// the reply box, and the private notes and labels the customer never sees.

import { h, replace } from "../dom.js";
import { ReplyBox } from "./reply.js";

function messageRow(message) {
  const fromCustomer = message.sender.kind === "user";
  const who = fromCustomer
    ? message.sender.name
    : `${message.sender.name}${message.agent ? ` (${message.agent.display_name})` : " (automatic)"}`;
  return h(
    "li",
    { class: `inbox-message ${fromCustomer ? "from-customer" : "from-business"}`, dataset: { seq: message.seq } },
    h("span", { class: "inbox-message-who" }, who),
    h("span", { class: "inbox-message-text" }, message.text),
  );
}

export class ThreadPane {
  constructor({ inbox, me, onChanged }) {
    this.inbox = inbox;
    this.me = me;
    this.onChanged = onChanged;
    this.id = null;
    this.staff = [];
    this.head = h("div", { class: "inbox-thread-head" });
    this.list = h("ol", { class: "inbox-messages", "aria-label": "Messages" });
    this.reply = new ReplyBox({ onSend: (text) => this.send(text) });
    this.notes = h("ul", { class: "inbox-notes", "aria-label": "Private notes" });
    this.noteInput = h("input", { class: "inbox-note-input", "aria-label": "Private note", maxlength: 2000 });
    this.labelsInput = h("input", { class: "inbox-labels-input", "aria-label": "Labels" });
    this.element = h(
      "section",
      { class: "inbox-thread", "aria-label": "Conversation", hidden: true },
      this.head,
      this.list,
      this.reply.element,
      h(
        "aside",
        { class: "inbox-staff-only", "aria-label": "Seen by the staff only" },
        h("h3", {}, "Private notes"),
        this.notes,
        h(
          "div",
          { class: "inbox-row" },
          this.noteInput,
          h("button", { class: "btn", type: "button", onclick: () => this.addNote() }, "Add note"),
        ),
        h("h3", {}, "Labels"),
        h(
          "div",
          { class: "inbox-row" },
          this.labelsInput,
          h("button", { class: "btn", type: "button", onclick: () => this.saveLabels() }, "Save labels"),
        ),
      ),
    );
  }

  setStaff(staff) {
    this.staff = staff;
  }

  async open(id) {
    this.id = id;
    this.element.hidden = false;
    const [detail, messages, quick] = await Promise.all([
      this.inbox.detail(id),
      this.inbox.messages(id),
      this.inbox.quickReplies(id),
    ]);
    if (this.id !== id) return;
    this.showHead(detail);
    replace(this.list, messages.messages.map(messageRow));
    replace(
      this.notes,
      detail.notes.map((n) => h("li", { class: "inbox-note" }, `${n.author?.display_name ?? ""}: ${n.text}`)),
    );
    this.labelsInput.value = detail.labels.join(", ");
    this.reply.setQuickReplies(quick.quick_replies);
  }

  /** Read the open thread again (an inbox frame says it changed). */
  refresh(id) {
    if (id === this.id) return this.open(id);
    return null;
  }

  showHead(thread) {
    const resolved = thread.state === "resolved";
    const options = [h("option", { value: "" }, "Nobody")].concat(
      this.staff.map((s) =>
        h("option", { value: s.user_id, selected: thread.assignee?.user_id === s.user_id }, s.display_name),
      ),
    );
    replace(
      this.head,
      h("h2", { class: "inbox-thread-title" }, thread.customer.display_name),
      h("span", { class: `inbox-state state-${thread.state}` }, thread.state),
      h("span", { class: "inbox-assignee" }, thread.assignee ? `Assigned to ${thread.assignee.display_name}` : "Unassigned"),
      thread.assignee?.user_id === this.me.id
        ? null
        : h("button", { class: "btn", type: "button", onclick: () => this.act(this.inbox.assign(this.id, this.me.id)) }, "Take"),
      h(
        "select",
        {
          class: "inbox-assign",
          "aria-label": "Assign to",
          onchange: (event) => this.act(this.inbox.assign(this.id, event.target.value || null)),
        },
        options,
      ),
      h(
        "button",
        {
          class: "btn",
          type: "button",
          onclick: () => this.act(this.inbox.setState(this.id, resolved ? "open" : "resolved")),
        },
        resolved ? "Reopen" : "Resolve",
      ),
    );
  }

  async act(request) {
    await request;
    await this.open(this.id);
    this.onChanged();
  }

  async send(text) {
    await this.inbox.reply(this.id, text);
    await this.open(this.id);
    this.onChanged();
  }

  async addNote() {
    const text = this.noteInput.value.trim();
    if (!text) return;
    await this.act(this.inbox.addNote(this.id, text));
    this.noteInput.value = "";
  }

  saveLabels() {
    const labels = this.labelsInput.value.split(",").map((l) => l.trim()).filter(Boolean);
    return this.act(this.inbox.setLabels(this.id, labels));
  }
}
