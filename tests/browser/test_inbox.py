"""The shared inbox in the web client: an agent takes a customer's chat from the business's
inbox, answers with a quick reply (its variables filled in), and resolves it; the customer gets
the answer from the business, never from the agent by name, and rates the chat."""

from __future__ import annotations

import itertools
import time
import uuid

import pytest
from browser_support import ASHA, CAMILLE, RAVI
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_handles = itertools.count(1)


def test_an_agent_takes_answers_with_a_quick_reply_and_resolves(web_server, open_page) -> None:
    asha, camille, ravi = (web_server.sign_in(p) for p in (ASHA, CAMILLE, RAVI))
    handle = f"inbox{next(_handles)}_{time.monotonic_ns() % 100_000}"
    base = f"/api/v1/businesses/{handle}"
    with web_server.http(asha["token"]) as http:
        made = http.post(
            "/api/v1/businesses", json={"name": "Loja Inbox", "handle": handle, "category": "shop"}
        )
        assert made.status_code == 201, made.text
        staffed = http.post(base + "/staff", json={"handle": camille["user"]["handle"], "role": "agent"})
        saved = http.put(
            base + "/quick-replies/oi", json={"text": "Olá {customer.first_name}, aqui é {business.name}!"}
        )
        assert staffed.status_code == saved.status_code == 200, saved.text
    with web_server.http(ravi["token"]) as http:
        chat = http.post(base + "/chat").json()
        sent = http.post(
            f"/api/v1/conversations/{chat['id']}/messages",
            json={"text": "Tem capinha azul?", "client_id": uuid.uuid4().hex},
        )
        assert sent.status_code == 201, sent.text

    customer = open_page(web_server, RAVI)
    expect(customer.locator(".me-name")).to_be_visible()
    customer.goto(f"{web_server.url}/#/c/{chat['id']}")
    expect(customer.locator(".chat-title")).to_have_text("Loja Inbox")
    expect(customer.locator(".rating-bar")).to_be_hidden()

    page = open_page(web_server, CAMILLE)
    expect(page.locator(".me-name")).to_be_visible()
    # The customer's chat never lists the business's inbox; its agent's does, with one waiting.
    expect(customer.locator(".business-inbox", has_text="Loja Inbox")).to_have_count(0)
    link = page.get_by_role("link", name="Loja Inbox inbox, 1 waiting")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(f"{web_server.url}/#/inbox/{handle}")
    expect(page.locator(".inbox-title")).to_have_text("Loja Inbox · Inbox")
    expect(page.locator(".inbox-tab", has_text="Open")).to_have_text("Open (1)")
    item = page.locator(".inbox-item", has_text="Tem capinha azul?")
    expect(item).to_have_count(1)
    item.click()
    expect(page.locator(".inbox-message")).to_have_count(1)
    page.get_by_role("button", name="Take").click()
    expect(page.locator(".inbox-assignee")).to_have_text(f"Assigned to {camille['user']['display_name']}")

    reply = page.get_by_label("Reply to the customer")
    reply.fill("/o")
    first_name = ravi["user"]["display_name"].split()[0]
    filled = f"Olá {first_name}, aqui é Loja Inbox!"
    expect(page.locator(".inbox-quick-item")).to_have_count(1)
    page.locator(".inbox-quick-item").click()
    expect(reply).to_have_value(filled)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".inbox-message.from-business")).to_have_count(1)
    expect(page.locator(".inbox-tab", has_text="Pending")).to_have_text("Pending (1)")

    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".inbox-state")).to_have_text("resolved")
    expect(page.locator(".inbox-tab", has_text="Resolved")).to_have_text("Resolved (1)")
    expect(page.locator(".inbox-tab", has_text="Open")).to_have_text("Open (0)")

    # The customer is asked at once, over the live connection, and rates it.
    expect(customer.locator(".rating-bar")).to_be_visible()
    customer.get_by_role("button", name="4 stars").click()
    customer.get_by_label("Comment").fill("Rápido!")
    customer.get_by_role("button", name="Rate").click()
    expect(customer.locator(".rating-thanks")).to_have_text("Thank you for your rating.")
    with web_server.http(ravi["token"]) as http:
        rated = http.get(f"/api/v1/conversations/{chat['id']}/rating").json()
    assert rated["can_rate"] is False and (rated["rating"]["stars"], rated["rating"]["comment"]) == (
        4,
        "Rápido!",
    )
    from_business = customer.locator(".msg-app", has_text=filled)
    expect(from_business.locator(".msg-sender")).to_have_text("Loja Inbox")  # the business, no badge
    customer_text = customer.locator("body").inner_text()
    assert (
        camille["user"]["display_name"] not in customer_text
        and camille["user"]["handle"] not in customer_text
    )

    page.get_by_role("button", name="Link & QR code").click()
    expect(page.locator(".inbox-link-address")).to_have_text(f"{web_server.url}/b/{handle}")
    qr = page.get_by_role("img", name=f"QR code of {web_server.url}/b/{handle}")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0  # the code was served and drawn

    page.get_by_role("button", name="Service levels").click()
    agent_row = page.locator(".inbox-stats-table tr", has_text=camille["user"]["display_name"])
    expect(agent_row.locator(".stats-resolved")).to_have_text("1")
    expect(agent_row.locator("td").last).to_have_text("100%")
    expect(page.locator(".inbox-stats-bar")).to_have_count(7)

    answer = web_server.wait_for(ravi["token"], chat["id"], lambda m: m["text"] == filled)
    assert answer["sender"] == {"kind": "app", "id": made.json()["id"], "name": "Loja Inbox"}
    texts = [m["text"] for m in web_server.history(ravi["token"], chat["id"])]
    assert texts == ["Tem capinha azul?", filled]
