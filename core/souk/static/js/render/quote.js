// The quote at the top of a reply: who wrote the message it answers and how it starts. The
// client's own copy of that message wins when it has one (it is the latest version: an edit
// shows at once), else the quote the server sent with the reply. A tap scrolls to it.

import { h } from "../dom.js";
import { icon } from "../icons.js";

export const DELETED_TEXT = "This message was deleted";

function latest(quote, conversationId, store) {
  const original = store.messages.get(conversationId)?.get(quote.seq);
  if (!original) return quote;
  const body = original.kind === "screen" && original.screen ? original.screen.title : original.text;
  return {
    seq: quote.seq,
    sender: original.deleted ? null : original.sender,
    text: String(body || "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 200),
    deleted: original.deleted,
  };
}

/** Who a quoted message is from, as the reader says it. */
function senderName(sender, store) {
  if (!sender) return "";
  return sender.kind === "user" && sender.id === store.me.id ? "You" : sender.name;
}

/** quote: the server's reply_to, or {seq, sender, text, deleted} of a message being answered. */
export function quoteBlock(quote, conversationId, store, onJump = null) {
  const shown = latest(quote, conversationId, store);
  const content = [
    h("span", { class: "quote-sender" }, shown.deleted ? "" : senderName(shown.sender, store)),
    shown.deleted
      ? h("span", { class: "quote-text quote-deleted" }, icon("ban", "icon icon-xs"), DELETED_TEXT)
      : h("span", { class: "quote-text" }, shown.text),
  ];
  if (!onJump) return h("div", { class: "quote" }, content);
  return h(
    "button",
    {
      type: "button",
      class: "quote",
      "aria-label": `Reply to ${shown.deleted ? "a deleted message" : senderName(shown.sender, store)}: show it`,
      dataset: { quoteSeq: String(quote.seq) },
      onclick: (event) => (event.stopPropagation(), onJump(quote.seq)),
    },
    content,
  );
}
