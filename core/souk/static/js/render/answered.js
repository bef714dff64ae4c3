// A press the server answers "already done" (409 already_done): the screen was answered already,
// in another tab or by someone else a moment ago, or this is an older version of it. Nothing ran.
// The client says so for a moment beside the message, and the buttons of what was answered stop
// taking presses; the screen's new version, when it comes, takes the old one's place.

import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { sentence } from "../format.js";
import { icon } from "../icons.js";

const NOTICE_MS = 5000;
// What one answer closes: the card (or list item, or form) a control is in, else its whole screen.
const ANSWERED_PART = ".screen-card, .screen-list-item, .screen-form";
const WHOLE = ".screen, .consent";

export function isAlreadyDone(error) {
  return error instanceof ApiError && error.status === 409 && error.code === "already_done";
}

/** `control` was pressed and the server says it was already done: disable its part, say so. */
export function settleAnswered(control, text) {
  const part = control.closest(ANSWERED_PART) || control.closest(WHOLE) || control;
  for (const button of part.querySelectorAll("button")) button.disabled = true;
  control.disabled = true;
  showNotice(control.closest(".msg") || part, text);
}

/** A short note under a message (or a part of it), gone after a few seconds. */
export function showNotice(host, text) {
  host.querySelector(":scope > .msg-notice")?.remove();
  const notice = h(
    "p",
    { class: "msg-notice", role: "alert" },
    icon("check", "icon icon-xs"),
    sentence(text),
  );
  host.append(notice);
  setTimeout(() => notice.remove(), NOTICE_MS);
}

/** A message drawn again (its new version came) keeps the notice its old drawing was showing. */
export function carryNotice(from, to) {
  const notice = from.querySelector(":scope > .msg-notice");
  if (notice) to.append(notice);
}
