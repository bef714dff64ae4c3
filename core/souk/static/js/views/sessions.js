// Settings, Sessions: where I am signed in (each device, when it signed in and was last
// used), signing one out, or every one but this ("sign out everywhere else"). An ended
// session ends at once: its open pages are signed out.

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { whenLine } from "./dialog.js";

export class SessionSettings {
  constructor(api) {
    this.api = api;
    this.list = h("ul", { class: "settings-sessions" });
    this.status = h("p", { class: "privacy-status", role: "status" });
    this.others = h(
      "button",
      { type: "button", class: "btn btn-danger", onclick: () => this.endOthers() },
      "Sign out everywhere else",
    );
    this.element = h(
      "div",
      { class: "settings-section" },
      h("p", { class: "dialog-lead" }, "A session stays signed in while it is used, and ends after 30 days unused."),
      this.list,
      h("div", { class: "dialog-actions" }, this.others),
      this.status,
    );
  }

  async load() {
    try {
      const { sessions } = await this.api.get("/me/sessions");
      replace(this.list, sessions.map((s) => this.row(s)));
      this.others.disabled = sessions.length < 2;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    }
  }

  row(session) {
    return h(
      "li",
      { class: "settings-session", dataset: { session: session.id } },
      h(
        "div",
        {},
        h(
          "p",
          { class: "session-device" },
          session.device,
          session.current ? h("span", { class: "kind-tag" }, "This device") : null,
        ),
        h(
          "p",
          { class: "info-when" },
          `Signed in ${whenLine(session.created_at)} · last used ${whenLine(session.last_used_at)}`,
        ),
      ),
      session.current
        ? null
        : h(
            "button",
            {
              type: "button",
              class: "btn btn-secondary",
              "aria-label": `Sign out ${session.device}`,
              onclick: () => this.act(() => this.api.request("DELETE", `/me/sessions/${session.id}`)),
            },
            "Sign out",
          ),
    );
  }

  endOthers() {
    return this.act(() => this.api.post("/me/sessions/sign-out-others"));
  }

  async act(run) {
    this.status.textContent = "";
    try {
      const { ended } = await run();
      await this.load();
      this.status.textContent = `Signed out of ${ended} ${ended === 1 ? "session" : "sessions"}.`;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    }
  }
}
