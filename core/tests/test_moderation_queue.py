"""The moderation queue: a mini-app raises a report (``ctx.report``, SDK 1.4), operators read it
in the admin API and dismiss it or suspend the subject in that mini-app or everywhere.

Bazaar's ``/flag @someone why`` reports a member of the chat it is typed in.  Every decision
is one audit entry; an operator of another country and a viewer are refused (403), and a
suspended person reads "not available to you" from Bazaar (in it) or cannot sign in or send
at all (everywhere).
"""

from __future__ import annotations

import datetime as dt
import weakref

import pytest
from pydantic import BaseModel
from souk_sdk import Context, Manifest, MiniApp, PublicUser, SoukError

REPORTS = "/api/v1/admin/reports"


class FlagArgs(BaseModel):
    who: PublicUser
    why: str


def bazaar(raised: list[str]) -> MiniApp:
    app = MiniApp(Manifest(name="bazaar", title="Bazaar", version="1.0.0", scopes=[], sdk=">=1.4,<2"))

    @app.command("flag", help="Report someone here to Souk's operators", args=FlagArgs, scopes=[])
    async def flag(ctx: Context, args: FlagArgs) -> str:
        raised.append(await ctx.report(subject_user=args.who.id, reason=args.why, details="seen in a group"))
        return "Reported."

    @app.command("flagme", help="Report yourself (refused)", scopes=[])
    async def flag_me(ctx: Context, args) -> str:
        try:
            await ctx.report(subject_user=ctx.user.id, reason="me")
        except SoukError as exc:
            return f"refused: {exc}"
        return "reported myself"

    @app.command("hi", help="Say hi", scopes=[])
    async def hi(ctx: Context, args) -> str:
        return "hi!"

    return app


@pytest.fixture
def market(souk_world):
    raised: list[str] = []
    world = souk_world([bazaar(raised)])
    ana, bruno, chen = world.user("Ana", "BR"), world.user("Bruno", "BR"), world.user("Chen", "IN")
    group = ana.group_chat("Feira", [bruno, chen])
    return world, raised, ana, bruno, chen, group


_owners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Each world's owner account, made at its first report."""


def _report(world, group, who, why: str) -> dict:
    assert group.send(f"/flag @{who.handle} {why}").text == "Reported."
    if world not in _owners:
        _owners[world] = world.operator("boss", "owner", "*")
    owner = _owners[world]
    return world.call("GET", f"{REPORTS}?limit=1", owner)["reports"][0]


def _moderation_entries(world, token: str) -> list[dict]:
    entries = world.call("GET", "/api/v1/admin/audit?limit=500", token)["entries"]
    return [e for e in entries if e["action"].startswith(("report_", "user_suspended"))]


def test_a_report_reaches_the_queue_with_app_reason_subject_country_and_state(market) -> None:
    world, raised, ana, bruno, chen, group = market
    report = _report(world, group, bruno, "sells fake phones")
    assert raised == [report["id"]]
    assert (report["app"], report["reason"], report["details"]) == (
        "bazaar",
        "sells fake phones",
        "seen in a group",
    )
    assert (report["country"], report["state"], report["outcome"]) == ("BR", "open", None)
    assert report["subject"] == {
        "id": bruno.profile["id"],
        "display_name": "Bruno",
        "handle": bruno.handle,
        "suspended_from": [],
    }
    assert report["reporter"] == {"id": ana.profile["id"], "display_name": "Ana"}
    assert dt.datetime.fromisoformat(report["created_at"]) == world.now()
    _report(world, group, chen, "spam")
    owner = world.operator("boss2", "owner", "*")
    assert [r["country"] for r in world.call("GET", REPORTS, owner)["reports"]] == ["IN", "BR"]
    assert world.call("GET", f"{REPORTS}?country=br", owner)["reports"][0]["id"] == report["id"]
    assert len(world.call("GET", f"{REPORTS}?app=bazaar&state=open", owner)["reports"]) == 2
    assert world.call("GET", f"{REPORTS}?state=dismissed", owner)["reports"] == []
    first = world.call("GET", f"{REPORTS}?limit=1", owner)["reports"]
    second = world.call("GET", f"{REPORTS}?limit=1&before={first[0]['id']}", owner)["reports"]
    assert [r["id"] for r in first + second] == [
        r["id"] for r in world.call("GET", REPORTS, owner)["reports"]
    ]
    assert world.call("GET", f"{REPORTS}/{report['id']}", owner)["reason"] == "sells fake phones"
    # A person cannot report themselves; nothing is queued.
    assert group.send("/flagme").text == "refused: a person cannot report themselves"
    assert len(world.call("GET", REPORTS, owner)["reports"]) == 2


