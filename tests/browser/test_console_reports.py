"""The console's moderation queue: two matchmaking reports reach it; the operator dismisses one
and suspends the subject of the other in matchmaking, who then reads that it is not available
to them; each decision is one audit entry."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import ASHA, BRUNA, TIAGO, WebServer, allow_matchmaking
from e2e_support import serving
from playwright.sync_api import expect
from souk.operators.demo import DEMO_OPERATOR_KEY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MM = "/api/v1/apps/matchmaking"


def _report(server: WebServer, phone: str, first_name: str, reason: str, note: str) -> str:
    """The person of ``phone`` reports the candidate called ``first_name``; whom they reported."""
    with server.http(server.sign_in(phone)["token"]) as http:
        allow_matchmaking(http)
        candidates = http.get(f"{MM}/candidates").json()["candidates"]
        card = next(c for c in candidates if c["first_name"] == first_name)["card"]
        answer = http.post(f"{MM}/candidates/{card}/report", json={"reason": reason, "note": note})
        assert answer.status_code == 200, answer.text
    return first_name


def _profile_refusal(server: WebServer, token: str) -> str:
    with server.http(token) as http:
        answer = http.get(f"{MM}/profile")
    assert answer.status_code == 403, answer.text
    return answer.json()["error"]["code"]


def _audit(server: WebServer, token: str) -> list[Any]:
    with server.http(token) as http:
        entries = http.get("/api/v1/admin/audit?limit=500").json()["entries"]
    return [(e["action"], e["country"]) for e in entries if e["action"].startswith(("report_", "user_"))]


def test_the_console_dismisses_one_report_and_suspends_the_subject_of_another(tmp_path, open_page) -> None:
    with serving(WebServer(tmp_path / "data", "demo_server.py")) as server:
        _report(server, BRUNA, "Tiago", "scam", "asked for a Pix")
        _report(server, ASHA, "Ravi", "other", "just rude")
        console = open_page(server)
        console.goto(server.url + "/admin/")
        console.get_by_label("Account").fill("asha")
        console.get_by_label("Key").fill(DEMO_OPERATOR_KEY)
        console.get_by_role("button", name="Sign in").click()
        expect(console.locator("header .who")).to_have_text("asha · owner · *")
        token = console.evaluate("JSON.parse(sessionStorage.getItem('souk.console')).token")

        console.get_by_role("tab", name="Reports").click()
        rows = console.locator("#reports tbody tr")
        expect(rows).to_have_count(2)
        india = rows.filter(has_text="Something else")
        brazil = rows.filter(has_text="Scam or asking for money")
        expect(india).to_contain_text("Ravi")
        expect(brazil).to_contain_text("asked for a Pix")

        india.get_by_role("button", name="Dismiss").click()
        expect(console.get_by_role("status")).to_contain_text("dismiss.")
        expect(rows).to_have_count(1)  # the queue shows what is open

        brazil.get_by_role("button", name="Suspend in matchmaking").click()
        expect(console.get_by_role("status")).to_contain_text("suspend in app.")
        expect(console.locator("#reports tbody")).to_have_text("No reports.")

        console.get_by_label("Filter by state").select_option("actioned")
        console.get_by_role("button", name="Filter").click()
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("suspended from matchmaking")
        expect(rows.first).to_contain_text("suspend_in_app by operator:asha")

        tiago = server.sign_in(TIAGO)["token"]
        assert _profile_refusal(server, tiago) == "not_available_to_you"

        rows.first.get_by_role("button", name="Lift suspension").click()
        expect(console.get_by_role("status")).to_contain_text("suspension lifted.")
        expect(rows.first).not_to_contain_text("suspended from matchmaking")
        expect(rows.first.get_by_role("button", name="Lift suspension")).to_have_count(0)
        suspended = [("report_dismissed", "IN"), ("user_suspended_in_app", "BR")]
        assert sorted(_audit(server, token)) == sorted([*suspended, ("user_suspension_lifted", "BR")])
        # Served again: matchmaking now only asks for his consent, as on anyone's first use.
        assert _profile_refusal(server, tiago) == "consent_required"
        with server.http(token) as http:
            states = sorted(r["state"] for r in http.get("/api/v1/admin/reports?limit=10").json()["reports"])
        assert states == ["actioned", "dismissed"]
