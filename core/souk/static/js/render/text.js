// Message text as text: line breaks kept (by CSS), web addresses made into links, nothing parsed as HTML.

import { h } from "../dom.js";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/giu;

/** Nodes for `text`: text nodes, and <a> for http(s) addresses. */
export function richText(text) {
  const nodes = [];
  let last = 0;
  for (const match of String(text).matchAll(URL_PATTERN)) {
    if (match.index > last) nodes.push(text.slice(last, match.index));
    nodes.push(h("a", { href: match[0], target: "_blank", rel: "noopener noreferrer nofollow" }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

export function textBlock(text, className = "text") {
  return h("div", { class: className }, richText(String(text ?? "")));
}
