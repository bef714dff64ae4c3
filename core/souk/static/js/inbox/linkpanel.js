// A business's click-to-chat link and its QR code, for its staff to share: on a shop window, a
// receipt, a website. Like wa.me, the link names the business, never a person.

import { h } from "../dom.js";

export class LinkPanel {
  constructor(handle) {
    const path = `/b/${encodeURIComponent(handle)}`;
    const qr = `/api/v1/businesses/${encodeURIComponent(handle)}/qr.png`;
    this.address = `${location.origin}${path}`;
    this.copied = h("span", { class: "inbox-link-status", role: "status" });
    this.element = h(
      "section",
      { class: "inbox-link", "aria-label": "Link and QR code", hidden: true },
      h("p", {}, "Customers who open this link, or scan the code, land in a chat with the business."),
      h("p", {}, h("a", { class: "inbox-link-address", href: path }, this.address)),
      h("img", { class: "inbox-link-qr", src: qr, alt: `QR code of ${this.address}`, width: 160, height: 160 }),
      h(
        "p",
        {},
        h("button", { class: "btn", type: "button", onclick: () => this.copy() }, "Copy link"),
        " ",
        h("a", { class: "btn", href: qr, download: `${handle}-qr.png` }, "Download QR code"),
        " ",
        this.copied,
      ),
    );
  }

  toggle() {
    this.element.hidden = !this.element.hidden;
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.address);
      this.copied.textContent = "Copied.";
    } catch {
      this.copied.textContent = "Copy it from above.";
    }
  }
}
