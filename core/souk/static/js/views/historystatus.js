// The line above a chat's messages: loading, a failed page with "Try again", or the start of the
// conversation. The message log is aria-busy until its latest page is shown, so a screen reader
// (and a test) knows that what it shows is not yet all there is.

import { h, replace } from "../dom.js";

export function drawHistoryStatus(status, log, page, retry) {
  let content = null;
  if (page.loading)
    content = h("span", { class: "spinner-line" }, h("span", { class: "spinner" }), "Loading messages…");
  else if (page.error)
    content = [
      h("span", {}, page.error),
      h("button", { type: "button", class: "link-button", onclick: retry }, "Try again"),
    ];
  else if (page.loaded && !page.hasMore) content = "This is the start of the conversation.";
  replace(status, content);
  status.hidden = !content;
  log.setAttribute("aria-busy", String(!page.loaded || page.loading));
}
