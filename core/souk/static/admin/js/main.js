// The operator console: sign in with an operator account, then one section at a time.

import { h, replace } from "../../js/dom.js";
import { call, keep, session } from "./api.js";
import { auditSection } from "./audit.js";
import { healthSection } from "./health.js";
import { matrixSection } from "./matrix.js";
import { reportsSection } from "./reports.js";

const SECTIONS = [
  ["Countries", matrixSection],
  ["Health", healthSection],
  ["Reports", reportsSection],
  ["Audit log", auditSection],
];

const root = document.getElementById("console");

function signInForm(problem) {
  const name = h("input", { id: "operator-name", name: "name", autocomplete: "username", required: true });
  const key = h("input", { id: "operator-key", name: "key", type: "password", autocomplete: "current-password", required: true });
  const error = h("p", { class: "error", role: "alert" }, problem || "");
  const form = h(
    "form",
    {
      class: "signin",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          keep(await call("POST", "/api/v1/admin/session", { name: name.value.trim(), key: key.value.trim() }));
          start();
        } catch (failure) {
          error.textContent = failure.message;
        }
      },
    },
    h("h1", {}, "Souk console"),
    h("p", { class: "note" }, "Sign in with an operator account (souk operators add)."),
    h("label", {}, "Account", name),
    h("label", {}, "Key", key),
    error,
    h("button", { class: "act", type: "submit" }, "Sign in"),
  );
  replace(root, form);
  name.focus();
}

function start() {
  const current = session();
  if (!current) return signInForm();
  const operator = current.operator;
  const main = h("main", { id: "section" });
  const tabs = SECTIONS.map(([label, show]) =>
    h("button", { type: "button", role: "tab", onclick: () => open(label, show) }, label),
  );
  async function open(label, show) {
    for (const tab of tabs) tab.setAttribute("aria-selected", String(tab.textContent === label));
    try {
      await show(main, operator);
    } catch (failure) {
      if (!session()) return signInForm("Your session ended; sign in again.");
      replace(main, h("p", { class: "error", role: "alert" }, failure.message));
    }
  }
  const signOut = async () => {
    try {
      await call("DELETE", "/api/v1/admin/session");
    } finally {
      keep(null);
      signInForm();
    }
  };
  replace(
    root,
    h(
      "header",
      {},
      h("h1", {}, "Souk console"),
      h("span", { class: "who" }, `${operator.name} · ${operator.role} · ${operator.countries.join(", ")}`),
      h("button", { type: "button", class: "act plain", onclick: signOut }, "Sign out"),
    ),
    h("nav", { role: "tablist" }, tabs),
    main,
  );
  open(...SECTIONS[0]);
}

start();
