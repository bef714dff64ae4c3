// Files the API serves (a mini-app's images, photos and files sent in chats) answer signed-in
// people only, and an <img> cannot send the token (it never goes in a URL): the client fetches
// them as any other call of the API, with the session's token, and shows them from a data: URL
// (what the page's content policy allows), or saves them from a blob.

import { dataUrlOf } from "./dataurl.js";
import { loadSession } from "./session.js";

const kept = new Map(); // url -> Promise of its data: URL, for what never changes (media)

/** The file at `url` (a path of this server), fetched with the session's token. */
export async function signedBlob(url) {
  const session = loadSession();
  const response = await fetch(new URL(url, location.origin), {
    headers: session ? { authorization: `Bearer ${session.token}` } : {},
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.blob();
}

/** The image at `url` as a data: URL; `keep`: fetched once for the page's life (it never changes). */
export function signedImage(url, { keep = false } = {}) {
  if (keep && kept.has(url)) return kept.get(url);
  const loading = signedBlob(url).then((blob) =>
    blob.type.startsWith("image/") ? dataUrlOf(blob) : Promise.reject(new Error(`not an image: ${blob.type}`)),
  );
  if (keep) {
    kept.set(url, loading);
    loading.catch(() => kept.delete(url));
  }
  return loading;
}

/** Fill `img` from `url` once it has come; if it cannot, it keeps its alt text and is marked missing. */
export function fillImage(img, url, options) {
  signedImage(url, options)
    .then((dataUrl) => {
      img.src = dataUrl;
    })
    .catch((error) => {
      img.classList.add("screen-image-missing");
      console.warn("could not load an image", url, error);
    });
  return img;
}
