// Rating a chat with a business: once the business resolved the customer's question, a bar
// above the composer asks for 1 to 5 stars and a comment, once per resolved contact.

import { h, replace } from "../dom.js";

export class RatingBar {
  constructor(api) {
    this.api = api;
    this.id = null;
    this.stars = 0;
    this.element = h("div", { class: "rating-bar", role: "region", "aria-label": "Rate this chat", hidden: true });
  }

  path(id) {
    return `/conversations/${encodeURIComponent(id)}/rating`;
  }

  /** Show the bar for this chat if it may be rated now (a chat with a business only). */
  async show(conversation) {
    this.id = conversation?.id ?? null;
    this.element.hidden = true;
    if (!conversation || conversation.kind !== "business") return;
    let state;
    try {
      state = await this.api.get(this.path(conversation.id));
    } catch {
      return; // not a chat the business served yet
    }
    if (this.id !== conversation.id || !state.can_rate) return;
    this.stars = 0;
    this.draw();
  }

  draw() {
    const comment = h("input", { class: "rating-comment", "aria-label": "Comment", maxlength: 500 });
    replace(
      this.element,
      h("span", { class: "rating-question" }, "How did we do?"),
      [1, 2, 3, 4, 5].map((n) =>
        h(
          "button",
          {
            class: `rating-star${n <= this.stars ? " chosen" : ""}`,
            type: "button",
            "aria-label": `${n} star${n > 1 ? "s" : ""}`,
            "aria-pressed": n === this.stars ? "true" : "false",
            onclick: () => {
              this.stars = n;
              this.draw();
            },
          },
          n <= this.stars ? "★" : "☆",
        ),
      ),
      comment,
      h(
        "button",
        { class: "btn", type: "button", disabled: !this.stars, onclick: () => this.send(comment.value) },
        "Rate",
      ),
    );
    this.element.hidden = false;
  }

  async send(comment) {
    const id = this.id;
    await this.api.post(this.path(id), { stars: this.stars, comment });
    if (this.id === id) replace(this.element, h("span", { class: "rating-thanks" }, "Thank you for your rating."));
  }
}
