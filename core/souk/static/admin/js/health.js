// Health per mini-app and country: requests, error rate, p50 and p99, breaker, over 5 and 60 minutes.

import { h, replace } from "../../js/dom.js";
import { call } from "./api.js";

const ms = (value) => (value === null ? "–" : `${value.toFixed(1)} ms`);
const rate = (value) => `${(value * 100).toFixed(1)}%`;

export async function healthSection(main) {
  const report = await call("GET", "/api/v1/admin/health");
  const head = ["Mini-app", "Country", "State", "Breaker (60 s)"];
  for (const window of ["5 min", "60 min"]) head.push(`Requests ${window}`, `Errors ${window}`, `p50 ${window}`, `p99 ${window}`);
  const rows = report.rows.map((row) =>
    h(
      "tr",
      { dataset: { app: row.app, country: row.country } },
      h("td", {}, row.app),
      h("td", {}, row.country),
      h("td", {}, row.percent !== null && row.percent < 100 ? `${row.state} (${row.percent}%)` : row.state),
      h("td", {}, `${row.breaker.failures}/${row.breaker.requests} failed, ${row.breaker.people} people`),
      ["5m", "60m"].map((w) => {
        const f = row.windows[w];
        return [h("td", {}, String(f.requests)), h("td", {}, rate(f.error_rate)), h("td", {}, ms(f.p50_ms)), h("td", {}, ms(f.p99_ms))];
      }),
    ),
  );
  replace(
    main,
    h("div", { class: "row" }, h("button", { type: "button", class: "act plain", onclick: () => healthSection(main) }, "Refresh")),
    h(
      "table",
      { id: "health" },
      h("thead", {}, h("tr", {}, head.map((t) => h("th", {}, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: String(head.length), class: "note" }, "No requests yet."))),
    ),
    h("p", { class: "note" }, "The same figures as JSON: GET /api/v1/admin/health; for Prometheus: /metrics."),
  );
}
