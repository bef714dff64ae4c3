// The reactions under a message: each emoji with its count; a tap on one sets or takes back
// mine; its title names who reacted (from the conversation's members).

import { h } from "../dom.js";

function names(users, conversation, store) {
  const members = new Map((conversation?.members || []).map((m) => [m.id, m.display_name]));
  return users.map((id) => (id === store.me.id ? "You" : members.get(id) || "Someone")).join(", ");
}

/** ctx: {store, conversation, onReact(message, emoji)}; null when nobody reacted. */
export function reactionsRow(message, ctx) {
  const reactions = message.reactions || [];
  if (!reactions.length || message.deleted) return null;
  return h(
    "div",
    { class: "reactions", role: "group", "aria-label": "Reactions" },
    reactions.map((reaction) => {
      const who = names(reaction.users, ctx.conversation, ctx.store);
      const mine = reaction.users.includes(ctx.store.me.id);
      return h(
        "button",
        {
          type: "button",
          class: `reaction${mine ? " reaction-mine" : ""}`,
          title: who,
          "aria-pressed": mine ? "true" : "false",
          "aria-label": `${reaction.emoji} ${reaction.count}: ${who}`,
          dataset: { emoji: reaction.emoji },
          onclick: () => ctx.onReact?.(message, reaction.emoji),
        },
        h("span", { class: "reaction-emoji" }, reaction.emoji),
        h("span", { class: "reaction-count" }, String(reaction.count)),
      );
    }),
  );
}
