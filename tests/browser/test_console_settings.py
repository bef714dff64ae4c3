"""The console changes a mini-app's per-country setting: Payments' largest transfer in India.

The form is drawn from the settings Payments declares; a value the model refuses (a
single transfer larger than the daily total) is shown as the server's reason and changes
nothing; a good one is saved, in effect from the next request (the admin API reads it),
and lands in the audit log once, with the values before and after.
"""

from __future__ import annotations

from playwright.sync_api import expect
from souk.operators.demo import DEMO_OPERATOR_KEY

SETTINGS = "/api/v1/admin/apps/payments/countries/IN/settings"


LIMITS = ("max_transfer", "daily_total")


def _values(server, token: str) -> dict:  # type: ignore[no-untyped-def]
    """The transfer limits among Payments' settings in India (the test changes those two)."""
    with server.http(token) as http:
        return {f["name"]: f["value"] for f in http.get(SETTINGS).json()["fields"] if f["name"] in LIMITS}


def test_console_changes_a_countrys_payment_limit(own_server, open_page) -> None:
    server = own_server
    console = open_page(server)
    console.goto(server.url + "/admin/")
    console.get_by_label("Account").fill("asha")
    console.get_by_label("Key").fill(DEMO_OPERATOR_KEY)
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator("header .who")).to_have_text("asha · owner · *")
    token = console.evaluate("JSON.parse(sessionStorage.getItem('souk.console')).token")
    assert _values(server, token) == {"max_transfer": 10_000, "daily_total": 50_000}

    console.get_by_role("button", name="Payments in IN: on").click()
    form = console.get_by_role("form", name="Payments settings in IN")
    largest, daily = form.get_by_label("Largest transfer"), form.get_by_label("Daily total")
    expect(largest).to_have_value("10000")

    largest.fill("60000")  # more than the day's 50,000: refused by Payments' own model
    form.get_by_role("button", name="Save settings").click()
    expect(form.get_by_role("alert")).to_contain_text("larger than the daily total")
    assert _values(server, token) == {"max_transfer": 10_000, "daily_total": 50_000}

    largest.fill("2500")
    daily.fill("8000")
    form.get_by_role("button", name="Save settings").click()
    saved = console.get_by_role("form", name="Payments settings in IN")
    expect(saved.get_by_role("status")).to_have_text("Saved: in effect from the next request.")
    expect(saved.get_by_label("Largest transfer")).to_have_value("2500")
    expect(saved).to_contain_text("changed")
    assert _values(server, token) == {"max_transfer": 2_500, "daily_total": 8_000}

    console.get_by_role("tab", name="Audit log").click()
    console.get_by_label("Filter by app").fill("payments")
    console.get_by_role("button", name="Filter").click()
    actions = console.locator("#audit tbody tr td:nth-child(3)")
    expect(actions.filter(has_text="setting_change")).to_have_count(1)
    with server.http(token) as http:
        [entry] = http.get("/api/v1/admin/audit?action=setting_change").json()["entries"]
    assert entry["before"] == {"daily_total": 50_000, "max_transfer": 10_000}
    assert entry["after"] == {"daily_total": 8_000, "max_transfer": 2_500}
