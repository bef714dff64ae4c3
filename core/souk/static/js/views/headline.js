// The line under a chat's title: who is typing; else, in a direct chat, whether the other person
// is online or when they were last seen (when they share it); else the members or the handle.

import { conversationSubtitle, dayLabel, timeOf } from "../format.js";
import { typingLine } from "../signals.js";

/** "last seen today at 10:03", "last seen Monday 2 December at 22:10". */
export function lastSeenLine(iso) {
  const day = dayLabel(iso);
  return `last seen ${day === "Today" || day === "Yesterday" ? day.toLowerCase() : day} at ${timeOf(iso)}`;
}

export function headline(store, conversation) {
  const typing = typingLine(store.signals.typingIn(conversation.id));
  if (typing) return { text: typing, live: true };
  if (conversation.kind === "direct") {
    const other = conversation.members.find((m) => m.id !== store.me.id);
    const presence = other && store.signals.presence.get(other.id);
    if (presence?.online) return { text: "online", live: true };
    if (presence?.last_seen) return { text: lastSeenLine(presence.last_seen), live: false };
  }
  return { text: conversationSubtitle(conversation, store.me), live: false };
}
