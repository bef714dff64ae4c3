// Businesses in the web client: the click-to-chat address (#/b/HANDLE?text=...), which opens
// the chat with the business and puts the text in the composer, and how a chat with one is
// named. A chat with a business shows the business, never who works there (its logo is the
// chat's picture: photos.js).

const LINK = /^#\/b\/([^?/]+)(?:\?(.*))?$/;

/** `{handle, text}` of a click-to-chat address, or null for any other. */
export function businessLink(hash) {
  const match = LINK.exec(hash);
  if (!match) return null;
  let handle;
  try {
    handle = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  const text = new URLSearchParams(match[2] || "").get("text");
  return { handle, text: text ? text.slice(0, 1000) : "" };
}

/** "Business", or "Verified business" when the platform's operators checked it. */
export function businessSubtitle(conversation) {
  const verified = conversation.business?.verified;
  const handle = conversation.business ? ` · @${conversation.business.handle}` : "";
  return `${verified ? "Verified business" : "Business"}${handle}`;
}
