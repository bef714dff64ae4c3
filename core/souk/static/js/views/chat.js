// The chat pane: the open conversation's header, its messages in seq order (older pages load as
// you scroll up), our unsent messages, and the composer.
//
// Messages are inserted one by one where their seq belongs, so a form being filled in keeps
// what was typed when new messages arrive; a message is drawn again only when its sender
// replaced it (a card that became "Paid ✓"), in the same place.

import { h, replace } from "../dom.js";
import { conversationSubtitle, dayKey, dayLabel, hue, initials } from "../format.js";
import { icon } from "../icons.js";
import { carryNotice } from "../render/answered.js";
import { refreshConsents } from "../render/consent.js";
import { Composer } from "./composer.js";
import { renderMessage, renderPending } from "./message.js";

const NEAR_BOTTOM_PX = 80;
const LOAD_OLDER_PX = 160;
const SAME_RUN_MS = 5 * 60 * 1000;

export class ChatView {
  constructor({ store, sync, onBack }) {
    this.store = store;
    this.sync = sync;
    this.id = null;
    this.rendered = new Map(); // seq -> element
    this.order = []; // rendered seqs, ascending
    this.drafts = new Map(); // conversation id -> what was typed and not sent
    this.actions = { press: (message, componentId, values) => sync.press(message, componentId, values) };

    this.title = h("h2", { class: "chat-title", id: "chat-title" });
    this.subtitle = h("p", { class: "chat-subtitle" });
    this.avatar = h("span", { class: "avatar", "aria-hidden": "true" });
    this.head = h(
      "header",
      { class: "chat-head" },
      h(
        "button",
        {
          type: "button",
          class: "icon-button back-button",
          "aria-label": "Back to conversations",
          onclick: onBack,
        },
        icon("back"),
      ),
      this.avatar,
      h("div", { class: "chat-head-text" }, this.title, this.subtitle),
    );
    this.historyStatus = h("div", { class: "history-status" });
    this.list = h("ol", { class: "messages", "aria-labelledby": "chat-title" });
    this.pendingList = h("ol", { class: "messages pending-messages", "aria-label": "Messages being sent" });
    this.scroller = h(
      "div",
      { class: "chat-scroll", tabindex: "0", role: "log", "aria-label": "Messages" },
      this.historyStatus,
      this.list,
      this.pendingList,
    );
    this.newBelow = h(
      "button",
      { type: "button", class: "new-below", hidden: true, onclick: () => this.scrollToBottom(true) },
      icon("down", "icon icon-xs"),
      "New messages",
    );
    this.composer = new Composer({
      store,
      onSend: (text) => this.id && sync.send(this.id, text),
      onPaletteOpen: () => sync.refreshCommands(),
    });
    this.empty = h(
      "div",
      { class: "chat-empty" },
      h("div", { class: "chat-empty-art", "aria-hidden": "true" }, icon("chat", "icon icon-xl")),
      h("h2", {}, "Welcome to Souk"),
      h("p", {}, "Pick a conversation, or start a new one. Type / in any chat to see what mini-apps can do."),
    );
    this.pane = h(
      "div",
      { class: "chat-pane", hidden: true },
      this.head,
      h("div", { class: "chat-body" }, this.scroller, this.newBelow),
      this.composer.element,
    );
    this.element = h("section", { class: "chat", "aria-label": "Conversation" }, this.empty, this.pane);

    this.scroller.addEventListener("scroll", () => this.scrolled(), { passive: true });
    // A message that grows (a form's errors, an answered request) keeps the last one in view
    // for someone reading at the bottom.
    this.pinned = true;
    const keepPinned = new ResizeObserver(() => {
      if (this.pinned) this.scroller.scrollTop = this.scroller.scrollHeight;
    });
    keepPinned.observe(this.list);
    keepPinned.observe(this.pendingList);
    store.addEventListener("active", (e) => this.show(e.detail.id));
    store.addEventListener("messages", (e) => e.detail.id === this.id && this.added(e.detail));
    store.addEventListener("pending", (e) => e.detail.id === this.id && this.drawPending());
    store.addEventListener("page", (e) => e.detail.id === this.id && this.drawHistoryStatus());
    store.addEventListener("conversations", () => this.drawHead());
    store.addEventListener("apps", () => refreshConsents(this.list, store));
  }

  get conversation() {
    return this.id ? this.store.conversations.get(this.id) : null;
  }

  show(id) {
    if (this.id) this.drafts.set(this.id, this.composer.input.value); // each chat keeps its draft
    this.id = id;
    this.rendered.clear();
    this.order = [];
    this.list.replaceChildren();
    this.empty.hidden = Boolean(id);
    this.pane.hidden = !id;
    if (!id) return;
    this.drawHead();
    this.insert(this.store.sorted(id));
    this.drawPending();
    this.drawHistoryStatus();
    this.scrollToBottom(false);
    this.composer.setEnabled(true);
    this.composer.setText(this.drafts.get(id) || "");
    if (window.matchMedia("(min-width: 760px)").matches) this.composer.focus();
  }

