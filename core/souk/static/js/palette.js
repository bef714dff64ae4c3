// The slash-command palette: type "/" and the commands available to you show up, with their
// one-line help and usage, filtered as you type, picked with the keyboard or a click.

import { h } from "./dom.js";

/** The word being typed as a command ("/pa" -> "pa"), or null when the text is not one yet. */
export function commandQuery(text, caret = text.length) {
  const match = /^\/(\S*)$/.exec(text.slice(0, caret));
  return match && !/\s/.test(text.slice(0, caret)) ? match[1].toLowerCase() : null;
}

/** Commands whose name starts with the query first, then those that contain it, then by help. */
export function matchCommands(commands, query) {
  const scored = [];
  for (const command of commands) {
    const name = command.name.toLowerCase();
    let rank = null;
    if (name.startsWith(query)) rank = 0;
    else if (name.includes(query)) rank = 1;
    else if (query.length >= 3 && `${command.help} ${command.app_title}`.toLowerCase().includes(query))
      rank = 2;
    if (rank !== null) scored.push([rank, command]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
  return scored.map(([, command]) => command);
}

export function takesNoArguments(command) {
  return !command.usage || command.usage.trim() === `/${command.name}`;
}

/** "/pay @to amount [note]" needs some; "/shop [query]" does not. */
export function needsArguments(command) {
  const words = (command.usage || "").trim().split(/\s+/).slice(1);
  return words.some((word) => !word.startsWith("["));
}

export class Palette {
  /** input: the composer's textarea; onPick(command) puts it in the composer. */
  constructor({ input, commands, onPick, onOpen }) {
    this.input = input;
    this.commands = commands; // () => the current list
    this.onPick = onPick;
    this.onOpen = onOpen;
    this.items = [];
    this.active = 0;
    this.open = false;
    this.element = h("div", {
      class: "palette",
      id: "command-palette",
      role: "listbox",
      "aria-label": "Commands",
      hidden: true,
    });
    this.element.addEventListener("scroll", () => this.showMore(), { passive: true });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", this.element.id);
    input.setAttribute("aria-expanded", "false");
  }

  /** Call after every change of the input's text or caret. */
  update() {
    const query = commandQuery(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (this.picking || this.input.value === this.dismissed) return; // stays closed until a change
    this.dismissed = null;
    if (query === null) {
      this.close();
      return;
    }
    if (!this.open) this.onOpen?.();
    this.items = matchCommands(this.commands(), query);
    this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
    this.show(query);
  }

  show(query) {
    this.open = true;
    const options = this.items.map((command, index) =>
      h(
        "div",
        {
          class: `palette-item${index === this.active ? " active" : ""}`,
          id: `palette-${command.name}`,
          role: "option",
          "aria-selected": index === this.active ? "true" : "false",
          dataset: { command: command.name },
          // mousedown, not click: the textarea keeps the focus
          onmousedown: (event) => {
            event.preventDefault();
            this.pick(index);
          },
          onmousemove: () => this.highlight(index),
        },
        h(
          "div",
          { class: "palette-line" },
          h("span", { class: "palette-name" }, `/${command.name}`),
          h("span", { class: "palette-app" }, command.app_title || command.app),
        ),
        h("div", { class: "palette-help" }, command.help),
        takesNoArguments(command) ? null : h("code", { class: "palette-usage" }, command.usage),
      ),
    );
    const empty = h(
      "div",
      { class: "palette-empty" },
      this.commands().length ? `No command matches /${query}` : "No commands are available to you here yet.",
    );
    const count = this.items.length;
    this.more = h("div", { class: "palette-more", "aria-hidden": "true", hidden: true });
    this.element.replaceChildren(
      h(
        "div",
        { class: "palette-head" },
        count === 1 ? "1 command" : `${count} commands`,
        h("span", {}, "↑↓ to choose · Enter to pick · Esc to close"),
      ),
      ...(options.length ? options : [empty]),
      this.more,
    );
    this.element.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.syncActive();
    this.showMore();
  }

  /** "6 more below": the commands under the palette's edge, until it is scrolled to the end. */
  showMore() {
    if (!this.more) return;
    const bottom = this.element.scrollTop + this.element.clientHeight - this.more.offsetHeight;
    const below = [...this.element.querySelectorAll(".palette-item")].filter(
      (item) => item.offsetTop + item.offsetHeight / 2 > bottom,
    ).length;
    this.more.hidden = below === 0;
    this.more.textContent = `${below} more below · scroll or press ↓`;
  }

  highlight(index) {
    if (index === this.active) return;
    this.active = index;
    this.element.querySelectorAll(".palette-item").forEach((el, i) => {
      el.classList.toggle("active", i === index);
      el.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.syncActive();
  }

  syncActive() {
    const command = this.items[this.active];
    if (command) {
      this.input.setAttribute("aria-activedescendant", `palette-${command.name}`);
      this.element
        .querySelector(`#palette-${CSS.escape(command.name)}`)
        ?.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  close() {
    if (!this.open) return;
    this.open = false;
    this.active = 0;
    this.element.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  pick(index) {
    const command = this.items[index];
    if (!command) return;
    this.close();
    this.picking = true;
    try {
      this.onPick(command);
    } finally {
      this.picking = false;
    }
    this.dismissed = this.input.value;
  }

  /** Returns true when the palette used the key. */
  keydown(event) {
    if (!this.open) return false;
    const count = this.items.length;
    switch (event.key) {
      case "ArrowDown":
        if (count) this.highlight((this.active + 1) % count);
        return true;
      case "ArrowUp":
        if (count) this.highlight((this.active - 1 + count) % count);
        return true;
      case "Enter":
      case "Tab": {
        if (event.shiftKey || !count) return false;
        const command = this.items[this.active];
        if (event.key === "Enter" && this.input.value === `/${command.name}` && !needsArguments(command)) {
          this.close(); // complete already: let Enter send it
          return false;
        }
        this.pick(this.active);
        return true;
      }
      case "Escape":
        this.dismissed = this.input.value;
        this.close();
        return true;
      default:
        return false;
    }
  }
}
