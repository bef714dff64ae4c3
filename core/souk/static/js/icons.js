// A few line icons, drawn here as SVG shapes (24x24 grid, stroked with currentColor).

const SVG = "http://www.w3.org/2000/svg";

const SHAPES = {
  send: [
    ["path", { d: "M4 12 20 4l-5 16-3-7-8-1z" }],
    ["path", { d: "m12 13 8-9" }],
  ],
  plus: [["path", { d: "M12 5v14M5 12h14" }]],
  back: [["path", { d: "M15 5 8 12l7 7" }]],
  close: [["path", { d: "M6 6l12 12M18 6 6 18" }]],
  logout: [
    ["path", { d: "M10 5H5v14h5" }],
    ["path", { d: "M14 8l4 4-4 4M18 12H9" }],
  ],
  lock: [
    ["rect", { x: 5, y: 11, width: 14, height: 9, rx: 2 }],
    ["path", { d: "M8 11V8a4 4 0 0 1 8 0v3" }],
  ],
  shield: [
    ["path", { d: "M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z" }],
    ["path", { d: "m9 12 2 2 4-4" }],
  ],
  settings: [
    ["circle", { cx: 12, cy: 12, r: 3 }],
    [
      "path",
      {
        d:
          "M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 " +
          "1.65 1.65 0 0 0-1 1.51V21a2 2 0 1 1-4 0v-.09A1.65 1.65 0 0 0 9 19.4a1.65 1.65 0 0 0-1.82.33l-.06.06" +
          "a2 2 0 1 1-2.83-2.83l.06-.06a1.65 1.65 0 0 0 .33-1.82 1.65 1.65 0 0 0-1.51-1H3a2 2 0 1 1 0-4h.09" +
          "A1.65 1.65 0 0 0 4.6 9a1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06a1.65 1.65 0 0 0 " +
          "1.82.33H9a1.65 1.65 0 0 0 1-1.51V3a2 2 0 1 1 4 0v.09a1.65 1.65 0 0 0 1 1.51 1.65 1.65 0 0 0 1.82-.33" +
          "l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06a1.65 1.65 0 0 0-.33 1.82V9a1.65 1.65 0 0 0 1.51 1H21a2 2 0 1 1 0 4" +
          "h-.09a1.65 1.65 0 0 0-1.51 1z",
      },
    ],
  ],
  switch: [
    ["path", { d: "M4 8h13l-3-3M20 16H7l3 3" }],
  ],
  download: [["path", { d: "M12 4v11M7 10l5 5 5-5M5 20h14" }]],
  attach: [["path", { d: "M20 11.5 12.5 19a5 5 0 0 1-7-7L13 4.5a3.3 3.3 0 0 1 4.7 4.7L10.2 16.7a1.7 1.7 0 0 1-2.4-2.4L14.5 7.6" }]],
  check: [["path", { d: "m5 12 5 5 9-10" }]],
  checks: [
    ["path", { d: "m2 12.5 4.5 4.5L15 7.5" }],
    ["path", { d: "m11.5 16 1 1L21 7.5" }],
  ],
  users: [
    ["circle", { cx: 9, cy: 8, r: 3.5 }],
    ["path", { d: "M2.5 20c.5-3.5 3.2-5.5 6.5-5.5s6 2 6.5 5.5" }],
    ["path", { d: "M16 4.8a3.5 3.5 0 0 1 0 6.4M18 14.8c2 .7 3.2 2.5 3.5 5.2" }],
  ],
  user: [
    ["circle", { cx: 12, cy: 8, r: 4 }],
    ["path", { d: "M4 21c.6-4 3.8-6.5 8-6.5s7.4 2.5 8 6.5" }],
  ],
  apps: [
    ["rect", { x: 4, y: 4, width: 7, height: 7, rx: 2 }],
    ["rect", { x: 13, y: 4, width: 7, height: 7, rx: 2 }],
    ["rect", { x: 4, y: 13, width: 7, height: 7, rx: 2 }],
    ["rect", { x: 13, y: 13, width: 7, height: 7, rx: 2 }],
  ],
  search: [
    ["circle", { cx: 11, cy: 11, r: 6 }],
    ["path", { d: "m20 20-4.5-4.5" }],
  ],
  chat: [
    ["path", { d: "M5 5h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-8l-5 4v-4H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z" }],
  ],
  slash: [["path", { d: "M15 4 9 20" }]],
  down: [["path", { d: "M12 5v14M6 13l6 6 6-6" }]],
  clock: [
    ["circle", { cx: 12, cy: 12, r: 8.5 }],
    ["path", { d: "M12 7.5V12l3 2" }],
  ],
  ban: [
    ["circle", { cx: 12, cy: 12, r: 8.5 }],
    ["path", { d: "m6 6 12 12" }],
  ],
  reply: [["path", { d: "M10 8 5 12.5l5 4.5M5 12.5h9a5 5 0 0 1 5 5V19" }]],
  more: [["path", { d: "m7 10 5 5 5-5" }]],
  edit: [["path", { d: "M5 19h4L19.5 8.5a2.1 2.1 0 0 0-4-4L5 15z" }]],
  trash: [["path", { d: "M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12" }]],
  info: [
    ["circle", { cx: 12, cy: 12, r: 9 }],
    ["path", { d: "M12 11v5M12 7.5v.5" }],
  ],
  alert: [
    ["circle", { cx: 12, cy: 12, r: 9 }],
    ["path", { d: "M12 7v6M12 16.5v.5" }],
  ],
};

/** An inline SVG icon, hidden from assistive technology (the control around it carries the label). */
export function icon(name, className = "icon") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const [tag, attrs] of SHAPES[name] || []) {
    const shape = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) shape.setAttribute(key, String(value));
    svg.append(shape);
  }
  return svg;
}