def test_the_mini_app_never_sees_a_phone_number_and_the_report_names_no_phone(market) -> None:
    world, _raised, ana, bruno, _, group = market
    report = _report(world, group, bruno, "rude")
    assert bruno.profile["phone"] not in str(report) and ana.profile["phone"] not in str(report)


def test_dismissing_closes_the_report_and_is_audited_once(market) -> None:
    world, _, _, bruno, _, group = market
    report = _report(world, group, bruno, "rude")
    lucia = world.operator("lucia", "operator", "BR")
    done = world.call(
        "POST", f"{REPORTS}/{report['id']}/decision", lucia, {"decision": "dismiss", "note": "banter"}
    )
    assert (done["state"], done["outcome"], done["note"], done["resolved_by"]) == (
        "dismissed",
        "dismiss",
        "banter",
        "operator:lucia",
    )
    entries = world.call("GET", "/api/v1/admin/audit?action=report_dismissed", lucia)["entries"]
    assert len(entries) == 1
    assert (entries[0]["actor"], entries[0]["app"], entries[0]["country"]) == (
        "operator:lucia",
        "bazaar",
        "BR",
    )
    assert entries[0]["before"] == {"state": "open", "user": bruno.profile["id"]}
    again = world.call(
        "POST", f"{REPORTS}/{report['id']}/decision", lucia, {"decision": "suspend_everywhere"}, expect=409
    )
    assert again["error"]["code"] == "report_already_decided"
    assert len(_moderation_entries(world, lucia)) == 1  # the refused second decision wrote nothing
    # Bruno still uses Bazaar.
    assert bruno.app_chat("bazaar").send("/hi").text == "hi!"


def test_suspended_in_the_mini_app_bruno_reads_not_available_to_you_and_chats_on(market) -> None:
    world, _, ana, bruno, _, group = market
    report = _report(world, group, bruno, "scam")
    lucia = world.operator("lucia", "operator", "BR")
    done = world.call("POST", f"{REPORTS}/{report['id']}/decision", lucia, {"decision": "suspend_in_app"})
    assert (done["state"], done["subject"]["suspended_from"]) == ("actioned", ["bazaar"])
    chat = bruno.app_chat("bazaar")
    assert chat.send("/hi").text == (
        "Bazaar is not available to you, so /hi cannot be used. An operator suspended your use of it."
    )
    assert "hi" not in bruno.commands() and "hi" in ana.commands()
    assert ana.app_chat("bazaar").send("/hi").text == "hi!"
    bruno.direct_chat(ana).send("still here")  # the rest of Souk works
    (entry,) = world.call("GET", "/api/v1/admin/audit?action=user_suspended_in_app", lucia)["entries"]
    assert entry["after"] == {
        "state": "actioned",
        "outcome": "suspend_in_app",
        "user": bruno.profile["id"],
        "suspended_from": "bazaar",
    }


def test_suspended_everywhere_bruno_cannot_send_nor_sign_in(market) -> None:
    world, _, _ana, bruno, _, group = market
    report = _report(world, group, bruno, "threats")
    lucia = world.operator("lucia", "operator", "BR")
    world.call("POST", f"{REPORTS}/{report['id']}/decision", lucia, {"decision": "suspend_everywhere"})
    sent = world.call(
        "POST",
        f"/api/v1/conversations/{group.conversation_id}/messages",
        bruno.token,
        {"text": "hello", "client_id": "k1"},
        expect=403,
    )
    assert sent["error"]["code"] == "account_suspended"
    phone = bruno.profile["phone"]
    world.call("POST", "/api/v1/auth/code", json={"phone": phone})
    signed = world.call(
        "POST", "/api/v1/auth/verify", json={"phone": phone, "code": world.core.dev_code}, expect=403
    )
    assert signed["error"]["code"] == "account_suspended"
    assert group.send("/hi").text == "hi!"  # Ana is not touched
    assert (
        len(world.call("GET", "/api/v1/admin/audit?action=user_suspended_everywhere", lucia)["entries"]) == 1
    )


