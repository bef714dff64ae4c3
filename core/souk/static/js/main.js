// The Souk web client: sign in, then chat. No build step: these modules are served as they are.
//
// No framework or vendored library either: at this size, dom.js (a dozen lines that build
// nodes without HTML strings) does the work one would bring a library for, and there is
// nothing to keep up to date.

import { Api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { setPlace } from "./format.js";
import { clearSession, loadSession, saveSession } from "./session.js";
import { Store } from "./store.js";
import { Sync } from "./sync.js";
import { Shell } from "./views/shell.js";
import { signInView } from "./views/signin.js";

const root = document.getElementById("app");
const RETRY_START_MS = 2000;
let running = null; // {sync, shell} of the signed-in page

function stopRunning() {
  if (!running) return;
  running.sync.stop();
  running.shell.destroy();
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
    }),
  );
}

async function start(token) {
  stopRunning();
  let signedOut = false;
  const signOut = (notice) => {
    if (signedOut) return;
    signedOut = true;
    showSignIn(notice);
  };
  const api = new Api(token, () => signOut("Your session has ended. Please sign in again."));
  let me;
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
  setPlace(me.locale, me.time_zone);
  const store = new Store(me);
  const sync = new Sync(api, store, { onSignedOut: signOut });
  const shell = new Shell({
    store,
    sync,
    onSignOut: async () => {
      try {
        await api.logout();
      } catch {
        // signing out here matters more than telling the server
      }
      signOut(null);
    },
  });
  running = { sync, shell };
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

const session = loadSession();
if (session) start(session.token);
else showSignIn();
