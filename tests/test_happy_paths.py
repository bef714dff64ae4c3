"""The happy path of every route: one valid call per operation of the OpenAPI document, each 2xx
body checked against its documented schema exactly (the bad-input properties' other half: a
route whose success is never seen cannot be said to answer what the document says).

The probe server and the document's checks are ``api_probe``'s, shared with the bad-input properties.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from api_probe import DEV_CODE, OPERATIONS, Server, check_against_document
from inbox_probe import inbox_calls
from media_samples import png
from PIL import Image
from souk.foundation.clock import iso
from souk.miniapps import reports
from souk.people import users

PNG = "data:image/png;base64," + base64.b64encode(png()).decode()


def happy_paths_of_groups_and_changes(call: Any, group: str, ana: str, bo: dict, cy: dict) -> None:
    """Edits, reactions, receipts, sharing, presence and a group's life, each once, as it succeeds."""
    base = f"/api/v1/conversations/{group}"
    one = "/api/v1/conversations/{conversation_id}/messages/{message_id}"
    sent = call("POST", "/api/v1/conversations/{conversation_id}/messages", f"{base}/messages", ana, {
        "client_id": "g1", "text": "hello team"
    })  # fmt: skip
    message = f"{base}/messages/{sent['id']}"
    call("PATCH", one, message, ana, {"text": "hello, team"})
    call("PUT", one + "/reaction", f"{message}/reaction", bo["token"], {"emoji": "👍"})
    call("DELETE", one + "/reaction", f"{message}/reaction", bo["token"])
    call("GET", one + "/receipts", f"{message}/receipts", ana)
    call("DELETE", one, message, ana)
    call("GET", "/api/v1/me/privacy", "/api/v1/me/privacy", ana)
    call("PATCH", "/api/v1/me/privacy", "/api/v1/me/privacy", ana, {"typing": "contacts"})
    call("GET", "/api/v1/users/{user_id}/presence", f"/api/v1/users/{bo['user']['id']}/presence", ana)
    group_path = "/api/v1/conversations/{conversation_id}"
    call("PATCH", group_path, base, ana, {"title": "Team B", "posting": "admins"})
    call("PUT", group_path + "/photo", f"{base}/photo", ana, {"photo": PNG})
    call("DELETE", group_path + "/photo", f"{base}/photo", ana)
    member = group_path + "/members/{user_id}"
    call("PATCH", member, f"{base}/members/{bo['user']['id']}", ana, {"role": "admin"})
    call("DELETE", member, f"{base}/members/{cy['user']['id']}", ana)
    call("POST", group_path + "/leave", f"{base}/leave", bo["token"])
    found = call("GET", "/api/v1/search", "/api/v1/search?q=team&limit=5", ana)
    assert [r["message"]["text"] for r in found["results"]] == [
        "Ana B renamed the group “Team B”",
        "Ana B created the group “Team”",
    ]


def happy_paths_of_media(
    server: Any, call: Any, seen: dict[str, int], conversation_id: str, ana: str, bo: str
) -> None:
    """Upload a photo, send it, and fetch it and its thumbnail as the other member."""
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(picture, "PNG")
    upload = server.send(
        "POST",
        f"/api/v1/media?conversation_id={conversation_id}&name=photo.png",
        {"authorization": f"Bearer {ana}", "content-type": "image/png"},
        picture.getvalue(),
    )
    assert upload.status_code == 201, upload.text
    check_against_document(by_id("upload_media"), 201, upload.json())
    seen["upload_media"] = 201
    media = upload.json()
    call(
        "POST",
        "/api/v1/conversations/{conversation_id}/messages",
        f"/api/v1/conversations/{conversation_id}/messages",
        ana,
        {"client_id": "photo-1", "text": "", "media_id": media["id"]},
    )
    for operation_id, url, content_type in (
        ("get_media", media["url"], "image/png"),
        ("get_media_thumbnail", media["thumbnail_url"], "image/jpeg"),
    ):
        answer = server.send("GET", url, {"authorization": f"Bearer {bo}"}, None)
        assert (answer.status_code, answer.headers["content-type"]) == (200, content_type)
        seen[operation_id] = answer.status_code


