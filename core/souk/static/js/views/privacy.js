// Settings, Privacy: who sees my read receipts, that I am typing, and when I am online, and
// who may add me to groups and find me by my number: everyone, my contacts (those I have a
// direct chat with) or nobody. Hiding mine hides everyone's from me too. Each choice is saved
// as it is made.

import { ApiError } from "../api.js";
import { h, uid } from "../dom.js";

const SHOWN = [
  ["receipts", "Read receipts"],
  ["typing", "Typing"],
  ["presence", "Online and last seen"],
];
const REACH = [
  ["groups", "Who can add me to groups"],
  ["phone", "Who can find me by my phone number"],
];
const AUDIENCES = [
  ["everyone", "Everyone"],
  ["contacts", "My contacts"],
  ["nobody", "Nobody"],
];

export class PrivacySettings {
  constructor(api) {
    this.api = api;
    this.selects = {};
    this.status = h("p", { class: "privacy-status", role: "status" });
    const choice = ([key, label]) => {
      const id = uid("privacy");
      this.selects[key] = h(
        "select",
        { id, name: key, onchange: () => this.save(key) },
        AUDIENCES.map(([value, text]) => h("option", { value }, text)),
      );
      return h("div", { class: "field" }, h("label", { for: id }, label), this.selects[key]);
    };
    this.element = h(
      "div",
      { class: "settings-section" },
      h("h3", {}, "What others see"),
      h(
        "p",
        { class: "dialog-lead" },
        "My contacts are the people you have a direct chat with. If you hide yours, you cannot see others'.",
      ),
      SHOWN.map(choice),
      h("h3", {}, "Who can reach me"),
      h(
        "p",
        { class: "dialog-lead" },
        "Someone you keep out is told nobody has your number, or asked to let you make the group.",
      ),
      REACH.map(choice),
      this.status,
    );
  }

  async load() {
    this.status.textContent = "";
    try {
      const settings = await this.api.get("/me/privacy");
      for (const key of Object.keys(this.selects)) this.selects[key].value = settings[key];
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
