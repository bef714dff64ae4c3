"""Search in the browser: a message from last week, far up its chat, is found from the search box and
shown in its chat; someone who is not in that chat finds nothing. At a desktop's width and a phone's."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
from browser_support import BRUNA, CAMILLE, RAVI, unique
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def backdate(server, message_id: str, days: int) -> None:
    """Make a stored message older, as if it had been sent ``days`` ago (the server reads it as stored)."""
    when = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="microseconds")
    conn = sqlite3.connect(server.data_dir / "souk.db", timeout=30)
    try:
        conn.execute("UPDATE messages SET created_at = ? WHERE id = ?", [when, message_id])
        conn.commit()
    finally:
        conn.close()


def test_a_message_from_last_week_is_found_and_shown_in_its_chat(
    web_server, open_page, viewport: dict[str, int]
) -> None:
    ravi = web_server.sign_in(RAVI)
    chat = web_server.direct_chat(ravi["token"], CAMILLE)
    word = unique("Marigolds").replace(" ", "x").replace("-", "y")
    old = web_server.send(ravi["token"], chat["id"], f"The {word} are for the wedding on Saturday")
    backdate(web_server, old["id"], days=7)
    for n in range(60):  # far above the latest page
        web_server.send(ravi["token"], chat["id"], f"later news {n}")
    camille, bruna = (open_page(web_server, phone, **viewport) for phone in (CAMILLE, BRUNA))

    camille.get_by_label("Search chats").fill(word[:-2].lower())
    found = camille.get_by_role("list", name="Messages found").locator(".search-result")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("Ravi Kumar")
    expect(found.locator("mark")).to_have_text(word)
    expect(found.locator("time")).not_to_contain_text(":")  # a day last week, not a time today
    found.click()
    expect(camille.locator(".chat-title")).to_have_text("Ravi Kumar")
    shown = camille.locator(f'.msg[data-seq="{old["seq"]}"]')
    expect(shown).to_have_class(re.compile(r"\bmsg-highlight\b"))
    expect(shown).to_be_in_viewport()

    bruna.get_by_label("Search chats").fill(word.lower())
    expect(bruna.get_by_role("status").filter(has_text="No message matches your search.")).to_be_visible()
    expect(bruna.locator(".search-result")).to_have_count(0)
