// The HTTP API under /api/v1: JSON in, JSON out, errors as ApiError with the server's stable code.

export class ApiError extends Error {
  /** status 0 means the server could not be reached (the request may be retried). */
  constructor(status, code, message, details = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get retryable() {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export class Api {
  /** onUnauthorized is called when the server no longer accepts the token. */
  constructor(token = null, onUnauthorized = () => {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, path, { body, query } = {}) {
    const url = new URL(`/api/v1${path}`, location.origin);
    for (const [key, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers = { accept: "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "network", "Cannot reach the server. Check your connection.");
    }
    if (response.status === 204) return null;
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.ok) return data;
    const error = (data && data.error) || {};
    const failure = new ApiError(
      response.status,
      error.code || "http_error",
      error.message || `The server answered ${response.status}.`,
      error.details ?? null,
    );
    if (response.status === 401 && this.token) this.onUnauthorized(failure);
    throw failure;
  }

  /** Send a file's bytes as the body (POST /media): its JSON answer. */
  async upload(path, query, file) {
    const url = new URL(`/api/v1${path}`, location.origin);
    for (const [key, value] of Object.entries(query || {})) url.searchParams.set(key, String(value));
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${this.token}`, "content-type": "application/octet-stream" },
        body: file,
      });
    } catch {
      throw new ApiError(0, "network", "Cannot reach the server. Check your connection.");
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return data;
    const error = (data && data.error) || {};
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(response.status, error.code || "http_error", error.message || "The upload failed.");
  }

  /** A file the server answers (the data archive), as a Blob. */
  async download(path) {
    let response;
    try {
      response = await fetch(new URL(`/api/v1${path}`, location.origin), {
        headers: { authorization: `Bearer ${this.token}` },
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "network", "Cannot reach the server. Check your connection.");
    }
    if (response.ok) return response.blob();
    const error = ((await response.json().catch(() => null)) || {}).error || {};
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(response.status, error.code || "http_error", error.message || "The download failed.");
  }

  get(path, query) {
    return this.request("GET", path, { query });
  }

  post(path, body = undefined) {
    return this.request("POST", path, { body });
  }

  // -- the calls the client makes ---------------------------------------------------------

  demo() {
    return this.get("/demo");
  }
  requestCode(phone) {
    return this.post("/auth/code", { phone });
  }
  verify(phone, code, displayName) {
    return this.post("/auth/verify", { phone, code, display_name: displayName || undefined });
  }
  logout() {
    return this.post("/auth/logout");
  }
  me() {
    return this.get("/me");
  }
  conversations() {
    return this.get("/conversations");
  }
  conversation(id) {
    return this.get(`/conversations/${encodeURIComponent(id)}`);
  }
  messages(id, query) {
    return this.get(`/conversations/${encodeURIComponent(id)}/messages`, query);
  }
  send(id, clientId, text, replyTo = null, writtenAt = null) {
    const body = { client_id: clientId, text };
    if (replyTo) body.reply_to = replyTo;
    if (writtenAt) body.written_at = writtenAt;
    return this.post(`/conversations/${encodeURIComponent(id)}/messages`, body);
  }
  message(message, tail = "") {
    const id = encodeURIComponent(message.conversation_id);
    return `/conversations/${id}/messages/${encodeURIComponent(message.id)}${tail}`;
  }
  editMessage(message, text) {
    return this.request("PATCH", this.message(message), { body: { text } });
  }
  deleteMessage(message) {
    return this.request("DELETE", this.message(message));
  }
  react(message, emoji) {
    if (emoji === null) return this.request("DELETE", this.message(message, "/reaction"));
    return this.request("PUT", this.message(message, "/reaction"), { body: { emoji } });
  }
  markRead(id, seq) {
    return this.post(`/conversations/${encodeURIComponent(id)}/read`, { seq });
  }
  startDirect(person) {
    return this.post("/conversations", { kind: "direct", with: person });
  }
  /** A group; with a business's handle, a group thread its staff serve from their inbox. */
  startGroup(title, members, business = null) {
    return this.post("/conversations", { kind: "group", title, members, ...(business ? { business } : {}) });
  }
  commands() {
    return this.get("/commands");
  }
  apps() {
    return this.get("/apps");
  }
  openApp(name) {
    return this.post(`/apps/${encodeURIComponent(name)}/chat`);
  }
  press(messageId, componentId, values) {
    return this.post("/actions", { message_id: messageId, component_id: componentId, values });
  }
}

/** "+91 98765 00001" or "@ravi" as the API names a person. */
export function personRef(text) {
  const value = text.trim();
  if (value.startsWith("@")) return { handle: value.slice(1).toLowerCase() };
  if (/^[a-z][a-z0-9_]{2,23}$/i.test(value)) return { handle: value.toLowerCase() };
  return { phone: value.replace(/[\s().-]/g, "") };
}
