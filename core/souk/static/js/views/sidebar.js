// The conversation list: direct chats, groups and mini-apps, most recent first, each with its
// last message and unread count; a filter; who is signed in; new chat and sign out.

import { h, replace } from "../dom.js";
import { hue, initials, preview, shortWhen } from "../format.js";
import { icon } from "../icons.js";
import { drawAvatar, otherPerson, showPhoto } from "../photos.js";
import { typingLine } from "../signals.js";
import { BusinessInboxes } from "./businessinboxes.js";
import { groupAvatar } from "./groupinfo.js";
import { MessageSearch } from "./searchresults.js";

export class Sidebar {
  constructor({ store, api, onOpen, onOpenMessage, onNew, onSettings, onSwitch, onSignOut }) {
    this.store = store;
    this.onOpen = onOpen;
    this.items = new Map(); // conversation id -> <li>
    this.filter = "";
    this.list = h("ul", { class: "conversation-list", "aria-label": "Conversations" });
    this.empty = h("p", { class: "list-empty", hidden: true });
    this.search = h("input", {
      type: "search",
      class: "search-input",
      placeholder: "Search chats and messages",
      "aria-label": "Search chats",
      oninput: () => {
        this.filter = this.search.value.trim().toLowerCase();
        this.draw();
        this.messages.query(this.search.value);
      },
    });
    this.messages = new MessageSearch({ api, store, onOpen: onOpenMessage });
    this.inboxes = new BusinessInboxes(api);
    this.inboxes.load();
    this.meAvatar = h("span", { class: "avatar", "aria-hidden": "true" });
    this.meName = h("p", { class: "me-name" });
    this.meHandle = h("p", { class: "me-handle" });
    this.drawMe();
    store.addEventListener("me", () => this.drawMe());
    this.element = h(
      "aside",
      { class: "sidebar", "aria-label": "Conversations" },
      h(
        "header",
        { class: "sidebar-head" },
        this.meAvatar,
        h("div", { class: "me" }, this.meName, this.meHandle),
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            "aria-label": "New chat",
            title: "New chat",
            onclick: onNew,
          },
          icon("plus"),
        ),
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            "aria-label": "Settings",
            title: "Settings",
            onclick: onSettings,
          },
          icon("settings"),
        ),
        onSwitch
          ? h(
              "button",
              {
                type: "button",
                class: "icon-button",
                "aria-label": "Switch person",
                title: "Switch person (you stay signed in)",
                onclick: onSwitch,
              },
              icon("switch"),
            )
          : null,
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            "aria-label": "Sign out",
            title: "Sign out",
            onclick: onSignOut,
          },
          icon("logout"),
        ),
      ),
      h("div", { class: "search" }, icon("search", "icon search-icon"), this.search),
      this.inboxes.element,
      h(
        "nav",
        { class: "conversations", "aria-label": "Chats" },
        this.list,
        this.empty,
        this.messages.element,
      ),
    );
    store.addEventListener("conversations", () => this.draw());
    store.addEventListener("active", () => this.draw());
    store.addEventListener("apps", () => this.draw());
    store.addEventListener("typing", () => this.draw());
  }

  drawMe() {
    const me = this.store.me;
    drawAvatar(this.meAvatar, me);
    this.meName.textContent = me.display_name;
    this.meHandle.textContent = `@${me.handle} · ${me.country}`;
  }

  draw() {
    const all = this.store.orderedConversations();
    const shown = all.filter((c) => !this.filter || (c.title || "").toLowerCase().includes(this.filter));
    const focused = document.activeElement;
    const keep = new Set(shown.map((c) => c.id));
    for (const [id, element] of this.items) {
      if (!keep.has(id)) {
        element.remove();
        this.items.delete(id);
      }
    }
    shown.forEach((conversation, index) => {
      let element = this.items.get(conversation.id);
      if (!element) {
        element = h("li", { class: "conversation", dataset: { id: conversation.id } });
        this.items.set(conversation.id, element);
      }
      this.fill(element, conversation);
      if (this.list.children[index] !== element)
        this.list.insertBefore(element, this.list.children[index] || null);
    });
    if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus();
    this.empty.hidden = shown.length > 0;
    this.empty.textContent = all.length
      ? "No chat matches your search."
      : "No conversations yet. Start one with +.";
  }

  fill(element, conversation) {
    const active = conversation.id === this.store.activeId;
    const last = conversation.last_message;
    const unread = conversation.unread > 0 && !active ? conversation.unread : 0;
    const typing = typingLine(this.store.signals.typingIn(conversation.id));
    let button = element.firstElementChild;
    if (!button) {
      button = h("button", {
        type: "button",
        class: "conversation-button",
        onclick: () => this.onOpen(conversation.id),
      });
      element.append(button);
    }
    button.classList.toggle("active", active);
    button.classList.toggle("unread", unread > 0);
    if (active) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
    const kindLabel = { direct: "Direct chat", group: "Group", app: "Mini-app", business: "Business" }[
      conversation.kind
    ];
    button.setAttribute(
      "aria-label",
      `${conversation.title}, ${kindLabel}${unread ? `, ${unread} unread` : ""}${last ? `: ${preview(last, this.store)}` : ""}`,
    );
    const avatar = h(
      "span",
      {
        class: `avatar avatar-${conversation.kind} hue-${hue(conversation.app || conversation.id)}`,
        "aria-hidden": "true",
      },
      conversation.kind === "group"
        ? groupAvatar(conversation, "avatar-fill") || icon("users")
        : initials(conversation.title),
    );
    showPhoto(avatar, otherPerson(conversation, this.store.me));
    replace(
      button,
      avatar,
      h(
        "span",
        { class: "conversation-text" },
        h(
          "span",
          { class: "conversation-line" },
          h("span", { class: "conversation-title" }, conversation.title || "Conversation"),
          conversation.kind === "app" ? h("span", { class: "kind-tag" }, "App") : null,
          h(
            "time",
            { class: "conversation-time" },
            shortWhen(last ? last.created_at : conversation.created_at),
          ),
        ),
        h(
          "span",
          { class: "conversation-line" },
          h(
            "span",
            { class: "conversation-preview" },
            last && last.private ? icon("lock", "icon icon-xs") : null,
            typing
              ? h("span", { class: "preview-text preview-typing" }, typing)
              : h("span", { class: "preview-text" }, preview(last, this.store)),
          ),
          unread
            ? h(
                "span",
                { class: "unread-badge", "aria-hidden": "true" },
                unread > 99 ? "99+" : String(unread),
              )
            : null,
        ),
      ),
    );
  }
}
