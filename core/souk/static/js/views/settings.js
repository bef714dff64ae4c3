// Settings, where people control their data: profile, privacy, the mini-apps they use (with
// what each was given), which businesses may write to them, their data (download it, delete
// the account), and their sessions.
// Opened at #/settings, one section at #/settings/NAME (the consent card links to
// #/settings/apps); closing goes back to where the page was.

import { h } from "../dom.js";
import { AppSettings } from "./appsettings.js";
import { BusinessSettings } from "./businesssettings.js";
import { DataSettings } from "./datasettings.js";
import { dialogFrame } from "./dialog.js";
import { PrivacySettings } from "./privacy.js";
import { ProfileSettings } from "./profile.js";
import { SessionSettings } from "./sessions.js";

export const SETTINGS_HASH = /^#\/settings(?:\/(\w+))?$/;

export class SettingsView {
  constructor({ api, store, erase, onClose }) {
    const frame = dialogFrame("Settings", "settings-dialog");
    this.element = frame.element;
    this.sections = [
      ["profile", "Profile", new ProfileSettings({ api, store })],
      ["privacy", "Privacy", new PrivacySettings(api)],
      ["apps", "Mini-apps", new AppSettings(api)],
      ["businesses", "Businesses", new BusinessSettings({ api, store })],
      ["data", "Your data", new DataSettings({ api, store, erase })],
      ["sessions", "Sessions", new SessionSettings(api)],
    ];
    this.tabs = new Map();
    this.panels = new Map();
    const tablist = h("div", { class: "tabs settings-tabs", role: "tablist", "aria-label": "Settings" });
    for (const [name, label, section] of this.sections) {
      const tabId = `settings-tab-${name}`;
      const panelId = `settings-panel-${name}`;
      const tab = h(
        "button",
        {
          type: "button",
          class: "tab",
          role: "tab",
          id: tabId,
          "aria-controls": panelId,
          onclick: () => (location.hash = `#/settings/${name}`),
        },
        label,
      );
      const panel = h(
        "section",
        { class: "tab-panel", role: "tabpanel", id: panelId, "aria-labelledby": tabId, hidden: true },
        section.element,
      );
      tablist.append(tab);
      frame.body.append(panel);
      this.tabs.set(name, tab);
      this.panels.set(name, panel);
    }
    frame.body.before(tablist);
    this.element.addEventListener("close", onClose);
  }

  /** Show one section (the first for an unknown name), loading what it shows afresh. */
  open(name) {
    const wanted = this.tabs.has(name) ? name : "profile";
    for (const [key, tab] of this.tabs) {
      tab.setAttribute("aria-selected", String(key === wanted));
      this.panels.get(key).hidden = key !== wanted;
    }
    const section = this.sections.find(([key]) => key === wanted)[2];
    if (!this.element.open) this.element.showModal();
    section.load();
  }

  close() {
    if (this.element.open) this.element.close();
  }
}
