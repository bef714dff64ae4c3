// Sending a photo or a file: its bytes go up first (POST /api/v1/media, with the progress shown),
// then the message that carries it. What is on its way is kept here, per conversation, for the
// chat to draw ("Uploading photo.jpg… 45%"); a refused file says why (too large, not a type Souk
// keeps) and can be dismissed.

import { ApiError } from "./api.js";

let counter = 0;

function put(token, conversationId, file, onProgress) {
  return new Promise((resolve, reject) => {
    const url = new URL("/api/v1/media", location.origin);
    url.searchParams.set("conversation_id", conversationId);
    url.searchParams.set("name", file.name || "file");
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("authorization", `Bearer ${token}`);
    request.setRequestHeader("content-type", "application/octet-stream");
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onerror = () => reject(new ApiError(0, "network", "Cannot reach the server. Check your connection."));
    request.onload = () => {
      let data = null;
      try {
        data = JSON.parse(request.responseText);
      } catch {
        data = null;
      }
      if (request.status === 201) return resolve(data);
      const error = (data && data.error) || {};
      reject(new ApiError(request.status, error.code || "http_error", error.message || `${request.status}`));
    };
    request.send(file);
  });
}

export class Uploads extends EventTarget {
  constructor(api, store) {
    super();
    this.api = api;
    this.store = store;
    this.entries = new Map(); // conversation id -> Map(key -> {name, progress, state, error})
  }

  of(id) {
    return [...(this.entries.get(id) || new Map()).values()];
  }

  changed(id) {
    this.dispatchEvent(new CustomEvent("change", { detail: { id } }));
  }

  /** Upload `file` into conversation `id`, then send it with `caption`. */
  async send(id, file, caption = "") {
    const key = `upload-${Date.now().toString(36)}-${++counter}`;
    const entry = { key, name: file.name || "file", progress: 0, state: "uploading", error: null };
    if (!this.entries.has(id)) this.entries.set(id, new Map());
    this.entries.get(id).set(key, entry);
    this.changed(id);
    try {
      const media = await put(this.api.token, id, file, (progress) => {
        entry.progress = progress;
        this.changed(id);
      });
      entry.state = "sending";
      entry.progress = 1;
      this.changed(id);
      const message = await this.api.post(`/conversations/${encodeURIComponent(id)}/messages`, {
        client_id: key,
        text: caption,
        media_id: media.id,
      });
      this.store.addMessages(id, [message]);
      this.dismiss(id, key);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      entry.state = "failed";
      entry.error = error.message;
      this.changed(id);
    }
  }

  dismiss(id, key) {
    this.entries.get(id)?.delete(key);
    this.changed(id);
  }
}
