// Profile photos from the media store, fetched signed in and kept for the page's life
// (signed.js): a photo seen in two places is fetched once.

import { h } from "./dom.js";
import { hue, initials } from "./format.js";
import { signedImage } from "./signed.js";

/** Fill `avatar` (a .avatar span) with the person's photo, or their initials without one. */
export function drawAvatar(avatar, person, size = "") {
  avatar.className = `avatar ${size} hue-${hue(person.id)}`.replace(/\s+/g, " ").trim();
  avatar.replaceChildren(initials(person.display_name));
  showPhoto(avatar, person);
}

/** Put `person`'s photo in `avatar` once fetched (what it shows stays until then, and without one). */
export function showPhoto(avatar, person) {
  if (!person?.photo) return avatar;
  signedImage(person.photo, { keep: true }).then(
    (src) => avatar.replaceChildren(h("img", { class: "avatar-fill avatar-photo", src, alt: "" })),
    () => {}, // the initials stay
  );
  return avatar;
}

/** The member of `conversation` who is `id`, while they are in it (their name and photo). */
export function memberOf(conversation, id) {
  return conversation?.members?.find((member) => member.id === id);
}

/** Whose photo is a chat's picture, as `me` sees it: the other person of a direct chat, the
 * business of a chat with one (its logo; never who works there); nobody for a group or a mini-app. */
export function otherPerson(conversation, me) {
  if (conversation?.kind === "business") return { photo: conversation.business?.logo };
  if (conversation?.kind !== "direct") return undefined;
  return conversation.members.find((member) => member.id !== me.id);
}
