// A modal dialog's frame: a title, a close button, a body; closed by Escape, the button or a
// click beside it.

import { h, uid } from "../dom.js";
import { dayLabel, timeOf } from "../format.js";
import { icon } from "../icons.js";

/** {element: the <dialog>, body: where its content goes}. */
export function dialogFrame(title, className = "") {
  const titleId = uid("dialog-title");
  const body = h("div", { class: "dialog-body" });
  const element = h(
    "dialog",
    { class: `dialog ${className}`, "aria-labelledby": titleId },
    h(
      "header",
      { class: "dialog-head" },
      h("h2", { id: titleId }, title),
      h(
        "button",
        { type: "button", class: "icon-button", "aria-label": "Close", onclick: () => element.close() },
        icon("close"),
      ),
    ),
    body,
  );
  element.addEventListener("click", (e) => e.target === element && element.close());
  return { element, body };
}

/** "Today at 10:03", "Yesterday at 22:10", "Monday 1 December at 09:00". */
export function whenLine(iso) {
  return `${dayLabel(iso)} at ${timeOf(iso)}`;
}
