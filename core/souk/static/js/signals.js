// What others signal besides messages: who is typing where (for a few seconds, unless it comes
// again), and who is online or when they were last seen. Both come over the WebSocket; the
// store says "typing" {id} and "presence" {userId} when they change.

const TYPING_SHOWN_MS = 6000;

export class Signals {
  constructor(store) {
    this.store = store;
    this.typists = new Map(); // conversation id -> Map(user id -> {name, timer})
    this.presence = new Map(); // user id -> {online, last_seen}
  }

  /** Handle a typing or presence frame; false for any other. */
  receive(frame) {
    if (frame.type === "typing") this.typing(frame);
    else if (frame.type === "presence") this.setPresence(frame);
    else return false;
    return true;
  }

  typing({ conversation_id: id, user_id: userId, name }) {
    if (!this.typists.has(id)) this.typists.set(id, new Map());
    const here = this.typists.get(id);
    clearTimeout(here.get(userId)?.timer);
    const timer = setTimeout(() => this.stopped(id, userId), TYPING_SHOWN_MS);
    here.set(userId, { name, timer });
    this.store.emit("typing", { id });
  }

  /** Someone's message came: they are no longer typing it. */
  stopped(id, userId) {
    const here = this.typists.get(id);
    if (!here?.has(userId)) return;
    clearTimeout(here.get(userId).timer);
    here.delete(userId);
    this.store.emit("typing", { id });
  }

  /** The first names of those typing in a conversation. */
  typingIn(id) {
    return [...(this.typists.get(id)?.values() || [])].map((t) => t.name.split(" ")[0]);
  }

  setPresence({ user_id: userId, online, last_seen: lastSeen }) {
    this.presence.set(userId, { online, last_seen: lastSeen });
    this.store.emit("presence", { userId });
  }
}

/** "Ravi is typing…", "Ravi and Ana are typing…", or null. */
export function typingLine(names) {
  if (!names.length) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
