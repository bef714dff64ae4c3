// One message in the chat: a bubble for text, a panel for a screen; mine, others', a mini-app's,
// the system's, and private ones (seen only by me) each look different.

import { h } from "../dom.js";
import { hue, initials, timeOf } from "../format.js";
import { icon } from "../icons.js";
import { isConsent, renderConsent } from "../render/consent.js";
import { renderScreen } from "../render/screen.js";
import { textBlock } from "../render/text.js";

export function messageKind(message, store) {
  if (store.isMine(message)) return "mine";
  return { app: "app", system: "system" }[message.sender.kind] || "theirs";
}

/** ctx: {store, actions, group: boolean} */
export function renderMessage(message, ctx) {
  const kind = messageKind(message, ctx.store);
  const isScreen = message.kind === "screen" && message.screen;
  const classes = ["msg", `msg-${kind}`, isScreen ? "msg-screen" : "msg-textual"];
  if (message.private) classes.push("msg-private");
  let body;
  if (isScreen && isConsent(message)) body = renderConsent(message, ctx.actions, ctx.store);
  else if (isScreen) body = renderScreen(message, ctx.actions, { timeZone: ctx.store.me.time_zone });
  else body = textBlock(message.text, "msg-text");
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
      ? h(
          "span",
          { class: `avatar avatar-sm hue-${hue(message.sender.id)}`, "aria-hidden": "true" },
          initials(message.sender.name),
        )
      : null,
    h(
      "div",
      { class: "bubble" },
      showSender
        ? h(
            "p",
            { class: "msg-sender" },
            kind === "app"
              ? h("span", { class: "app-badge" }, icon("apps", "icon icon-xs"), "Mini-app")
              : null,
            message.sender.name,
          )
        : null,
      body,
      h(
        "p",
        { class: "msg-meta" },
        message.private
          ? h(
              "span",
              { class: "private-tag", title: "Only you can see this message" },
              icon("lock", "icon icon-xs"),
              "Only you",
            )
          : null,
        h("time", { datetime: message.created_at }, timeOf(message.created_at)),
      ),
    ),
  );
}

/** A message of mine that the server does not have yet. */
export function renderPending(entry, { onRetry, onDiscard }) {
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
