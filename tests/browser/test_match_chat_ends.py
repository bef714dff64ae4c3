"""A match's chat in the browser: when one side unmatches, the other's open chat shows it ended
and its box to write in is closed, live."""

from __future__ import annotations

import pytest
from browser_support import BRUNA, TIAGO, WebServer, allow_matchmaking, open_chat, send, unique, waited
from e2e_support import serving
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MM = "/api/v1/apps/matchmaking"
ENDED = "This chat has ended: no more messages can be sent."


def _match(server: WebServer, bruna: str) -> dict:
    """Bruna likes Tiago, who liked her in the demo: their match, once its chat is open."""
    with server.http(bruna) as http:
        allow_matchmaking(http)
        candidates = http.get(f"{MM}/candidates").json()["candidates"]
        tiago = next(c for c in candidates if c["first_name"] == "Tiago")
        assert http.post(f"{MM}/candidates/{tiago['card']}/like").json()["matched"]
        # The chat opens just after the match commits.
        return waited(
            "match chat",
            lambda: next((m for m in http.get(f"{MM}/matches").json()["matches"] if m["conversation"]), None),
        )


def test_the_other_side_sees_the_match_chat_end(tmp_path, open_page) -> None:
    with serving(WebServer(tmp_path / "data", "demo_server.py")) as server:
        bruna = server.sign_in(BRUNA)["token"]
        match = _match(server, bruna)
        page = open_page(server, TIAGO)
        open_chat(page, "Bruna Silva")
        expect(page.locator(".msg", has_text="It's a match!")).to_have_count(1)
        hello = unique("Oi Bruna")
        send(page, hello)
        expect(page.locator(".msg-mine", has_text=hello)).to_have_count(1)
        with server.http(bruna) as http:
            assert http.delete(f"{MM}/matches/{match['ref']}").status_code == 200
        expect(page.locator(".msg-event", has_text="This match has ended.")).to_have_count(1)
        expect(page.locator("#composer-input")).to_be_disabled()
        expect(page.locator("#composer-input")).to_have_attribute("placeholder", ENDED)
        expect(page.locator(".msg-mine", has_text=hello)).to_have_count(1)  # what was said stays
