// Building DOM nodes without HTML strings.
//
// Every piece of text that reaches the page goes through createTextNode or
// textContent, never an HTML parser: a message that contains markup or a script is
// shown as the characters it is made of, and runs nothing.

const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "hidden", "open"]);

/**
 * h("button", {class: "btn", onclick: f, "aria-label": "Send"}, "Send", child, [more, children])
 * Attributes whose value is false, null or undefined are left out; "on..." attributes
 * must be functions (they become listeners); children are nodes, strings or arrays of them.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) {
      if (typeof value !== "function") throw new TypeError(`${name} must be a function`);
      el.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else if (PROPERTIES.has(name)) {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let counter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = "id") {
  counter += 1;
  return `${prefix}-${counter}`;
}
