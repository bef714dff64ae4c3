// An image a mini-app serves from its own routes (a ticket's QR code): /api/v1/apps/NAME/...
//
// Those routes answer signed-in people only, and an <img> cannot send the token (it never goes
// in a URL), so the client fetches the image as any other call of the API, with the session's
// token, and shows it from a data: URL (what the page's content policy allows). Only a path of
// the mini-app that sent the screen is fetched: a screen cannot make this client call anything
// else with the person's token.

import { h } from "../dom.js";
import { loadSession } from "../session.js";

const APP_PATH = /^\/api\/v1\/apps\/([a-z][a-z0-9_]{1,31})\/[A-Za-z0-9_~-][A-Za-z0-9._~/-]*$/;

/** True when `url` is a path of the mini-app that sent `message`. */
export function ownAppPath(url, message) {
  const match = APP_PATH.exec(String(url));
  return Boolean(match && message && message.sender.kind === "app" && match[1] === message.sender.id);
}

/** An <img> filled once the image has come (its alt text shows until then, or if it fails). */
export function apiImage(url, alt, className, message) {
  const img = h("img", { class: `${className} screen-image-app`, alt: alt || "", decoding: "async" });
  if (!ownAppPath(url, message)) return null;
  const session = loadSession();
  fetch(new URL(url, location.origin), {
    headers: session ? { authorization: `Bearer ${session.token}` } : {},
    cache: "no-store",
  })
    .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(`${response.status}`))))
    .then((blob) =>
      blob.type.startsWith("image/") ? blob : Promise.reject(new Error(`not an image: ${blob.type}`)),
    )
    .then(
      (blob) =>
        new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result);
          reader.onerror = () => reject(reader.error);
          reader.readAsDataURL(blob);
        }),
    )
    .then((dataUrl) => {
      img.src = dataUrl;
    })
    .catch((error) => {
      img.classList.add("screen-image-missing");
      console.warn("could not load an image of a mini-app", url, error);
    });
  return img;
}
