"""Hostile JSON on every route and in every WebSocket frame type: a clear 400 or ``bad_frame``.

The class (``hostile_json``): numbers of more than 4,300 digits and too large
for a float, ``NaN``, nesting deeper than the parser allows, bytes that are not
UTF-8, lone surrogates.  Each is drawn inside a body that otherwise fits the
route's documented schema (at any depth), or as the whole body, for every
operation of the served OpenAPI document that takes a body, a mini-app's route
included (``Notes`` below, whose body names a person and holds free JSON).  The
caller is a signed-in operator, so that every route reads the body: the answer
is always ``400 invalid_json`` (``413`` past the body limit), and nothing is
written.

Over the WebSocket, the same class inside each frame type (``auth``, ``resume``,
``ping``, an unknown one): before sign-in the socket is closed with 4401, after
it the frame is answered with ``bad_frame`` and the socket still answers a ping.

The app runs in-process (Starlette's test client, a real SQLite file).
Examples: 4 per route and class by default, 60 with ``SOUK_STRESS=1``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_json import Raw, deep_nesting, embedded, huge_numbers, invalid_utf8, lone_surrogates
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel
from souk.api import openapi, routes_apps
from souk.app import create_app, endpoints, larger_body_limits
from souk.foundation.settings import Settings
from souk.miniapps.registry import load
from souk_sdk import Context, Manifest, PublicUser, api_route, hookimpl
from starlette.testclient import TestClient
from stress import STRESS

EXAMPLES = 60 if STRESS else 4
DEV_CODE = "000000"
LIMIT = Settings.max_body_bytes
CLASSES = {
    "huge_number": huge_numbers,
    "deep_nesting": deep_nesting,
    "invalid_utf8": invalid_utf8,
    "lone_surrogate": lone_surrogates,
}
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Note(BaseModel):
    to: PublicUser
    text: str
    extra: dict[str, Any] = {}


@api_route("POST", "/notes", summary="Leave a note", body=Note, status=201, scopes=[])
async def leave_note(ctx: Context, request: Any) -> dict[str, Any]:
    return {"to": request.body.to.display_name, "extra": request.body.extra}


class Notes:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="notes", title="Notes", version="1.0.0", countries=["BR"])

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        register(leave_note)


class World:
    def __init__(self, client: TestClient, data_dir: Path) -> None:
        self.client = client
        self.data_dir = data_dir
        self.ana = self.sign_in("+5511900000001", "Ana")
        accounts = client.app.state.runtime.operator_accounts  # type: ignore[attr-defined]
        accounts.add("ana", "owner", "*", "test")
        self.operator = accounts.issue_sync("ana")
        self.bob = self.sign_in("+5511900000002", "Bob")
        self.headers = {"authorization": f"Bearer {self.ana['token']}", "content-type": "application/json"}
        self.document = client.get("/api/v1/openapi.json").json()

    def sign_in(self, phone: str, name: str) -> dict[str, Any]:
        assert self.client.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
        signed = self.client.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE, "display_name": name}
        )
        assert signed.status_code == 200, signed.text
        return signed.json()

    def rows(self) -> int:
        """How many rows the core's tables hold, the sign-in codes aside."""
        db = self.client.app.state.runtime.core.db  # type: ignore[attr-defined]
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return sum(
            db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t not in ("login_codes", "sqlite_sequence")
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp("hostile")
    app = create_app(Settings(data_dir, dev_code=DEV_CODE, code_requests_per_hour=10_000), plugins=[Notes()])
    with TestClient(app, raise_server_exceptions=True) as client:
        yield World(client, data_dir)


# A route that takes files (forms, uploads) has a larger limit of its own.
LIMITS = larger_body_limits(Settings(Path(".")), load([Notes()]))
DOCUMENT = openapi.build([*endpoints(), *routes_apps.endpoints_for(load([Notes()]))])
COMPONENTS = DOCUMENT["components"]["schemas"]
WITH_BODY = sorted(
    (method.upper(), path, op["requestBody"]["content"]["application/json"]["schema"])
    for path, methods in DOCUMENT["paths"].items()
    for method, op in methods.items()
    if "application/json" in op.get("requestBody", {}).get("content", {})
)


def sample(schema: dict[str, Any], depth: int = 0) -> Any:
    """A plain value of ``schema``'s shape (every property, one item per list) to hide the hostile part in."""
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        return sample(next((s for s in schema["anyOf"] if s.get("type") != "null"), {}), depth)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: sample(v, depth + 1) for k, v in schema.get("properties", {}).items()} if depth < 4 else {}
    if kind == "array":
        return [sample(schema.get("items", {}), depth + 1)] if depth < 4 else []
    return {"string": "x", "integer": 1, "number": 1.5, "boolean": True}.get(kind, "x")


