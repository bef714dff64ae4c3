// How names, times and previews are shown.
//
// Times and days are written in the signed-in person's own locale and time zone (their
// profile's, the ones the server's mini-apps write dates in with Babel), not the browser's:
// one format on the whole page, the same everywhere they sign in.

import { businessSubtitle } from "./business.js";
import { eventLine } from "./groups.js";

let place = { locale: undefined, timeZone: undefined };
let formats = null;

function made() {
  if (formats) return formats;
  const { locale, timeZone } = place;
  const make = (options) => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone, ...options });
    } catch {
      return new Intl.DateTimeFormat(undefined, options); // an unknown locale or zone: the browser's
    }
  };
  formats = {
    time: make({ hour: "numeric", minute: "2-digit" }),
    weekday: make({ weekday: "short" }),
    short: make({ day: "numeric", month: "short" }),
    long: make({ weekday: "long", day: "numeric", month: "long" }),
    key: make({ year: "numeric", month: "2-digit", day: "2-digit" }),
  };
  return formats;
}

/** Write times for this person: {locale: "en-IN", timeZone: "Asia/Kolkata"}. */
export function setPlace(locale, timeZone) {
  place = { locale, timeZone };
  formats = null;
}

/** A day as a number of days since 1970, in the person's time zone (so days compare and subtract). */
function dayNumber(date) {
  const parts = Object.fromEntries(
    made()
      .key.formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / 86_400_000;
}

export function dayKey(iso) {
  return dayNumber(new Date(iso));
}

export function timeOf(iso) {
  return made().time.format(new Date(iso));
}

/** In the conversation list: the time today, the weekday this week, else the date. */
export function shortWhen(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const days = dayNumber(new Date()) - dayNumber(date);
  if (days <= 0) return made().time.format(date);
  if (days < 7) return made().weekday.format(date);
  return made().short.format(date);
}

/** Above the messages of a day. */
export function dayLabel(iso) {
  const days = dayNumber(new Date()) - dayKey(iso);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return made().long.format(new Date(iso));
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
  const media = message.media ? (message.media.kind === "image" ? "📷 Photo" : `📎 ${message.media.name}`) : "";
  const body = message.kind === "screen" && message.screen ? message.screen.title : message.text || media;
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

/** A file's size as people read it: 812 B, 34 KB, 2.4 MB. */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function conversationSubtitle(conversation, me) {
  if (conversation.kind === "app") return "Mini-app";
  if (conversation.kind === "business") return businessSubtitle(conversation);
  if (conversation.kind === "group") {
    const names = conversation.members.map((m) => (m.id === me.id ? "you" : m.display_name.split(" ")[0]));
    return `${conversation.members.length} members: ${names.join(", ")}`;
  }
  const other = conversation.members.find((m) => m.id !== me.id);
  if (other && other.handle) return `@${other.handle}`;
  // A chat a mini-app opened between two people (a match) shows no handle: it says who introduced them.
  return conversation.app ? `Introduced by ${conversation.app}` : "";
}

/** A message of the server's ("must be at least 1") as a sentence: "Must be at least 1." */
export function sentence(text) {
  const value = String(text).trim();
  const capital = value.charAt(0).toUpperCase() + value.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}
