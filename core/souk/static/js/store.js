// The client's state, and the events that tell the views what changed.
//
// Messages are kept per conversation by seq, so a message that arrives twice
// (a history page and a live frame, a backlog after a reconnection, the answer
// to our own send and its echo) is stored once.  Its sender may replace it: the
// new version keeps its seq, has a higher revision and a new changed_seq, and
// takes the old one's place.  `high` is the last changed_seq seen per
// conversation: what the live connection resumes from, so that replacements
// missed while away come back too.
//
// Events: "conversations" (the list changed), "messages" {id, added, replaced,
// older} (messages were stored, or replaced by a newer version), "pending" {id}
// (our unsent messages changed), "active" {id}, "live" {status}, "commands", "apps",
// "receipts" {id} (members' marks moved), "typing" {id}, "presence" {userId}.

import { Signals } from "./signals.js";

/** The version a message is: 1 as posted, more once replaced. */
const revisionOf = (message) => message.revision ?? 1;

/** Where a message's latest version sits in its conversation's sequence. */
export const cursorOf = (message) => message.changed_seq ?? message.seq;

export class Store extends EventTarget {
  constructor(me) {
    super();
    this.me = me;
    this.conversations = new Map();
    this.messages = new Map(); // conversation id -> Map(seq -> message)
    this.high = new Map(); // conversation id -> last seq seen
    this.pages = new Map(); // conversation id -> {loaded, hasMore, loading}
    this.pending = new Map(); // conversation id -> Map(client_id -> {clientId, text, state, error})
    this.marks = new Map(); // conversation id -> Map(user id -> {delivered_seq, read_seq}), see receipts.js
    this.signals = new Signals(this);
    this.activeId = null;
    this.commands = [];
    this.apps = [];
    this.live = "connecting";
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // -- conversations ----------------------------------------------------------------------

  /** Apply the server's list; counts what arrived live after the server counted. */
  setConversations(list) {
    const seen = new Set();
    for (const summary of list) {
      seen.add(summary.id);
      const local = this.conversations.get(summary.id);
      const later = this.sorted(summary.id).filter((m) => m.seq > summary.last_seq && !this.isMine(m));
      const merged = { ...summary, unread: summary.unread + later.length };
      if (local && local.last_seq > summary.last_seq) {
        merged.last_seq = local.last_seq;
        merged.last_message = local.last_message;
      }
      if (this.isReading(summary.id)) merged.unread = 0;
      this.conversations.set(summary.id, merged);
      if (!this.high.has(summary.id) || this.high.get(summary.id) < summary.last_seq) {
        this.high.set(summary.id, summary.last_seq);
      }
    }
    for (const id of [...this.conversations.keys()]) {
      if (!seen.has(id)) this.conversations.delete(id);
    }
    this.emit("conversations");
  }

  /** A conversation we just created or opened (the list may not have it yet). */
  addConversation(conversation) {
    const local = this.conversations.get(conversation.id);
    this.conversations.set(conversation.id, {
      unread: 0,
      last_read_seq: 0,
      last_message: null,
      ...local,
      ...conversation,
      last_seq: Math.max(conversation.last_seq, local ? local.last_seq : 0),
    });
    if (!this.high.has(conversation.id)) this.high.set(conversation.id, conversation.last_seq);
    this.emit("conversations");
  }

  /** Most recent first. */
  orderedConversations() {
    const when = (c) => (c.last_message ? c.last_message.created_at : c.created_at) || "";
    return [...this.conversations.values()].sort((a, b) => when(b).localeCompare(when(a)));
  }

  since() {
    const since = {};
    for (const [id, seq] of this.high) since[id] = seq;
    return since;
  }

  // -- messages ---------------------------------------------------------------------------

  isMine(message) {
    return message.sender.kind === "user" && message.sender.id === this.me.id;
  }

  /** The active conversation, on a page that someone is looking at. */
  isReading(id) {
    return id === this.activeId && document.visibilityState === "visible";
  }

  sorted(id) {
    const byseq = this.messages.get(id);
    return byseq ? [...byseq.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  /**
   * Store messages of one conversation: new ones, and newer versions of those we have.
   * live: they came over the WebSocket (new ones count as unread when nobody is reading).
   */
  addMessages(id, messages, { live = false, older = false } = {}) {
    if (!this.messages.has(id)) this.messages.set(id, new Map());
    const byseq = this.messages.get(id);
    const added = [];
    const replaced = [];
    for (const message of messages) {
      const known = byseq.get(message.seq);
      if (known && revisionOf(known) >= revisionOf(message)) continue;
      byseq.set(message.seq, message);
      (known ? replaced : added).push(message);
      if (message.client_id && this.isMine(message)) this.pending.get(id)?.delete(message.client_id);
    }
    // What came live was seen, new or not: the connection resumes after it.
    const cursor = Math.max(0, ...messages.map(cursorOf));
    if (live && cursor > (this.high.get(id) || 0)) this.high.set(id, cursor);
    const stored = [...added, ...replaced];
    if (stored.length === 0) return added;
    const conversation = this.conversations.get(id);
    if (conversation) {
      const newest = stored.reduce((a, b) => (b.seq > a.seq ? b : a));
      const last = conversation.last_message;
      const later = !last || newest.seq > last.seq;
      if (later || (newest.seq === last.seq && revisionOf(newest) > revisionOf(last))) {
        conversation.last_message = newest;
      }
      if (live) {
        const counted = added.filter((m) => m.seq > conversation.last_seq && !this.isMine(m));
        if (!this.isReading(id)) conversation.unread += counted.length;
        conversation.last_seq = Math.max(conversation.last_seq, cursor);
      }
      this.emit("conversations");
    }
    this.emit("messages", { id, added, replaced, older });
    if (stored.some((m) => m.client_id && this.isMine(m))) this.emit("pending", { id });
    return added;
  }

  page(id) {
    if (!this.pages.has(id)) this.pages.set(id, { loaded: false, hasMore: true, loading: false });
    return this.pages.get(id);
  }

  oldestSeq(id) {
    const byseq = this.messages.get(id);
    return byseq && byseq.size ? Math.min(...byseq.keys()) : null;
  }

  // -- our own sends, until the server has them -------------------------------------------

  pendingOf(id) {
    if (!this.pending.has(id)) this.pending.set(id, new Map());
    return this.pending.get(id);
  }

  setPending(id, entry) {
    this.pendingOf(id).set(entry.clientId, entry);
    this.emit("pending", { id });
  }

  dropPending(id, clientId) {
    if (this.pendingOf(id).delete(clientId)) this.emit("pending", { id });
  }

  // -- the rest ---------------------------------------------------------------------------

  setActive(id) {
    this.activeId = id;
    const conversation = id && this.conversations.get(id);
    if (conversation) conversation.unread = 0;
    this.emit("active", { id });
    this.emit("conversations");
  }

  setLive(status) {
    this.live = status;
    this.emit("live", { status });
  }

  setCommands(commands) {
    this.commands = commands;
    this.emit("commands");
  }

  setApps(apps) {
    this.apps = apps;
    this.emit("apps");
  }

  appTitle(name) {
    const app = this.apps.find((a) => a.name === name);
    return app ? app.title : null;
  }
}
