"""The operator console at /admin/: enable for a country, roll out to half and back, kill and restore.

The demo world runs Kiosk (/order) in IN, BR, FR and US; its operator account is
asha, with the demo key.  What the console does is checked where a person sees
it: Ravi's chat page in India (the command answers, or says it is not available).
"""

from __future__ import annotations

import csv
import re

from browser_support import RAVI
from playwright.sync_api import expect
from souk.operators.demo import DEMO_OPERATOR_KEY


def _console(open_page, server):  # type: ignore[no-untyped-def]
    page = open_page(server)
    page.goto(server.url + "/admin/")
    page.get_by_label("Account").fill("asha")
    page.get_by_label("Key").fill(DEMO_OPERATOR_KEY)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .who")).to_have_text("asha · owner · *")
    return page


def _cell(page, state: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("button", name=f"Kiosk in IN: {state}")


def _order(chat_page, reply: str) -> None:  # type: ignore[no-untyped-def]
    """Ravi sends /order tea and gets one more message saying ``reply``."""
    answers = chat_page.locator(
        ".msg", has_text=re.compile(re.escape(reply))
    )  # case counts: not "/order tea"
    before = answers.count()
    box = chat_page.locator("#composer-input")
    box.fill("/order tea")
    box.press("Enter")
    expect(answers).to_have_count(before + 1)


def _commands(server) -> list[str]:  # type: ignore[no-untyped-def]
    token = server.sign_in(RAVI)["token"]
    with server.http(token) as http:
        return [c["name"] for c in http.get("/api/v1/commands").json()["commands"]]


def test_console_enable_rollout_and_kill_switch(own_server, open_page) -> None:
    server = own_server
    console = _console(open_page, server)
    chat = open_page(server, RAVI)
    chat.locator(".conversation-button", has_text="Souk demo").click()

    # Off in India, then on again from the console: Ravi's /order answers.
    _cell(console, "on").click()
    panel = console.get_by_label("Kiosk in IN", exact=True)
    expect(panel.locator(".bounds")).to_contain_text("May serve: *")  # the manifest, before enabling
    panel.get_by_role("button", name="Disable").click()
    expect(_cell(console, "off")).to_be_visible()
    assert "order" not in _commands(server)
    _order(chat, "Kiosk is not available in your country")
    _cell(console, "off").click()
    console.get_by_label("Kiosk in IN", exact=True).get_by_role("button", name="Enable for everyone").click()
    expect(_cell(console, "on")).to_be_visible()
    assert "order" in _commands(server)
    _order(chat, "Order tea")

    # To half of India, and back in one action.
    _cell(console, "on").click()
    panel = console.get_by_label("Kiosk in IN", exact=True)
    panel.get_by_label("Percent of the country's people").fill("50")
    panel.get_by_role("button", name="Roll out").click()
    expect(_cell(console, "rolling 50%")).to_be_visible()
    _cell(console, "rolling 50%").click()
    console.get_by_label("Kiosk in IN", exact=True).get_by_role("button", name="Roll back").click()
    expect(_cell(console, "on")).to_be_visible()

    # The kill switch, everywhere at once, and back as it was.
    console.get_by_role("button", name="Kill Kiosk").click()
    for country in ("IN", "BR", "FR", "US"):
        expect(console.get_by_role("button", name=f"Kiosk in {country}: killed")).to_be_visible()
    _order(chat, "Kiosk is not available right now")
    console.get_by_role("button", name="Restore Kiosk").click()
    for country in ("IN", "BR", "FR", "US"):
        expect(console.get_by_role("button", name=f"Kiosk in {country}: on")).to_be_visible()
    _order(chat, "Order tea")

    # Its health: the two /order of Ravi that reached it (not those refused), none failed.
    console.get_by_role("tab", name="Health").click()
    kiosk_in = console.locator('#health tr[data-app="kiosk"][data-country="IN"] td')
    expect(kiosk_in.nth(4)).to_have_text("2")  # requests in the last 5 minutes
    expect(kiosk_in.nth(5)).to_have_text("0.0%")

    # Each step is in the audit log, once, and in its CSV.
    console.get_by_role("tab", name="Audit log").click()
    console.get_by_label("Filter by app").fill("kiosk")
    console.get_by_label("Filter by actor").fill("operator:asha")
    console.get_by_role("button", name="Filter").click()
    actions = console.locator("#audit tbody tr td:nth-child(3)")
    expect(actions).to_have_text(["resume", "suspend", "rollback", "rollout", "enable", "disable"])
    with console.expect_download() as download:
        console.get_by_role("button", name="Export CSV").click()
    with open(download.value.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[0] == ["id", "at", "actor", "action", "app", "country", "detail", "before", "after"]
    assert [row[3] for row in rows[1:]] == [
        "disable",
        "enable",
        "rollout",
        "rollback",
        "suspend",
        "resume",
    ]
