"""Commands and screens in the browser: the slash palette, a mini-app's screen with a button and a
form (its errors beside the field), and a consent request, which becomes its answer."""

from __future__ import annotations

import re

import pytest
from browser_support import ASHA, BRUNA, TIAGO
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_palette_then_a_screen_with_a_button_and_a_form(web_server, open_page) -> None:
    page = open_page(web_server, ASHA)
    page.locator(".conversation-button", has_text="Souk demo").click()
    box = page.locator("#composer-input")
    box.press("/")

    palette = page.get_by_role("listbox", name="Commands")
    expect(palette).to_be_visible()
    options = palette.get_by_role("option")
    expect(options.filter(has_text="/order")).to_contain_text("Order something from the kiosk")
    expect(options.filter(has_text="/order")).to_contain_text("/order [item]")
    expect(options.filter(has_text="/help")).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")

    box.type("or")  # filtered as you type
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # picked by keyboard
    expect(palette).to_be_hidden()
    expect(box).to_have_value("/order ")
    expect(page.locator(".composer-hint")).to_contain_text("/order [item]")
    box.type("samosa")
    box.press("Enter")

    screen = page.locator(".msg-app.msg-screen", has_text="Order samosa")
    expect(screen).to_be_visible()
    expect(screen).to_have_class(re.compile(r"\bmsg-private\b"))  # the answer to a command in a group
    expect(screen.locator(".private-tag")).to_have_text("Only you")
    expect(screen.locator(".screen-card-subtitle")).to_have_text("₹20.00 a glass")
    expect(screen.locator(".screen-list-item")).to_have_count(2)

    screen.get_by_role("button", name="Add sugar").click()
    expect(page.locator(".msg-app", has_text="Sugar added to your samosa.")).to_have_count(1)

    how_many = screen.get_by_label("How many")
    size = screen.get_by_label("Size")
    expect(size).to_have_value("small")  # a field the mini-app filled in
    size.select_option("large")
    how_many.fill("0")
    screen.get_by_role("button", name="Place order").click()
    error = screen.locator(".field-number .field-error")
    expect(error).to_have_text("Must be at least 1.")
    expect(how_many).to_have_attribute("aria-invalid", "true")
    expect(how_many).to_be_focused()
    described = how_many.get_attribute("aria-describedby") or ""
    assert error.get_attribute("id") in described.split(), "the error is not tied to its field"
    expect(screen.locator(".field-select .field-error")).to_be_hidden()

    how_many.fill("3")
    screen.get_by_role("button", name="Place order").click()
    expect(page.locator(".msg-app", has_text="Ordered 3 large samosa.")).to_have_count(1)
    expect(error).to_be_hidden()
    expect(how_many).not_to_have_attribute("aria-invalid", "true")


def ask_kiosk_for_whoami(page: Page) -> Locator:
    """In the Kiosk's own chat, /whoami (picked from the palette): the Kiosk's first use asks first."""
    page.get_by_role("button", name="New chat").click()
    page.get_by_role("tab", name="Mini-apps").click()
    page.get_by_role("button", name=re.compile("Kiosk")).click()
    expect(page.locator(".chat-title")).to_have_text("Kiosk")
    box = page.locator("#composer-input")
    box.press("/")
    page.get_by_role("option").filter(has_text="/whoami").click()  # picked with the mouse
    expect(box).to_have_value("/whoami")
    box.press("Enter")
    request = page.locator(".msg-system", has=page.locator(".consent"))
    expect(request).to_have_count(1)
    return request


def answered_in_place(page: Page, request_id: str, answer: str) -> None:
    """The request became its answer: a text from the system, where the request was, once."""
    answered = page.locator(f'.msg[data-id="{request_id}"]')
    expect(answered).to_have_text(re.compile(re.escape(answer)))
    expect(answered).to_have_class(re.compile(r"\bmsg-system\b.*\bmsg-textual\b"))
    expect(answered).to_have_count(1)
    expect(answered.get_by_role("button")).to_have_count(0)
    expect(page.locator(".consent")).to_have_count(0)


def test_consent_request_names_the_mini_app_and_becomes_the_answer(web_server, open_page) -> None:
    page = open_page(web_server, BRUNA)
    request = ask_kiosk_for_whoami(page)
    consent = request.locator(".consent")
    expect(consent).to_contain_text("Permission request")
    expect(consent).to_contain_text("Kiosk asks for your permission")
    expect(consent).to_contain_text("/whoami")
    expect(consent.locator(".consent-scopes")).to_contain_text("see your display name and language")
    expect(consent.get_by_role("button", name="Deny")).to_be_enabled()
    request_id = request.get_attribute("data-id")
    assert request_id
    consent.get_by_role("button", name="Allow").click()
    answered_in_place(page, request_id, "You allowed Kiosk to see your display name and language.")
    expect(page.locator(".msg-app", has_text="The kiosk knows your name now.")).to_have_count(1)


def test_a_denied_consent_request_says_so_and_runs_nothing(web_server, open_page) -> None:
    page = open_page(web_server, TIAGO)
    request = ask_kiosk_for_whoami(page)
    request_id = request.get_attribute("data-id")
    assert request_id
    request.get_by_role("button", name="Deny").click()
    answered_in_place(page, request_id, "Kiosk was not given access.")
    expect(page.locator(".msg-app")).to_have_count(0)  # /whoami did not run
