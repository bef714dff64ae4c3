"""A person's profile photo is shown to the people who see them, on ``souk serve --demo``.

Ravi's page is open when Asha sets a photo in Settings: at once it shows it on
their direct chat in the conversation list, then in that chat's header, beside
her message in the demo group and on her line of the group's members, while
everyone without a photo keeps their initials.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from browser_support import ASHA, RAVI, chat_entry, open_chat
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "core" / "tests"))
from media_samples import photo_with_gps

PHOTO = re.compile(r"^data:image/jpeg")
GROUP = "Souk demo"


def _token(page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('souk.session')).token")


def test_the_people_who_see_asha_are_shown_her_photo(demo_server, open_page, tmp_path) -> None:
    ravi = open_page(demo_server, RAVI)
    direct = chat_entry(ravi, "Asha Rao")
    expect(direct.locator(".avatar")).to_have_text("AR")
    asha = open_page(demo_server, ASHA)
    asha.get_by_role("button", name="Settings").click()
    settings = asha.get_by_role("dialog", name="Settings")
    settings.get_by_role("tab", name="Profile").click()
    picture = tmp_path / "asha.jpg"
    picture.write_bytes(photo_with_gps())
    settings.locator("input[type=file]").set_input_files(str(picture))
    expect(settings.get_by_text("Photo saved.")).to_be_visible()
    asha_id = demo_server.http(_token(asha)).get("/api/v1/me").json()["id"]
    try:
        expect(direct.locator(".avatar img")).to_have_attribute("src", PHOTO)  # live, no reload
        expect(chat_entry(ravi, GROUP).locator(".avatar img.avatar-photo")).to_have_count(0)  # no group photo
        open_chat(ravi, "Asha Rao")
        expect(ravi.locator(".chat-head .avatar img")).to_have_attribute("src", PHOTO)

        open_chat(ravi, GROUP)
        hers = ravi.locator(f'.msg[data-sender="user:{asha_id}"]')
        expect(hers.first.locator(".avatar img")).to_have_attribute("src", PHOTO)
        others = ravi.locator(f'.msg[data-sender^="user:"]:not([data-sender="user:{asha_id}"]) .avatar')
        expect(others).not_to_have_count(0)
        expect(others.locator("img")).to_have_count(0)  # the others keep their initials

        ravi.get_by_role("button", name="Group info").click()
        members = ravi.get_by_role("dialog", name="Group info").locator(".group-members li")
        hers_listed = ravi.locator(f'.group-members li[data-user="{asha_id}"] .avatar img')
        expect(hers_listed).to_have_attribute("src", PHOTO)
        expect(members.locator(".avatar img")).to_have_count(1)  # hers alone
        assert members.count() > 1
    finally:
        demo_server.http(_token(asha)).patch("/api/v1/me", json={"photo": ""}).raise_for_status()
