"""Bad input over the real server: always a 4xx with ``{"error": {"code", "message"}}``, never a 500.

A concrete table (the property-based version runs in-process in
``test_bad_input_properties.py``): malformed JSON, wrong types, unknown fields,
oversized bodies, bad phone numbers, forged, expired and revoked tokens, and
other people's conversations.  Each case also checks that the server logged no
unexpected error while answering it.  The WebSocket's own bad input is in
``test_e2e_websocket_input.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from e2e_support import DEV_CODE, ServerProcess, User, create_group, history, next_phone, sign_in

BIG = 10**30  # larger than any SQLite integer
LIMIT = 64 * 1024


@dataclass
class World:
    server: ServerProcess
    ana: User  # member of the group
    bia: User  # member of the group
    carl: User  # not a member
    group: str
    carl_group: str
    message_id: str
    expired: str  # a real token of dora's, expired in the database
    revoked: str  # a real token, logged out


@pytest.fixture(scope="module")
def world(server: ServerProcess) -> Iterator[World]:
    ana, bia, carl = (sign_in(server, name) for name in ("Bad Ana", "Bad Bia", "Bad Carl"))
    group = create_group(server, ana, [bia], title="members only")
    carl_group = create_group(server, carl, [], title="carl's")
    with server.client(ana.token) as http:
        sent = http.post(
            f"/api/v1/conversations/{group['id']}/messages", json={"client_id": "m", "text": "hi"}
        )
        assert sent.status_code == 201
    dora = sign_in(server, "Bad Dora")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    with sqlite3.connect(server.db_path, timeout=30) as conn:
        conn.execute("UPDATE tokens SET expires_at = ? WHERE user_id = ?", [past, dora.id])
    eve = sign_in(server, "Bad Eve")
    with server.client(eve.token) as http:
        assert http.post("/api/v1/auth/logout").status_code == 204
    yield World(
        server, ana, bia, carl, group["id"], carl_group["id"], sent.json()["id"], dora.token, eve.token
    )


@dataclass
class Case:
    id: str
    method: str
    path: str
    status: int | tuple[int, ...]
    code: str | None = None
    json: Any = None
    content: bytes | str | None = None
    as_user: str | None = "ana"  # who sends it: a World field holding a User or a token, or None
    headers: dict[str, str] | None = None
    params: dict[str, Any] | None = None


G = "/api/v1/conversations/{group}"
SEND = G + "/messages"

CASES = [
    # -- malformed JSON
    Case("json-truncated", "POST", SEND, 400, "invalid_json", content="{"),
    Case("json-garbage", "POST", SEND, 400, "invalid_json", content="hello there"),
    Case(
        "json-trailing-garbage", "POST", SEND, 400, "invalid_json", content='{"client_id":"a","text":"b"} x'
    ),
    Case("json-bad-utf8", "POST", SEND, 400, "invalid_json", content=b'{"client_id":"a","text":"\xff\xfe"}'),
    Case("json-empty-body", "POST", SEND, 400, "missing_body", content=""),
    Case("json-array", "POST", SEND, 422, "invalid_request", content="[]"),
    Case("json-null", "POST", SEND, 422, "invalid_request", content="null"),
    Case("json-string", "POST", SEND, 422, "invalid_request", content='"text"'),
    Case("json-deep-nesting", "POST", SEND, (400, 422), content="[" * 20000 + "]" * 20000),
    Case("json-nan", "POST", SEND, 400, "invalid_json", content='{"client_id":"a","text":NaN}'),
    Case(
        "json-lone-surrogate",
        "POST",
        SEND,
        400,
        "invalid_json",
        content='{"client_id":"a","text":"\\ud800"}',
    ),
    Case("json-huge-number", "POST", G + "/read", 400, "invalid_json", content='{"seq": ' + "9" * 4301 + "}"),
    Case(
        "json-huge-number-before-sign-in",
        "POST",
        "/api/v1/auth/code",
        400,
        "invalid_json",
        content='{"phone": ' + "9" * 5000 + "}",
        as_user=None,
    ),
    Case("json-float-overflow", "POST", G + "/read", 400, "invalid_json", content='{"seq": 1e999}'),
    Case(
        "json-code-malformed",
        "POST",
        "/api/v1/auth/code",
        400,
        "invalid_json",
        content="{'phone': 1}",
        as_user=None,
    ),
    # -- wrong types and values
    Case("client-id-int", "POST", SEND, 422, "invalid_request", json={"client_id": 5, "text": "a"}),
    Case("text-list", "POST", SEND, 422, "invalid_request", json={"client_id": "a", "text": ["a"]}),
    Case("text-null", "POST", SEND, 422, "invalid_request", json={"client_id": "a", "text": None}),
    Case("text-empty", "POST", SEND, 422, "invalid_request", json={"client_id": "a", "text": ""}),
    Case("text-too-long", "POST", SEND, 422, "invalid_request", json={"client_id": "a", "text": "x" * 4001}),
    Case(
        "client-id-too-long", "POST", SEND, 422, "invalid_request", json={"client_id": "c" * 65, "text": "a"}
    ),
    Case("missing-client-id", "POST", SEND, 422, "invalid_request", json={"text": "a"}),
    Case("kind-unknown", "POST", "/api/v1/conversations", 422, "invalid_request", json={"kind": "channel"}),
    Case(
        "members-not-list",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_request",
        json={"kind": "group", "title": "t", "members": "ana"},
    ),
    Case(
        "member-two-refs",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_request",
        json={"kind": "group", "title": "t", "members": [{"handle": "bad_bia", "user_id": "u_x"}]},
    ),
    Case(
        "direct-without-with",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_request",
        json={"kind": "direct"},
    ),
    Case(
        "group-without-title",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_request",
        json={"kind": "group", "members": []},
    ),
    Case(
        "group-blank-title",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_title",
        json={"kind": "group", "title": "   ", "members": []},
    ),
    Case(
        "member-unknown",
        "POST",
        "/api/v1/conversations",
        404,
        "user_not_found",
        json={"kind": "group", "title": "t", "members": [{"handle": "nobody_here"}]},
    ),
    Case("read-negative", "POST", G + "/read", 422, "invalid_request", json={"seq": -1}),
    Case("read-float", "POST", G + "/read", 422, "invalid_request", json={"seq": 1.5}),
    Case("read-huge", "POST", G + "/read", 422, "invalid_request", json={"seq": BIG}),
    Case("read-2-63", "POST", G + "/read", 422, "invalid_request", json={"seq": 2**63}),
    Case("history-limit-text", "GET", SEND, 422, "invalid_request", params={"limit": "abc"}),
    Case("history-limit-zero", "GET", SEND, 422, "invalid_request", params={"limit": 0}),
    Case("history-limit-big", "GET", SEND, 422, "invalid_request", params={"limit": 201}),
    Case("history-before-negative", "GET", SEND, 422, "invalid_request", params={"before": -1}),
    Case("history-after-huge", "GET", SEND, 422, "invalid_request", params={"after": BIG}),
    Case("history-before-huge", "GET", SEND, 422, "invalid_request", params={"before": BIG}),
    Case(
        "code-too-short",
        "POST",
        "/api/v1/auth/verify",
        422,
        "invalid_request",
        json={"phone": "+5511987650001", "code": "12345"},
        as_user=None,
    ),
    Case(
        "code-int",
        "POST",
        "/api/v1/auth/verify",
        422,
        "invalid_request",
        json={"phone": "+5511987650001", "code": 123456},
        as_user=None,
    ),
    Case(
        "display-name-too-long",
        "PATCH",
        "/api/v1/me",
        422,
        "invalid_request",
        json={"display_name": "n" * 61},
    ),
    Case("handle-too-short", "PATCH", "/api/v1/me", 422, "invalid_handle", json={"handle": "ab"}),
    Case(
        "press-unknown-message",
        "POST",
        "/api/v1/actions",
        404,
        "message_not_found",
        json={"message_id": "m_nope", "component_id": "b1"},
    ),
    # -- unknown fields
    Case(
        "send-extra-field",
        "POST",
        SEND,
        422,
        "invalid_request",
        json={"client_id": "a", "text": "b", "admin": True},
    ),
    Case(
        "code-extra-field",
        "POST",
        "/api/v1/auth/code",
        422,
        "invalid_request",
        json={"phone": "+5511987650001", "x": 1},
        as_user=None,
    ),
    Case(
        "conversation-extra-field",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_request",
        json={"kind": "group", "title": "t", "owner": "someone"},
    ),
    Case("me-set-phone", "PATCH", "/api/v1/me", 422, "invalid_request", json={"phone": "+5511987650002"}),
    Case("me-make-operator", "PATCH", "/api/v1/me", 422, "invalid_request", json={"is_operator": True}),
    Case("history-unknown-param", "GET", SEND, 422, "invalid_request", params={"since": 3}),
    # -- oversized bodies (the limit is 64 KiB)
    Case(
        "oversized-send",
        "POST",
        SEND,
        413,
        "body_too_large",
        json={"client_id": "big", "text": "x" * (LIMIT + 10)},
    ),
    Case(
        "oversized-sign-in",
        "POST",
        "/api/v1/auth/code",
        413,
        "body_too_large",
        json={"phone": "+" + "1" * (LIMIT + 10)},
        as_user=None,
    ),
    # -- bad phone numbers
    *(
        Case(
            f"phone-{name}",
            "POST",
            "/api/v1/auth/code",
            422,
            "invalid_phone",
            json={"phone": phone},
            as_user=None,
        )
        for name, phone in [
            ("digits-only", "12345"),
            ("no-plus", "5511987650001"),
            ("plus-only", "+"),
            ("too-short", "+1"),
            ("cut", "+5511"),
            ("letters", "+55abcdefghij"),
            ("unknown-country-code", "+999 1234567"),
            ("no-country", "+800 1234 5678"),
            ("not-in-plan", "+55 11 0000-0000"),
            ("empty", ""),
            ("spaces", "   "),
        ]
    ),
    Case(
        "phone-int",
        "POST",
        "/api/v1/auth/code",
        422,
        "invalid_request",
        json={"phone": 5511987650001},
        as_user=None,
    ),
    Case(
        "phone-too-long",
        "POST",
        "/api/v1/auth/code",
        422,
        "invalid_request",
        json={"phone": "+" + "5" * 40},
        as_user=None,
    ),
    Case(
        "phone-null", "POST", "/api/v1/auth/code", 422, "invalid_request", json={"phone": None}, as_user=None
    ),
    Case(
        "verify-bad-phone",
        "POST",
        "/api/v1/auth/verify",
        422,
        "invalid_phone",
        json={"phone": "+12", "code": DEV_CODE},
        as_user=None,
    ),
    Case(
        "verify-without-code-sent",
        "POST",
        "/api/v1/auth/verify",
        401,
        "code_expired",
        json={"phone": "+919876500099", "code": DEV_CODE},
        as_user=None,
    ),
    Case(
        "direct-with-bad-phone",
        "POST",
        "/api/v1/conversations",
        422,
        "invalid_phone",
        json={"kind": "direct", "with": {"phone": "12"}},
    ),
    Case(
        "direct-with-stranger-phone",
        "POST",
        "/api/v1/conversations",
        404,
        "user_not_found",
        json={"kind": "direct", "with": {"phone": "+919876500098"}},
    ),
    # -- tokens
    Case("no-token", "GET", "/api/v1/me", 401, "unauthorized", as_user=None),
    Case(
        "bearer-without-token",
        "GET",
        "/api/v1/me",
        401,
        "unauthorized",
        as_user=None,
        headers={"Authorization": "Bearer"},
    ),
    Case(
        "basic-auth",
        "GET",
        "/api/v1/me",
        401,
        "unauthorized",
        as_user=None,
        headers={"Authorization": "Basic YW5hOnNlY3JldA=="},
    ),
    Case(
        "forged-token",
        "GET",
        "/api/v1/me",
        401,
        "invalid_token",
        as_user=None,
        headers={"Authorization": "Bearer 3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
    ),
    Case(
        "jwt-looking-token",
        "GET",
        "/api/v1/me",
        401,
        "invalid_token",
        as_user=None,
        headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbmEiLCJleHAiOjB9."},
    ),
    Case(
        "huge-token",
        "GET",
        "/api/v1/me",
        401,
        as_user=None,
        headers={"Authorization": "Bearer " + "a" * 5000},
    ),
    Case("expired-token", "GET", "/api/v1/me", 401, "token_expired", as_user="expired"),
    Case(
        "expired-token-send",
        "POST",
        SEND,
        401,
        "token_expired",
        as_user="expired",
        json={"client_id": "e", "text": "from the past"},
    ),
    Case("revoked-token", "GET", "/api/v1/me", 401, "invalid_token", as_user="revoked"),
    Case(
        "no-token-send", "POST", SEND, 401, "unauthorized", as_user=None, json={"client_id": "x", "text": "x"}
    ),
    Case("user-on-admin-route", "GET", "/api/v1/admin/apps", 403, "operator_only"),
    Case(
        "user-suspends-app",
        "POST",
        "/api/v1/admin/apps/help/suspend",
        403,
        "operator_only",
        json={"reason": "because"},
    ),
    # -- other people's conversations: 404, as if it did not exist
    Case("other-get", "GET", G, 404, "conversation_not_found", as_user="carl"),
    Case("other-history", "GET", SEND, 404, "conversation_not_found", as_user="carl"),
    Case(
        "other-send",
        "POST",
        SEND,
        404,
        "conversation_not_found",
        as_user="carl",
        json={"client_id": "intruder", "text": "let me in"},
    ),
    Case(
        "other-join",
        "POST",
        G + "/members",
        404,
        "conversation_not_found",
        as_user="carl",
        json={"members": [{"handle": "bad_carl"}]},
    ),
    Case("other-read", "POST", G + "/read", 404, "conversation_not_found", as_user="carl", json={"seq": 1}),
    Case(
        "other-press",
        "POST",
        "/api/v1/actions",
        404,
        "message_not_found",
        as_user="carl",
        json={"message_id": "{message_id}", "component_id": "b1"},
    ),
    Case("member-of-other-group", "GET", "/api/v1/conversations/{carl_group}", 404, "conversation_not_found"),
    Case(
        "nonexistent-conversation",
        "GET",
        "/api/v1/conversations/c_doesnotexist",
        404,
        "conversation_not_found",
    ),
    # -- routes and methods
    Case("unknown-route", "GET", "/api/v1/nothing-here", 404, "not_found"),
    Case("wrong-method", "DELETE", "/api/v1/conversations", 405, "method_not_allowed"),
    Case("get-on-post-route", "GET", "/api/v1/auth/code", 405, "method_not_allowed", as_user=None),
]


def _fill(value: Any, world: World) -> Any:
    names = {"group": world.group, "carl_group": world.carl_group, "message_id": world.message_id}
    if isinstance(value, str):
        for name, real in names.items():
            value = value.replace("{" + name + "}", real)
        return value
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _token(world: World, who: str | None) -> str | None:
    if who is None:
        return None
    holder = getattr(world, who)
    return holder.token if isinstance(holder, User) else holder


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_request_gets_a_json_4xx(world: World, case: Case) -> None:
    server = world.server
    log_before = len(server.log_tail(10**9))
    headers = {"Authorization": f"Bearer {t}"} if (t := _token(world, case.as_user)) else {}
    headers |= case.headers or {}
    request: dict[str, Any] = {"headers": headers, "params": case.params}
    if case.json is not None:
        request["json"] = _fill(case.json, world)
    elif case.content is not None:
        request["content"] = case.content.encode() if isinstance(case.content, str) else case.content
    # One connection per case: a server that failed one request must not hide behind a reused socket.
    with server.client() as http:
        response = http.request(case.method, _fill(case.path, world), **request)

    expected = case.status if isinstance(case.status, tuple) else (case.status,)
    assert response.status_code in expected, response.text
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if case.code is not None:
        assert body["error"]["code"] == case.code, body
    new_log = server.log_tail(10**9)[log_before:]
    assert "Traceback" not in new_log and "unexpected error" not in new_log, new_log


def test_refused_requests_left_no_trace(world: World) -> None:
    """None of the refused sends was stored, and no stranger became a member."""
    messages = history(world.server, world.ana, world.group)
    assert [(m["seq"], m["text"]) for m in messages] == [
        (1, "Bad Ana created the group “members only”"),
        (2, "hi"),
    ]
    with world.server.client(world.ana.token) as http:
        members = http.get(f"/api/v1/conversations/{world.group}").json()["members"]
    assert {m["id"] for m in members} == {world.ana.id, world.bia.id}


def test_oversized_chunked_body_without_length_is_refused(world: World) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"client_id":"chunked","text":"'
        for _ in range(20):
            yield b"x" * 8192
        yield b'"}'

    with world.server.client() as http:
        response = http.post(
            f"/api/v1/conversations/{world.group}/messages",
            content=chunks(),
            headers={"Authorization": f"Bearer {world.ana.token}"},
        )
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "body_too_large"


def test_declared_length_over_the_limit_is_refused_before_the_body(world: World) -> None:
    """A client announcing 1 GB gets its 413 at once, without the server waiting for the bytes."""
    head = (
        f"POST /api/v1/conversations/{world.group}/messages HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {world.ana.token}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{}"
    )
    with socket.create_connection(("127.0.0.1", world.server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413", answer
    body = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert body["error"]["code"] == "body_too_large"


def test_too_many_wrong_codes_are_refused_then_the_code_is_spent(server: ServerProcess) -> None:
    phone = next_phone()
    with server.client() as http:
        assert http.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
        answers = [
            http.post("/api/v1/auth/verify", json={"phone": phone, "code": "123456"}) for _ in range(6)
        ]
        right = http.post("/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE})
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert {a.json()["error"]["code"] for a in answers[:5]} == {"wrong_code"}
    assert answers[5].status_code == 429
    assert answers[5].headers["retry-after"] == str(answers[5].json()["error"]["retry_after"])
    assert right.status_code == 401, "the code is spent after too many wrong tries"
    for answer in [*answers, right]:
        assert set(answer.json()["error"]) >= {"code", "message"}
