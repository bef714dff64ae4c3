"""Customers stay in control, in the browser: Ravi, subscribed to two kinds of message from a
shop (as its order confirmation offered), revokes one in Settings, Businesses, then blocks the
shop (reached from the chat's info button); the server holds exactly what he chose, and the
chat with the shop says it is blocked."""

from __future__ import annotations

import time

import pytest
from browser_support import ASHA, RAVI
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_revoke_a_subscription_and_block_a_business_from_settings(web_server, open_page) -> None:
    asha, ravi = web_server.sign_in(ASHA), web_server.sign_in(RAVI)
    handle = f"capinhas_{time.monotonic_ns() % 1_000_000}"
    name = f"Capinhas {handle[9:]}"
    base = f"/api/v1/businesses/{handle}"
    with web_server.http(asha["token"]) as http:
        created = http.post("/api/v1/businesses", json={"name": name, "handle": handle, "category": "shop"})
        assert created.status_code == 201, created.text
    with web_server.http(ravi["token"]) as http:
        assert http.post(base + "/chat").status_code == 200
        for kind in ("order_updates", "booking_updates"):
            answer = http.post(base + "/subscriptions", json={"kind": kind, "source": "confirmation"})
            assert answer.status_code == 200, answer.text

    page = open_page(web_server, RAVI)
    expect(page.locator(".conversation", has_text=name)).to_have_count(1)
    # From the chat with the shop, its info button leads to what it may send.
    page.locator(".conversation", has_text=name).click()
    expect(page.locator(".chat-title")).to_have_text(name)
    expect(page.locator("#composer-input")).to_be_enabled()
    page.get_by_role("button", name="What this business may send you").click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog.get_by_role("tab", name="Businesses")).to_have_attribute("aria-selected", "true")
    card = dialog.locator(f'[data-business="{handle}"]')
    expect(card.get_by_role("checkbox")).to_have_count(4)
    expect(card.locator("input:checked")).to_have_count(2)
    expect(card.get_by_role("checkbox", name="Order updates")).to_be_checked()
    expect(card.get_by_role("checkbox", name="Appointment reminders")).not_to_be_checked()

    card.get_by_role("checkbox", name="Order updates").uncheck()
    expect(card.get_by_role("status")).to_have_text("Order updates: revoked.")
    expect(card.locator("input:checked")).to_have_count(1)
    with web_server.http(ravi["token"]) as http:
        held = http.get("/api/v1/me/business-messages").json()
    assert [(s["handle"], s["kind"]) for s in held["subscriptions"]] == [(handle, "booking_updates")]

    card.get_by_role("button", name=f"Block {name}").click()
    expect(dialog.locator("#settings-panel-businesses .settings-section > .privacy-status")).to_contain_text(
        f"{name} is blocked."
    )
    expect(card).to_contain_text("it can send you nothing")
    expect(card.locator("input:checked")).to_have_count(0)
    expect(card.locator("input:disabled")).to_have_count(4)
    expect(card.get_by_role("button", name=f"Unblock {name}")).to_be_visible()
    with web_server.http(ravi["token"]) as http:
        held = http.get("/api/v1/me/business-messages").json()
        controls = http.get(base + "/subscriptions").json()
    assert held["subscriptions"] == [] and [b["handle"] for b in held["blocked"]] == [handle]
    assert controls["blocked"] is True and controls["subscriptions"] == []

    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".chat-title")).to_have_text(name)
    composer = page.locator("#composer-input")
    expect(composer).to_be_disabled()
    expect(composer).to_have_attribute("placeholder", f"You blocked {name}: it can send you nothing. "
                                       "Unblock it in Settings, Businesses.")  # fmt: skip
