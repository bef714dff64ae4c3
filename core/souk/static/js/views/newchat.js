// Starting a conversation: a direct chat by phone number (or @handle), a group with a name and
// members, or a chat with one of the mini-apps available here.

import { ApiError, personRef } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { hue, initials } from "../format.js";
import { icon } from "../icons.js";

function field(label, input, hint) {
  const id = uid("new");
  input.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    input,
    hint ? h("p", { class: "field-help", id: hintId }, hint) : null,
  );
}

export class NewChatDialog {
  constructor({ store, sync, onOpened }) {
    this.store = store;
    this.sync = sync;
    this.onOpened = onOpened;
    this.tabs = {};
    this.panels = {};

    this.person = h("input", {
      type: "text",
      name: "person",
      autocomplete: "off",
      placeholder: "+91 98765 00002 or @ravi",
      required: true,
    });
    this.directError = h("p", { class: "form-error", role: "alert", hidden: true });
    const direct = h(
      "form",
      { class: "dialog-form", onsubmit: (e) => this.submitDirect(e) },
      field("Phone number or @handle", this.person, "In international form, with + and the country code."),
      this.directError,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "submit", class: "btn btn-primary" }, "Start chat"),
      ),
    );

    this.groupName = h("input", {
      type: "text",
      name: "title",
      maxlength: 80,
      autocomplete: "off",
      placeholder: "Lunch club",
      required: true,
    });
    this.members = h("textarea", { name: "members", rows: 3, placeholder: "+5511987650001, @ravi" });
    this.business = h("input", { type: "text", name: "business", maxlength: 40, placeholder: "@lojadabruna" });
    this.groupError = h("p", { class: "form-error", role: "alert", hidden: true });
    const group = h(
      "form",
      { class: "dialog-form", onsubmit: (e) => this.submitGroup(e) },
      field("Group name", this.groupName),
      field("Members", this.members, "Phone numbers or @handles, separated by commas or new lines."),
      field("With a business (optional)", this.business, "Its staff answer the group, as in a chat with it."),
      this.groupError,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "submit", class: "btn btn-primary" }, "Create group"),
      ),
    );

    this.appList = h("ul", { class: "app-list" });
    this.appError = h("p", { class: "form-error", role: "alert", hidden: true });
    const apps = h(
      "div",
      { class: "dialog-form" },
      h("p", { class: "dialog-lead" }, "Chat with a mini-app directly:"),
      this.appList,
      this.appError,
    );

    const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": "What to start" });
    for (const [key, label, iconName, panel] of [
      ["direct", "Person", "user", direct],
      ["group", "Group", "users", group],
      ["apps", "Mini-apps", "apps", apps],
    ]) {
      const tabId = uid("tab");
      const panelId = `${tabId}-panel`;
      this.tabs[key] = h(
        "button",
        {
          type: "button",
          role: "tab",
          id: tabId,
          class: "tab",
          "aria-controls": panelId,
          onclick: () => this.select(key),
          onkeydown: (e) => this.tabKey(e, key),
        },
        icon(iconName, "icon icon-sm"),
        label,
      );
      this.panels[key] = h(
        "div",
        { role: "tabpanel", id: panelId, "aria-labelledby": tabId, class: "tab-panel" },
        panel,
      );
      tabList.append(this.tabs[key]);
    }

    this.element = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "new-chat-title" },
      h(
        "header",
        { class: "dialog-head" },
        h("h2", { id: "new-chat-title" }, "New conversation"),
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            "aria-label": "Close",
            onclick: () => this.element.close(),
          },
          icon("close"),
        ),
      ),
      tabList,
      Object.values(this.panels),
    );
    this.element.addEventListener("click", (e) => e.target === this.element && this.element.close());
    store.addEventListener("apps", () => this.drawApps());
    this.drawApps();
  }

  open(tab = "direct") {
    for (const error of [this.directError, this.groupError, this.appError]) error.hidden = true;
    this.select(tab);
    this.element.showModal();
    this.sync.refreshApps();
  }

  select(key) {
    for (const [name, tab] of Object.entries(this.tabs)) {
      const selected = name === key;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      this.panels[name].hidden = !selected;
    }
    const first = this.panels[key].querySelector("input, textarea, button");
    if (first) first.focus();
  }

  tabKey(event, key) {
    const keys = Object.keys(this.tabs);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const next = keys[(keys.indexOf(key) + step + keys.length) % keys.length];
    this.select(next);
    this.tabs[next].focus();
  }

  drawApps() {
    const apps = this.store.apps;
    replace(
      this.appList,
      apps.length
        ? apps.map((app) =>
            h(
              "li",
              {},
              h(
                "button",
                { type: "button", class: "app-button", onclick: () => this.openApp(app.name) },
                h(
                  "span",
                  { class: `avatar avatar-app hue-${hue(app.name)}`, "aria-hidden": "true" },
                  initials(app.title),
                ),
                h(
                  "span",
                  { class: "app-text" },
                  h("span", { class: "app-title" }, app.title),
                  h("span", { class: "app-description" }, app.description || ""),
                ),
              ),
            ),
          )
        : h("li", { class: "list-empty" }, "No mini-apps are available in your country yet."),
    );
  }

  async run(button, error, work) {
    error.hidden = true;
    button.disabled = true;
    try {
      const conversation = await work();
      this.element.close();
      this.onOpened(conversation.id);
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      error.textContent =
        failure.code === "user_not_found"
          ? "Nobody with that number or handle uses Souk yet."
          : failure.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  submitDirect(event) {
    event.preventDefault();
    const value = this.person.value.trim();
    if (!value) return;
    this.run(event.submitter || event.target.querySelector("button"), this.directError, () =>
      this.sync.startDirect(personRef(value)),
    );
  }

  submitGroup(event) {
    event.preventDefault();
    const title = this.groupName.value.trim();
    const members = this.members.value
      .split(/[,\n;]+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map(personRef);
    if (!title) {
      this.groupError.textContent = "Give the group a name.";
      this.groupError.hidden = false;
      return;
    }
    this.run(event.submitter || event.target.querySelector("button"), this.groupError, () =>
      this.sync.startGroup(title, members, this.business.value.trim().replace(/^@/, "") || null),
    );
  }

  openApp(name) {
    this.appError.hidden = true;
    this.sync
      .openApp(name)
      .then((conversation) => {
        this.element.close();
        this.onOpened(conversation.id);
      })
      .catch((failure) => {
        if (!(failure instanceof ApiError)) throw failure;
        this.appError.textContent = failure.message;
        this.appError.hidden = false;
      });
  }
}
