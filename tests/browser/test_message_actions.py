"""Replies, edits, deletions for everyone and reactions, by two people side by side, at a desktop's
width and at a phone's."""

from __future__ import annotations

import pytest
from browser_support import ASHA, RAVI, open_chat, send, unique
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def menu_of(page: Page, text: str) -> None:
    """Open the actions of the message that says ``text``."""
    own_text = page.locator(".msg-text", has_text=text)
    bubble = page.locator(".msg[data-seq]", has=own_text).locator(".bubble")
    bubble.hover()
    bubble.get_by_role("button", name="Message actions").click()
    expect(page.get_by_role("menu", name="Message actions")).to_be_visible()


def test_reply_edit_react_and_delete_for_everyone(web_server, open_page, viewport: dict[str, int]) -> None:
    title = unique("Replies")
    web_server.group(web_server.sign_in(ASHA)["token"], title, ["ravi"])
    asha, ravi = (open_page(web_server, phone, **viewport) for phone in (ASHA, RAVI))
    for page in (asha, ravi):
        open_chat(page, title)
    question = unique("Dinner at eight?")
    send(ravi, question)
    expect(asha.locator(".msg-theirs", has_text=question)).to_have_count(1)

    # Asha answers with a quote of Ravi's question.
    menu_of(asha, question)
    asha.get_by_role("menuitem", name="Reply").click()
    expect(asha.locator(".composer-context .quote")).to_contain_text(question)
    answer = unique("Make it nine")
    send(asha, answer)
    reply = ravi.locator(".msg-theirs", has_text=answer)
    expect(reply.locator(".quote")).to_contain_text("You")
    expect(reply.locator(".quote")).to_contain_text(question)
    expect(asha.locator(".composer-context")).to_be_hidden()
    reply = ravi.locator(f'.msg[data-seq="{reply.get_attribute("data-seq")}"]')  # its text will change

    # She edits it: Ravi sees the new text, marked edited, and never the old one.
    menu_of(asha, answer)
    asha.get_by_role("menuitem", name="Edit").click()
    expect(asha.locator("#composer-input")).to_have_value(answer)
    edited = unique("Make it half past eight")
    send(asha, edited)
    mine = asha.locator(".msg-mine", has_text=edited)
    expect(mine.locator(".msg-edited")).to_have_text("Edited")
    theirs = ravi.locator(".msg-theirs", has_text=edited)
    expect(theirs.locator(".msg-edited")).to_have_text("Edited")
    expect(ravi.locator(".msg", has_text=answer)).to_have_count(0)

    # Ravi reacts; Asha sees it, adds hers on the same emoji, and the count is 2.
    menu_of(ravi, edited)
    ravi.get_by_role("menuitem", name="React with 👍").click()
    chip = asha.locator(".msg-mine", has_text=edited).locator(".reaction", has_text="👍")
    expect(chip).to_contain_text("1")
    expect(chip).to_have_attribute("title", "Ravi Kumar")
    chip.click()
    expect(chip).to_contain_text("2")
    expect(ravi.locator(".msg-theirs", has_text=edited).locator(".reaction")).to_contain_text("2")

    # A tap on the quote shows the original.
    reply.locator(".quote").click()
    expect(ravi.locator(".msg-highlight", has_text=question)).to_have_count(1)

    # Ravi deletes his question for everyone: a tombstone on both pages, and in Asha's quote.
    menu_of(ravi, question)
    ravi.get_by_role("menuitem", name="Delete for everyone").click()
    ravi.get_by_role("menuitem", name="Delete for everyone").click()  # asked twice
    for page in (asha, ravi):
        expect(page.locator(".msg-tombstone")).to_have_count(1)
        expect(page.locator(".msg-tombstone")).to_contain_text("This message was deleted")
        expect(page.locator(".msg-text", has_text=question)).to_have_count(0)
    expect(asha.locator(".msg-mine", has_text=edited).locator(".quote")).to_contain_text(
        "This message was deleted"
    )
