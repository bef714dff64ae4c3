// The shared inbox's calls: a business's staff list its customer chats, answer them as the
// business, assign them, and keep private notes and labels (docs/business.md, "The inbox").

export const INBOX_LINK = /^#\/inbox\/([^/?]+)$/;

/** The business handle of an inbox address (#/inbox/HANDLE), or null for any other. */
export function inboxLink(hash) {
  const match = INBOX_LINK.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export class InboxApi {
  constructor(api, handle) {
    this.api = api;
    this.base = `/businesses/${encodeURIComponent(handle)}`;
  }

  thread(id) {
    return `${this.base}/inbox/${encodeURIComponent(id)}`;
  }

  business() {
    return this.api.get(this.base);
  }

  staff() {
    return this.api.get(`${this.base}/staff`);
  }

  list(state, before = null) {
    return this.api.get(`${this.base}/inbox`, { state, before, limit: 50 });
  }

  detail(id) {
    return this.api.get(this.thread(id));
  }

  messages(id) {
    return this.api.get(`${this.thread(id)}/messages`, { limit: 100 });
  }

  reply(id, text) {
    return this.api.post(`${this.thread(id)}/messages`, { text, client_id: crypto.randomUUID() });
  }

  setState(id, state) {
    return this.api.request("PUT", `${this.thread(id)}/state`, { body: { state } });
  }

  assign(id, userId) {
    return this.api.request("PUT", `${this.thread(id)}/assignee`, { body: { user_id: userId } });
  }

  addNote(id, text) {
    return this.api.post(`${this.thread(id)}/notes`, { text });
  }

  setLabels(id, labels) {
    return this.api.request("PUT", `${this.thread(id)}/labels`, { body: { labels } });
  }

  stats(days) {
    return this.api.get(`${this.base}/inbox-stats`, { days });
  }

  quickReplies(id) {
    return this.api.get(`${this.thread(id)}/quick-replies`);
  }
}
