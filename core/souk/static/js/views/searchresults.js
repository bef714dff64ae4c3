// Messages found by the search box, under the chats whose names match: each with where it is
// (the chat, who wrote it, when) and its text, the words searched for marked. A click opens the
// chat at that message. Only what the server says I may read is ever found.

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { shortWhen } from "../format.js";

const WAIT_MS = 250;
const MIN_LETTERS = 2;

function marked(text, words) {
  const pieces = String(text).split(/(\p{L}[\p{L}\p{N}]*|\p{N}+)/u);
  return pieces.map((piece) => {
    const folded = piece.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    return words.some((w) => w && folded.startsWith(w)) ? h("mark", {}, piece) : piece;
  });
}

export class MessageSearch {
  /** onOpen(conversationId, seq): show that message in its chat. */
  constructor({ api, store, onOpen }) {
    this.api = api;
    this.store = store;
    this.onOpen = onOpen;
    this.list = h("ul", { class: "search-results", "aria-label": "Messages found" });
    this.status = h("p", { class: "list-empty", role: "status" });
    this.element = h(
      "section",
      { class: "message-search", hidden: true },
      h("h3", { class: "search-heading" }, "Messages"),
      this.list,
      this.status,
    );
    this.asked = "";
  }

  /** The search box changed: look for messages a moment later (once typing pauses). */
  query(text) {
    clearTimeout(this.timer);
    const value = text.trim();
    if (value.replace(/\W/gu, "").length < MIN_LETTERS) {
      this.asked = "";
      this.element.hidden = true;
      return;
    }
    this.timer = setTimeout(() => this.run(value), WAIT_MS);
  }

  async run(value) {
    this.asked = value;
    let results;
    try {
      results = (await this.api.get("/search", { q: value, limit: 30 })).results;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results = null;
      this.status.textContent = error.message;
    }
    if (value !== this.asked) return; // a newer search is on its way
    this.element.hidden = false;
    if (results) this.draw(results, value);
  }

  draw(results, value) {
    const words = (value.match(/[\p{L}\p{N}]+/gu) || []).map((w) =>
      w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(),
    );
    this.status.textContent = results.length ? "" : "No message matches your search.";
    replace(
      this.list,
      results.map(({ message, conversation }) => {
        const who = this.store.isMine(message) ? "You" : message.sender.name;
        return h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "search-result",
              dataset: { conversation: conversation.id, seq: String(message.seq) },
              onclick: () => this.onOpen(conversation.id, message.seq),
            },
            h(
              "span",
              { class: "conversation-line" },
              h("span", { class: "conversation-title" }, conversation.title || "Conversation"),
              h("time", { class: "conversation-time" }, shortWhen(message.created_at)),
            ),
            h("span", { class: "search-text" }, h("strong", {}, `${who}: `), marked(message.text, words)),
          ),
        );
      }),
    );
  }
}
