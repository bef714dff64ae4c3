"""The web client as people use it: sign in, chat live with someone else, page back through history,
on a desktop and at a phone's width."""

from __future__ import annotations

import re

import pytest
from browser_support import ASHA, BRUNA, CAMILLE, JORDAN, RAVI, TIAGO, chat_entry, open_chat, send, unique
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_sign_in_as_a_demo_person_by_keyboard(web_server, open_page) -> None:
    asha = web_server.sign_in(ASHA)
    group = next(c for c in web_server.conversations(asha["token"]) if c["title"] == "Souk demo")
    news = unique("News for the group")
    web_server.send(asha["token"], group["id"], news)
    page = open_page(web_server)
    demo = page.locator(".demo-panel")
    expect(demo.get_by_role("heading", name="Demo server")).to_be_visible()
    expect(demo).to_contain_text("000000")
    ravi = demo.get_by_role("button", name=re.compile(r"Sign in as Ravi Kumar, \+919876500002"))
    expect(ravi).to_be_visible()

    page.get_by_label("Phone number").fill(RAVI)
    page.keyboard.press("Enter")
    code = page.get_by_label("Code")
    expect(code).to_have_value("000000")  # a demo server says its code
    code.fill("123456")
    code.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("code")
    code.fill("000000")
    code.press("Enter")

    expect(page.locator(".me-name")).to_have_text("Ravi Kumar")
    expect(chat_entry(page, "Asha Rao")).to_contain_text("Hi Asha! Lunch today?")
    entry = page.locator(".conversation", has_text="Souk demo")
    expect(entry).to_contain_text(f"Asha: {news}")
    expect(entry.locator(".unread-badge")).to_be_visible()

    # Keyboard only: from the search box, Tab reaches the link to the inbox of Loja da Bruna (Ravi
    # is one of its agents), then the first chat; Enter opens it, and the composer has the focus.
    expect(page.locator(".business-inbox")).to_have_count(1)
    page.get_by_label("Search chats").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile("^Loja da Bruna inbox"))).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".chat-title")).not_to_be_empty()
    expect(page.locator("#composer-input")).to_be_focused()
    opened = page.locator(".conversation-button[aria-current=page]")
    expect(opened.locator(".unread-badge")).to_have_count(0)


def test_two_people_chat_live_both_ways_in_a_direct_chat_and_a_group(web_server, open_page) -> None:
    tiago = open_page(web_server, TIAGO)
    camille = open_page(web_server, CAMILLE)
    expect(camille.locator(".app")).to_have_attribute("data-live", "live")

    # A new direct chat, by phone number.
    tiago.get_by_role("button", name="New chat").click()
    tiago.get_by_label("Phone number or @handle").fill(CAMILLE)
    tiago.get_by_role("button", name="Start chat").click()
    expect(tiago.locator(".chat-title")).to_have_text("Camille Martin")
    hello = unique("Olá Camille")
    send(tiago, hello)
    expect(tiago.locator(".msg-mine", has_text=hello)).to_have_count(1)

    entry = chat_entry(camille, "Tiago Costa")
    expect(entry).to_contain_text(hello)  # the conversation appeared live, with its last message
    expect(entry.locator(".unread-badge")).to_have_text("1")
    open_chat(camille, "Tiago Costa")
    expect(camille.locator(".msg-theirs", has_text=hello)).to_have_count(1)
    expect(entry.locator(".unread-badge")).to_have_count(0)
    answer = unique("Bonjour Tiago")
    send(camille, answer)
    expect(tiago.locator(".msg-theirs", has_text=answer)).to_have_count(1)
    expect(camille.locator(".msg-mine", has_text=answer)).to_have_count(1)

    # A new group, with a name and members.
    title = unique("Futebol")
    tiago.get_by_role("button", name="New chat").click()
    tiago.get_by_role("tab", name="Group").click()
    tiago.get_by_label("Group name").fill(title)
    tiago.get_by_label("Members").fill(f"{CAMILLE}, @jordan")
    tiago.get_by_role("button", name="Create group").click()
    expect(tiago.locator(".chat-title")).to_have_text(title)
    expect(tiago.locator(".chat-subtitle")).to_contain_text("3 members")
    first = unique("Who plays on Sunday?")
    send(tiago, first)

    open_chat(camille, title)
    message = camille.locator(".msg-theirs", has_text=first)
    expect(message).to_have_count(1)
    expect(message.locator(".msg-sender")).to_have_text("Tiago Costa")
    reply = unique("Moi!")
    send(camille, reply)
    expect(tiago.locator(".msg-theirs", has_text=reply).locator(".msg-sender")).to_have_text("Camille Martin")
    for page in (tiago, camille):
        for text in (first, reply):
            expect(page.locator(".msg[data-seq]", has_text=text)).to_have_count(1)


def test_history_pages_backwards_as_you_scroll_up(web_server, open_page) -> None:
    bruna = web_server.sign_in(BRUNA)
    chat = web_server.direct_chat(bruna["token"], JORDAN)
    with web_server.http(bruna["token"]) as http:
        for n in range(1, 121):
            response = http.post(
                f"/api/v1/conversations/{chat['id']}/messages",
                json={"client_id": f"page-{n}", "text": f"Line {n:03d}"},
            )
            assert response.status_code in (200, 201), response.text
    page = open_page(web_server, JORDAN)
    open_chat(page, "Bruna Silva")
    messages = page.locator(".msg[data-seq]")
    expect(messages.last).to_contain_text("Line 120")
    expect(page.locator(".msg", has_text="Line 001")).to_have_count(0)
    scroller = page.locator(".chat-scroll")
    start = page.get_by_text("This is the start of the conversation.")
    for _ in range(10):
        if start.is_visible():
            break
        scroller.evaluate("el => el.scrollTop = 0")
        page.wait_for_timeout(150)
    expect(start).to_be_visible()
    seqs = messages.evaluate_all("els => els.map(e => Number(e.dataset.seq))")
    texts = page.locator(".msg[data-seq] .msg-text").all_inner_texts()
    assert texts == [f"Line {n:03d}" for n in range(1, 121)]
    assert seqs == sorted(set(seqs))


def test_at_a_phone_width_the_list_and_the_chat_take_turns(web_server, open_page) -> None:
    page = open_page(web_server, BRUNA, width=390, height=800)
    sidebar, chat = page.locator(".sidebar"), page.locator(".chat")
    expect(sidebar).to_be_visible()
    expect(chat).to_be_hidden()
    open_chat(page, "Souk demo")
    expect(sidebar).to_be_hidden()
    expect(page.locator("#composer-input")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is wider than the phone: {width}px"
    page.get_by_role("button", name="Back to conversations").click()
    expect(sidebar).to_be_visible()
    expect(chat).to_be_hidden()
