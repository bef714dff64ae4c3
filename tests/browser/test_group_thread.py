"""A group thread with a business in the web client: a customer starts a group with a courier and
names the business; an agent answers it from the business's inbox, and both people in the group
read the answer from the business (never from the agent)."""

from __future__ import annotations

import itertools
import time

import pytest
from browser_support import ASHA, CAMILLE, RAVI, TIAGO, open_chat, send, unique
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_handles = itertools.count(1)


def test_a_customer_and_a_courier_are_answered_in_their_group_by_the_business(web_server, open_page) -> None:
    asha, camille = web_server.sign_in(ASHA), web_server.sign_in(CAMILLE)
    handle = f"grupo{next(_handles)}_{time.monotonic_ns() % 100_000}"
    with web_server.http(asha["token"]) as http:
        made = http.post(
            "/api/v1/businesses", json={"name": "Loja Grupo", "handle": handle, "category": "shop"}
        )
        assert made.status_code == 201, made.text
        staffed = http.post(
            f"/api/v1/businesses/{handle}/staff", json={"handle": camille["user"]["handle"], "role": "agent"}
        )
        assert staffed.status_code == 200, staffed.text

    ravi, tiago = open_page(web_server, RAVI), open_page(web_server, TIAGO)
    title = unique("Entrega")
    ravi.get_by_role("button", name="New chat").click()
    ravi.get_by_role("tab", name="Group").click()
    ravi.get_by_label("Group name").fill(title)
    ravi.get_by_label("Members").fill("@tiago")
    ravi.get_by_label("With a business (optional)").fill(f"@{handle}")
    ravi.get_by_role("button", name="Create group").click()
    expect(ravi.locator(".chat-title")).to_have_text(title)
    expect(ravi.locator(".chat-subtitle")).to_contain_text("2 members")  # the business's staff are not in it
    question = unique("Which gate do I use?")
    send(ravi, question)

    agent = open_page(web_server, CAMILLE)
    agent.get_by_role("link", name="Loja Grupo inbox, 1 waiting").click()
    agent.locator(".inbox-item", has_text="Ravi").click()
    expect(agent.locator(".inbox-message", has_text=question)).to_have_count(1)
    answer = unique("Gate 2, thank you")
    agent.get_by_label("Reply to the customer").fill(answer)
    agent.get_by_role("button", name="Send").click()

    open_chat(tiago, title)
    for page in (ravi, tiago):
        reply = page.locator(".msg-app", has_text=answer)
        expect(reply).to_have_count(1)
        expect(reply.locator(".msg-sender")).to_have_text("Loja Grupo")
        assert camille["user"]["handle"] not in page.locator("body").inner_text()
