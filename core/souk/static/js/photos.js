// Profile photos from the media store: fetched signed in (an <img> cannot send the token), and
// shown from a data: URL, which the page's content policy allows. Kept per address, so a photo
// seen in two places is fetched once.

import { h } from "./dom.js";
import { hue, initials } from "./format.js";

const loaded = new Map(); // address -> Promise of a data: URL

function dataUrl(api, address) {
  if (!loaded.has(address)) {
    const promise = api.download(address.replace(/^\/api\/v1/, "")).then(
      (blob) =>
        new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result);
          reader.onerror = () => reject(reader.error);
          reader.readAsDataURL(blob);
        }),
    );
    promise.catch(() => loaded.delete(address));
    loaded.set(address, promise);
  }
  return loaded.get(address);
}

/** Fill `avatar` (a .avatar span) with the person's photo, or their initials without one. */
export function drawAvatar(avatar, api, person, size = "") {
  avatar.className = `avatar ${size} hue-${hue(person.id)}`.replace(/\s+/g, " ").trim();
  avatar.replaceChildren(initials(person.display_name));
  if (!person.photo) return;
  dataUrl(api, person.photo).then(
    (src) => avatar.replaceChildren(h("img", { class: "avatar-fill avatar-photo", src, alt: "" })),
    () => {}, // the initials stay
  );
}