def by_id(operation_id: str) -> dict[str, Any]:
    return next(o for _, _, o in OPERATIONS if o["operationId"] == operation_id)


def business_calls(
    server: Any, call: Any, seen: dict[str, int], ops: str, owner: str, other: dict[str, Any]
) -> None:
    """Create a business, read it and list one's own, edit and verify it, add and remove someone
    from its staff, open a chat with it, serve that chat from the inbox (tests/inbox_probe.py) and
    fetch the QR code of its link."""
    profile = {"name": "Loja", "handle": "loja_probe", "category": "shop"}
    call("POST", "/api/v1/businesses", "/api/v1/businesses", owner, profile)
    one = "/api/v1/businesses/{handle}"
    call("GET", one, "/api/v1/businesses/loja_probe")
    mine = call("GET", "/api/v1/me/businesses", "/api/v1/me/businesses", owner)
    assert [(b["handle"], b["your_role"]) for b in mine["businesses"]] == [("loja_probe", "owner")]
    call("PATCH", one, "/api/v1/businesses/loja_probe", owner, {"hours": {"mon": [["09:00", "18:00"]]}})
    staff = one + "/staff"
    call(
        "POST",
        staff,
        "/api/v1/businesses/loja_probe/staff",
        owner,
        {"handle": other["handle"], "role": "agent"},
    )
    call("GET", staff, "/api/v1/businesses/loja_probe/staff", owner)
    path = f"/api/v1/businesses/loja_probe/staff/{other['id']}"
    call("DELETE", staff + "/{user_id}", path, owner)
    chat = call("POST", one + "/chat", "/api/v1/businesses/loja_probe/chat", owner)
    inbox_calls(call, owner, "loja_probe", chat["id"])
    answer = server.send("GET", "/api/v1/businesses/loja_probe/qr.png?text=Oi", {}, None)
    assert (answer.status_code, answer.headers["content-type"]) == (200, "image/png")
    seen["business_qr"] = answer.status_code
    verified = "/api/v1/admin/businesses/{handle}/verified"
    call("PUT", verified, "/api/v1/admin/businesses/loja_probe/verified", ops, {"verified": True})
    settings_path = "/api/v1/admin/apps/{app}/countries/{country}/settings"
    probe_in_brazil = "/api/v1/admin/apps/probe/countries/BR/settings"
    call("PATCH", settings_path, probe_in_brazil, ops, {"values": {"greetings_per_day": 5}})
    fields = call("GET", settings_path, probe_in_brazil, ops)["fields"]
    assert [(f["name"], f["value"]) for f in fields] == [("greetings_per_day", 5)]


def moderation_calls(
    server: Any, call: Any, ops: str, reporter: dict[str, Any], subject: dict[str, Any]
) -> None:
    """Probe raises a report about ``subject`` (through what ``ctx.report`` writes), then the queue
    is read, one report read, and the report dismissed."""
    now = iso(server.clock.now())

    def raise_one(db: Any) -> str:
        return reports.add(db, "probe", reporter["id"], users.by_id(db, subject["id"]), "spam", "", now)

    report_id = server._portal.call(server.runtime.core.write, raise_one)
    call("GET", "/api/v1/admin/reports", "/api/v1/admin/reports?state=open&country=BR", ops)
    one = "/api/v1/admin/reports/{report_id}"
    call("GET", one, f"/api/v1/admin/reports/{report_id}", ops)
    decided = call(
        "POST", one + "/decision", f"/api/v1/admin/reports/{report_id}/decision", ops, {"decision": "dismiss"}
    )
    assert decided["state"] == "dismissed"
    suspended = server._portal.call(server.runtime.core.write, raise_one)
    decision = {"decision": "suspend_in_app"}
    call("POST", one + "/decision", f"/api/v1/admin/reports/{suspended}/decision", ops, decision)
    lifted = call("DELETE", one + "/suspension", f"/api/v1/admin/reports/{suspended}/suspension", ops)
    assert lifted["suspension_in_force"] is False


