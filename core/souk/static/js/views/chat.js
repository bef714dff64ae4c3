// The chat pane: the open conversation's header, its messages in seq order (older pages load as
// you scroll up), our unsent messages, and the composer.
//
// Each message has its actions (reply, react, edit, delete, info) in a menu; a reply's quote
// scrolls to what it answers, loading older pages until it is there.

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { hue, initials } from "../format.js";
import { icon } from "../icons.js";
import { showNotice } from "../render/answered.js";
import { refreshConsents } from "../render/consent.js";
import { quoteBlock } from "../render/quote.js";
import { ticksElement } from "../render/ticks.js";
import { blockedLine } from "../groups.js";
import { otherPerson, showPhoto } from "../photos.js";
import { Composer } from "./composer.js";
import { groupAvatar } from "./groupinfo.js";
import { headline } from "./headline.js";
import { drawHistoryStatus } from "./historystatus.js";
import { jumpTo } from "./jump.js";
import { renderPending } from "./message.js";
import { MessageList } from "./msglist.js";
import { MessageMenu } from "./msgmenu.js";
import { RatingBar } from "./rating.js";
import { UploadList } from "./uploadlist.js";

const NEAR_BOTTOM_PX = 80;
const LOAD_OLDER_PX = 160;

export class ChatView {
  constructor({ store, sync, onBack }) {
    this.store = store;
    this.sync = sync;
    this.id = null;
    this.drafts = new Map(); // conversation id -> what was typed and not sent
    this.actions = { press: (message, componentId, values) => sync.press(message, componentId, values) };
    this.menu = new MessageMenu(store, {
      onReply: (message) => this.composer.setContext({ mode: "reply", message }),
      onEdit: (message) => this.composer.setContext({ mode: "edit", message }),
      onDelete: (message) => this.change(message, () => sync.changes.remove(message)),
      onReact: (message, emoji) => this.react(message, emoji),
      onInfo: (message) => this.onInfo?.(message),
    });

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
      (this.infoButton = h(
        "button",
        {
          type: "button",
          class: "icon-button",
          "aria-label": "Group info",
          onclick: () => this.showInfo(),
        },
        icon("info"),
      )),
    );
    this.historyStatus = h("div", { class: "history-status" });
    this.list = h("ol", { class: "messages", "aria-labelledby": "chat-title" });
    this.messages = new MessageList(
      this.list,
      () => this.context(),
      (seq) => this.store.messages.get(this.id)?.get(seq),
    );
    this.pendingList = h("ol", { class: "messages pending-messages", "aria-label": "Messages being sent" });
    this.uploads = new UploadList(sync.uploads);
    this.scroller = h(
      "div",
      { class: "chat-scroll", tabindex: "0", role: "log", "aria-label": "Messages" },
      this.historyStatus,
      this.list,
      this.pendingList,
      this.uploads.element,
    );
    this.newBelow = h(
      "button",
      { type: "button", class: "new-below", hidden: true, onclick: () => this.scrollToBottom(true) },
      icon("down", "icon icon-xs"),
      "New messages",
    );
    this.composer = new Composer({
      store,
      onSend: (text, replyTo) => this.id && sync.send(this.id, text, replyTo),
      onEdit: (message, text) => this.change(message, () => sync.changes.edit(message, text)),
      onTyping: () => this.id && sync.typing(this.id),
      onPaletteOpen: () => sync.refreshCommands(),
      onAttach: (file, caption) => this.id && sync.uploads.send(this.id, file, caption),
    });
    this.rating = new RatingBar(sync.api);
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
      this.rating.element,
      this.composer.element,
    );
    this.element = h(
      "section",
      { class: "chat", "aria-label": "Conversation" },
      this.empty,
      this.pane,
      this.menu.element,
    );

    this.scroller.addEventListener("scroll", () => this.scrolled(), { passive: true });
    // A message that grows (a form's errors, an answered request) keeps the last one in view
    // for someone reading at the bottom.
    this.pinned = true;
    const keepPinned = new ResizeObserver(() => {
      if (this.pinned) this.scroller.scrollTop = this.scroller.scrollHeight;
    });
    keepPinned.observe(this.list);
    keepPinned.observe(this.pendingList);
    keepPinned.observe(this.uploads.element);
    store.addEventListener("active", (e) => this.show(e.detail.id));
    store.addEventListener("messages", (e) => e.detail.id === this.id && this.added(e.detail));
    store.addEventListener("pending", (e) => e.detail.id === this.id && this.drawPending());
    store.addEventListener("page", (e) => e.detail.id === this.id && this.drawHistoryStatus());
    store.addEventListener("conversations", () => this.drawHead());
    store.addEventListener("typing", (e) => e.detail.id === this.id && this.drawHead());
    store.addEventListener("presence", () => this.drawHead());
    store.addEventListener("receipts", (e) => e.detail.id === this.id && this.messages.refreshTicks());
    store.addEventListener("apps", () => refreshConsents(this.list, store));
    store.addEventListener("rating", (e) => e.detail.id === this.id && this.rating.show(this.conversation));
  }

  get conversation() {
    return this.id ? this.store.conversations.get(this.id) : null;
  }

  show(id) {
    if (this.id) this.drafts.set(this.id, this.composer.input.value); // each chat keeps its draft
    this.id = id;
    this.messages.clear();
    this.menu.close();
    this.composer.setContext(null);
    this.empty.hidden = Boolean(id);
    this.pane.hidden = !id;
    if (!id) return;
    this.drawHead();
    this.rating.show(this.conversation);
    const other =
      this.conversation?.kind === "direct" &&
      this.conversation.members.find((m) => m.id !== this.store.me.id);
    if (other) this.sync.presenceOf(other.id);
    this.messages.insert(this.store.sorted(id));
    this.drawPending();
    this.uploads.show(id);
    this.drawHistoryStatus();
    this.scrollToBottom(false);
    this.composer.setEnabled(true);
    this.composer.setText(this.drafts.get(id) || "");
    if (window.matchMedia("(min-width: 760px)").matches) this.composer.focus();
  }

  /** A group's info; for a business, Settings, Businesses: what it may send me, and Block. */
  showInfo() {
    if (this.conversation?.kind === "business") location.hash = "#/settings/businesses";
    else this.onGroupInfo?.(this.id);
  }

  drawHead() {
    const conversation = this.conversation;
    if (!conversation) return;
    this.title.textContent = conversation.title || "Conversation";
    const line = headline(this.store, conversation);
    this.subtitle.textContent = line.text;
    this.subtitle.classList.toggle("chat-subtitle-live", line.live);
    this.avatar.className = `avatar avatar-${conversation.kind} hue-${hue(conversation.app || conversation.id)}`;
    const face =
      conversation.kind === "group" ? groupAvatar(conversation, "avatar-fill") || icon("users") : null;
    replace(this.avatar, face || initials(conversation.title));
    showPhoto(this.avatar, otherPerson(conversation, this.store.me));
    const business = conversation.kind === "business";
    this.infoButton.hidden = conversation.kind !== "group" && !business;
    this.infoButton.setAttribute("aria-label", business ? "What this business may send you" : "Group info");
    this.composer.setBlocked(blockedLine(conversation, this.store));
  }

  drawHistoryStatus() {
    if (!this.id) return;
    drawHistoryStatus(this.historyStatus, this.scroller, this.store.page(this.id), () =>
      this.sync.loadOlder(this.id),
    );
  }

  context() {
    return {
      store: this.store,
      actions: this.actions,
      group: this.conversation?.kind === "group",
      conversation: this.conversation,
      onMenu: (message, anchor) => this.menu.open(message, anchor),
      onReact: (message, emoji) => this.react(message, emoji),
      onJump: (seq) => jumpTo(this, seq),
      ticks: (message) => ticksElement(message, this.store),
    };
  }

  react(message, emoji) {
    return this.change(message, () => this.sync.changes.react(message, emoji));
  }

  /** Run a change of `message`; a refusal is said under it for a moment. */
  async change(message, run) {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const element = this.messages.rendered.get(message.seq);
      if (element) showNotice(element, error.message);
    }
  }

  added({ added, replaced = [], older }) {
    this.messages.redraw(replaced);
    if (replaced.length) this.messages.redrawQuoting(replaced.map((m) => m.seq));
    const atBottom = this.pinned || this.nearBottom();
    const before = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    if (!this.messages.insert(added)) return;
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
          quote: entry.replyTo
            ? quoteBlock({ seq: entry.replyTo, deleted: false }, this.id, this.store)
            : null,
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
