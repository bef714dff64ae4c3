// The signed-in session, kept in this browser's localStorage (token and the user it belongs to).
//
// On a demo server, the session of each demo person this browser signed in as is kept too,
// by phone number: switching back to someone uses their session again and spends no code
// (a number gets five codes an hour). Signing out, or a session the server ended, drops it.

const KEY = "souk.session";
const DEMO_KEY = "souk.demo-sessions";

function read(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

export function loadSession() {
  const saved = read(KEY, null);
  return saved && typeof saved.token === "string" ? saved : null;
}

export function saveSession(token, user) {
  localStorage.setItem(KEY, JSON.stringify({ token, user }));
}

export function clearSession() {
  localStorage.removeItem(KEY);
}

/** The kept session of a demo person, {token, user}, or null. */
export function demoSession(phone) {
  const kept = read(DEMO_KEY, {})[phone];
  return kept && typeof kept.token === "string" ? kept : null;
}

export function keepDemoSession(token, user) {
  const kept = read(DEMO_KEY, {});
  kept[user.phone] = { token, user };
  localStorage.setItem(DEMO_KEY, JSON.stringify(kept));
}

export function dropDemoSession(phone) {
  const kept = read(DEMO_KEY, {});
  if (!(phone in kept)) return;
  delete kept[phone];
  localStorage.setItem(DEMO_KEY, JSON.stringify(kept));
}
