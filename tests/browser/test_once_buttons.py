"""One-time buttons: a card answered in one tab answers "already done" to a press in another that
had not heard yet. Nothing runs twice; the other tab says so for a moment beside the card, its
buttons stop taking presses, and the card's new version takes its place when it comes."""

from __future__ import annotations

import pytest
from browser_support import ASHA, RAVI, open_chat, send, unique
from live_link import LiveLink
from playwright.sync_api import expect
from wallet_support import top_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTICE_SHOWN_MS = 5000  # render/answered.js


def test_a_press_answered_in_another_tab_says_already_done(web_server, open_page) -> None:
    asha = web_server.sign_in(ASHA)
    top_up(web_server, asha["token"], "100.00")
    first, second = open_page(web_server, ASHA), open_page(web_server, ASHA)  # two tabs of Asha's
    link = LiveLink(second)  # the second tab's news can be held back, as on a slow link
    for page in (first, second):
        open_chat(page, "Ravi Kumar")
    note = unique("samosa")
    send(first, f"/pay @ravi 9 {note}")
    cards = [page.locator(".msg-app.msg-screen", has_text=f"For: {note}") for page in (first, second)]
    for card in cards:
        expect(card.get_by_role("button")).to_have_count(2)
    card_id = cards[0].get_attribute("data-id")
    link.hold = lambda frame: frame.get("type") == "message" and frame["message"]["id"] == card_id

    cards[0].get_by_role("button", name="Confirm").click()
    expect(cards[0]).to_have_count(0)  # replaced: "Paid ✓" has no "For: ..." line
    paid = [page.locator(f'.msg[data-id="{card_id}"]') for page in (first, second)]
    expect(paid[0]).to_contain_text("Paid ✓ ₹9.00 to Ravi Kumar")

    stale = paid[1]
    with second.expect_response("**/api/v1/actions") as answered:
        stale.get_by_role("button", name="Confirm").click()
    assert answered.value.status == 409
    error = answered.value.json()["error"]
    assert error["code"] == "already_done"
    notice = stale.locator(".msg-notice")
    said = error["message"]
    expect(notice).to_have_text(f"{said[0].upper()}{said[1:]}.")  # the server's words, as a sentence
    expect(notice).to_have_attribute("role", "alert")
    for label in ("Confirm", "Cancel"):
        expect(stale.get_by_role("button", name=label)).to_be_disabled()
    expect(stale.locator(".screen-feedback")).to_be_hidden()  # a notice, not an error
    assert len(link.held) == 1, "the second tab heard of the new version before its press"

    link.release()
    expect(stale).to_contain_text("Paid ✓ ₹9.00 to Ravi Kumar")
    expect(notice).to_be_visible()  # the new version keeps the notice while it lasts
    expect(stale).to_have_count(1)
    expect(stale.get_by_role("button")).to_have_count(0)
    expect(notice).to_have_count(0, timeout=NOTICE_SHOWN_MS + 3000)  # it goes by itself
    receipt = f"Asha Rao paid Ravi Kumar ₹9.00 · {note}"
    for page in (first, second):
        expect(page.locator(".msg", has_text=receipt)).to_have_count(1)
    chat = web_server.direct_chat(asha["token"], RAVI)["id"]
    assert [m["text"] for m in web_server.history(asha["token"], chat)].count(receipt) == 1
