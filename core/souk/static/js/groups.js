// A group's management through the API: each call answers the group as it is afterwards, which
// the store keeps at once (the system message telling it comes live a moment later).

const PHOTO_SIDE = 160;

export const isAdmin = (conversation, userId) =>
  ["owner", "admin"].includes(conversation?.members.find((m) => m.id === userId)?.role);

/** Whether I may send here: a member, and an admin where only admins may post. */
export function mayPost(conversation, store) {
  if (!conversation || conversation.member === false) return false;
  if (conversation.posting === "nobody") return false;
  return conversation.posting !== "admins" || isAdmin(conversation, store.me.id);
}

export class Groups {
  constructor(api, store) {
    this.api = api;
    this.store = store;
  }

  path(id, tail = "") {
    return `/conversations/${encodeURIComponent(id)}${tail}`;
  }

  async run(method, id, tail, body) {
    const conversation = await this.api.request(method, this.path(id, tail), { body });
    this.store.addConversation(conversation);
    return conversation;
  }

  rename(id, title) {
    return this.run("PATCH", id, "", { title });
  }
  setPosting(id, posting) {
    return this.run("PATCH", id, "", { posting });
  }
  add(id, members) {
    return this.run("POST", id, "/members", { members });
  }
  remove(id, userId) {
    return this.run("DELETE", id, `/members/${encodeURIComponent(userId)}`);
  }
  setRole(id, userId, role) {
    return this.run("PATCH", id, `/members/${encodeURIComponent(userId)}`, { role });
  }
  leave(id) {
    return this.run("POST", id, "/leave");
  }
  async setPhoto(id, file) {
    return this.run("PUT", id, "/photo", { photo: await squarePhoto(file) });
  }
}

/** A picture file as a small square JPEG data URL (what a group's photo is). */
async function squarePhoto(file) {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = PHOTO_SIDE;
  canvas
    .getContext("2d")
    .drawImage(
      bitmap,
      (bitmap.width - side) / 2,
      (bitmap.height - side) / 2,
      side,
      side,
      0,
      0,
      PHOTO_SIDE,
      PHOTO_SIDE,
    );
  return canvas.toDataURL("image/jpeg", 0.82);
}

/** Why I cannot write here, or null: I left the group, only its admins may post, or I blocked the business. */
export function blockedLine(conversation, store) {
  if (conversation.member === false) return "You are no longer a member of this group.";
  if (conversation.posting === "nobody") return "This chat has ended: no more messages can be sent.";
  if (conversation.business?.blocked) {
    return `You blocked ${conversation.title}: it can send you nothing. Unblock it in Settings, Businesses.`;
  }
  if (!mayPost(conversation, store)) return "Only admins can send messages to this group.";
  return null;
}

/** A group's system message, as I read it: "You added Ravi", "Asha removed you". */
export function eventLine(message, store) {
  const me = store.me;
  let text = message.text;
  if (message.event?.by === me.id && text.startsWith(me.display_name)) {
    text = `You${text.slice(me.display_name.length)}`;
  }
  if (message.event?.users?.includes(me.id) && message.event.by !== me.id && text.endsWith(me.display_name)) {
    text = `${text.slice(0, -me.display_name.length)}you`;
  }
  return text;
}
