// The ticks beside the time of a message of mine: one when the server has it, two when every
// member's device has it, two blue ones when every member read it. Their label says it in words.

import { h } from "../dom.js";
import { icon } from "../icons.js";
import { ticksLabel, ticksOf } from "../receipts.js";

export function ticksElement(message, store) {
  const ticks = ticksOf(store, message);
  if (!ticks) return null;
  const conversation = store.conversations.get(message.conversation_id);
  const label = ticksLabel(ticks, conversation?.kind === "group");
  return h(
    "span",
    {
      class: `ticks ticks-${ticks.state}`,
      role: "img",
      "aria-label": label,
      title: label,
      dataset: { read: String(ticks.read), total: String(ticks.total) },
    },
    icon(ticks.state === "sent" ? "check" : "checks", "icon icon-xs"),
  );
}
