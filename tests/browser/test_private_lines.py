"""Command lines are their sender's alone: in a group, the line typed shows "Only you" to its sender
(readable on the private look) and reaches no other member, while what the command posts for
everyone still does."""

from __future__ import annotations

import re

import pytest
from browser_support import CAMILLE, TIAGO, open_chat, send, unique
from playwright.sync_api import Locator, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GROUP = "Souk demo"


def contrast(element: Locator) -> float:
    """The WCAG contrast ratio of an element's text against its bubble's background."""
    colours = element.evaluate(
        """el => [getComputedStyle(el).color, getComputedStyle(el.closest('.bubble')).backgroundColor]
              .map(c => c.match(/[\\d.]+/g).slice(0, 3).map(Number))"""
    )

    def luminance(rgb: list[float]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted(map(luminance, colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_command_line_in_a_group_is_seen_by_its_sender_only(web_server, open_page) -> None:
    tiago, camille = web_server.sign_in(TIAGO), web_server.sign_in(CAMILLE)
    group = next(c["id"] for c in web_server.conversations(tiago["token"]) if c["title"] == GROUP)
    before = web_server.cursor(tiago["token"], group)
    sender, member = open_page(web_server, TIAGO), open_page(web_server, CAMILLE)
    for page in (sender, member):
        open_chat(page, GROUP)
    words = unique("Boa tarde")
    line = f"/echo {words}"
    send(sender, line)

    mine = sender.locator(".msg-mine", has_text=line)
    expect(mine).to_have_count(1)
    expect(mine).to_have_class(re.compile(r"\bmsg-private\b"))
    expect(mine.locator(".private-tag")).to_have_text("Only you")
    assert contrast(mine.locator(".msg-text")) >= 4.5, "the line is hard to read on the private look"

    for page in (sender, member):  # the echo is for everyone
        expect(page.locator(".msg-app.msg-screen", has_text=words)).to_have_count(1)
    expect(member.locator(".msg", has_text=line)).to_have_count(0)
    expect(member.locator(".conversation", has_text=GROUP)).not_to_contain_text(line)

    kept = [m for m in web_server.history(tiago["token"], group, before) if m["text"] == line]
    assert [m["private"] for m in kept] == [True]
    assert [m for m in web_server.history(camille["token"], group, before) if m["text"] == line] == []
