"""What others send is shown, never run: markup is text; a screen the client cannot draw falls
back to its plain text."""

from __future__ import annotations

import json

import pytest
from browser_support import CAMILLE, JORDAN
from playwright.sync_api import Route, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>window.__pwned = 1</script>",
    '<b>bold</b> & <a href="javascript:alert(2)">link</a>',
]


def test_markup_in_a_message_is_shown_as_text_and_runs_nothing(web_server, open_page) -> None:
    camille = web_server.sign_in(CAMILLE)
    chat = web_server.direct_chat(camille["token"], JORDAN)
    for text in PAYLOADS:
        web_server.send(camille["token"], chat["id"], text)
    page = open_page(web_server, JORDAN)
    expect(page.locator(".conversation", has_text="Camille Martin")).to_contain_text("<b>bold</b>")
    page.locator(".conversation-button", has_text="Camille Martin").click()
    for text in PAYLOADS:
        shown = page.locator(".msg-theirs .msg-text").filter(has_text=text)
        expect(shown).to_have_count(1)
        assert shown.inner_text() == text

    page.locator("#composer-input").fill("/echo <img src=y onerror=alert(3)>")
    page.locator("#composer-input").press("Enter")
    screen = page.locator(".msg-app.msg-screen", has_text="Echo")
    expect(screen.locator(".screen-card-title")).to_have_text("<img src=y onerror=alert(3)>")
    expect(screen).not_to_have_class("msg-private")  # replied to the whole conversation

    messages = page.locator(".messages")
    assert messages.locator("img, script, b, a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None
    # (the fixture fails the test if any dialog, such as alert(), opened)


def test_a_component_the_client_does_not_know_falls_back_to_plain_text(web_server, open_page) -> None:
    page = open_page(web_server, JORDAN)

    def with_unknown_component(route: Route) -> None:
        response = route.fetch()
        data = response.json()
        if data["messages"]:
            last = data["messages"][-1]
            data["messages"].append(
                last
                | {
                    "id": "m_fake",
                    "seq": last["seq"] + 1000,
                    "kind": "screen",
                    "sender": {"kind": "app", "id": "future", "name": "Future"},
                    "text": "Carousel\nThe plain text of a screen from the future",
                    "screen": {"title": "Carousel", "body": [{"type": "carousel", "slides": [1, 2]}]},
                    "private": False,
                    "client_id": None,
                }
            )
        route.fulfill(response=response, body=json.dumps(data))

    page.route("**/api/v1/conversations/*/messages?*", with_unknown_component)
    page.locator(".conversation-button", has_text="Souk demo").click()
    fallback = page.locator(".msg[data-id=m_fake]")
    plain = "Carousel\nThe plain text of a screen from the future"
    expect(fallback.locator(".screen-plain")).to_have_text(plain)
    expect(page.locator(".msg-theirs").first).to_be_visible()  # the rest of the chat is drawn as usual
