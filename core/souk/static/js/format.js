// How names, times and previews are shown.

import { eventLine } from "./groups.js";

const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const WEEKDAY = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const SHORT_DATE = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const LONG_DATE = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function dayKey(iso) {
  return startOfDay(new Date(iso));
}

export function timeOf(iso) {
  return TIME.format(new Date(iso));
}

/** In the conversation list: the time today, the weekday this week, else the date. */
export function shortWhen(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const days = Math.round((startOfDay(new Date()) - startOfDay(date)) / 86_400_000);
  if (days <= 0) return TIME.format(date);
  if (days < 7) return WEEKDAY.format(date);
  return SHORT_DATE.format(date);
}

/** Above the messages of a day. */
export function dayLabel(iso) {
  const days = Math.round((startOfDay(new Date()) - dayKey(iso)) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return LONG_DATE.format(new Date(iso));
}

export function initials(name) {
  const words = String(name || "?")
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return "?";
  const letters = words.length === 1 ? [...words[0]].slice(0, 2) : [[...words[0]][0], [...words.at(-1)][0]];
  return letters.join("").toUpperCase();
}

/** One of eight hues, always the same for the same id. */
export function hue(id) {
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 8;
}

/** The one line under a conversation's title. */
export function preview(message, store) {
  if (!message) return "No messages yet";
  if (message.event) return eventLine(message, store);
  if (message.deleted) return "This message was deleted";
  const body = message.kind === "screen" && message.screen ? message.screen.title : message.text;
  const line = String(body || "")
    .replace(/\s+/g, " ")
    .trim();
  if (store.isMine(message)) return `You: ${line}`;
  const conversation = store.conversations.get(message.conversation_id);
  if (conversation && conversation.kind === "group" && message.sender.kind === "user") {
    return `${message.sender.name.split(" ")[0]}: ${line}`;
  }
  return line;
}

export function conversationSubtitle(conversation, me) {
  if (conversation.kind === "app") return "Mini-app";
  if (conversation.kind === "group") {
    const names = conversation.members.map((m) => (m.id === me.id ? "you" : m.display_name.split(" ")[0]));
    return `${conversation.members.length} members: ${names.join(", ")}`;
  }
  const other = conversation.members.find((m) => m.id !== me.id);
  return other ? `@${other.handle}` : "";
}

/** A message of the server's ("must be at least 1") as a sentence: "Must be at least 1." */
export function sentence(text) {
  const value = String(text).trim();
  const capital = value.charAt(0).toUpperCase() + value.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}
