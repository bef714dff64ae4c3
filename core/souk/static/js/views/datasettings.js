// Settings, Your data: download everything Souk and its mini-apps hold about me (a ZIP of
// JSON files), or delete my account everywhere, which answers with the erase receipt.

import { ApiError } from "../api.js";
import { h, uid } from "../dom.js";
import { icon } from "../icons.js";

export class DataSettings {
  /** erase(titles): erases the account and shows its receipt (main.js); titles name the mini-apps. */
  constructor({ api, store, erase }) {
    this.api = api;
    this.store = store;
    this.eraseNow = erase;
    this.status = h("p", { class: "privacy-status", role: "status" });
    this.error = h("p", { class: "form-error", role: "alert", hidden: true });
    const download = h(
      "button",
      { type: "button", class: "btn btn-secondary", onclick: (e) => this.download(e.currentTarget) },
      icon("download"),
      "Download my data",
    );
    const checkId = uid("erase");
    this.understood = h("input", {
      type: "checkbox",
      id: checkId,
      onchange: () => (this.erase.disabled = !this.understood.checked),
    });
    this.erase = h(
      "button",
      { type: "button", class: "btn btn-danger", disabled: true, onclick: () => this.eraseAccount() },
      "Delete my account",
    );
    this.element = h(
      "div",
      { class: "settings-section" },
      h("h3", {}, "Download my data"),
      h(
        "p",
        { class: "dialog-lead" },
        "A ZIP archive: your profile, sessions, permissions, access log, every message you can read, " +
          "and what each mini-app holds about you, in JSON files.",
      ),
      h("div", {}, download),
      this.status,
      h("h3", {}, "Delete my account"),
      h(
        "p",
        { class: "dialog-lead" },
        "Erases you here and in every mini-app, and signs you out everywhere. What the law requires " +
          "(a payment's record, say) is kept under an id linked to nobody. The receipt says what was done.",
      ),
      h(
        "div",
        { class: "check-field" },
        this.understood,
        h("label", { for: checkId }, "I understand that this cannot be undone"),
      ),
      h("div", {}, this.erase),
      this.error,
    );
  }

  load() {
    this.status.textContent = "";
    this.error.hidden = true;
    this.understood.checked = false;
    this.erase.disabled = true;
  }

  async download(button) {
    button.disabled = true;
    this.status.textContent = "Preparing your archive…";
    try {
      const blob = await this.api.download("/me/export");
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: "souk-data.zip", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.status.textContent = `Downloaded souk-data.zip (${Math.ceil(blob.size / 1024)} KB).`;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  async eraseAccount() {
    this.erase.disabled = true;
    this.error.hidden = true;
    const titles = Object.fromEntries(this.store.apps.map((app) => [app.name, app.title]));
    try {
      await this.eraseNow(titles);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.error.textContent = error.message;
      this.error.hidden = false;
      this.erase.disabled = false;
    }
  }
}
