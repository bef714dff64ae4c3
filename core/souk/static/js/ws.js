// The live connection: one WebSocket that resumes where it left off, and reconnects by itself.
//
// On every (re)connection the client first says who it is ("auth", with the
// token: never in the URL, which ends up in logs), then, once the server says
// "hello", per conversation the last changed_seq it has seen ("resume"); the
// server sends what was posted or replaced since, then "resumed", then live
// frames.  The store drops any version it already has (by seq and revision), so
// around a reconnection there is no gap and no duplicate.

const PING_EVERY_MS = 25_000; // keeps proxies from closing an idle socket
const PONG_WAIT_MS = 10_000; // no pong by then: the connection is dead, start again
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 4_000;
export const CLOSE_UNAUTHORIZED = 4401;

/**
 * Status goes "connecting" (first time) -> "live" -> "reconnecting" -> "live" ...
 * or ends in "unauthorized" (the token was refused) or "stopped".
 */
export class Live {
  constructor({ token, since, onFrame, onStatus, onResumed, onUnauthorized }) {
    this.token = token;
    this.since = since; // () => {conversation id: last changed_seq seen}
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.onResumed = onResumed; // (first: boolean) => void
    this.onUnauthorized = onUnauthorized;
    this.status = "idle";
    this.socket = null;
    this.attempts = 0;
    this.resumedOnce = false;
    this.timers = {};
    this.kick = () => this.reconnectNow();
  }

  start() {
    this.stopped = false;
    window.addEventListener("online", this.kick);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.kick);
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000, "bye");
    this.setStatus("stopped");
  }

  /** Retry at once (the browser says it is online again). */
  reconnectNow() {
    if (this.stopped || this.status === "live") return;
    clearTimeout(this.timers.retry);
    if (!this.socket) this.connect();
  }

  /** Say something to the server now (a read mark, typing); false when not connected. */
  send(frame) {
    if (this.status !== "live" || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}/api/v1/ws`;
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  clearTimers() {
    for (const timer of Object.values(this.timers)) clearTimeout(timer);
    this.timers = {};
  }

  connect() {
    this.setStatus(this.resumedOnce ? "reconnecting" : "connecting");
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.retryLater();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) socket.send(JSON.stringify({ type: "auth", token: this.token }));
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(socket, frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return; // an old socket, already replaced
      this.socket = null;
      this.clearTimers();
      if (event.code === CLOSE_UNAUTHORIZED) {
        this.setStatus("unauthorized");
        this.onUnauthorized(event.reason);
      } else if (!this.stopped) {
        this.retryLater();
      }
    };
  }

  receive(socket, frame) {
    switch (frame.type) {
      case "hello":
        socket.send(JSON.stringify({ type: "resume", since: this.since() }));
        break;
      case "resumed": {
        const first = !this.resumedOnce;
        this.resumedOnce = true;
        this.attempts = 0;
        this.setStatus("live");
        this.schedulePing(socket);
        this.onResumed(first);
        break;
      }
      case "pong":
        clearTimeout(this.timers.pong);
        this.schedulePing(socket);
        break;
      default:
        this.onFrame(frame);
    }
  }

  schedulePing(socket) {
    clearTimeout(this.timers.ping);
    this.timers.ping = setTimeout(() => {
      if (this.socket !== socket || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: "ping" }));
      this.timers.pong = setTimeout(() => socket.close(4000, "no pong"), PONG_WAIT_MS);
    }, PING_EVERY_MS);
  }

  retryLater() {
    this.setStatus(this.resumedOnce ? "reconnecting" : "connecting");
    const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.attempts);
    this.attempts += 1;
    const delay = base * (0.75 + Math.random() * 0.5); // jitter: a restarted server is not hit all at once
    this.timers.retry = setTimeout(() => this.connect(), delay);
  }
}
