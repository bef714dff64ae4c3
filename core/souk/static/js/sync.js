// Keeps the store in step with the server: the first load, live frames, history pages,
// sends that survive a lost connection, read marks, buttons and forms.

import { ApiError } from "./api.js";
import { Changes } from "./changes.js";
import { Groups } from "./groups.js";
import { Outbox } from "./outbox.js";
import { applyReceiptFrame } from "./receipts.js";
import { Live } from "./ws.js";
import { Uploads } from "./uploads.js";

const PAGE = 50;
const READ_AFTER_MS = 200;
const TYPING_EVERY_MS = 3000;

export class Sync {
  constructor(api, store, { onSignedOut }) {
    this.api = api;
    this.store = store;
    this.onSignedOut = onSignedOut;
    this.readMarks = new Map(); // conversation id -> seq already marked read
    this.readTimers = new Map();
    this.typedAt = new Map(); // conversation id -> when we last said we are typing
    this.changes = new Changes(api, store);
    this.outbox = new Outbox(api, store, {
      onSent: (message) => message.text.startsWith("/") && this.refreshApps(), // consent may be asked
    });
    this.groups = new Groups(api, store);
    this.uploads = new Uploads(api, store);
    this.live = new Live({
      token: api.token,
      since: () => store.since(),
      onFrame: (frame) => this.receive(frame),
      onStatus: (status) => store.setLive(status),
      onResumed: (first) => this.resumed(first),
      onUnauthorized: () => this.onSignedOut("Your session has ended. Please sign in again."),
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && store.activeId) this.markRead(store.activeId);
    });
  }

  /** Load what the page needs, then go live. */
  async start() {
    const [list, commands, apps] = await Promise.all([
      this.api.conversations(),
      this.api.commands().catch(() => ({ commands: [] })),
      this.api.apps().catch(() => ({ apps: [] })),
    ]);
    this.store.setConversations(list.conversations);
    this.store.setCommands(commands.commands);
    this.store.setApps(apps.apps);
    this.live.start();
  }

  stop() {
    this.live.stop();
  }

  // -- live ---------------------------------------------------------------------------------

  receive(frame) {
    if (this.store.signals.receive(frame)) return;
    if (frame.type === "receipts") {
      applyReceiptFrame(this.store, frame);
    } else if (frame.type === "message") {
      const message = frame.message;
      this.store.signals.stopped(message.conversation_id, message.sender.id);
      if (!this.store.conversations.has(message.conversation_id)) this.refreshConversations();
      else if (message.event) this.refreshConversation(message.conversation_id); // the group changed
      this.store.addMessages(message.conversation_id, [message], { live: true });
      if (this.store.isReading(message.conversation_id)) this.markRead(message.conversation_id);
    } else if (frame.type === "rating") {
      this.store.emit("rating", { id: frame.conversation_id }); // the business resolved it: rate it
    } else if (frame.type === "conversation" || frame.type === "profile") {
      this.refreshConversations(); // a new conversation, or someone in one looks different now
    } else if (frame.type === "resync" && frame.live) {
      // Live delivery between the server's workers is back: the server caught the messages
      // up, but a new conversation's frame may have been missed meanwhile.
      this.refreshConversations();
    }
  }

  resumed(first) {
    if (!first) {
      // Conversations that began while we were away are not in "since": the list has them.
      this.refreshConversations();
      this.refreshApps();
    }
    this.outbox.retryWaiting();
  }

  async refreshConversations() {
    try {
      const list = await this.api.conversations();
      this.store.setConversations(list.conversations);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  async refreshConversation(id) {
    try {
      this.store.addConversation(await this.api.conversation(id));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  async refreshCommands() {
    try {
      this.store.setCommands((await this.api.commands()).commands);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  async refreshApps() {
    try {
      this.store.setApps((await this.api.apps()).apps);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  // -- history ------------------------------------------------------------------------------

  async open(id) {
    this.store.setActive(id);
    if (!id) return;
    if (!this.store.conversations.has(id)) {
      try {
        this.store.addConversation(await this.api.conversation(id));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          this.store.setActive(null);
          return;
        }
        throw error;
      }
    }
    const page = this.store.page(id);
    if (!page.loaded) await this.loadPage(id, null);
    this.markRead(id);
  }

  /** The latest page (before = null), or the page before the oldest message we have. */
  async loadPage(id, before) {
    const page = this.store.page(id);
    if (page.loading) return;
    page.loading = true;
    this.store.emit("page", { id });
    try {
      const query = before === null ? { limit: PAGE } : { before, limit: PAGE };
      const { messages } = await this.api.messages(id, query);
      page.loaded = true;
      page.hasMore = messages.length === PAGE;
      page.error = null;
      this.store.addMessages(id, messages, { older: before !== null });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      page.error = error.message;
    } finally {
      page.loading = false;
      this.store.emit("page", { id });
    }
  }

  loadOlder(id) {
    const page = this.store.page(id);
    const oldest = this.store.oldestSeq(id);
    if (!page.loaded || !page.hasMore || page.loading || oldest === null) return;
    this.loadPage(id, oldest);
  }

  /** Mark what we have of a conversation as read a moment from now: one mark for a burst, and
   * at most one every READ_AFTER_MS while messages keep coming (each covers all before it). */
  markRead(id) {
    if (this.readTimers.has(id)) return;
    this.readTimers.set(
      id,
      setTimeout(() => {
        this.readTimers.delete(id);
        this.markReadNow(id);
      }, READ_AFTER_MS),
    );
  }

  /** Tell the others we are typing here (at most every few seconds). */
  typing(id) {
    const now = Date.now();
    if (now - (this.typedAt.get(id) || 0) < TYPING_EVERY_MS) return;
    if (this.live.send({ type: "typing", conversation_id: id })) this.typedAt.set(id, now);
  }

  /** Ask whether someone is online (the answer comes as the store's "presence"). */
  async presenceOf(userId) {
    try {
      this.store.signals.setPresence(await this.api.get(`/users/${encodeURIComponent(userId)}/presence`));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  async markReadNow(id) {
    const seq = Math.max(this.store.high.get(id) || 0, this.store.conversations.get(id)?.last_seq || 0);
    if (seq <= (this.readMarks.get(id) || 0)) return;
    this.readMarks.set(id, seq);
    try {
      await this.api.markRead(id, seq);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.readMarks.delete(id);
    }
  }

  // -- sending (outbox.js) -----------------------------------------------------------------

  send(id, text, replyTo = null) {
    return this.outbox.send(id, text, replyTo);
  }

  retry(id, clientId) {
    this.outbox.retry(id, clientId);
  }

  discard(id, clientId) {
    this.outbox.discard(id, clientId);
  }

  // -- buttons and forms --------------------------------------------------------------------

  /** Press a button or submit a form; throws ApiError (422 invalid_form for a refused form). */
  async press(message, componentId, values = {}) {
    const result = await this.api.press(message.id, componentId, values);
    if (message.sender.kind === "system") this.refreshApps(); // consent given or refused
    return result;
  }

  // -- starting conversations ---------------------------------------------------------------

  async startDirect(person) {
    const conversation = await this.api.startDirect(person);
    this.store.addConversation(conversation);
    return conversation;
  }

  async startGroup(title, members, business = null) {
    const conversation = await this.api.startGroup(title, members, business);
    this.store.addConversation(conversation);
    return conversation;
  }

  async openApp(name) {
    const conversation = await this.api.openApp(name);
    this.store.addConversation(conversation);
    return conversation;
  }

  async openBusiness(handle) {
    const conversation = await this.api.post(`/businesses/${encodeURIComponent(handle)}/chat`);
    this.store.addConversation(conversation);
    return conversation;
  }
}
