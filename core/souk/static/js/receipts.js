// Receipts as the client keeps them: per conversation, each member's delivered and read marks
// (a read mark is null when that member does not share it with us). A message of mine is
// delivered to, or read by, each member whose mark reached its seq; its ticks follow from that.

/** The members a message of mine was sent to: everyone in it then, and still, but me. */
function recipients(store, conversation, seq) {
  return (conversation?.members || []).filter((m) => m.id !== store.me.id && (m.joined_seq ?? 0) < seq);
}

function marksOf(store, id) {
  if (!store.marks.has(id)) store.marks.set(id, new Map());
  return store.marks.get(id);
}

function keep(store, id, mark) {
  const marks = marksOf(store, id);
  const known = marks.get(mark.user_id) || { delivered_seq: 0, read_seq: null };
  marks.set(mark.user_id, {
    delivered_seq: Math.max(known.delivered_seq, mark.delivered_seq || 0),
    // null: not shared (any more); marks only grow otherwise
    read_seq: mark.read_seq === null ? null : Math.max(known.read_seq || 0, mark.read_seq),
  });
}

/** A "receipts" frame: members' marks in a conversation (those that moved, or all on resume). */
export function applyReceiptFrame(store, frame) {
  const id = frame.conversation_id;
  for (const mark of frame.marks) keep(store, id, mark);
  store.emit("receipts", { id });
}

/**
 * Ticks of a message of mine: null for others' messages, private or deleted ones; else
 * {state: "sent" | "delivered" | "read", read, delivered, total}.
 */
export function ticksOf(store, message) {
  if (!store.isMine(message) || message.private || message.deleted) return null;
  const conversation = store.conversations.get(message.conversation_id);
  const others = recipients(store, conversation, message.seq);
  const marks = store.marks.get(message.conversation_id) || new Map();
  let read = 0;
  let delivered = 0;
  for (const member of others) {
    const mark = marks.get(member.id);
    if (!mark) continue;
    if (mark.read_seq !== null && mark.read_seq >= message.seq) read += 1;
    if (mark.delivered_seq >= message.seq || (mark.read_seq ?? 0) >= message.seq) delivered += 1;
  }
  const total = others.length;
  const state = total && read === total ? "read" : total && delivered === total ? "delivered" : "sent";
  return { state, read, delivered, total };
}

/** "Read by 3 of 5", "Delivered", "Sent": what the ticks mean, in words. */
export function ticksLabel(ticks, group) {
  if (group) return `Read by ${ticks.read} of ${ticks.total}`;
  return { read: "Read", delivered: "Delivered", sent: "Sent" }[ticks.state];
}
