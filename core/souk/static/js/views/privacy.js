// Who sees my read receipts, that I am typing, and when I am online: everyone, my contacts
// (those I have a direct chat with) or nobody. Hiding mine hides everyone's from me too.

import { ApiError } from "../api.js";
import { h, uid } from "../dom.js";
import { dialogFrame } from "./dialog.js";

const CHOICES = [
  ["receipts", "Read receipts"],
  ["typing", "Typing"],
  ["presence", "Online and last seen"],
];
const AUDIENCES = [
  ["everyone", "Everyone"],
  ["contacts", "My contacts"],
  ["nobody", "Nobody"],
];

export class PrivacyDialog {
  constructor(api) {
    this.api = api;
    const frame = dialogFrame("Privacy", "privacy-dialog");
    this.element = frame.element;
    this.selects = {};
    this.status = h("p", { class: "privacy-status", role: "status" });
    frame.body.append(
      h(
        "p",
        { class: "dialog-lead" },
        "My contacts are the people you have a direct chat with. If you hide yours, you cannot see others'.",
      ),
      ...CHOICES.map(([key, label]) => {
        const id = uid("privacy");
        this.selects[key] = h(
          "select",
          { id, name: key, onchange: () => this.save(key) },
          AUDIENCES.map(([value, text]) => h("option", { value }, text)),
        );
        return h("div", { class: "field" }, h("label", { for: id }, label), this.selects[key]);
      }),
      this.status,
    );
  }

  async open() {
    this.status.textContent = "";
    if (!this.element.open) this.element.showModal();
    try {
      const settings = await this.api.get("/me/privacy");
      for (const [key] of CHOICES) this.selects[key].value = settings[key];
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    }
  }

  async save(key) {
    this.status.textContent = "Saving…";
    try {
      await this.api.request("PATCH", "/me/privacy", { body: { [key]: this.selects[key].value } });
      this.status.textContent = "Saved.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.status.textContent = error.message;
    }
  }
}
