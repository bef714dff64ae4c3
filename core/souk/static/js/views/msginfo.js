// A message's info, for its sender: read by how many of how many, who read it and when, and to
// whom it was delivered (only those who share their read receipts are listed as readers).

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { textBlock } from "../render/text.js";
import { dialogFrame, whenLine } from "./dialog.js";

function people(title, entries, empty) {
  return h(
    "section",
    { class: "info-section", "aria-label": title },
    h("h3", {}, title),
    entries.length
      ? h(
          "ul",
          { class: "info-people" },
          entries.map((entry) =>
            h(
              "li",
              {},
              h("span", { class: "info-name" }, entry.user.display_name),
              h("span", { class: "info-when" }, entry.at ? whenLine(entry.at) : ""),
            ),
          ),
        )
      : h("p", { class: "info-empty" }, empty),
  );
}

export class MessageInfo {
  constructor(api) {
    this.api = api;
    const frame = dialogFrame("Message info", "info-dialog");
    this.element = frame.element;
    this.body = frame.body;
  }

  async open(message) {
    replace(this.body, textBlock(message.text, "info-text"), h("p", { class: "info-empty" }, "Loading…"));
    if (!this.element.open) this.element.showModal();
    const path = `/conversations/${encodeURIComponent(message.conversation_id)}/messages/${encodeURIComponent(message.id)}/receipts`;
    let info;
    try {
      info = await this.api.get(path);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      replace(this.body, h("p", { class: "form-error", role: "alert" }, error.message));
      return;
    }
    const readers = new Set(info.read.map((e) => e.user.id));
    replace(
      this.body,
      textBlock(message.text, "info-text"),
      h("p", { class: "info-count" }, `Read by ${info.read.length} of ${info.recipients}`),
      people("Read by", info.read, "Nobody yet"),
      people(
        "Delivered to",
        info.delivered.filter((e) => !readers.has(e.user.id)),
        info.delivered.length ? "Everyone it reached read it" : "Nobody yet",
      ),
    );
  }
}
