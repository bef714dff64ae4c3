// A photo or file a message carries: a photo inline (its thumbnail, the whole picture on a tap),
// a file as a download. Both are fetched signed in (signed.js), from this server only.

import { h } from "../dom.js";
import { fileSize } from "../format.js";
import { icon } from "../icons.js";
import { fillImage, signedBlob } from "../signed.js";

function photo(media) {
  const img = h("img", {
    class: "msg-photo",
    alt: media.name,
    decoding: "async",
    width: media.width || null,
    height: media.height || null,
  });
  fillImage(img, media.thumbnail_url || media.url, { keep: true });
  let whole = false;
  return h(
    "button",
    {
      type: "button",
      class: "msg-photo-button",
      "aria-label": `Photo ${media.name}: show it whole`,
      onclick: (event) => {
        whole = !whole;
        event.currentTarget.classList.toggle("msg-photo-whole", whole);
        fillImage(img, whole ? media.url : media.thumbnail_url || media.url, { keep: true });
      },
    },
    img,
  );
}

async function download(media, button) {
  button.disabled = true;
  try {
    const link = h("a", { href: URL.createObjectURL(await signedBlob(media.url)), download: media.name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    console.warn("could not download", media.url, error);
  } finally {
    button.disabled = false;
  }
}

function file(media) {
  const button = h(
    "button",
    { type: "button", class: "btn btn-secondary msg-file-download", onclick: () => download(media, button) },
    icon("download", "icon icon-sm"),
    "Download",
  );
  return h(
    "div",
    { class: "msg-file" },
    h("p", { class: "msg-file-name" }, media.name),
    h("p", { class: "msg-file-size" }, `${fileSize(media.size)} · ${media.content_type.split(";")[0]}`),
    button,
  );
}

/** The photo or file of `message` (kind media). */
export function renderMedia(message) {
  const media = message.media;
  return h(
    "figure",
    { class: `msg-media msg-media-${media.kind}`, dataset: { media: media.id } },
    media.kind === "image" ? photo(media) : file(media),
  );
}