def test_other_countries_viewers_and_chat_users_cannot_decide(market) -> None:
    world, _, ana, _bruno, chen, group = market
    report = _report(world, group, chen, "spam")  # Chen is in India
    path = f"{REPORTS}/{report['id']}/decision"
    refusals = {
        "outside_your_countries": world.operator("lucia", "operator", "BR"),
        "read_only": world.operator("vera", "viewer", "*"),
        "operator_only": ana.token,
    }
    for code, token in refusals.items():
        answer = world.call("POST", path, token, {"decision": "suspend_everywhere"}, expect=403)
        assert answer["error"]["code"] == code
    assert world.call("GET", REPORTS, refusals["read_only"])["reports"][0]["state"] == "open"
    assert world.call("GET", REPORTS, ana.token, expect=403)["error"]["code"] == "operator_only"
    owner = world.operator("boss3", "owner", "*")
    assert _moderation_entries(world, owner) == []
    world.call("POST", path, world.operator("ravi", "operator", "IN"), {"decision": "dismiss"})
    assert [e["action"] for e in _moderation_entries(world, owner)] == ["report_dismissed"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"decision": "ban"}, "invalid_request"),
        ({}, "invalid_request"),
        ({"decision": "dismiss", "note": "x" * 501}, "invalid_request"),
        ({"decision": "dismiss", "extra": 1}, "invalid_request"),
        ("dismiss", "invalid_request"),
    ],
)
def test_a_bad_decision_is_a_json_422(market, body, code) -> None:
    world, _, _, bruno, _, group = market
    report = _report(world, group, bruno, "spam")
    owner = world.operator("owner1", "owner", "*")
    answer = world.call("POST", f"{REPORTS}/{report['id']}/decision", owner, body, expect=422)
    assert answer["error"]["code"] == code
    assert world.call("GET", f"{REPORTS}/{report['id']}", owner)["state"] == "open"


def test_bad_queries_and_unknown_reports(market) -> None:
    world = market[0]
    owner = world.operator("owner1", "owner", "*")
    for query in ("state=closed", "limit=0", "limit=201", "country=BRA", "colour=red"):
        assert (
            world.call("GET", f"{REPORTS}?{query}", owner, expect=422)["error"]["code"] == "invalid_request"
        )
    missing = world.call("GET", f"{REPORTS}/r_nothing", owner, expect=404)
    assert missing["error"]["code"] == "report_not_found"
    decided = world.call("POST", f"{REPORTS}/r_nothing/decision", owner, {"decision": "dismiss"}, expect=404)
    assert decided["error"]["code"] == "report_not_found"


def test_reports_are_in_both_peoples_exports_and_survive_their_erasure_under_no_one(market) -> None:
    world, _, ana, bruno, _, group = market
    report = _report(world, group, bruno, "scam")
    owner = world.operator("owner1", "owner", "*")
    world.call("POST", f"{REPORTS}/{report['id']}/decision", owner, {"decision": "suspend_in_app"})
    made = ana.export()["souk.json"]
    about = bruno.export()["souk.json"]
    assert [(r["app"], r["reason"], r["details"]) for r in made["reports"]["made"]] == [
        ("bazaar", "scam", "seen in a group")
    ]
    assert made["reports"]["about_you"] == []
    assert [(r["reason"], r["state"]) for r in about["reports"]["about_you"]] == [("scam", "actioned")]
    assert "details" not in about["reports"]["about_you"][0]  # who wrote what stays with the reporter
    assert [s["app"] for s in about["suspensions"]] == ["bazaar"]
    receipt = bruno.erase()["parts"]["souk"]
    assert receipt["deleted"]["user_suspensions"] == 1 and receipt["pseudonymised"]["reports"] == 1
    ana.erase()
    kept = world.call("GET", f"{REPORTS}/{report['id']}", owner)
    assert kept["subject"]["id"] not in (bruno.profile["id"], ana.profile["id"])
    assert kept["subject"]["display_name"] is None and kept["reporter"]["display_name"] is None
    assert kept["details"] == ""


def test_lifting_a_suspension_serves_the_person_again_once_and_is_audited_once(market) -> None:
    world, _, _, bruno, _, group = market
    report = _report(world, group, bruno, "scam")
    lucia, ravi = world.operator("lucia", "operator", "BR"), world.operator("ravi", "operator", "IN")
    path = f"{REPORTS}/{report['id']}"
    world.call("POST", f"{path}/decision", lucia, {"decision": "suspend_everywhere"})
    refused = world.call("DELETE", f"{path}/suspension", ravi, expect=403)
    assert refused["error"]["code"] == "outside_your_countries"
    lifted = world.call("DELETE", f"{path}/suspension", lucia)
    assert (lifted["state"], lifted["subject"]["suspended_from"]) == ("actioned", [])
    assert bruno.app_chat("bazaar").send("/hi").text == "hi!"
    again = world.call("DELETE", f"{path}/suspension", lucia, expect=404)
    assert again["error"]["code"] == "no_suspension"
    (entry,) = world.call("GET", "/api/v1/admin/audit?action=user_suspension_lifted", lucia)["entries"]
    assert entry["before"] == {"user": bruno.profile["id"], "suspended_from": "*"}
    assert entry["actor"] == "operator:lucia"
