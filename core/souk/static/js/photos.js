// Profile photos from the media store, fetched signed in and kept for the page's life
// (signed.js): a photo seen in two places is fetched once.

import { h } from "./dom.js";
import { hue, initials } from "./format.js";
import { signedImage } from "./signed.js";

/** Fill `avatar` (a .avatar span) with the person's photo, or their initials without one. */
export function drawAvatar(avatar, person, size = "") {
  avatar.className = `avatar ${size} hue-${hue(person.id)}`.replace(/\s+/g, " ").trim();
  avatar.replaceChildren(initials(person.display_name));
  if (!person.photo) return;
  signedImage(person.photo, { keep: true }).then(
    (src) => avatar.replaceChildren(h("img", { class: "avatar-fill avatar-photo", src, alt: "" })),
    () => {}, // the initials stay
  );
}
