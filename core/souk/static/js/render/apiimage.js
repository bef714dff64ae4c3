// An image a mini-app serves from its own routes (/api/v1/apps/NAME/...), or one in Souk's media store.
//
// Fetched signed in (signed.js). Only a path of the mini-app that sent the screen is fetched: a
// screen cannot make this client call anything else with the person's token.

import { h } from "../dom.js";
import { fillImage } from "../signed.js";

const APP_PATH = /^\/api\/v1\/apps\/([a-z][a-z0-9_]{1,31})\/[A-Za-z0-9_~-][A-Za-z0-9._~/-]*$/;
const MEDIA_PATH = /^\/api\/v1\/media\/f_[a-z0-9]{26}$/;

/** True when `url` is a path of the mini-app that sent `message`. */
export function ownAppPath(url, message) {
  const match = APP_PATH.exec(String(url));
  return Boolean(match && message && message.sender.kind === "app" && match[1] === message.sender.id);
}

/** True when `url` is an image in Souk's media store (a product's picture, a fetched outside image). */
export function mediaPath(url) {
  return MEDIA_PATH.test(String(url));
}

/** An <img> filled once the image has come (its alt text shows until then, or if it fails). */
export function apiImage(url, alt, className, message) {
  const own = ownAppPath(url, message);
  if (!own && !mediaPath(url)) return null;
  const img = h("img", { class: `${className} screen-image-app`, alt: alt || "", decoding: "async" });
  return fillImage(img, url, { keep: !own });
}
