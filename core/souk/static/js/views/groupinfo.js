// A group's info: its photo and name, who is in it with their roles, who may post; for its
// admins, renaming, the photo, adding and removing people, making admins, the posting rule;
// for everyone, leaving (asked twice).

import { ApiError, personRef } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { hue, initials } from "../format.js";
import { icon } from "../icons.js";
import { isAdmin } from "../groups.js";
import { showPhoto } from "../photos.js";
import { dialogFrame } from "./dialog.js";

const ROLE_LABEL = { owner: "Owner", admin: "Admin", member: "" };

export function groupAvatar(conversation, className = "avatar") {
  if (conversation.photo) {
    return h("img", { class: `${className} avatar-photo`, src: conversation.photo, alt: "" });
  }
  return null;
}

export class GroupInfo {
  constructor({ store, sync }) {
    this.store = store;
    this.groups = sync.groups;
    this.id = null;
    const frame = dialogFrame("Group info", "group-dialog");
    this.element = frame.element;
    this.body = frame.body;
    this.error = h("p", { class: "form-error", role: "alert", hidden: true });
    // Redrawn when the group itself changed, not for every new message (what is being typed stays).
    store.addEventListener(
      "conversations",
      () => this.element.open && this.shape() !== this.drawn && this.draw(),
    );
  }

  open(id) {
    this.id = id;
    this.confirmLeave = false;
    this.error.hidden = true;
    this.draw();
    if (!this.element.open) this.element.showModal();
  }

  /** Run a change; a refusal is shown in the dialog in the server's words. */
  async act(run) {
    this.error.hidden = true;
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.error.textContent = error.message;
      this.error.hidden = false;
    }
  }

  /** What the dialog shows of the group, as one string. */
  shape() {
    const c = this.store.conversations.get(this.id);
    if (!c) return "";
    return JSON.stringify([c.title, c.photo, c.posting, c.member, c.members.map((m) => [m.id, m.role])]);
  }

  draw() {
    const conversation = this.store.conversations.get(this.id);
    if (!conversation) return;
    this.drawn = this.shape();
    const admin = isAdmin(conversation, this.store.me.id);
    replace(
      this.body,
      this.head(conversation, admin),
      conversation.member === false
        ? h("p", { class: "dialog-lead" }, "You are no longer a member of this group.")
        : [
            this.posting(conversation, admin),
            this.people(conversation, admin),
            admin ? this.adding() : null,
            this.leaving(),
          ],
      this.error,
    );
  }

  head(conversation, admin) {
    const picture =
      groupAvatar(conversation, "avatar avatar-xl") ||
      h(
        "span",
        { class: `avatar avatar-xl avatar-group hue-${hue(conversation.id)}`, "aria-hidden": "true" },
        icon("users"),
      );
    const title = h("input", {
      type: "text",
      value: conversation.title,
      maxlength: 80,
      "aria-label": "Group name",
    });
    const photo = h("input", {
      type: "file",
      accept: "image/png,image/jpeg,image/webp",
      class: "visually-hidden",
      "aria-label": "Change the group photo",
      onchange: () => photo.files[0] && this.act(() => this.groups.setPhoto(this.id, photo.files[0])),
    });
    return h(
      "div",
      { class: "group-head" },
      picture,
      admin
        ? h(
            "form",
            {
              class: "group-rename",
              onsubmit: (e) => (e.preventDefault(), this.act(() => this.groups.rename(this.id, title.value))),
            },
            title,
            h("button", { type: "submit", class: "btn" }, "Rename"),
            h("label", { class: "btn btn-quiet" }, icon("edit", "icon icon-sm"), "Photo", photo),
          )
        : h("p", { class: "group-title" }, conversation.title),
    );
  }

  posting(conversation, admin) {
    const id = uid("posting");
    if (!admin) {
      return conversation.posting === "admins"
        ? h("p", { class: "dialog-lead" }, "Only admins can send messages to this group.")
        : null;
    }
    const select = h(
      "select",
      { id, onchange: () => this.act(() => this.groups.setPosting(this.id, select.value)) },
      h("option", { value: "everyone", selected: conversation.posting === "everyone" }, "Everyone"),
      h("option", { value: "admins", selected: conversation.posting === "admins" }, "Only admins"),
    );
    return h("div", { class: "field" }, h("label", { for: id }, "Who can send messages"), select);
  }

  people(conversation, admin) {
    const me = this.store.me.id;
    return h(
      "section",
      { class: "info-section", "aria-label": "Members" },
      h("h3", {}, `${conversation.members.length} members`),
      h(
        "ul",
        { class: "info-people group-members" },
        conversation.members.map((member) =>
          h(
            "li",
            { dataset: { user: member.id } },
            showPhoto(
              h(
                "span",
                { class: `avatar avatar-sm hue-${hue(member.id)}`, "aria-hidden": "true" },
                initials(member.display_name),
              ),
              member,
            ),
            h("span", { class: "info-name" }, member.id === me ? "You" : member.display_name),
            ROLE_LABEL[member.role] ? h("span", { class: "role-badge" }, ROLE_LABEL[member.role]) : null,
            admin && member.id !== me && member.role !== "owner" ? this.memberActions(member) : null,
          ),
        ),
      ),
    );
  }

  memberActions(member) {
    const name = member.display_name;
    const promote = member.role === "admin" ? "member" : "admin";
    return h(
      "span",
      { class: "member-actions" },
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          "aria-label": promote === "admin" ? `Make ${name} an admin` : `Dismiss ${name} as admin`,
          onclick: () => this.act(() => this.groups.setRole(this.id, member.id, promote)),
        },
        promote === "admin" ? "Make admin" : "Dismiss as admin",
      ),
      h(
        "button",
        {
          type: "button",
          class: "link-button danger",
          "aria-label": `Remove ${name}`,
          onclick: () => this.act(() => this.groups.remove(this.id, member.id)),
        },
        "Remove",
      ),
    );
  }

  adding() {
    const id = uid("add");
    const input = h("input", { id, type: "text", placeholder: "@handle or +phone, separated by commas" });
    const submit = (event) => {
      event.preventDefault();
      const people = input.value
        .split(/[,\n]/)
        .map((v) => v.trim())
        .filter(Boolean)
        .map(personRef);
      if (people.length) this.act(() => this.groups.add(this.id, people).then(() => (input.value = "")));
    };
    return h(
      "form",
      { class: "field group-add", onsubmit: submit },
      h("label", { for: id }, "Add people"),
      h("div", { class: "group-add-row" }, input, h("button", { type: "submit", class: "btn" }, "Add")),
    );
  }

  leaving() {
    if (!this.confirmLeave) {
      return h(
        "button",
        { type: "button", class: "btn btn-danger", onclick: () => ((this.confirmLeave = true), this.draw()) },
        "Leave group",
      );
    }
    return h(
      "div",
      { class: "group-leave" },
      h("p", {}, "Leave this group? You keep what you have, and receive nothing more."),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-danger",
          onclick: () => this.act(() => this.groups.leave(this.id)),
        },
        "Leave",
      ),
      h(
        "button",
        { type: "button", class: "btn", onclick: () => ((this.confirmLeave = false), this.draw()) },
        "Cancel",
      ),
    );
  }
}
