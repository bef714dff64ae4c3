// Signing in: a phone number, then the one-time code sent to it. On a demo server
// (GET /api/v1/demo), the demo's people and code are listed, one click away.

import { ApiError } from "../api.js";
import { h, replace } from "../dom.js";
import { hue, initials } from "../format.js";
import { icon } from "../icons.js";

/** onDemoPerson(phone): resumes a session kept for a demo person; false when there is none. */
export function signInView({ api, notice, onSignedIn, onDemoPerson = async () => false }) {
  let phone = "";
  let demo = null;
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const step = h("div", { class: "signin-step" });
  const demoPanel = h("section", { class: "demo-panel", hidden: true, "aria-labelledby": "demo-title" });

  function fail(failure) {
    if (!(failure instanceof ApiError)) throw failure;
    error.textContent = failure.message.charAt(0).toUpperCase() + failure.message.slice(1);
    error.hidden = false;
  }

  async function busy(button, work) {
    error.hidden = true;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      await work();
    } catch (failure) {
      fail(failure);
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  function phoneStep(prefill = "") {
    const input = h("input", {
      id: "signin-phone",
      type: "tel",
      name: "phone",
      autocomplete: "tel",
      inputmode: "tel",
      placeholder: "+91 98765 00001",
      required: true,
      value: prefill,
    });
    const button = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Send code");
    replace(
      step,
      h(
        "form",
        {
          class: "signin-form",
          onsubmit: (event) => {
            event.preventDefault();
            const value = input.value.trim();
            if (!value) return;
            busy(button, async () => {
              await api.requestCode(value);
              phone = value;
              codeStep();
            });
          },
        },
        h(
          "div",
          { class: "field" },
          h("label", { for: "signin-phone" }, "Phone number"),
          input,
          h("p", { class: "field-help" }, "In international form: + and the country code first."),
        ),
        error,
        button,
      ),
    );
    input.focus();
    return input;
  }

  function codeStep() {
    const code = h("input", {
      id: "signin-code",
      type: "text",
      name: "code",
      inputmode: "numeric",
      autocomplete: "one-time-code",
      pattern: "[0-9]{6}",
      maxlength: 6,
      required: true,
      value: demo ? demo.code : "",
    });
    const name = h("input", {
      id: "signin-name",
      type: "text",
      name: "name",
      autocomplete: "name",
      maxlength: 60,
    });
    const button = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");
    replace(
      step,
      h(
        "form",
        {
          class: "signin-form",
          onsubmit: (event) => {
            event.preventDefault();
            busy(button, async () => {
              const signed = await api.verify(phone, code.value.trim(), name.value.trim());
              onSignedIn(signed.token, signed.user);
            });
          },
        },
        h("p", { class: "signin-sent" }, "We sent a 6-digit code to ", h("strong", {}, phone), "."),
        h(
          "div",
          { class: "field" },
          h("label", { for: "signin-code" }, "Code"),
          code,
          demo ? h("p", { class: "field-help" }, `This demo server accepts ${demo.code}.`) : null,
        ),
        h(
          "div",
          { class: "field" },
          h(
            "label",
            { for: "signin-name" },
            "Your name ",
            h("span", { class: "optional" }, "(only if you are new here)"),
          ),
          name,
        ),
        error,
        button,
        h(
          "button",
          { type: "button", class: "link-button", onclick: () => ((error.hidden = true), phoneStep(phone)) },
          "Use another number",
        ),
      ),
    );
    code.focus();
    code.select();
  }

  function showDemo(info) {
    demo = info;
    replace(
      demoPanel,
      h("h2", { id: "demo-title" }, "Demo server"),
      h(
        "p",
        {},
        "Sign in as one of these people. The code is ",
        h("strong", {}, info.code),
        " for everyone.",
      ),
      h(
        "ul",
        { class: "demo-people" },
        info.people.map((person) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "demo-person",
                "aria-label": `Sign in as ${person.name}, ${person.phone}`,
                onclick: (event) =>
                  busy(event.currentTarget, async () => {
                    if (!(await onDemoPerson(person.phone))) phoneStep(person.phone).form.requestSubmit();
                  }),
              },
              h(
                "span",
                { class: `avatar avatar-sm hue-${hue(person.handle)}`, "aria-hidden": "true" },
                initials(person.name),
              ),
              h(
                "span",
                { class: "demo-person-text" },
                h(
                  "span",
                  { class: "demo-person-name" },
                  person.name,
                  person.operator ? h("span", { class: "kind-tag" }, "operator") : null,
                ),
                h("span", { class: "demo-person-phone" }, `${person.phone} · ${person.country}`),
              ),
            ),
          ),
        ),
      ),
    );
    demoPanel.hidden = false;
  }

  const element = h(
    "main",
    { class: "signin" },
    h(
      "div",
      { class: "signin-card" },
      h(
        "div",
        { class: "brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }, icon("chat")),
        h("h1", {}, "Souk"),
      ),
      h("p", { class: "signin-lead" }, "Chat, shop, pay, book and meet people, in one conversation."),
      notice ? h("p", { class: "signin-notice", role: "status" }, notice) : null,
      step,
    ),
    demoPanel,
  );
  phoneStep();
  api.demo().then(
    (info) => info && info.demo && showDemo(info),
    () => {},
  );
  return element;
}
