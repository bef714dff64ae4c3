// Settings, Profile: the name and handle others see, and the time zone that says what "today"
// and "10:00" mean for me (in mini-apps too). A refused value is explained beside its field.

import { ApiError } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { setPlace } from "../format.js";
import { drawAvatar } from "../photos.js";

const FIELD_OF_CODE = {
  invalid_name: "display_name",
  invalid_handle: "handle",
  handle_taken: "handle",
  invalid_time_zone: "time_zone",
};

function timeZones(current) {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return known.includes(current) ? known : [current, ...known];
}

export class ProfileSettings {
  constructor({ api, store }) {
    this.api = api;
    this.store = store;
    this.inputs = {};
    this.errors = {};
    this.status = h("p", { class: "privacy-status", role: "status" });
    this.avatar = h("span", { class: "avatar avatar-lg", "aria-hidden": "true" });
    this.photoStatus = h("p", { class: "privacy-status", role: "status" });
    this.photoInput = h("input", {
      type: "file",
      accept: "image/jpeg,image/png,image/webp,image/gif",
      class: "visually-hidden",
      id: uid("photo"),
      onchange: () => this.upload(),
    });
    this.form = h("form", { class: "dialog-form", onsubmit: (e) => (e.preventDefault(), this.save()) });
    this.element = h("div", { class: "settings-section" }, this.form);
  }

  field(key, label, control, help) {
    const id = uid("profile");
    const errorId = `${id}-error`;
    control.id = id;
    control.name = key;
    control.setAttribute("aria-describedby", errorId);
    this.inputs[key] = control;
    this.errors[key] = h("p", { class: "field-error", id: errorId, hidden: true });
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      control,
      help ? h("p", { class: "field-help" }, help) : null,
      this.errors[key],
    );
  }

  load() {
    const me = this.store.me;
    this.status.textContent = "";
    drawAvatar(this.avatar, me, "avatar-lg");
    this.photoStatus.textContent = "";
    replace(
      this.form,
      h(
        "div",
        { class: "profile-head" },
        this.avatar,
        h(
          "div",
          { class: "profile-photo" },
          h("p", { class: "me-name" }, me.display_name),
          h("p", { class: "me-handle" }, me.phone),
          h(
            "div",
            { class: "settings-app-actions" },
            h("label", { class: "btn btn-secondary", for: this.photoInput.id }, me.photo ? "Change photo" : "Add a photo"),
            this.photoInput,
            me.photo
              ? h("button", { type: "button", class: "btn btn-secondary", onclick: () => this.setPhoto("") }, "Remove photo")
              : null,
          ),
          this.photoStatus,
        ),
      ),
      this.field(
        "display_name",
        "Name",
        h("input", { type: "text", maxlength: 60, required: true, value: me.display_name }),
      ),
      this.field(
        "handle",
        "Handle",
        h("input", { type: "text", maxlength: 24, required: true, value: me.handle, autocapitalize: "none" }),
        "How people find you without your number: 3 to 24 of a-z, 0-9 and _, starting with a letter.",
      ),
      this.field(
        "time_zone",
        "Time zone",
        h(
          "select",
          {},
          timeZones(me.time_zone).map((zone) => h("option", { value: zone, selected: zone === me.time_zone }, zone)),
        ),
      ),
      this.status,
      h("div", { class: "dialog-actions" }, h("button", { type: "submit", class: "btn btn-primary" }, "Save")),
    );
  }

  /** The picked picture goes to the media store (its location and other metadata removed there). */
  async upload() {
    const file = this.photoInput.files && this.photoInput.files[0];
    if (!file) return;
    this.photoStatus.textContent = "Uploading…";
    try {
      const media = await this.api.upload("/media", { purpose: "profile", name: file.name }, file);
      await this.setPhoto(media.id);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.photoStatus.textContent = error.message;
    } finally {
      this.photoInput.value = "";
    }
  }

  async setPhoto(mediaId) {
    try {
      const me = await this.api.request("PATCH", "/me", { body: { photo: mediaId } });
      this.store.me = me;
      this.store.emit("me");
      this.load();
      this.photoStatus.textContent = mediaId ? "Photo saved." : "Photo removed.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.photoStatus.textContent = error.message;
    }
  }

  async save() {
    for (const key of Object.keys(this.errors)) {
      this.errors[key].hidden = true;
      this.inputs[key].removeAttribute("aria-invalid");
    }
    const body = {};
    for (const [key, input] of Object.entries(this.inputs)) {
      const value = input.value.trim();
      if (value !== this.store.me[key]) body[key] = value;
    }
    if (!Object.keys(body).length) {
      this.status.textContent = "Nothing to save.";
      return;
    }
    this.status.textContent = "Saving…";
    try {
      const me = await this.api.request("PATCH", "/me", { body });
      this.store.me = me;
      setPlace(me.locale, me.time_zone);
      this.store.emit("me");
      this.load();
      this.status.textContent = "Saved.";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const key = FIELD_OF_CODE[error.code];
      const details = Array.isArray(error.details) ? error.details : [];
      const detail = details.find((d) => d.loc && d.loc[0] in this.errors);
      const target = key || (detail && detail.loc[0]);
      this.status.textContent = target ? "" : error.message;
      if (target) {
        this.errors[target].textContent = key ? error.message : detail.msg;
        this.errors[target].hidden = false;
        this.inputs[target].setAttribute("aria-invalid", "true");
        this.inputs[target].focus();
      }
    }
  }
}