  drawHead() {
    const conversation = this.conversation;
    if (!conversation) return;
    this.title.textContent = conversation.title || "Conversation";
    this.subtitle.textContent = conversationSubtitle(conversation, this.store.me);
    this.avatar.className = `avatar avatar-${conversation.kind} hue-${hue(conversation.app || conversation.id)}`;
    replace(this.avatar, conversation.kind === "group" ? icon("users") : initials(conversation.title));
  }

  drawHistoryStatus() {
    if (!this.id) return;
    const page = this.store.page(this.id);
    let content;
    if (page.loading)
      content = h("span", { class: "spinner-line" }, h("span", { class: "spinner" }), "Loading messages…");
    else if (page.error)
      content = [
        h("span", {}, page.error),
        h(
          "button",
          { type: "button", class: "link-button", onclick: () => this.sync.loadOlder(this.id) },
          "Try again",
        ),
      ];
    else if (page.loaded && !page.hasMore) content = "This is the start of the conversation.";
    else content = null;
    replace(this.historyStatus, content);
    this.historyStatus.hidden = !content;
  }

  context() {
    return { store: this.store, actions: this.actions, group: this.conversation?.kind === "group" };
  }

  /** Put messages where their seq belongs; return whether any was new here. */
  insert(messages) {
    const ctx = this.context();
    let changed = false;
    for (const message of messages) {
      if (this.rendered.has(message.seq)) continue;
      const element = renderMessage(message, ctx);
      const index = this.position(message.seq);
      const next = this.order[index];
      this.list.insertBefore(element, next === undefined ? null : this.rendered.get(next));
      this.order.splice(index, 0, message.seq);
      this.rendered.set(message.seq, element);
      changed = true;
    }
    if (changed) this.decorate();
    return changed;
  }

  /** Draw the new versions of messages shown here, each where the old one was. */
  redraw(messages) {
    const ctx = this.context();
    let changed = false;
    for (const message of messages) {
      const old = this.rendered.get(message.seq);
      if (!old) continue;
      const element = renderMessage(message, ctx);
      carryNotice(old, element);
      old.replaceWith(element);
      this.rendered.set(message.seq, element);
      changed = true;
    }
    if (changed) this.decorate();
  }

  position(seq) {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.order[mid] < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Day labels above the first message of a day; runs of one sender drawn together. */
  decorate() {
    let previous = null;
    for (const seq of this.order) {
      const element = this.rendered.get(seq);
      const message = this.store.messages.get(this.id)?.get(seq);
      if (!message) continue;
      const newDay = !previous || dayKey(previous.created_at) !== dayKey(message.created_at);
      if (newDay) element.dataset.day = dayLabel(message.created_at);
      else delete element.dataset.day;
      const sameRun =
        !newDay &&
        previous.sender.kind === message.sender.kind &&
        previous.sender.id === message.sender.id &&
        previous.private === message.private &&
        new Date(message.created_at) - new Date(previous.created_at) < SAME_RUN_MS;
      element.classList.toggle("msg-run", sameRun);
      previous = message;
    }
  }

  added({ added, replaced = [], older }) {
    this.redraw(replaced);
    const atBottom = this.pinned || this.nearBottom();
    const before = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    if (!this.insert(added)) return;
    if (older) {
      this.scroller.scrollTop = top + (this.scroller.scrollHeight - before);
      this.fillViewport();
    } else if (atBottom || added.some((m) => this.store.isMine(m))) {
      this.scrollToBottom(false);
    } else {
      this.newBelow.hidden = false;
    }
  }

  drawPending() {
    const entries = [...this.store.pendingOf(this.id).values()];
    const atBottom = this.nearBottom();
    replace(
      this.pendingList,
      entries.map((entry) =>
        renderPending(entry, {
          onRetry: () => this.sync.retry(this.id, entry.clientId),
          onDiscard: () => this.sync.discard(this.id, entry.clientId),
        }),
      ),
    );
    if (atBottom) this.scrollToBottom(false);
  }

  nearBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  scrollToBottom(smooth) {
    this.pinned = true;
    this.scroller.scrollTo({ top: this.scroller.scrollHeight, behavior: smooth ? "smooth" : "auto" });
    this.newBelow.hidden = true;
    this.fillViewport();
  }

  /** Too few messages to scroll: load older ones until there is something to scroll back through. */
  fillViewport() {
    if (this.id && this.scroller.scrollHeight <= this.scroller.clientHeight + LOAD_OLDER_PX) {
      this.sync.loadOlder(this.id);
    }
  }

  scrolled() {
    if (!this.id) return;
    if (this.scroller.scrollTop < LOAD_OLDER_PX) this.sync.loadOlder(this.id);
    this.pinned = this.nearBottom();
    if (this.pinned) this.newBelow.hidden = true;
  }
}
