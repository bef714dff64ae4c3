// Settings, Mini-apps: each mini-app I use, what it may ask for, what I granted and when, and
// its access log (every field of mine it was given, when, and what asked for it), like a
// phone's privacy report. Revoke takes back everything granted (asked twice): its next
// command asks again.

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { hue, initials } from "../format.js";
import { whenLine } from "./dialog.js";

const FIELD_LABEL = {
  display_name: "Your name",
  locale: "Your language",
  phone: "Your phone number",
};

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

export class AppSettings {
  constructor(api) {
    this.api = api;
    this.list = h("ul", { class: "settings-apps" });
    this.status = h("p", { class: "privacy-status", role: "status" });
    this.element = h(
      "div",
      { class: "settings-section" },
      h(
        "p",
        { class: "dialog-lead" },
        "Mini-apps see only what you allow, under an id of their own for you. Here is what each was given.",
      ),
      this.list,
      this.status,
    );
  }

  async load() {
    this.status.textContent = "";
    try {
      const { apps } = await this.api.get("/me/apps");
      replace(this.list, apps.map((app) => this.card(app)));
      if (!apps.length) this.status.textContent = "You have not used a mini-app yet.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    }
  }

  card(app) {
    const log = h("div", { class: "access-log", hidden: true });
    const note = h("p", { class: "privacy-status", role: "status" });
    const granted = app.granted.length
      ? h(
          "ul",
          { class: "granted" },
          app.granted.map((g) =>
            h(
              "li",
              {},
              h("span", {}, `Can ${g.description}`),
              h("span", { class: "info-when" }, ` · since ${whenLine(g.granted_at)}`),
            ),
          ),
        )
      : h("p", { class: "info-empty" }, "No access granted. It asks again next time you use it.");
    const revoke = h("button", { type: "button", class: "btn btn-secondary" }, "Revoke access");
    let confirming = false;
    revoke.addEventListener("click", async () => {
      if (!confirming) {
        confirming = true;
        revoke.textContent = `Yes, revoke ${app.title}'s access`;
        revoke.className = "btn btn-danger";
        return;
      }
      revoke.disabled = true;
      try {
        const { revoked } = await this.api.request("DELETE", `/me/apps/${encodeURIComponent(app.name)}`);
        await this.load();
        this.status.textContent = `${app.title}: ${plural(revoked, "permission", "permissions")} taken back.`;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        revoke.disabled = false;
        note.textContent = error.message;
      }
    });
    const showLog = h(
      "button",
      { type: "button", class: "btn btn-secondary", "aria-expanded": "false" },
      "Access log",
    );
    showLog.addEventListener("click", async () => {
      const opening = log.hidden;
      showLog.setAttribute("aria-expanded", String(opening));
      log.hidden = !opening;
      if (opening) await this.fillLog(app, log);
    });
    return h(
      "li",
      { class: "settings-app", dataset: { app: app.name } },
      h(
        "div",
        { class: "settings-app-head" },
        h("span", { class: `avatar avatar-app hue-${hue(app.name)}`, "aria-hidden": "true" }, initials(app.title)),
        h(
          "div",
          {},
          h("h4", {}, app.title),
          h(
            "p",
            { class: "info-when" },
            app.accesses
              ? `Given your data ${plural(app.accesses, "time", "times")}, last ${whenLine(app.last_access)}`
              : "Never given any of your data",
          ),
        ),
      ),
      granted,
      h(
        "div",
        { class: "settings-app-actions" },
        showLog,
        app.granted.length ? revoke : null,
      ),
      note,
      log,
    );
  }

  async fillLog(app, log) {
    replace(log, h("p", { class: "info-empty" }, "Loading…"));
    try {
      const { entries } = await this.api.get("/me/access-log", { app: app.name, limit: 100 });
      replace(
        log,
        entries.length
          ? h(
              "table",
              { class: "access-table", "aria-label": `What ${app.title} was given` },
              h("thead", {}, h("tr", {}, h("th", {}, "What"), h("th", {}, "For"), h("th", {}, "When"))),
              h(
                "tbody",
                {},
                entries.map((e) =>
                  h(
                    "tr",
                    { class: "access-entry", dataset: { field: e.field, purpose: e.purpose } },
                    h("td", {}, FIELD_LABEL[e.field] || e.field),
                    h("td", {}, h("code", {}, e.purpose)),
                    h("td", {}, whenLine(e.at)),
                  ),
                ),
              ),
            )
          : h("p", { class: "info-empty" }, `${app.title} was never given any of your data.`),
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      replace(log, h("p", { class: "form-error" }, error.message));
    }
  }
}
