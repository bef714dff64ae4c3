// Service levels of a business's inbox, for its staff: per day and per agent, the average wait
// for a first answer, the average time to resolution, how many were resolved, and CSAT (the
// share of ratings of 4 or 5 stars), with a chart of the chats resolved each day.

import { h, replace } from "../dom.js";

const SVG = "http://www.w3.org/2000/svg";
const CHART_HEIGHT = 80;
const BAR_WIDTH = 28;

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child);
  return el;
}

/** "45 s", "12 min", "3 h 5 min", or "–" with nothing to measure. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function percent(value) {
  return value === null || value === undefined ? "–" : `${value}%`;
}

function row(label, figures) {
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, label),
    h("td", {}, duration(figures.first_response_seconds)),
    h("td", {}, duration(figures.resolution_seconds)),
    h("td", { class: "stats-resolved" }, String(figures.resolved)),
    h("td", {}, percent(figures.csat)),
  );
}

function table(caption, rows) {
  return h(
    "table",
    { class: "inbox-stats-table" },
    h("caption", {}, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["", "First response", "Resolution", "Resolved", "CSAT"].map((t) => h("th", { scope: "col" }, t)),
      ),
    ),
    h("tbody", {}, rows),
  );
}

function chart(days) {
  const most = Math.max(1, ...days.map((d) => d.resolved));
  const bars = days.map((d, n) => {
    const height = Math.round((CHART_HEIGHT * d.resolved) / most);
    return svg(
      "rect",
      {
        x: n * (BAR_WIDTH + 6),
        y: CHART_HEIGHT - height,
        width: BAR_WIDTH,
        height,
        class: "inbox-stats-bar",
      },
      svg("title", {}, `${d.day}: ${d.resolved} resolved`),
    );
  });
  return svg(
    "svg",
    {
      class: "inbox-stats-chart",
      role: "img",
      "aria-label": "Resolved each day",
      viewBox: `0 0 ${days.length * (BAR_WIDTH + 6)} ${CHART_HEIGHT}`,
    },
    ...bars,
  );
}

export class StatsPanel {
  constructor(inbox) {
    this.inbox = inbox;
    this.body = h("div", { class: "inbox-stats-body" });
    this.element = h(
      "section",
      { class: "inbox-stats", "aria-label": "Service levels", hidden: true },
      h("h2", {}, "Service levels (last 7 days)"),
      this.body,
    );
  }

  async toggle() {
    this.element.hidden = !this.element.hidden;
    if (!this.element.hidden) await this.load();
  }

  async load() {
    const stats = await this.inbox.stats(7);
    replace(
      this.body,
      chart(stats.days),
      table("In total", [row("All", stats.total)]),
      table(
        "Per agent",
        stats.agents.map((a) => row(a.display_name, a)),
      ),
      table(
        "Per day",
        stats.days.map((d) => row(d.day, d)),
      ),
    );
  }
}
