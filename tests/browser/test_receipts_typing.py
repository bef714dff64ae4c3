"""Ticks that turn as the other person reads, typing, online and last seen, "read by N of M" in a
group's message info, and the privacy setting that hides read receipts both ways: two people side
by side, at a desktop's width and at a phone's."""

from __future__ import annotations

import re

import pytest
from browser_support import ASHA, BRUNA, CAMILLE, RAVI, TIAGO, open_chat, send, unique
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def ticks_of(page: Page, text: str):
    return page.locator(".msg-mine", has=page.locator(".msg-text", has_text=text)).locator(".ticks")


def test_typing_ticks_online_and_last_seen_in_a_direct_chat(
    web_server, open_page, viewport: dict[str, int]
) -> None:
    asha, ravi = (open_page(web_server, phone, **viewport) for phone in (ASHA, RAVI))
    open_chat(ravi, "Asha Rao")
    expect(ravi.locator(".chat-subtitle")).to_have_text("online")
    open_chat(asha, "Ravi Kumar")

    asha.locator("#composer-input").press_sequentially("On my way", delay=20)
    expect(ravi.locator(".chat-subtitle")).to_have_text("Asha is typing…")
    text = unique("On my way")
    send(asha, text)
    expect(ravi.locator(".msg-theirs", has_text=text)).to_have_count(1)
    expect(ravi.locator(".chat-subtitle")).to_have_text("online")  # her message ended the typing
    ticks = ticks_of(asha, text)
    expect(ticks).to_have_attribute("aria-label", "Read")  # Ravi has the chat open
    expect(ticks).to_have_class(re.compile(r"\bticks-read\b"))

    asha.context.close()
    expect(ravi.locator(".chat-subtitle")).to_have_text(re.compile(r"^last seen today at \d"))


def test_a_group_message_is_read_by_1_of_2_in_its_info(
    web_server, open_page, viewport: dict[str, int]
) -> None:
    title = unique("Ticks")
    web_server.group(web_server.sign_in(ASHA)["token"], title, ["ravi", "bruna"])
    asha, ravi = (open_page(web_server, phone, **viewport) for phone in (ASHA, RAVI))
    for page in (asha, ravi):
        open_chat(page, title)
    text = unique("Who brings the cake?")
    send(asha, text)
    expect(ticks_of(asha, text)).to_have_attribute("aria-label", "Read by 1 of 2")
    bubble = asha.locator(".msg-mine", has=asha.locator(".msg-text", has_text=text)).locator(".bubble")
    bubble.hover()
    bubble.get_by_role("button", name="Message actions").click()
    asha.get_by_role("menuitem", name="Message info").click()
    info = asha.get_by_role("dialog", name="Message info")
    expect(info.locator(".info-count")).to_have_text("Read by 1 of 2")
    expect(info.get_by_role("region", name="Read by")).to_contain_text("Ravi Kumar")
    expect(info.get_by_role("region", name="Read by")).to_contain_text(re.compile(r"Today at \d"))
    expect(info.get_by_role("region", name="Read by")).not_to_contain_text("Bruna")
    info.get_by_role("button", name="Close").click()
    expect(info).to_be_hidden()

    bruna = open_page(web_server, BRUNA, **viewport)
    open_chat(bruna, title)
    expect(ticks_of(asha, text)).to_have_attribute("aria-label", "Read by 2 of 2")
    expect(ticks_of(asha, text)).to_have_class(re.compile(r"\bticks-read\b"))


def test_hiding_read_receipts_hides_them_both_ways(own_server, open_page, viewport: dict[str, int]) -> None:
    asha, ravi = (open_page(own_server, phone, **viewport) for phone in (ASHA, RAVI))
    ravi.get_by_role("button", name="Settings").click()
    dialog = ravi.get_by_role("dialog", name="Settings")
    dialog.get_by_role("tab", name="Privacy").click()
    dialog.get_by_label("Read receipts").select_option("nobody")
    expect(dialog.locator(".privacy-status", has_text="Saved.")).to_have_count(1)
    dialog.get_by_role("button", name="Close").click()
    open_chat(ravi, "Asha Rao")
    open_chat(asha, "Ravi Kumar")

    mine = unique("Seen it?")
    send(asha, mine)
    expect(ravi.locator(".msg-theirs", has_text=mine)).to_have_count(1)
    expect(ticks_of(asha, mine)).to_have_attribute("aria-label", "Delivered")  # read, but not shown
    answer = unique("Yes")
    send(ravi, answer)
    expect(asha.locator(".msg-theirs", has_text=answer)).to_have_count(1)
    expect(ticks_of(ravi, answer)).to_have_attribute("aria-label", "Delivered")  # he sees no one's
    expect(ticks_of(ravi, answer)).not_to_have_class(re.compile(r"\bticks-read\b"))


def test_50_messages_in_a_group_of_5_show_their_counts_as_each_member_reads(
    own_server, open_page, viewport: dict[str, int]
) -> None:
    server = own_server
    tokens = {phone: server.sign_in(phone)["token"] for phone in (ASHA, RAVI, BRUNA, TIAGO, CAMILLE)}
    with server.http(tokens[CAMILLE]) as http:
        assert http.patch("/api/v1/me/privacy", json={"receipts": "nobody"}).status_code == 200
    title = unique("Fifty")
    conversation = server.group(tokens[ASHA], title, ["ravi", "bruna", "tiago", "camille"])["id"]
    sent = [server.send(tokens[ASHA], conversation, f"Line {n:02d}") for n in range(1, 51)]
    seqs = [m["seq"] for m in sent]
    page = open_page(server, ASHA, **viewport)
    open_chat(page, title)
    expect(page.locator(".msg-mine .ticks")).to_have_count(50)

    def shown() -> list[int]:
        return page.locator(".msg-mine .ticks").evaluate_all("els => els.map(e => Number(e.dataset.read))")

    expected = [0] * 50
    for phone, upto in ((RAVI, 10), (BRUNA, 25), (TIAGO, 50), (CAMILLE, 50)):
        with server.http(tokens[phone]) as http:
            response = http.post(f"/api/v1/conversations/{conversation}/read", json={"seq": seqs[upto - 1]})
            assert response.status_code == 204, response.text
        if phone != CAMILLE:  # she hides her read receipts: never counted
            expected = [n + (i < upto) for i, n in enumerate(expected)]
        expect(page.locator(".msg-mine .ticks").nth(upto - 1)).to_have_attribute(
            "data-read", str(expected[upto - 1])
        )
        page.wait_for_timeout(300)  # a receipt frame that should not come has had its chance
        assert shown() == expected, phone
    assert sum(expected) == 10 + 25 + 50
    labels = page.locator(".msg-mine .ticks").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert labels[0] == "Read by 3 of 4" and labels[-1] == "Read by 1 of 4"
