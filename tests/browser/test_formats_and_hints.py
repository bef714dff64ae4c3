"""What people saw and found odd, fixed: times written in their own locale (the same format Babel
writes on the server), a form that shows every field's error at once, a palette that says more
commands are below its edge. At a desktop's width and at a phone's."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import babel.dates
import pytest
from browser_support import ASHA, JORDAN, open_chat, send, send_for_screen, unique
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def spaces(text: str) -> str:
    return re.sub(r"\s", " ", text)


@pytest.mark.parametrize("phone", [ASHA, JORDAN], ids=["en-IN", "en-US"])
def test_times_are_written_in_the_persons_own_locale_as_the_server_writes_them(
    web_server, open_page, phone: str, viewport: dict[str, int]
) -> None:
    person = web_server.sign_in(phone)["user"]
    page = open_page(web_server, phone, **viewport)  # the browser's own locale is en-GB
    open_chat(page, "Souk demo")
    text = unique("What time is it")
    send(page, text)
    time = page.locator(".msg-mine", has_text=text).locator("time")
    moment = dt.datetime.fromisoformat(time.get_attribute("datetime"))
    babel_locale = person["locale"].replace("-", "_")
    written = babel.dates.format_time(
        moment, "short", tzinfo=ZoneInfo(person["time_zone"]), locale=babel_locale
    )
    expect(time).not_to_be_empty()
    assert spaces(time.inner_text()) == spaces(written)  # "6:44 am" in India, "6:44 AM" in the US


def test_a_form_shows_every_fields_error_at_once(web_server, open_page, viewport: dict[str, int]) -> None:
    asha = web_server.sign_in(ASHA)
    web_server.open_app(asha["token"], "lodge")
    page = open_page(web_server, ASHA, **viewport)
    open_chat(page, "Lodge")
    form = send_for_screen(page, "/stay", "Book a room")
    yesterday = (
        dt.datetime.now(ZoneInfo(asha["user"]["time_zone"])).date() - dt.timedelta(days=1)
    ).isoformat()
    stay = form.get_by_role("group", name="Your stay")
    stay.get_by_label("From").fill(yesterday)
    stay.get_by_label("To").fill(yesterday)
    form.get_by_label("City tour").fill(yesterday)
    form.get_by_role("button", name="Book").click()
    errors = form.locator(".field-error:visible")
    expect(errors).to_have_count(2)  # the stay's and the tour's, together
    expect(stay.locator(".field-error")).to_contain_text("Must be on or after")
    expect(form.locator(".field-date .field-error")).to_contain_text("Must be on or after")
    assert form.get_by_label("City tour").get_attribute("aria-invalid") == "true"


def test_the_palette_says_that_more_commands_are_below(
    web_server, open_page, viewport: dict[str, int]
) -> None:
    page = open_page(web_server, ASHA, **viewport)
    open_chat(page, "Souk demo")
    page.locator("#composer-input").press("/")
    palette = page.get_by_role("listbox", name="Commands")
    options = palette.get_by_role("option")
    count = options.count()
    assert count >= 8, count
    expect(palette.locator(".palette-head")).to_contain_text(f"{count} commands")
    more = palette.locator(".palette-more")
    expect(more).to_be_visible()
    hidden = int(re.match(r"(\d+) more below", more.inner_text()).group(1))
    assert 0 < hidden < count
    palette.evaluate("el => el.scrollTo(0, el.scrollHeight)")
    expect(more).to_be_hidden()
    for _ in range(count - 1):  # the arrow keys reach the last one too
        page.keyboard.press("ArrowDown")
    expect(options.last).to_have_attribute("aria-selected", "true")
    expect(options.last).to_be_in_viewport()