def customer_control_calls(call: Any, customer: str) -> None:
    """Subscribe to a kind of message from the business, list, revoke, block and unblock it."""
    one = "/api/v1/businesses/{handle}"
    loja = "/api/v1/businesses/loja_probe"
    call("POST", one + "/subscriptions", loja + "/subscriptions", customer, {"kind": "order_updates"})
    assert call("GET", one + "/subscriptions", loja + "/subscriptions", customer)["subscriptions"] == [
        "order_updates"
    ]
    held = call("GET", "/api/v1/me/business-messages", "/api/v1/me/business-messages", customer)
    assert [s["kind"] for s in held["subscriptions"]] == ["order_updates"]
    revoked = call("DELETE", one + "/subscriptions/{kind}", loja + "/subscriptions/order_updates", customer)
    assert revoked["subscriptions"] == []
    assert call("POST", one + "/block", loja + "/block", customer)["blocked"] is True
    assert call("DELETE", one + "/block", loja + "/block", customer)["blocked"] is False


def test_happy_paths_answer_what_the_document_says(tmp_path: Path) -> None:
    """One valid call per operation; each 2xx body fits its documented schema exactly."""
    server = Server(tmp_path)
    seen: dict[str, int] = {}
    by_key = {(m, p): o for m, p, o in OPERATIONS}

    def call(method: str, path: str, url: str, token: str | None = None, body: Any = None) -> Any:
        operation = by_key[(method, path)]
        status, answer = server.call(method, url, token, body)
        assert 200 <= status < 300, (method, url, status, answer)
        check_against_document(operation, status, answer)
        seen[operation["operationId"]] = status
        return answer

    try:
        call("GET", "/api/v1/health", "/api/v1/health")
        assert call("GET", "/api/v1/demo", "/api/v1/demo") == {"demo": False, "code": None, "people": []}
        call("POST", "/api/v1/auth/code", "/api/v1/auth/code", body={"phone": "+5511900000001"})
        signed = call(
            "POST",
            "/api/v1/auth/verify",
            "/api/v1/auth/verify",
            body={"phone": "+5511900000001", "code": DEV_CODE, "display_name": "Ana"},
        )
        ana = signed["token"]
        ops = server.make_operator()
        bo = server.sign_in("+5511900000002", "Bo")
        cy = server.sign_in("+5511900000003", "Cy")
        call("GET", "/api/v1/me", "/api/v1/me", ana)
        call("PATCH", "/api/v1/me", "/api/v1/me", ana, {"display_name": "Ana B", "locale": "en-US"})
        call("GET", "/api/v1/admin/apps", "/api/v1/admin/apps", ops)
        countries = "/api/v1/admin/apps/{app}/countries/{country}"
        call("PUT", countries, "/api/v1/admin/apps/probe/countries/BR", ops)
        business_calls(server, call, seen, ops, bo["token"], cy["user"])
        moderation_calls(server, call, ops, bo["user"], cy["user"])
        customer_control_calls(call, cy["token"])
        direct = call(
            "POST",
            "/api/v1/conversations",
            "/api/v1/conversations",
            ana,
            {"kind": "direct", "with": {"handle": bo["user"]["handle"]}},
        )
        group = call(
            "POST",
            "/api/v1/conversations",
            "/api/v1/conversations",
            ana,
            {"kind": "group", "title": "Team", "members": [{"phone": "+5511900000002"}]},
        )
        call("GET", "/api/v1/conversations/{conversation_id}", f"/api/v1/conversations/{direct['id']}", ana)
        call(
            "POST",
            "/api/v1/conversations/{conversation_id}/members",
            f"/api/v1/conversations/{group['id']}/members",
            ana,
            {"members": [{"user_id": cy["user"]["id"]}]},
        )
        messages = "/api/v1/conversations/{conversation_id}/messages"
        call(
            "POST",
            messages,
            f"/api/v1/conversations/{direct['id']}/messages",
            ana,
            {"client_id": "1", "text": "hi"},
        )
        happy_paths_of_groups_and_changes(call, group["id"], ana, bo, cy)
        happy_paths_of_media(server, call, seen, direct["id"], ana, bo["token"])
        app_chat = call("POST", "/api/v1/apps/{app}/chat", "/api/v1/apps/probe/chat", ana)
        call(
            "POST",
            messages,
            f"/api/v1/conversations/{app_chat['id']}/messages",
            ana,
            {"client_id": "1", "text": "/greet Ana"},
        )
        history = call("GET", messages, f"/api/v1/conversations/{app_chat['id']}/messages?limit=10", ana)
        screen = next(m for m in history["messages"] if m["screen"])
        button = next(c for c in screen["screen"]["body"] if c["type"] == "button")
        call(
            "POST",
            "/api/v1/actions",
            "/api/v1/actions",
            ana,
            {"message_id": screen["id"], "component_id": button["id"]},
        )
        call(
            "POST",
            "/api/v1/conversations/{conversation_id}/read",
            f"/api/v1/conversations/{direct['id']}/read",
            ana,
            {"seq": 1},
        )
        call("GET", "/api/v1/conversations", "/api/v1/conversations", ana)
        call("GET", "/api/v1/commands", "/api/v1/commands", ana)
        call("GET", "/api/v1/apps", "/api/v1/apps", ana)
        call("GET", "/api/v1/consents", "/api/v1/consents", ana)
        call("DELETE", "/api/v1/consents/{app}", "/api/v1/consents/probe?scope=profile", ana)
        assert [a["name"] for a in call("GET", "/api/v1/me/apps", "/api/v1/me/apps", ana)["apps"]] == [
            "probe"
        ]
        call("DELETE", "/api/v1/me/apps/{app}", "/api/v1/me/apps/probe", ana)
        bo_again = server.sign_in("+5511900000002", "Bo")["token"]
        sessions = call("GET", "/api/v1/me/sessions", "/api/v1/me/sessions", bo_again)["sessions"]
        first = next(s["id"] for s in sessions if not s["current"])
        call("DELETE", "/api/v1/me/sessions/{session_id}", f"/api/v1/me/sessions/{first}", bo_again)
        call("POST", "/api/v1/me/sessions/sign-out-others", "/api/v1/me/sessions/sign-out-others", bo_again)
        call(
            "POST",
            "/api/v1/admin/apps/{app}/suspend",
            "/api/v1/admin/apps/probe/suspend",
            ops,
            {"reason": "checks"},
        )
        call("POST", "/api/v1/admin/apps/{app}/resume", "/api/v1/admin/apps/probe/resume", ops)
        call("DELETE", countries, "/api/v1/admin/apps/probe/countries/BR", ops)
        call("GET", "/api/v1/admin/audit", "/api/v1/admin/audit?limit=5", ops)
        call("GET", "/api/v1/admin/matrix", "/api/v1/admin/matrix?countries=BR,IN", ops)
        call("GET", "/api/v1/admin/health", "/api/v1/admin/health", ops)
        rollout = "/api/v1/admin/apps/{app}/countries/{country}/rollout"
        call("PUT", rollout, "/api/v1/admin/apps/probe/countries/IN/rollout", ops, {"percent": 30})
        rollback = "/api/v1/admin/apps/{app}/countries/{country}/rollback"
        call("POST", rollback, "/api/v1/admin/apps/probe/countries/IN/rollback", ops)
        key = server.runtime.operator_accounts.add("viewer", "viewer", "BR", "test")
        session = call(
            "POST", "/api/v1/admin/session", "/api/v1/admin/session", body={"name": "viewer", "key": key}
        )
        exported = server.send(
            "GET", "/api/v1/admin/audit.csv?app=probe", {"authorization": f"Bearer {ops}"}, None
        )
        assert exported.status_code == 200 and exported.text.startswith("id,at,actor,action")
        seen["audit_csv"] = exported.status_code
        call("GET", "/api/v1/admin/me", "/api/v1/admin/me", session["token"])
        call("DELETE", "/api/v1/admin/session", "/api/v1/admin/session", session["token"])
        call("GET", "/api/v1/me/access-log", "/api/v1/me/access-log?limit=10", ana)
        archive = server.send("GET", "/api/v1/me/export", {"authorization": f"Bearer {ana}"}, None)
        assert (archive.status_code, archive.headers["content-type"]) == (200, "application/zip")
        assert archive.content.startswith(b"PK")
        seen["export"] = archive.status_code
        call("POST", "/api/v1/me/erasure", "/api/v1/me/erasure", cy["token"], {"confirm": True})
        call("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", ana)
    finally:
        server.close()
    missing = sorted({o["operationId"] for _, _, o in OPERATIONS} - set(seen))
    assert not missing, f"add a happy-path call for {missing} to this test"
