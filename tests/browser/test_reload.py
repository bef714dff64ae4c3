"""A reload brings the page back as it was: still signed in, the chats listed, and the client's own
content policy, which the browser keeps when the server says the page has not changed (304)."""

from __future__ import annotations

import pytest
from browser_support import TIAGO
from playwright.sync_api import Request, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_reload_keeps_the_page_working(web_server, open_page) -> None:
    page = open_page(web_server, TIAGO)
    expect(page.locator(".me-name")).to_have_text("Tiago Costa")
    asked: list[dict[str, str]] = []

    def record(request: Request) -> None:
        if request.url == f"{web_server.url}/":
            asked.append(request.all_headers())

    page.on("request", record)
    page.reload()
    expect(page.locator(".me-name")).to_have_text("Tiago Costa")
    expect(page.locator(".conversation-button", has_text="Souk demo")).to_be_visible()
    assert len(asked) == 1 and "if-none-match" in asked[0], "the page was not revalidated"
    # (the fixture fails the test on any console error, such as a blocked script or stylesheet)
