// The messages of the open chat, as drawn: each inserted once where its seq belongs (a form
// being filled in keeps what was typed when others arrive), drawn again in the same place when
// a new version of it comes (an edit, a reaction, a card that became "Paid ✓").

import { dayKey, dayLabel } from "../format.js";
import { carryNotice } from "../render/answered.js";
import { renderMessage } from "./message.js";

const SAME_RUN_MS = 5 * 60 * 1000;

export class MessageList {
  /** list: the <ol>; context(): what renderMessage needs; messageOf(seq): the stored message. */
  constructor(list, context, messageOf) {
    this.list = list;
    this.context = context;
    this.messageOf = messageOf;
    this.rendered = new Map(); // seq -> element
    this.order = []; // rendered seqs, ascending
  }

  clear() {
    this.rendered.clear();
    this.order = [];
    this.list.replaceChildren();
  }

  /** Put messages where their seq belongs; return whether any was new here. */
  insert(messages) {
    const ctx = this.context();
    let changed = false;
    for (const message of messages) {
      if (this.rendered.has(message.seq)) continue;
      const element = renderMessage(message, ctx);
      const index = this.position(message.seq);
      const next = this.order[index];
      this.list.insertBefore(element, next === undefined ? null : this.rendered.get(next));
      this.order.splice(index, 0, message.seq);
      this.rendered.set(message.seq, element);
      changed = true;
    }
    if (changed) this.decorate();
    return changed;
  }

  /** Draw the new versions of messages shown here, each where the old one was. */
  redraw(messages) {
    const ctx = this.context();
    let changed = false;
    for (const message of messages) {
      const old = this.rendered.get(message.seq);
      if (!old) continue;
      const element = renderMessage(message, ctx);
      carryNotice(old, element);
      old.replaceWith(element);
      this.rendered.set(message.seq, element);
      changed = true;
    }
    if (changed) this.decorate();
  }

  /** Draw again every message that quotes one of `seqs` (their quote follows the original). */
  redrawQuoting(seqs) {
    const wanted = new Set(seqs);
    const quoting = this.order.map(this.messageOf).filter((m) => m?.reply_to && wanted.has(m.reply_to.seq));
    this.redraw(quoting);
  }

  /** Draw every message again (what they show of others changed: reactions' names, ticks). */
  redrawAll() {
    this.redraw(this.order.map(this.messageOf).filter(Boolean));
  }

  /** Draw the ticks of my messages again (members' marks moved). */
  refreshTicks() {
    const ticks = this.context().ticks;
    for (const seq of this.order) {
      const message = this.messageOf(seq);
      const element = this.rendered.get(seq);
      const old = element?.querySelector(".msg-meta .ticks");
      const fresh = message && ticks(message);
      if (old && fresh) old.replaceWith(fresh);
      else if (fresh) element.querySelector(".msg-meta")?.append(fresh);
    }
  }

  position(seq) {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.order[mid] < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Day labels above the first message of a day; runs of one sender drawn together. */
  decorate() {
    let previous = null;
    for (const seq of this.order) {
      const element = this.rendered.get(seq);
      const message = this.messageOf(seq);
      if (!message) continue;
      const newDay = !previous || dayKey(previous.created_at) !== dayKey(message.created_at);
      if (newDay) element.dataset.day = dayLabel(message.created_at);
      else delete element.dataset.day;
      const sameRun =
        !newDay &&
        previous.sender.kind === message.sender.kind &&
        previous.sender.id === message.sender.id &&
        previous.private === message.private &&
        new Date(message.created_at) - new Date(previous.created_at) < SAME_RUN_MS;
      element.classList.toggle("msg-run", sameRun);
      previous = message;
    }
  }
}
