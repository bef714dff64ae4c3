"""A group's life in the browser: its news as lines in the chat, its info with members and roles, an
admin who renames it, makes an admin, removes someone (who then receives nothing more) and lets
only admins post; a member who leaves. At a desktop's width and at a phone's."""

from __future__ import annotations

import pytest
from browser_support import ASHA, BRUNA, RAVI, open_chat, send, unique
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def group_info(page: Page):
    page.get_by_role("button", name="Group info").click()
    dialog = page.get_by_role("dialog", name="Group info")
    expect(dialog).to_be_visible()
    return dialog


def test_an_admin_runs_the_group_and_a_removed_member_receives_nothing_more(
    web_server, open_page, viewport: dict[str, int]
) -> None:
    title = unique("Garden")
    web_server.group(web_server.sign_in(ASHA)["token"], title, ["ravi", "bruna"])
    asha, bruna, ravi = (open_page(web_server, phone, **viewport) for phone in (ASHA, BRUNA, RAVI))
    for page in (asha, bruna, ravi):
        open_chat(page, title)
    expect(asha.locator(".msg-event").first).to_have_text(f"You created the group “{title}”")
    expect(bruna.locator(".msg-event").first).to_have_text(f"Asha Rao created the group “{title}”")

    info = group_info(asha)
    members = info.get_by_role("region", name="Members")
    expect(members).to_contain_text("3 members")
    expect(members.locator("li", has_text="You")).to_contain_text("Owner")
    members.get_by_role("button", name="Make Bruna Silva an admin").click()
    expect(members.locator("li", has_text="Bruna Silva")).to_contain_text("Admin")
    members.get_by_role("button", name="Remove Ravi Kumar").click()
    expect(members).to_contain_text("2 members")
    renamed = unique("Allotment")
    info.get_by_label("Group name").fill(renamed)
    info.get_by_role("button", name="Rename").click()
    info.get_by_label("Who can send messages").select_option("admins")
    info.get_by_role("button", name="Close").click()

    expect(ravi.locator(".msg-event").last).to_have_text("Asha Rao removed you")
    expect(ravi.locator("#composer-input")).to_be_disabled()
    expect(ravi.locator("#composer-input")).to_have_attribute(
        "placeholder", "You are no longer a member of this group."
    )
    for page in (asha, bruna):
        expect(page.locator(".chat-title")).to_have_text(renamed)
    expect(bruna.locator(".msg-event", has_text="changed who can send messages")).to_have_text(
        "Asha Rao changed who can send messages: only admins"
    )
    after = unique("Seeds are in")
    send(bruna, after)  # an admin may
    expect(asha.locator(".msg-theirs", has_text=after)).to_have_count(1)
    ravi.wait_for_timeout(500)
    expect(ravi.locator(".msg", has_text=after)).to_have_count(0)
    expect(ravi.locator(".chat-title")).to_have_text(title)  # he kept the group as it was

    info = group_info(asha)
    info.get_by_role("region", name="Members").get_by_role(
        "button", name="Dismiss Bruna Silva as admin"
    ).click()
    info.get_by_role("button", name="Close").click()
    expect(bruna.locator("#composer-input")).to_be_disabled()
    info = group_info(bruna)
    expect(info).to_contain_text("Only admins can send messages to this group.")
    info.get_by_role("button", name="Leave group").click()
    info.get_by_role("button", name="Leave", exact=True).click()
    expect(info).to_contain_text("You are no longer a member of this group.")
    expect(asha.locator(".msg-event").last).to_have_text("Bruna Silva left")
