// The photos and files of mine on their way up, under the conversation's messages (uploads.js):
// each with its progress, or why it was refused.

import { h, replace } from "../dom.js";
import { icon } from "../icons.js";

/** A photo or file of mine on its way up: its progress, or why it was refused. */
function renderUpload(entry, { onDismiss }) {
  const percent = Math.round(entry.progress * 100);
  const states = {
    uploading: `Uploading ${entry.name}… ${percent}%`,
    sending: `Sending ${entry.name}…`,
    failed: `${entry.name} was not sent: ${entry.error}`,
  };
  return h(
    "li",
    { class: `msg msg-mine msg-textual msg-pending msg-upload msg-${entry.state}`, dataset: { upload: entry.key } },
    h(
      "div",
      { class: "bubble" },
      entry.state === "failed"
        ? null
        : h("progress", { class: "upload-progress", max: "100", value: String(percent), "aria-label": "Upload" }),
      h(
        "p",
        { class: "msg-meta", role: "status" },
        entry.state === "failed" ? icon("alert", "icon icon-xs") : null,
        h("span", {}, states[entry.state] || ""),
        entry.state === "failed"
          ? h("button", { type: "button", class: "link-button", onclick: onDismiss }, "Dismiss")
          : null,
      ),
    ),
  );
}

export class UploadList {
  constructor(uploads) {
    this.uploads = uploads;
    this.id = null;
    this.element = h("ol", { class: "messages pending-messages", "aria-label": "Photos and files being sent" });
    uploads.addEventListener("change", (e) => e.detail.id === this.id && this.draw());
  }

  /** Draw what is on its way in conversation `id`. */
  show(id) {
    this.id = id;
    this.draw();
  }

  draw() {
    replace(
      this.element,
      this.uploads
        .of(this.id)
        .map((entry) => renderUpload(entry, { onDismiss: () => this.uploads.dismiss(this.id, entry.key) })),
    );
  }
}
