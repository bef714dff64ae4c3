"""A Hindi line and an emoji in a message are drawn with glyphs, not boxes: each is measured against
the box a character without any font gets (the page's fonts name Debian's Noto ones; .ci/run
installs them)."""

from __future__ import annotations

import pytest
from browser_support import ASHA, RAVI, open_chat, unique
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HINDI = "नमस्ते, आज शाम मिलते हैं"
EMOJI = "🎉"
NO_GLYPH = "\u0378"  # a code point no font has (unassigned): drawn as a box

LETTERS = "कखगमनअआ"  # Devanagari letters: drawn, they are of several widths; as boxes, of one

MEASURE = """(bubble, [hindi, letters, emoji, box]) => {
  const width = (text) => {
    const span = document.createElement("span");
    span.textContent = text;
    span.style.whiteSpace = "pre";
    bubble.append(span);
    const measured = span.getBoundingClientRect().width;
    span.remove();
    return measured;
  };
  return {
    hindi: width(hindi),
    hindiAsBoxes: width(box.repeat([...hindi].length)),
    letters: [...letters].map(width),
    emoji: width(emoji),
    box: width(box),
  };
}"""


def test_a_hindi_line_and_an_emoji_are_glyphs_not_boxes(
    web_server, open_page, viewport: dict[str, int]
) -> None:
    ravi = web_server.sign_in(RAVI)
    chat = web_server.direct_chat(ravi["token"], ASHA)
    tag = unique("fonts")
    web_server.send(ravi["token"], chat["id"], f"{HINDI} {EMOJI} {tag}")
    page = open_page(web_server, ASHA, **viewport)
    open_chat(page, "Ravi Kumar")
    text = page.locator(".msg-theirs", has_text=tag).locator(".msg-text")
    expect(text).to_contain_text(HINDI)
    widths = text.evaluate(MEASURE, [HINDI, LETTERS, EMOJI, NO_GLYPH])
    box = widths["box"]
    assert box > 0, widths
    # Boxes are all as wide as one another; a script's glyphs are not (joined, narrower, wider).
    assert len([w for w in widths["letters"] if abs(w - box) < 0.5]) <= 1, widths
    assert len({round(w) for w in widths["letters"]}) >= 3, widths
    assert abs(widths["hindi"] - widths["hindiAsBoxes"]) > 0.1 * widths["hindiAsBoxes"], widths
    assert abs(widths["emoji"] - box) > 0.15 * box, widths
