"""Screens that update in place: a mini-app replaces a card it posted (Confirm or Pay pressed: "Paid ✓",
no buttons left), and every page that shows the card draws the new version where the old one was,
once; a page that was offline meanwhile gets the new version when it reconnects."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import ASHA, BRUNA, RAVI, WebServer, open_chat, send, shown_seqs, unique
from live_link import LiveLink
from playwright.sync_api import Locator, Page, expect
from wallet_support import allow_payments, top_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GROUP = "Souk demo"  # Asha, Ravi, Bruna and three more


def group_id(server: WebServer, token: str) -> str:
    return next(c["id"] for c in server.conversations(token) if c["title"] == GROUP)


def message_in(page: Page, message_id: str) -> Locator:
    return page.locator(f'.msg[data-id="{message_id}"]')


def expect_in_seq_order(page: Page) -> None:
    seqs = shown_seqs(page)
    assert seqs == sorted(set(seqs)), f"out of order or twice: {seqs}"


def test_a_pay_card_becomes_paid_in_place_after_confirm(web_server, open_page) -> None:
    asha = web_server.sign_in(ASHA)
    top_up(web_server, asha["token"], "100.00")
    payer, payee = open_page(web_server, ASHA), open_page(web_server, RAVI)
    for page in (payer, payee):
        open_chat(page, GROUP)
    note = unique("chai")
    send(payer, f"/pay @ravi 12 {note}")

    card = payer.locator(".msg-app.msg-screen", has_text=f"For: {note}")
    expect(card.get_by_role("button")).to_have_count(2)  # Confirm, Cancel
    expect(card.locator(".private-tag")).to_have_text("Only you")
    card_id = card.get_attribute("data-id")
    assert card_id
    card.get_by_role("button", name="Confirm").click()

    paid = message_in(payer, card_id)
    expect(paid).to_contain_text("Paid ✓ ₹12.00 to Ravi Kumar")
    expect(paid).to_have_attribute("data-revision", "2")
    expect(paid).to_have_count(1)
    expect(paid.get_by_role("button")).to_have_count(0)
    receipt = f"Asha Rao paid Ravi Kumar ₹12.00 · {note}"
    for page in (payer, payee):
        expect(page.locator(".msg", has_text=receipt)).to_have_count(1)
        expect_in_seq_order(page)
    expect(message_in(payee, card_id)).to_have_count(0)  # the card was Asha's alone, in either version


def test_a_request_card_in_a_group_becomes_paid_for_every_member(web_server, open_page) -> None:
    asha, ravi = web_server.sign_in(ASHA), web_server.sign_in(RAVI)
    allow_payments(web_server, asha["token"])
    top_up(web_server, ravi["token"], "100.00")
    payer, member = open_page(web_server, RAVI), open_page(web_server, BRUNA)
    for page in (payer, member):
        open_chat(page, GROUP)
    note = unique("dosa")
    web_server.send(asha["token"], group_id(web_server, asha["token"]), f"/request @ravi 30 {note}")

    card = payer.locator(".msg-app.msg-screen", has_text=f"For: {note}")
    expect(card.get_by_role("button")).to_have_count(2)  # Pay, Decline
    card_id = card.get_attribute("data-id")
    assert card_id
    expect(message_in(member, card_id).get_by_role("button")).to_have_count(2)  # the group sees it asked
    card.get_by_role("button", name="Pay").click()

    receipt = f"Ravi Kumar paid Asha Rao ₹30.00 · {note}"
    for page in (payer, member):
        paid = message_in(page, card_id)
        expect(paid).to_contain_text("Asha Rao asks Ravi Kumar for ₹30.00")
        expect(paid).to_contain_text("Paid ✓ by Ravi Kumar")
        expect(paid).to_have_count(1)
        expect(paid.get_by_role("button")).to_have_count(0)
        expect(page.locator(".msg", has_text=receipt)).to_have_count(1)
        expect_in_seq_order(page)


def test_a_replacement_missed_while_offline_comes_with_the_reconnection(web_server, open_page) -> None:
    asha, ravi = web_server.sign_in(ASHA), web_server.sign_in(RAVI)
    for person in (asha, ravi):
        allow_payments(web_server, person["token"])
    group = group_id(web_server, asha["token"])
    page = open_page(web_server, BRUNA)
    link = LiveLink(page)
    open_chat(page, GROUP)
    expect(page.locator(".app")).to_have_attribute("data-live", "live")

    def ask(note: str) -> dict[str, Any]:
        after = web_server.cursor(asha["token"], group)
        web_server.send(asha["token"], group, f"/request @ravi 5 {note}")
        return web_server.wait_for(asha["token"], group, lambda m: f"For: {note}" in m["text"], after)

    def decline(card: dict[str, Any]) -> dict[str, Any]:
        """Ravi declines, over the API; the card's new version."""
        declined = web_server.press(ravi["token"], card, "Decline")
        assert declined.status_code == 200, declined.text
        return web_server.wait_for(ravi["token"], group, lambda m: m["id"] == card["id"], card["seq"] - 1)

    cards = [ask(unique("first request")), ask(unique("second request"))]
    for card in cards:
        expect(message_in(page, card["id"]).get_by_role("button", name="Decline")).to_be_visible()

    seen = decline(cards[0])  # while the page is live: it gets the new version at once
    expect(message_in(page, cards[0]["id"])).to_contain_text("Declined by Ravi Kumar")
    assert seen["changed_seq"] > cards[1]["seq"], "the new version is the latest change the page saw"

    link.cut()
    banner = page.locator(".live-banner")
    expect(banner).to_have_text("Reconnecting…")
    missed = decline(cards[1])
    expect(message_in(page, cards[1]["id"]).get_by_role("button", name="Decline")).to_be_enabled()
    link.restore()

    expect(banner).to_be_hidden()
    second = message_in(page, cards[1]["id"])
    expect(second).to_contain_text("Declined by Ravi Kumar")
    expect(second).to_have_attribute("data-revision", str(missed["revision"]))
    expect(second).to_have_count(1)
    expect(second.get_by_role("button")).to_have_count(0)
    expect_in_seq_order(page)
    # The page resumed from the last version it had seen, not from the last message posted.
    resumes = link.resumes()
    assert len(resumes) == 2, resumes
    assert resumes[-1]["since"][group] == seen["changed_seq"]
