// Changing a message after it was sent: edit, delete for everyone, react. The server answers
// the message's new version, which the store puts in the old one's place at once (its live
// echo, coming a moment later, is the same version and changes nothing).

export const EDIT_WINDOW_MS = 15 * 60 * 1000;
export const DELETE_WINDOW_MS = 48 * 60 * 60 * 1000;
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

const age = (message) => Date.now() - new Date(message.created_at).getTime();

/** What one may do with a message: reply, react, edit, delete (for everyone). */
export function allowed(message, store) {
  const live = !message.deleted && !message.private;
  const mine = store.isMine(message);
  return {
    reply: live,
    react: !message.deleted,
    edit: live && mine && message.kind === "text" && age(message) < EDIT_WINDOW_MS,
    remove: mine && !message.deleted && age(message) < DELETE_WINDOW_MS,
  };
}

/** My reaction on a message, or null. */
export function myReaction(message, store) {
  const mine = (message.reactions || []).find((r) => r.users.includes(store.me.id));
  return mine ? mine.emoji : null;
}

export class Changes {
  constructor(api, store) {
    this.api = api;
    this.store = store;
  }

  keep(message) {
    this.store.addMessages(message.conversation_id, [message]);
    return message;
  }

  async edit(message, text) {
    return this.keep(await this.api.editMessage(message, text));
  }

  async remove(message) {
    return this.keep(await this.api.deleteMessage(message));
  }

  /** Set my reaction to `emoji`; the same one again takes it back. */
  async react(message, emoji) {
    const next = myReaction(message, this.store) === emoji ? null : emoji;
    return this.keep(await this.api.react(message, next));
  }
}
