// The moderation queue: reports mini-apps raised, newest first; dismiss one, or suspend its subject.

import { h, replace } from "../../js/dom.js";
import { call, mayChange } from "./api.js";

const chosen = { state: "open", app: "", country: "" };
const PAGE = 50;

const DECISIONS = [
  ["dismiss", () => "Dismiss", "plain"],
  ["suspend_in_app", (report) => `Suspend in ${report.app}`, "danger"],
  ["suspend_everywhere", () => "Suspend everywhere", "danger"],
];

function query(before) {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [name, value] of Object.entries(chosen)) if (value) params.set(name, value);
  if (before) params.set("before", before);
  return params.toString();
}

function person(who) {
  if (!who) return "";
  const name = who.display_name ?? "(erased)";
  return who.handle ? `${name} @${who.handle}` : name;
}

function decisionCell(report, operator, problem, again) {
  if (report.state !== "open") {
    const decided = `${report.outcome} by ${report.resolved_by}${report.note ? `: ${report.note}` : ""}`;
    if (!report.suspension_in_force || !mayChange(operator, report.country)) return h("td", {}, decided);
    const lift = async () => {
      try {
        await call("DELETE", `/api/v1/admin/reports/${encodeURIComponent(report.id)}/suspension`);
        await again(`Report ${report.id}: suspension lifted.`);
      } catch (failure) {
        problem.textContent = failure.message;
      }
    };
    return h("td", {}, decided, " ", h("button", { type: "button", class: "act plain", onclick: lift }, "Lift suspension"));
  }
  if (!mayChange(operator, report.country)) return h("td", { class: "note" }, "open");
  const note = h("input", { name: "note", placeholder: "note", "aria-label": `Note on report ${report.id}`, size: "12" });
  const decide = async (decision) => {
    try {
      await call("POST", `/api/v1/admin/reports/${encodeURIComponent(report.id)}/decision`, { decision, note: note.value.trim() });
      await again(`Report ${report.id}: ${decision.replaceAll("_", " ")}.`);
    } catch (failure) {
      problem.textContent = failure.message;
    }
  };
  const buttons = DECISIONS.map(([decision, label, style]) =>
    h("button", { type: "button", class: `act ${style}`, onclick: () => decide(decision) }, label(report)),
  );
  return h("td", {}, h("div", { class: "row" }, note, buttons));
}

function filters(main, operator) {
  const state = h(
    "select",
    { name: "state", "aria-label": "Filter by state" },
    ["open", "dismissed", "actioned", ""].map((value) =>
      h("option", { value, selected: chosen.state === value }, value || "any state"),
    ),
  );
  const app = h("input", { name: "app", value: chosen.app, placeholder: "mini-app", "aria-label": "Filter by mini-app", size: "10" });
  const country = h("input", { name: "country", value: chosen.country, placeholder: "country", "aria-label": "Filter by country", size: "4" });
  return h(
    "form",
    {
      class: "row",
      onsubmit: (event) => {
        event.preventDefault();
        Object.assign(chosen, { state: state.value, app: app.value.trim(), country: country.value.trim().toUpperCase() });
        reportsSection(main, operator);
      },
    },
    state,
    app,
    country,
    h("button", { type: "submit", class: "act plain" }, "Filter"),
  );
}

export async function reportsSection(main, operator, told = "", before = "") {
  const page = await call("GET", `/api/v1/admin/reports?${query(before)}`);
  const problem = h("p", { class: "error", role: "alert" });
  const again = (message) => reportsSection(main, operator, message);
  const rows = page.reports.map((r) =>
    h(
      "tr",
      { "data-report": r.id },
      h("td", {}, r.created_at.replace("T", " ").slice(0, 19)),
      h("td", {}, r.app),
      h("td", {}, r.country),
      h("td", {}, r.reason),
      h("td", {}, r.details),
      h("td", {}, person(r.subject), h("div", { class: "note" }, r.subject.suspended_from.length ? `suspended from ${r.subject.suspended_from.join(", ")}` : "")),
      h("td", {}, person(r.reporter)),
      decisionCell(r, operator, problem, again),
    ),
  );
  const older =
    page.reports.length === PAGE
      ? h("button", { type: "button", class: "act plain", onclick: () => reportsSection(main, operator, "", page.reports.at(-1).id) }, "Older reports")
      : "";
  replace(
    main,
    filters(main, operator),
    h("p", { role: "status" }, told),
    problem,
    h(
      "table",
      { id: "reports" },
      h("thead", {}, h("tr", {}, ["When (UTC)", "Mini-app", "Country", "Reason", "Details", "About", "Reported by", "Decision"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: "8", class: "note" }, "No reports."))),
    ),
    older,
  );
}
