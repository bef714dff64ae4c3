// A message's actions, in a small menu by the message: a row of quick reactions, then Reply,
// Edit, Delete for everyone (asked twice: it cannot be undone) and Message info, each shown
// only when it is allowed. Escape, a click elsewhere or a choice closes it.

import { allowed, myReaction, QUICK_REACTIONS } from "../changes.js";
import { h, replace } from "../dom.js";
import { icon } from "../icons.js";

export class MessageMenu {
  /** handlers: {onReply, onEdit, onDelete, onReact, onInfo} (onInfo: for my own messages). */
  constructor(store, handlers) {
    this.store = store;
    this.handlers = handlers;
    this.message = null;
    this.element = h("div", {
      class: "msg-menu",
      role: "menu",
      "aria-label": "Message actions",
      hidden: true,
    });
    this.element.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close(true);
      }
    });
    document.addEventListener("pointerdown", (event) => {
      if (this.message && !this.element.contains(event.target) && event.target !== this.anchor) this.close();
    });
  }

  item(label, iconName, run, extra = {}) {
    return h(
      "button",
      {
        type: "button",
        role: "menuitem",
        class: `msg-menu-item ${extra.className || ""}`,
        onclick: () => run(),
      },
      icon(iconName, "icon icon-sm"),
      label,
    );
  }

  choose(handler) {
    const message = this.message;
    this.close();
    handler(message);
  }

  open(message, anchor) {
    if (this.message) this.close();
    this.message = message;
    this.anchor = anchor;
    anchor.setAttribute("aria-expanded", "true");
    const can = allowed(message, this.store);
    const mine = myReaction(message, this.store);
    const { onReply, onEdit, onReact, onInfo } = this.handlers;
    const quick = can.react
      ? h(
          "div",
          { class: "msg-menu-reactions", role: "group", "aria-label": "React" },
          QUICK_REACTIONS.map((emoji) =>
            h(
              "button",
              {
                type: "button",
                role: "menuitem",
                class: `quick-reaction${mine === emoji ? " reaction-mine" : ""}`,
                "aria-label": `React with ${emoji}`,
                onclick: () => this.choose((m) => onReact(m, emoji)),
              },
              emoji,
            ),
          ),
        )
      : null;
    replace(
      this.element,
      quick,
      can.reply ? this.item("Reply", "reply", () => this.choose(onReply)) : null,
      can.edit ? this.item("Edit", "edit", () => this.choose(onEdit)) : null,
      can.remove
        ? this.item("Delete for everyone", "trash", () => this.confirmDelete(), { className: "danger" })
        : null,
      this.store.isMine(message) && onInfo
        ? this.item("Message info", "info", () => this.choose(onInfo))
        : null,
    );
    this.element.hidden = false;
    this.place(anchor);
    this.element.querySelector("button")?.focus();
  }

  confirmDelete() {
    replace(
      this.element,
      h("p", { class: "msg-menu-question" }, "Delete this message for everyone?"),
      this.item("Delete for everyone", "trash", () => this.choose(this.handlers.onDelete), {
        className: "danger",
      }),
      this.item("Cancel", "close", () => this.close(true)),
    );
    this.element.querySelector(".danger")?.focus();
  }

  /** Beside the message's control, inside the window. */
  place(anchor) {
    const box = anchor.getBoundingClientRect();
    const menu = this.element.getBoundingClientRect();
    const top =
      box.bottom + menu.height + 8 > window.innerHeight ? box.top - menu.height - 4 : box.bottom + 4;
    const left = Math.min(Math.max(8, box.right - menu.width), window.innerWidth - menu.width - 8);
    this.element.style.top = `${Math.max(8, top)}px`;
    this.element.style.left = `${left}px`;
  }

  close(refocus = false) {
    if (!this.message) return;
    this.message = null;
    this.element.hidden = true;
    this.anchor?.removeAttribute("aria-expanded");
    if (refocus && this.anchor && document.contains(this.anchor)) this.anchor.focus();
  }
}
