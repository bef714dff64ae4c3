// The Souk web client: sign in, then chat. No build step: these modules are served as they are.
//
// No framework or vendored library either: at this size, dom.js (a dozen lines that build
// nodes without HTML strings) does the work one would bring a library for, and there is
// nothing to keep up to date.

import { Api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { setPlace } from "./format.js";
import { InboxView } from "./inbox/inbox.js";
import { inboxLink } from "./inbox/inboxapi.js";
import {
  clearSession,
  demoSession,
  dropDemoSession,
  keepDemoSession,
  loadSession,
  saveSession,
} from "./session.js";
import { Store } from "./store.js";
import { Sync } from "./sync.js";
import { erasedView } from "./views/erased.js";
import { Shell } from "./views/shell.js";
import { signInView } from "./views/signin.js";

const root = document.getElementById("app");
const RETRY_START_MS = 2000;
let running = null; // {stop} of the signed-in page: the chats, or a business's inbox
let runningToken = null;

function stopRunning() {
  if (!running) return;
  running.stop();
  running = null;
}

function showSignIn(notice = null) {
  stopRunning();
  clearSession();
  root.replaceChildren(
    signInView({
      api: new Api(),
      notice,
      onSignedIn: (token, user) => {
        saveSession(token, user);
        start(token);
      },
      onDemoPerson: resumeDemoPerson,
    }),
  );
}

/** Switch to a demo person with the session this browser kept for them; false if there is none. */
async function resumeDemoPerson(phone) {
  const kept = demoSession(phone);
  if (!kept) return false;
  try {
    await new Api(kept.token).me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      dropDemoSession(phone);
      return false;
    }
    throw error;
  }
  saveSession(kept.token, kept.user);
  start(kept.token);
  return true;
}

/** Leave the page to someone else without ending this session (a demo server's people). */
function switchPerson() {
  stopRunning();
  showSignIn();
}

function showErased(receipt, titles) {
  stopRunning();
  clearSession();
  root.replaceChildren(erasedView({ receipt, titles, onDone: () => showSignIn() }));
}

async function start(token) {
  stopRunning();
  let signedOut = false;
  let erasing = false; // the erasure ends this session: its receipt is shown, not the sign-in page
  let me;
  const signOut = (notice) => {
    if (signedOut || erasing) return;
    signedOut = true;
    if (me) dropDemoSession(me.phone);
    showSignIn(notice);
  };
  const api = new Api(token, () => signOut("Your session has ended. Please sign in again."));
  try {
    me = await api.me();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401) return;
    root.replaceChildren(
      h(
        "main",
        { class: "signin" },
        h(
          "div",
          { class: "signin-card" },
          h("p", { role: "status" }, "Cannot reach the server. Trying again…"),
        ),
      ),
    );
    setTimeout(() => start(token), RETRY_START_MS);
    return;
  }
  saveSession(token, me);
  const demo = await api.demo().catch(() => null);
  const demoPerson = Boolean(demo && demo.demo && demo.people.some((p) => p.phone === me.phone));
  if (demoPerson) keepDemoSession(token, me);
  setPlace(me.locale, me.time_zone);
  runningToken = token;
  const inboxOf = inboxLink(location.hash);
  if (inboxOf) {
    showInbox(api, token, me, inboxOf, signOut);
    return;
  }
  const store = new Store(me);
  const sync = new Sync(api, store, { onSignedOut: signOut });
  const shell = new Shell({
    store,
    sync,
    onSwitch: demoPerson ? switchPerson : null,
    erase: async (titles) => {
      erasing = true;
      try {
        const receipt = await api.post("/me/erasure", { confirm: true });
        signedOut = true;
        dropDemoSession(me.phone);
        showErased(receipt, titles);
      } finally {
        erasing = false;
      }
    },
    onSignOut: async () => {
      try {
        await api.logout();
      } catch {
        // signing out here matters more than telling the server
      }
      signOut(null);
    },
  });
  running = {
    stop: () => {
      sync.stop();
      shell.destroy();
    },
  };
  root.replaceChildren(shell.element);
  try {
    await sync.start();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401) return;
    stopRunning();
    setTimeout(() => start(token), RETRY_START_MS);
    return;
  }
  shell.start();
}

/** A business's shared inbox (#/inbox/HANDLE), in place of the chats, for its staff. */
function showInbox(api, token, me, handle, signOut) {
  const view = new InboxView({
    api,
    token,
    me,
    handle,
    onUnauthorized: () => signOut("Your session has ended. Please sign in again."),
    onLeave: () => (location.hash = "#/"),
  });
  running = { stop: () => view.stop(), inbox: handle };
  root.replaceChildren(view.element);
  view.start();
}

// Into a business's inbox and out of it again: the page starts over on the other view.
window.addEventListener("hashchange", () => {
  if (!running || !runningToken) return;
  const wanted = inboxLink(location.hash);
  if ((running.inbox ?? null) !== wanted) start(runningToken);
});

const session = loadSession();
if (session) start(session.token);
else showSignIn();