def test_the_served_document_is_the_one_attacked(world: World) -> None:
    assert world.document == json.loads(json.dumps(DOCUMENT))
    assert any(path.startswith("/api/v1/apps/notes/") for _, path, _ in WITH_BODY)
    assert len(WITH_BODY) >= 10


@pytest.mark.parametrize("hostile", sorted(CLASSES))
@pytest.mark.parametrize(("method", "path", "schema"), WITH_BODY, ids=[f"{m} {p}" for m, p, _ in WITH_BODY])
def test_hostile_json_in_any_body_is_a_400(
    world: World, method: str, path: str, schema: dict[str, Any], hostile: str
) -> None:
    url = path.format_map(_PathIds(world))
    around = sample(schema)

    @HYPOTHESIS
    @given(body=embedded(around, CLASSES[hostile]))
    def attack(body: Raw) -> None:
        rows = world.rows()
        headers = world.headers
        if path.startswith("/api/v1/admin/"):
            headers = headers | {"authorization": f"Bearer {world.operator}"}
        response = world.client.request(method, url, content=bytes(body), headers=headers)
        limit = LIMITS.get((method, path), LIMIT)
        expected = (413, "body_too_large") if len(body) > limit else (400, "invalid_json")
        assert (response.status_code, response.json()["error"]["code"]) == expected, response.text
        assert world.rows() == rows, "a refused body wrote something"

    attack()


class _PathIds(dict[str, str]):
    """Path parameters: the caller's own conversation, a real mini-app, a real country."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, name: str) -> str:
        if name == "conversation_id":
            listing = self.world.client.get("/api/v1/conversations", headers=self.world.headers).json()
            if listing["conversations"]:
                return listing["conversations"][0]["id"]
            created = self.world.client.post(
                "/api/v1/conversations",
                json={"kind": "group", "title": "hostile", "members": []},
                headers=self.world.headers,
            )
            return created.json()["id"]
        return {"app": "notes", "country": "BR"}.get(name, "x")


# -- the WebSocket ---------------------------------------------------------------------------

FRAME_TYPES = {
    "auth": {"type": "auth", "token": "t"},
    "resume": {"type": "resume", "since": {"c_x": 0, "c_y": 3}},
    "ping": {"type": "ping"},
    "unknown": {"type": "subscribe", "to": ["c_x", {"seq": 1}]},
}


def _frame(raw: Raw) -> tuple[str, str | bytes]:
    """("text", str) where the bytes are UTF-8, else ("bytes", bytes): a binary frame."""
    try:
        return "text", raw.decode()
    except UnicodeDecodeError:
        return "bytes", bytes(raw)


def _send(ws: Any, frame: tuple[str, str | bytes]) -> None:
    kind, data = frame
    ws.send({"type": "websocket.receive", kind: data})


@pytest.mark.parametrize("hostile", sorted(CLASSES))
@pytest.mark.parametrize("frame_type", sorted(FRAME_TYPES))
def test_hostile_first_frame_closes_with_4401(world: World, frame_type: str, hostile: str) -> None:
    @HYPOTHESIS
    @given(frame=embedded(FRAME_TYPES[frame_type], CLASSES[hostile]).map(_frame))
    def attack(frame: tuple[str, str | bytes]) -> None:
        with world.client.websocket_connect("/api/v1/ws") as ws:
            _send(ws, frame)
            closed = ws.receive()
        assert closed == {"type": "websocket.close", "code": 4401, "reason": "unauthorized"}

    attack()


@pytest.mark.parametrize("hostile", sorted(CLASSES))
@pytest.mark.parametrize("frame_type", sorted(FRAME_TYPES))
def test_hostile_frame_after_sign_in_answers_bad_frame(world: World, frame_type: str, hostile: str) -> None:
    @HYPOTHESIS
    @given(frame=embedded(FRAME_TYPES[frame_type], CLASSES[hostile]).map(_frame))
    def attack(frame: tuple[str, str | bytes]) -> None:
        with world.client.websocket_connect("/api/v1/ws") as ws:
            ws.send_text(json.dumps({"type": "auth", "token": world.ana["token"]}))
            assert ws.receive_json()["type"] == "hello"
            _send(ws, frame)
            answer = ws.receive_json()
            assert answer["type"] == "error" and answer["error"]["code"] == "bad_frame", answer
            ws.send_text('{"type": "ping"}')
            assert ws.receive_json() == {"type": "pong"}

    attack()
