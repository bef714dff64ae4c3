// After "Delete my account": the erase receipt, Souk's part and each mini-app's: what was
// deleted, what was kept under an id linked to nobody, and what stays and why.

import { h } from "../dom.js";
import { whenLine } from "./dialog.js";

function counts(label, rows) {
  const entries = Object.entries(rows || {});
  if (!entries.length) return null;
  const total = entries.reduce((n, [, count]) => n + count, 0);
  return h(
    "p",
    {},
    h("strong", {}, `${label}: ${total}`),
    ` (${entries.map(([table, count]) => `${table.replaceAll("_", " ")} ${count}`).join(", ")})`,
  );
}

export function erasedView({ receipt, titles, onDone }) {
  const names = Object.keys(receipt.parts).sort((a, b) => (a === "souk" ? -1 : b === "souk" ? 1 : a.localeCompare(b)));
  return h(
    "main",
    { class: "signin erased" },
    h(
      "section",
      { class: "signin-card erase-receipt", "aria-labelledby": "erased-title" },
      h("h1", { id: "erased-title" }, "Your account was deleted"),
      h(
        "p",
        { class: "signin-lead" },
        `Erased ${whenLine(receipt.erased_at)}, here and in every mini-app. Signing in again with your number starts a new, empty account.`,
      ),
      h(
        "ul",
        { class: "receipt-parts", "aria-label": "Erase receipt" },
        names.map((name) => {
          const part = receipt.parts[name];
          return h(
            "li",
            { class: "receipt-part", dataset: { part: name } },
            h("h2", {}, name === "souk" ? "Souk" : titles[name] || name),
            counts("Deleted", part.deleted),
            counts("Kept without you", part.pseudonymised),
            part.kept.length ? h("ul", { class: "receipt-kept" }, part.kept.map((why) => h("li", {}, why))) : null,
            !Object.keys(part.deleted).length && !Object.keys(part.pseudonymised).length && !part.kept.length
              ? h("p", { class: "info-empty" }, "Held nothing about you.")
              : null,
          );
        }),
      ),
      h("button", { type: "button", class: "btn btn-primary btn-block", onclick: onDone }, "Done"),
    ),
  );
}
