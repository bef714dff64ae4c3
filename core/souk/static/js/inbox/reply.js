// The agent's composer: a reply to the customer, with the business's quick replies. Typing
// "/" and a name lists the quick replies that start with it; choosing one puts its text, with
// this chat's variables filled in, in the composer to read over and send.

import { h, replace } from "../dom.js";

const TYPED_NAME = /^\/([\w-]*)$/;

export class ReplyBox {
  constructor({ onSend }) {
    this.onSend = onSend;
    this.quick = [];
    this.input = h("textarea", {
      id: "inbox-reply",
      class: "inbox-reply-input",
      rows: 3,
      "aria-label": "Reply to the customer",
      placeholder: "Reply as the business (/ for quick replies)",
      oninput: () => this.suggest(),
      onkeydown: (event) => this.key(event),
    });
    this.suggestions = h("div", { class: "inbox-quick", role: "listbox", "aria-label": "Quick replies" });
    this.error = h("p", { class: "inbox-error", role: "alert" });
    this.element = h(
      "div",
      { class: "inbox-composer" },
      this.suggestions,
      this.input,
      h("button", { class: "btn btn-primary", type: "button", onclick: () => this.send() }, "Send"),
      this.error,
    );
  }

  /** The quick replies of the chat at hand, each with its `filled` text. */
  setQuickReplies(quick) {
    this.quick = quick;
    this.suggest();
  }

  matching() {
    const typed = TYPED_NAME.exec(this.input.value);
    if (!typed) return [];
    return this.quick.filter((q) => q.name.startsWith(typed[1].toLowerCase()));
  }

  suggest() {
    replace(
      this.suggestions,
      this.matching().map((q) =>
        h(
          "button",
          { class: "inbox-quick-item", type: "button", role: "option", onclick: () => this.insert(q) },
          h("strong", {}, `/${q.name}`),
          " ",
          q.filled,
        ),
      ),
    );
  }

  insert(quick) {
    this.input.value = quick.filled;
    this.suggest();
    this.input.focus();
  }

  key(event) {
    if (event.key !== "Enter" || event.shiftKey) return;
    event.preventDefault();
    const found = this.matching();
    if (found.length === 1) this.insert(found[0]);
    else if (!found.length) this.send();
  }

  async send() {
    const text = this.input.value.trim();
    if (!text) return;
    this.error.textContent = "";
    try {
      await this.onSend(text);
      this.input.value = "";
      this.suggest();
    } catch (error) {
      this.error.textContent = error.message || "The reply was not sent.";
    }
  }
}
