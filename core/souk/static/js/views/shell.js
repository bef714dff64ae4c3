// The signed-in page: conversation list beside the chat (one or the other on a phone), the
// connection status, and the new-conversation dialog. The address (#/c/ID) names the open chat.

import { businessLink } from "../business.js";
import { h } from "../dom.js";
import { showNotice } from "../render/answered.js";
import { ChatView } from "./chat.js";
import { GroupInfo } from "./groupinfo.js";
import { jumpTo } from "./jump.js";
import { MessageInfo } from "./msginfo.js";
import { NewChatDialog } from "./newchat.js";
import { SETTINGS_HASH, SettingsView } from "./settings.js";
import { Sidebar } from "./sidebar.js";

const STATUS_TEXT = {
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  unauthorized: "Signed out",
};
const FIRST_CONNECT_GRACE_MS = 800;

export function conversationFromHash() {
  const match = /^#\/c\/([\w-]+)$/.exec(location.hash);
  return match ? match[1] : null;
}

export class Shell {
  constructor({ store, sync, onSignOut, onSwitch, erase }) {
    this.store = store;
    this.sync = sync;
    const go = (id) => {
      location.hash = id ? `#/c/${id}` : "#/";
    };
    this.dialog = new NewChatDialog({ store, sync, onOpened: go });
    this.info = new MessageInfo(sync.api);
    this.chatHash = "#/";
    this.settings = new SettingsView({
      api: sync.api,
      store,
      erase,
      onClose: () => SETTINGS_HASH.test(location.hash) && (location.hash = this.chatHash),
    });
    this.sidebar = new Sidebar({
      store,
      api: sync.api,
      onOpen: go,
      onOpenMessage: (id, seq) => this.openAt(id, seq),
      onNew: () => this.dialog.open(),
      onSettings: () => (location.hash = "#/settings"),
      onSwitch,
      onSignOut,
    });
    this.chat = new ChatView({ store, sync, onBack: () => go(null) });
    this.chat.onInfo = (message) => this.info.open(message);
    this.groupInfo = new GroupInfo({ store, sync });
    this.chat.onGroupInfo = (id) => this.groupInfo.open(id);
    this.banner = h(
      "div",
      { class: "live-banner", role: "status", "aria-live": "polite", hidden: true },
      h("span", { class: "spinner", "aria-hidden": "true" }),
      h("span", { class: "live-banner-text" }),
    );
    this.element = h(
      "div",
      { class: "app", dataset: { view: "list", live: store.live } },
      this.banner,
      this.sidebar.element,
      this.chat.element,
      this.dialog.element,
      this.info.element,
      this.settings.element,
      this.groupInfo.element,
    );
    store.addEventListener("live", (e) => this.showStatus(e.detail.status));
    store.addEventListener("active", (e) => (this.element.dataset.view = e.detail.id ? "chat" : "list"));
    store.addEventListener("conversations", () => this.updateTitle());
    this.onHash = async () => {
      const settings = SETTINGS_HASH.exec(location.hash);
      if (settings) {
        this.settings.open(settings[1]);
        return;
      }
      this.settings.close();
      const link = businessLink(location.hash);
      if (link) {
        await this.openBusiness(link);
        return;
      }
      this.chatHash = location.hash || "#/";
      const id = conversationFromHash();
      await this.sync.open(id);
      const wanted = this.jumpAfterOpen;
      if (wanted && wanted.id === id) {
        this.jumpAfterOpen = null;
        jumpTo(this.chat, wanted.seq);
      }
    };
    window.addEventListener("hashchange", this.onHash);
    this.showStatus(store.live);
  }

  /** Open a chat at one of its messages (a search result). */
  openAt(id, seq) {
    if (conversationFromHash() === id && this.store.activeId === id) {
      jumpTo(this.chat, seq);
      return;
    }
    this.jumpAfterOpen = { id, seq };
    location.hash = `#/c/${id}`;
  }

  /** A click-to-chat link: open the chat with the business, its text ready in the composer. */
  async openBusiness({ handle, text }) {
    try {
      const conversation = await this.sync.openBusiness(handle);
      if (text) this.chat.drafts.set(conversation.id, text);
      location.replace(`#/c/${conversation.id}`);
    } catch (error) {
      location.replace("#/");
      showNotice(this.chat.empty, error.status === 404 ? `No business is called @${handle}` : error.message);
    }
  }

  start() {
    this.sidebar.draw();
    this.onHash();
  }

  destroy() {
    window.removeEventListener("hashchange", this.onHash);
    clearTimeout(this.graceTimer);
  }

  showStatus(status) {
    this.element.dataset.live = status;
    clearTimeout(this.graceTimer);
    const text = STATUS_TEXT[status];
    this.banner.querySelector(".live-banner-text").textContent = text || "";
    if (!text) {
      this.banner.hidden = true;
    } else if (status === "connecting") {
      // A first connection is usually instant: no banner unless it takes a while.
      this.graceTimer = setTimeout(() => (this.banner.hidden = false), FIRST_CONNECT_GRACE_MS);
    } else {
      this.banner.hidden = false;
    }
  }

  updateTitle() {
    const unread = [...this.store.conversations.values()].reduce((n, c) => n + (c.unread || 0), 0);
    document.title = unread ? `(${unread}) Souk` : "Souk";
  }
}
