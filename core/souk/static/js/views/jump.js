// A tap on a reply's quote: scroll to the message it answers, loading older pages until it is
// there, and show it for a moment.

const JUMP_PAGES = 40;
const HIGHLIGHT_MS = 1600;

/** view: the ChatView (its id, store, sync, messages, pinned). */
export async function jumpTo(view, seq) {
  const id = view.id;
  for (let n = 0; n < JUMP_PAGES && id === view.id && !view.messages.rendered.has(seq); n += 1) {
    const page = view.store.page(id);
    if (!page.hasMore) break;
    if (page.loading) await new Promise((resolve) => setTimeout(resolve, 100));
    else await view.sync.loadPage(id, view.store.oldestSeq(id));
  }
  const element = view.messages.rendered.get(seq);
  if (!element || id !== view.id) return;
  view.pinned = false;
  element.scrollIntoView({ block: "center" });
  element.classList.add("msg-highlight");
  setTimeout(() => element.classList.remove("msg-highlight"), HIGHLIGHT_MS);
}
