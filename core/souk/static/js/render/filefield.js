// A form's file field (ui.FileField): a file picked on this device, sent with the form as
// {name, content_base64}. One larger than the field allows is refused here, before sending.

import { dataUrlOf } from "../dataurl.js";
import { h } from "../dom.js";

async function base64Of(file) {
  return (await dataUrlOf(file)).replace(/^data:[^,]*,/, "");
}

function size(bytes) {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** {element, read, refusal, focus, invalid}: read() is a promise of the value, or undefined. */
export function fileControl(field, id, describedBy) {
  const element = h("input", {
    id,
    type: "file",
    name: field.name,
    accept: (field.accept || []).join(",") || false,
    required: field.required,
    "aria-describedby": describedBy,
    dataset: { field: field.name },
  });
  const picked = () => (element.files && element.files.length ? element.files[0] : null);
  return {
    element,
    async read() {
      const file = picked();
      return file ? { name: file.name, content_base64: await base64Of(file) } : undefined;
    },
    refusal() {
      const file = picked();
      return file && file.size > field.max_bytes ? `must be at most ${size(field.max_bytes)}` : null;
    },
    focus: () => element.focus(),
    invalid(refused) {
      if (refused) element.setAttribute("aria-invalid", "true");
      else element.removeAttribute("aria-invalid");
    },
  };
}
