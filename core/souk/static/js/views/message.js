// One message in the chat: a bubble for text, a panel for a screen; mine, others', a mini-app's,
// the system's, and private ones (seen only by me) each look different.

import { h } from "../dom.js";
import { eventLine } from "../groups.js";
import { hue, initials, timeOf } from "../format.js";
import { icon } from "../icons.js";
import { memberOf, showPhoto } from "../photos.js";
import { isConsent, renderConsent } from "../render/consent.js";
import { DELETED_TEXT, quoteBlock } from "../render/quote.js";
import { reactionsRow } from "../render/reactions.js";
import { renderMedia } from "../render/media.js";
import { renderScreen } from "../render/screen.js";
import { textBlock } from "../render/text.js";

export function messageKind(message, store) {
  if (store.isMine(message)) return "mine";
  return { app: "app", system: "system" }[message.sender.kind] || "theirs";
}

function bodyOf(message, ctx) {
  const isScreen = message.kind === "screen" && message.screen;
  if (message.deleted) {
    return h("p", { class: "msg-text msg-deleted" }, icon("ban", "icon icon-xs"), DELETED_TEXT);
  }
  if (isScreen && isConsent(message)) return renderConsent(message, ctx.actions, ctx.store);
  if (isScreen) return renderScreen(message, ctx.actions, { timeZone: ctx.store.me.time_zone });
  if (message.media) return [renderMedia(message), message.text ? textBlock(message.text, "msg-text") : null];
  return textBlock(message.text, "msg-text");
}

/** The control that opens a message's actions (reply, react, edit, delete, info); a mini-app's
 * screen has its own buttons, and what the system says (a group's news) takes no answer. */
function menuButton(message, ctx) {
  if (!ctx.onMenu || message.deleted || message.kind === "screen" || message.sender.kind === "system") {
    return null;
  }
  return h(
    "button",
    {
      type: "button",
      class: "msg-menu-button",
      "aria-label": "Message actions",
      "aria-haspopup": "menu",
      onclick: (event) => ctx.onMenu(message, event.currentTarget),
    },
    icon("more", "icon icon-xs"),
  );
}

/** Written while offline, sent when the connection was back: its real place, said plainly. */
function lateMark(message) {
  if (!message.written_at) return null;
  const title = `Written at ${timeOf(message.written_at)} while offline, sent at ${timeOf(message.created_at)}`;
  return h(
    "span",
    { class: "msg-late", title },
    icon("clock", "icon icon-xs"),
    `written ${timeOf(message.written_at)}`,
  );
}

/** A group's news ("Asha added Ravi"): a line in the middle, not a bubble. */
function renderEvent(message, ctx) {
  return h(
    "li",
    {
      class: "msg msg-event",
      dataset: { seq: String(message.seq), id: message.id, event: message.event.type },
    },
    h("p", { class: "event-line" }, eventLine(message, ctx.store)),
  );
}

/** The system's answer to a permission request says it can be taken back "in your settings": there. */
function settingsLink(message) {
  if (message.sender.kind !== "system" || message.kind === "screen") return null; // a request links itself
  if (!/in your settings/i.test(message.text || "")) return null;
  return h("a", { class: "consent-settings", href: "#/settings/apps" }, "Open your settings");
}

/** ctx: {store, actions, group, conversation, onMenu, onReact, onJump} */
export function renderMessage(message, ctx) {
  if (message.event && message.sender.kind === "system") return renderEvent(message, ctx);
  const kind = messageKind(message, ctx.store);
  const isScreen = message.kind === "screen" && message.screen && !message.deleted;
  const classes = ["msg", `msg-${kind}`, isScreen ? "msg-screen" : "msg-textual"];
  if (message.private) classes.push("msg-private");
  if (message.deleted) classes.push("msg-tombstone");
  const body = bodyOf(message, ctx);
  const showSender = kind === "app" || (kind === "theirs" && ctx.group);
  return h(
    "li",
    {
      class: classes.join(" "),
      dataset: {
        seq: String(message.seq),
        id: message.id,
        revision: String(message.revision ?? 1),
        sender: `${message.sender.kind}:${message.sender.id}`,
      },
    },
    kind === "theirs" && ctx.group
      ? showPhoto(
          h(
            "span",
            { class: `avatar avatar-sm hue-${hue(message.sender.id)}`, "aria-hidden": "true" },
            initials(message.sender.name),
          ),
          memberOf(ctx.conversation, message.sender.id),
        )
      : null,
    h(
      "div",
      { class: "bubble" },
      showSender
        ? h(
            "p",
            { class: "msg-sender" },
            kind === "app" && message.sender.id !== ctx.conversation?.business?.id // a business speaks as itself
              ? h("span", { class: "app-badge" }, icon("apps", "icon icon-xs"), "Mini-app")
              : null,
            message.sender.name,
          )
        : null,
      menuButton(message, ctx),
      message.reply_to ? quoteBlock(message.reply_to, message.conversation_id, ctx.store, ctx.onJump) : null,
      body,
      settingsLink(message),
      h(
        "p",
        { class: "msg-meta" },
        message.edited_at && !message.deleted ? h("span", { class: "msg-edited" }, "Edited") : null,
        message.private
          ? h(
              "span",
              { class: "private-tag", title: "Only you can see this message" },
              icon("lock", "icon icon-xs"),
              "Only you",
            )
          : null,
        lateMark(message),
        h("time", { datetime: message.created_at }, timeOf(message.created_at)),
        ctx.ticks ? ctx.ticks(message) : null,
      ),
      reactionsRow(message, ctx),
    ),
  );
}

/** A message of mine that the server does not have yet (quote: what it answers, if anything). */
export function renderPending(entry, { onRetry, onDiscard, quote = null }) {
  const states = {
    new: "Sending…",
    sending: "Sending…",
    waiting: "Waiting for the connection…",
    failed: `Not sent: ${entry.error || "error"}`,
  };
  return h(
    "li",
    { class: `msg msg-mine msg-textual msg-pending msg-${entry.state}`, dataset: { client: entry.clientId } },
    h(
      "div",
      { class: "bubble" },
      quote,
      textBlock(entry.text, "msg-text"),
      h(
        "p",
        { class: "msg-meta" },
        entry.state === "failed" ? icon("alert", "icon icon-xs") : null,
        h("span", {}, states[entry.state] || ""),
        entry.state === "failed"
          ? [
              h("button", { type: "button", class: "link-button", onclick: onRetry }, "Retry"),
              h("button", { type: "button", class: "link-button", onclick: onDiscard }, "Discard"),
            ]
          : null,
      ),
    ),
  );
}
