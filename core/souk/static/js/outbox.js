// My messages until the server has them: shown at once as "sending", kept and sent again with
// the same client id (so each lands once) until the server has it, in the order I wrote them.
//
// A message written while offline goes out when the connection is back, after whatever the
// others wrote meanwhile: it says when it was written (written_at), and the page shows it.

import { ApiError } from "./api.js";

const RETRY_SEND_MS = 3000;

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Outbox {
  /** onSent(message): the server stored one of mine. */
  constructor(api, store, { onSent }) {
    this.api = api;
    this.store = store;
    this.onSent = onSent;
    this.draining = null;
  }

  send(id, text, replyTo = null) {
    const entry = {
      clientId: newClientId(),
      text,
      replyTo,
      state: "new",
      error: null,
      created_at: new Date().toISOString(),
    };
    const earlier = [...this.store.pendingOf(id).values()].some((e) => e.state !== "failed");
    this.store.setPending(id, entry);
    if (!earlier) return this.deliver(id, entry);
    entry.state = "waiting"; // behind others of mine still on their way: after them, in order
    this.store.setPending(id, entry);
    return this.retryWaiting();
  }

  /** Send one (its promise); one already stored, or on its way, is not sent again. */
  deliver(id, entry) {
    if (!this.store.pendingOf(id).has(entry.clientId) || entry.state === "sending") return entry.flight;
    entry.flight = this.post(id, entry);
    return entry.flight;
  }

  async post(id, entry) {
    const waiting = this.store.pendingOf(id);
    entry.state = "sending";
    this.store.setPending(id, entry);
    try {
      const message = await this.api.send(id, entry.clientId, entry.text, entry.replyTo, entry.created_at);
      this.store.addMessages(id, [message]);
      this.store.dropPending(id, entry.clientId);
      this.onSent(message);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!waiting.has(entry.clientId)) return; // its echo came over the WebSocket meanwhile
      entry.state = error.retryable ? "waiting" : "failed";
      entry.error = error.message;
      this.store.setPending(id, entry);
      if (entry.state === "waiting") {
        // Also sent again as soon as the live connection is back (see Sync.resumed).
        setTimeout(() => this.store.live === "live" && this.retryWaiting(), RETRY_SEND_MS);
      }
    }
  }

  /** Send what waits, one after the other in the order written, each conversation in turn. */
  retryWaiting() {
    if (!this.draining) this.draining = this.drain().finally(() => (this.draining = null));
    return this.draining;
  }

  async drain() {
    for (const [id, entries] of this.store.pending) {
      for (const entry of [...entries.values()]) {
        if (entry.state === "sending") await entry.flight; // an earlier one on its way: after it
        if (entry.state !== "waiting") continue;
        await this.deliver(id, entry);
        if (entry.state === "waiting") break; // still offline: the rest keep their turn
      }
    }
  }

  retry(id, clientId) {
    const entry = this.store.pendingOf(id).get(clientId);
    if (entry) this.deliver(id, entry);
  }

  discard(id, clientId) {
    this.store.dropPending(id, clientId);
  }
}
