"""On a demo server, switching between the demo people never locks anyone out.

The server keeps its real limits (five codes an hour per number); the page keeps a session
per demo person, so switching back to someone spends no code.  Two people, 20 switches: each
is signed in ten times or more, twice what the codes of an hour would allow.
"""

from __future__ import annotations

import time

from browser_support import ASHA, RAVI
from playwright.sync_api import expect

SWITCHES = 20
PEOPLE = {ASHA: "Asha Rao", RAVI: "Ravi Kumar"}


def test_20_switches_between_demo_people_none_refused(demo_server, open_page) -> None:
    page = open_page(demo_server)
    answers: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda r: "/api/v1/auth/" in r.url and answers.append((r.url.rsplit("/", 1)[-1], r.status)),
    )
    order = [ASHA, RAVI] * (SWITCHES // 2 + 1)
    started = time.monotonic()
    shown = []
    for number, phone in enumerate(order[: SWITCHES + 1]):
        if number:
            page.get_by_role("button", name="Switch person").click()
        page.get_by_role("button", name=f"Sign in as {PEOPLE[phone]}, {phone}").click()
        page.locator(".me-name, #signin-code").first.wait_for()  # signed in, or asked for a code
        if page.locator("#signin-code").count():
            page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.locator(".me-name")).to_have_text(PEOPLE[phone])
        shown.append(page.locator(".me-name").text_content())
    elapsed = time.monotonic() - started

    refused = [answer for answer in answers if answer[1] >= 400]
    codes = [answer for answer in answers if answer[0] == "code"]
    print(f"{SWITCHES} switches in {elapsed:.1f} s, {len(codes)} codes spent, {len(refused)} refused")
    assert shown == [PEOPLE[p] for p in order[: SWITCHES + 1]]  # each switch reached its person
    assert refused == []
    assert codes == [("code", 202)] * len(PEOPLE)  # one code per person, on their first sign-in
    assert page.locator(".form-error:visible").count() == 0
