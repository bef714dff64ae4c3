// The composer: a growing text box that sends on Enter (Shift+Enter for a new line), with the
// command palette above it and, once a command is chosen, its usage as a hint below. Above the
// box, the message being answered (Reply) or changed (Edit); Escape or its × lets it go.

import { h, replace } from "../dom.js";
import { icon } from "../icons.js";
import { Palette, takesNoArguments } from "../palette.js";
import { quoteBlock } from "../render/quote.js";

const MAX_HEIGHT = 160;

export class Composer {
  constructor({ store, onSend, onEdit, onTyping, onPaletteOpen, onAttach }) {
    this.store = store;
    this.onSend = onSend;
    this.onAttach = onAttach;
    this.onEdit = onEdit;
    this.onTyping = onTyping;
    this.context = null; // {mode: "reply" | "edit", message}
    this.contextBar = h("div", { class: "composer-context", hidden: true });
    this.input = h("textarea", {
      id: "composer-input",
      class: "composer-input",
      rows: 1,
      maxlength: 4000,
      placeholder: "Message, or / for commands",
      "aria-label": "Message",
      autocomplete: "off",
    });
    this.hint = h("p", { class: "composer-hint", id: "composer-hint", "aria-live": "polite", hidden: true });
    this.input.setAttribute("aria-describedby", this.hint.id);
    this.palette = new Palette({
      input: this.input,
      commands: () => store.commands,
      onPick: (command) => this.insertCommand(command),
      onOpen: onPaletteOpen,
    });
    this.sendButton = h(
      "button",
      { type: "submit", class: "icon-button send-button", "aria-label": "Send", title: "Send (Enter)" },
      icon("send"),
    );
    // A photo or a file: what is typed in the box goes with it as its caption.
    this.fileInput = h("input", {
      type: "file",
      class: "composer-file",
      hidden: true,
      "aria-label": "Photo or file to send",
      onchange: () => this.attach(),
    });
    this.attachButton = h(
      "button",
      {
        type: "button",
        class: "icon-button attach-button",
        "aria-label": "Send a photo or file",
        title: "Send a photo or file",
        onclick: () => this.fileInput.click(),
      },
      icon("attach"),
    );
    this.element = h(
      "form",
      { class: "composer", onsubmit: (event) => (event.preventDefault(), this.submit()) },
      this.palette.element,
      this.contextBar,
      h("div", { class: "composer-row" }, this.attachButton, this.fileInput, this.input, this.sendButton),
      this.hint,
    );
    this.input.addEventListener("keydown", (event) => this.keydown(event));
    this.input.addEventListener("input", () => {
      this.changed();
      if (this.input.value.trim() && this.context?.mode !== "edit") this.onTyping?.();
    });
    this.input.addEventListener("click", () => this.palette.update());
    this.input.addEventListener("blur", () => setTimeout(() => this.palette.close(), 150));
    store.addEventListener("commands", () => this.palette.open && this.palette.update());
  }

  keydown(event) {
    if (event.isComposing) return;
    if (this.palette.keydown(event)) {
      event.preventDefault();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === "Escape" && this.context) {
      event.preventDefault();
      this.setContext(null);
    }
  }

  /** Answer `message` (mode "reply") or change its text (mode "edit"); null: neither. */
  setContext(context) {
    const wasEditing = this.context?.mode === "edit";
    this.context = context;
    this.contextBar.hidden = !context;
    if (!context) {
      replace(this.contextBar);
      if (wasEditing) this.setText("");
      return;
    }
    const { mode, message } = context;
    replace(
      this.contextBar,
      mode === "edit"
        ? h("p", { class: "composer-context-label" }, icon("edit", "icon icon-xs"), "Editing message")
        : quoteBlock(
            { seq: message.seq, sender: message.sender, text: message.text },
            message.conversation_id,
            this.store,
          ),
      h(
        "button",
        {
          type: "button",
          class: "icon-button composer-context-close",
          "aria-label": mode === "edit" ? "Cancel editing" : "Cancel reply",
          onclick: () => (this.setContext(null), this.focus()),
        },
        icon("close", "icon icon-sm"),
      ),
    );
    if (mode === "edit") this.setText(message.text);
    this.focus();
  }

  changed() {
    this.grow();
    this.palette.update();
    this.showUsage();
  }

  grow() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(MAX_HEIGHT, this.input.scrollHeight)}px`;
  }

  insertCommand(command) {
    this.input.value = takesNoArguments(command) ? `/${command.name}` : `/${command.name} `;
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    this.changed();
  }

  /** "/pay @to amount [note] — Send money" under the box while a known command is typed. */
  showUsage() {
    const match = /^\/(\S+)(\s|$)/.exec(this.input.value);
    const command =
      match && !this.palette.open && this.store.commands.find((c) => c.name === match[1].toLowerCase());
    this.hint.hidden = !command;
    this.hint.replaceChildren(
      ...(command
        ? [h("code", {}, command.usage || `/${command.name}`), h("span", {}, ` — ${command.help}`)]
        : []),
    );
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    const context = this.context;
    if (context?.mode === "edit") this.onEdit(context.message, text);
    else this.onSend(text, context?.mode === "reply" ? context.message.seq : null);
    this.context = null;
    this.setContext(null);
    this.input.value = "";
    this.changed();
    this.input.focus();
  }

  attach() {
    const files = [...this.fileInput.files];
    this.fileInput.value = "";
    if (!files.length || this.context?.mode === "edit") return;
    const caption = this.input.value.trim().startsWith("/") ? "" : this.input.value.trim();
    files.forEach((file, index) => this.onAttach?.(file, index === 0 ? caption : ""));
    if (caption) this.setText("");
    this.input.focus();
  }

  setText(text) {
    this.input.value = text;
    this.palette.close();
    this.palette.dismissed = text; // a restored draft does not pop the palette open
    this.changed();
  }

  /** Say why nothing can be written here (null: it can). */
  setBlocked(reason) {
    this.blocked = reason;
    this.input.placeholder = reason || "Message, or / for commands";
    this.setEnabled(!reason);
    if (reason) this.setContext(null);
  }

  setEnabled(enabled) {
    if (enabled && this.blocked) return;
    this.input.disabled = !enabled;
    this.sendButton.disabled = !enabled;
    this.attachButton.disabled = !enabled;
  }

  focus() {
    this.input.focus();
  }
}
