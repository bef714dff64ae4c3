"""The seat map in the browser: Ravi picks two seats of the Mumbai concert, pays, and sees both
tickets with their QR codes; Asha's page, showing the same map, sees his seats held, then sold,
drawn again in place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ASHA, RAVI, WebServer, open_chat, send
from e2e_support import serving
from playwright.sync_api import Locator, Page, expect
from wallet_support import top_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONCERT = "Monsoon Nights: Anoushka Menon Quartet"


@pytest.fixture
def tickets_server(tmp_path: Path) -> Iterator[WebServer]:
    with serving(WebServer(tmp_path / "data", script="tickets_server.py")) as server:
        yield server


def seat(page: Page, seat_id: str) -> Locator:
    return page.locator(f'.seatmap .seat[data-seat="{seat_id}"]')


def open_the_map(page: Page) -> Locator:
    """From /tickets in the Tickets chat: Open the concert, Choose seats; the seat map's message."""
    open_chat(page, "Tickets")
    send(page, "/tickets Mumbai")
    card = page.locator(".screen-card", has_text=CONCERT)
    card.get_by_role("button", name="Open").click()
    page.get_by_role("button", name="Choose seats").click()
    chart = page.locator(".msg-screen", has_text="choose your seats")
    expect(chart.locator(".seatmap")).to_be_visible()
    return chart


def test_pick_two_seats_pay_and_see_both_tickets_with_their_qr(tickets_server, open_page) -> None:
    ravi = tickets_server.sign_in(RAVI)
    top_up(tickets_server, ravi["token"], "6000.00")
    tickets_server.open_app(ravi["token"], "tickets")
    tickets_server.open_app(tickets_server.sign_in(ASHA)["token"], "tickets")
    watcher = open_page(tickets_server, ASHA)
    open_the_map(watcher)
    page = open_page(tickets_server, RAVI)
    chart = open_the_map(page)

    expect(seat(page, "A1")).to_be_disabled()  # blocked
    expect(seat(page, "A1")).to_have_attribute("data-state", "blocked")
    expect(seat(page, "B6")).to_have_attribute("data-state", "sold")
    expect(chart.locator(".seatmap-legend")).to_contain_text("Gold ₹2,500.00")
    seat(page, "D5").click()
    expect(seat(page, "D5")).to_have_attribute("aria-pressed", "true")
    expect(seat(page, "D5")).to_have_attribute("aria-label", re.compile(r"^Seat D5, yours, Gold"))
    seat(page, "D6").click()
    expect(seat(page, "D6")).to_have_attribute("data-state", "mine")
    expect(chart).to_contain_text("seats D5, D6, ₹5,000.00. Held for you until")
    expect(page.locator(".msg-screen")).to_have_count(2)  # the list, and the map drawn in place of the event
    for held in ("D5", "D6"):  # on Asha's page, a moment later, in place
        expect(seat(watcher, held)).to_have_attribute("data-state", "held")
        expect(seat(watcher, held)).to_be_disabled()

    chart.get_by_role("button", name="Pay ₹5,000.00").click()
    card = page.locator(".msg-app.msg-screen", has_text="Pay Monsoon Nights")
    expect(card).to_contain_text("2 tickets: Monsoon Nights")
    card.get_by_role("button", name="Confirm").click()
    expect(card).to_contain_text("Paid ✓ ₹5,000.00 to Monsoon Nights (through Tickets)")

    tickets = page.locator(".msg-screen", has_text="Your tickets: Monsoon Nights")
    expect(tickets.locator(".screen-card")).to_have_count(2)
    for number, ticket in enumerate(("D5", "D6")):
        shown = tickets.locator(".screen-card").nth(number)
        expect(shown.locator(".screen-card-title")).to_have_text(f"{CONCERT}: Seat {ticket}")
        qr = shown.locator("img.screen-image-app")
        expect(qr).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
        assert qr.evaluate(
            "img => img.complete && img.naturalWidth >= 150 && img.naturalWidth === img.naturalHeight"
        )
    assert page.locator(".screen-image-missing").count() == 0

    for sold in ("D5", "D6"):
        expect(seat(watcher, sold)).to_have_attribute("data-state", "sold")
    expect(watcher.locator(".msg-screen", has_text="choose your seats")).to_have_count(1)
