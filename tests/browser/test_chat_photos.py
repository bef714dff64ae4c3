"""Photos and files in the browser: one person sends, the other sees it at a phone's width; a shop's
pictures come from Souk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import ASHA, RAVI, chat_entry, open_chat
from media_samples import minimal_pdf, photo_with_gps
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def test_a_photo_and_a_file_go_from_one_page_to_the_other(web_server, open_page) -> None:
    asha = open_page(web_server, ASHA)
    ravi = open_page(web_server, RAVI, **PHONE)
    open_chat(asha, "Ravi Kumar")
    open_chat(ravi, "Asha Rao")

    # Hold the upload's answer, to see the page say it is on its way.
    held = []
    asha.route("**/api/v1/media?*", lambda route: held.append(route))
    asha.locator("#composer-input").fill("The lid is cracked")
    asha.locator(".composer-file").set_input_files(
        files=[{"name": "IMG_2041.JPG", "mimeType": "image/jpeg", "buffer": photo_with_gps()}]
    )
    upload = asha.locator(".msg-upload")
    expect(upload).to_contain_text(re.compile(r"Uploading IMG_2041\.JPG… \d+%"))
    expect(upload.locator("progress")).to_be_visible()
    assert len(held) == 1
    held[0].continue_()
    asha.unroute("**/api/v1/media?*")
    expect(upload).to_have_count(0)

    for page in (asha, ravi):
        message = page.locator(".msg", has=page.locator(".msg-photo")).last
        expect(message).to_contain_text("The lid is cracked")
        photo = message.locator("img.msg-photo")
        expect(photo).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"))
        assert photo.evaluate("img => img.complete && img.naturalWidth") == 320  # the thumbnail
    photo = ravi.locator("img.msg-photo").last
    ravi.locator(".msg-photo-button").last.click()
    expect(photo).to_have_js_property("naturalWidth", 1200)  # the whole picture
    width = ravi.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the photo fits the phone's width"

    asha.locator(".composer-file").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    card = ravi.locator(".msg-file").last
    expect(card).to_contain_text("invoice.pdf")
    expect(card).to_contain_text("application/pdf")
    with ravi.expect_download() as download:
        card.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == "invoice.pdf"
    assert Path(download.value.path()).read_bytes() == minimal_pdf()
    # The direct chat's entry by its title: a group's preview may name Asha too.
    expect(chat_entry(ravi, "Asha Rao")).to_contain_text("📎 invoice.pdf")


def test_a_file_souk_does_not_keep_is_refused_and_says_why(web_server, open_page) -> None:
    asha = open_page(web_server, ASHA)
    open_chat(asha, "Ravi Kumar")
    sent = asha.locator(".msg").count()
    asha.locator(".composer-file").set_input_files(
        files=[
            {"name": "cat.png", "mimeType": "image/png", "buffer": b"<html><script>alert(1)</script></html>"}
        ]
    )
    refused = asha.locator(".msg-upload.msg-failed")
    expect(refused).to_contain_text("cat.png was not sent: Souk keeps pictures")
    refused.get_by_role("button", name="Dismiss").click()
    expect(refused).to_have_count(0)
    assert asha.locator(".msg").count() == sent


def test_a_shops_pictures_are_served_by_souk(demo_server, open_page) -> None:
    ravi = open_page(demo_server, RAVI, **PHONE)
    outside: list[str] = []
    ravi.on("request", lambda r: r.url.startswith(demo_server.url) or outside.append(r.url))
    ravi.locator(".conversation", has_text="Souk demo").locator(".conversation-button").click()
    ravi.locator("#composer-input").fill("/shop")
    ravi.locator("#composer-input").press("Enter")
    allow = ravi.get_by_role("button", name="Allow")
    shops = ravi.locator(".msg-screen", has_text="Asha's Spice Box").last
    expect(allow.or_(shops).first).to_be_visible()
    if allow.count():
        allow.last.click()
    shops.get_by_role("button", name="Open").first.click()
    shelf = ravi.locator(".msg-screen", has_text="Turmeric powder 100 g").last
    pictures = shelf.locator("img.screen-card-image")
    expect(pictures.first).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    assert pictures.count() >= 3
    assert pictures.first.evaluate("img => img.naturalWidth") == 480
    assert outside == [], f"the page asked another server: {outside}"
