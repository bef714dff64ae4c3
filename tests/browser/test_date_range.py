"""A date-range field: two days, from and to, kept to the field's bounds in the user's own today;
a range the server refuses shows its words beside the field, an accepted one the mini-app's answer."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import lodge_app
import pytest
from browser_support import ASHA, open_chat, send_for_screen
from playwright.sync_api import expect
from souk_sdk import ui

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def refusal(start: dt.date, end: dt.date, today: ui.Today) -> str:
    """What the server says of this range, as the form shows it (a sentence)."""
    with pytest.raises(ValueError) as refused:
        lodge_app.STAY.clean({"start": start.isoformat(), "end": end.isoformat()}, today)
    said = str(refused.value)
    return f"{said[0].upper()}{said[1:]}."


def test_a_date_range_is_refused_by_the_server_then_booked(web_server, open_page) -> None:
    asha = web_server.sign_in(ASHA)
    user = asha["user"]
    day = dt.datetime.now(ZoneInfo(user["time_zone"])).date()  # Asha's today, in India
    today = ui.Today(day, user["locale"])

    def in_days(count: int) -> dt.date:
        return day + dt.timedelta(days=count)

    web_server.open_app(asha["token"], "lodge")
    page = open_page(web_server, ASHA)
    open_chat(page, "Lodge")
    form = send_for_screen(page, "/stay", "Book a room")
    stay = form.get_by_role("group", name="Your stay")
    start, end = stay.get_by_label("From"), stay.get_by_label("To")
    tour = form.get_by_label("City tour")
    expect(stay).to_contain_text("Up to a week, from today on")  # its help
    for bounded in (start, tour):  # "today" is the user's own today
        expect(bounded).to_have_attribute("min", day.isoformat())
    error = stay.locator(".field-error")
    book = form.get_by_role("button", name="Book")

    def ask(first: dt.date, last: dt.date) -> None:
        start.fill(first.isoformat())
        end.fill(last.isoformat())
        book.click()

    ask(in_days(3), in_days(1))
    expect(end).to_have_attribute("min", in_days(4).isoformat())  # after the start
    expect(end).to_have_attribute("max", in_days(10).isoformat())  # a week at most
    expect(error).to_have_text(refusal(in_days(3), in_days(1), today))
    for input_ in (start, end):
        expect(input_).to_have_attribute("aria-invalid", "true")
    expect(start).to_be_focused()

    yesterday = in_days(-1)
    ask(yesterday, in_days(2))
    expect(error).to_have_text(refusal(yesterday, in_days(2), today))

    tour.fill(in_days(2).isoformat())
    ask(in_days(1), in_days(4))
    answer = lodge_app.booked(ui.DateRange(start=in_days(1), end=in_days(4)), in_days(2))
    expect(page.locator(".msg-app", has_text=answer)).to_have_count(1)
    expect(error).to_be_hidden()
    for input_ in (start, end):
        expect(input_).not_to_have_attribute("aria-invalid", "true")
