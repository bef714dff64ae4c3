"""The README's inbox tour, on ``souk serve --demo``: Ravi, an agent of Loja da Bruna, finds Jordan's
question waiting in the business's inbox, answers with the quick reply "horario" and resolves the
chat; Jordan is asked to rate it."""

from __future__ import annotations

import pytest
from browser_support import JORDAN, RAVI, chat_entry, open_chat
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "Hi! Do you ship running shoes to the US?"


def test_an_agent_answers_the_waiting_question_of_the_demo_with_a_quick_reply(demo_server, open_page) -> None:
    jordan = open_page(demo_server, JORDAN)
    expect(chat_entry(jordan, "Loja da Bruna")).to_have_count(1)
    open_chat(jordan, "Loja da Bruna")
    expect(jordan.locator(".msg-theirs, .msg-mine", has_text=QUESTION)).to_have_count(1)

    ravi = open_page(demo_server, RAVI)
    link = ravi.get_by_role("link", name="Loja da Bruna inbox, 1 waiting")
    expect(link).to_have_count(1)
    link.click()
    item = ravi.locator(".inbox-item", has_text="Jordan Lee")  # its last line is the greeting
    expect(item).to_have_count(1)
    item.click()
    expect(ravi.locator(".inbox-message", has_text=QUESTION)).to_have_count(1)
    ravi.get_by_role("button", name="Take").click()
    reply = ravi.get_by_label("Reply to the customer")
    reply.fill("/hor")
    ravi.locator(".inbox-quick-item", has_text="horario").click()
    filled = "Oi Jordan! Abrimos de segunda a sábado, das 9h às 19h."
    expect(reply).to_have_value(filled)
    ravi.get_by_role("button", name="Send").click()
    ravi.get_by_role("button", name="Resolve").click()
    expect(ravi.locator(".inbox-state")).to_have_text("resolved")

    expect(jordan.locator(".msg-app", has_text=filled)).to_have_count(1)
    expect(jordan.locator(".rating-bar")).to_be_visible()
