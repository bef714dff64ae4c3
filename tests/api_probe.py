"""The API as a client of the OpenAPI document sees it, for the bad-input properties and the happy
paths: the document the server serves, a tiny mini-app (``Probe``) so that buttons, forms and the
admin routes have something to act on, the app in-process on a manual clock (``Server``), and the
check that an answer fits its documented schema exactly.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
import jsonschema
from pydantic import BaseModel, Field
from souk.api import openapi
from souk.app import create_app, endpoints, larger_body_limits
from souk.foundation.clock import ManualClock
from souk.foundation.settings import Settings
from souk_sdk import Context, Manifest, Press, action, command, hookimpl, ui

DEV_CODE = "000000"

# The document the server serves (test_served_document_is_the_one_fuzzed checks they are equal).
DOCUMENT = openapi.build(endpoints())
COMPONENTS = DOCUMENT["components"]["schemas"]
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
]


# -- a tiny mini-app, so that buttons, forms and the admin routes have something to act on --


class GreetArgs(BaseModel):
    name: str | None = None


@command("greet", help="Say hello", args=GreetArgs, scopes=[])
async def greet(ctx: Context, args: GreetArgs) -> ui.Screen:
    return ui.Screen(
        title=f"Hello, {args.name or 'you'}",
        body=[
            ui.Button(label="Again", action="again", payload={"name": args.name or "you"}),
            ui.Form(
                action="age", fields=[ui.NumberField(name="age", label="Age", min=0, max=150, integer=True)]
            ),
        ],
    )


@action("again")
async def again(ctx: Context, press: Press) -> str:
    return f"Hello again, {press.payload['name']}"


@action("age")
async def age(ctx: Context, press: Press) -> str:
    return f"You are {press.values['age']}"


class ProbeSettings(BaseModel):
    """What an operator may change per country: one number, with its bounds."""

    greetings_per_day: int = Field(default=10, ge=1, le=100)


class Probe:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="probe", title="Probe", version="1.0.0", countries=["BR", "IN"])

    @hookimpl
    def souk_country_settings(self) -> type[BaseModel]:
        return ProbeSettings

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        register(greet)

    @hookimpl
    def souk_actions(self, register: Any) -> None:
        register(again)
        register(age)


# -- the server under test, in-process, on a manual clock --------------------------------


class Server:
    """The real app over ASGI, its runtime on an event loop in a background thread."""

    def __init__(self, data_dir: Path) -> None:
        self.clock = ManualClock()
        self.settings = Settings(
            data_dir,
            dev_code=DEV_CODE,
            code_requests_per_hour=100_000,
            clock=self.clock,
            event_poll_seconds=3600,
        )
        self.app = create_app(self.settings, plugins=[Probe()])
        self.runtime = self.app.state.runtime
        self.body_limits = larger_body_limits(self.settings, self.runtime.registry)
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._portal.call(self.runtime.start)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://souk.test"
        )
        self._db = sqlite3.connect(
            f"file:{self.settings.core_db_path}?mode=ro", uri=True, check_same_thread=False
        )
        self._db.row_factory = sqlite3.Row

    def send(
        self, method: str, url: str, headers: dict[str, str] | None = None, content: bytes | None = None
    ) -> httpx.Response:
        async def go() -> httpx.Response:
            return await self._client.request(method, url, headers=headers or {}, content=content)

        response = self._portal.call(go)
        self._portal.call(self.runtime.settle)
        return response

    def call(self, method: str, url: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        content = None
        if body is not None:
            headers["content-type"] = "application/json"
            content = json.dumps(body).encode()
        response = self.send(method, url, headers, content)
        return response.status_code, response.json() if response.content else None

    def sign_in(self, phone: str, name: str) -> dict[str, Any]:
        assert self.call("POST", "/api/v1/auth/code", body={"phone": phone})[0] == 202
        status, signed = self.call(
            "POST", "/api/v1/auth/verify", body={"phone": phone, "code": DEV_CODE, "display_name": name}
        )
        assert status == 200, signed
        return signed

    def make_operator(self, name: str = "ops") -> str:
        """An operator account of every country, and a token of its own (not a chat user's)."""
        self.runtime.operator_accounts.add(name, "owner", "*", "test")
        return self.runtime.operator_accounts.issue_sync(name)

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self._db.execute(sql, params)]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every core table but the sign-in codes (a wrong code must count)."""
        tables = [r["name"] for r in self.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: sorted(map(tuple, self._db.execute(f'SELECT * FROM "{t}"')), key=repr)
            for t in tables
            if t not in ("login_codes", "sqlite_sequence")
        }

    def message_counts(self) -> dict[str, int]:
        return {
            r["conversation_id"]: r["n"]
            for r in self.rows("SELECT conversation_id, COUNT(*) AS n FROM messages GROUP BY conversation_id")
        }

    def close(self) -> None:
        self._db.close()
        self._portal.call(self._client.aclose)
        self._portal.call(self.runtime.stop)
        self._portal_cm.__exit__(None, None, None)


# -- checking answers against the document ------------------------------------------------


def _strict(schema: Any) -> Any:
    """A copy where objects with declared properties accept no other field."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


STRICT_COMPONENTS = _strict(COMPONENTS)


def documented_file(operation: dict[str, Any], status: int, media: str) -> bool:
    """Whether this answer is a file the document promises (the data archive), not JSON."""
    content = operation["responses"].get(str(status), {}).get("content", {})
    return media != "application/json" and media in content


def check_against_document(operation: dict[str, Any], status: int, body: Any) -> None:
    responses = operation["responses"]
    assert str(status) in responses, f"{status} is not documented for {operation['operationId']}: {body}"
    if 400 <= status < 500:
        assert isinstance(body, dict), body
        assert isinstance(body.get("error"), dict), body
        assert isinstance(body["error"].get("code"), str), body
        assert isinstance(body["error"].get("message"), str), body
    content = responses[str(status)].get("content", {})
    if body is None and any(media != "application/json" for media in content):
        return  # a file, checked by its media type where it was read
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        assert body is None, f"{operation['operationId']} documents no body for {status} but sent {body!r}"
        return
    validator = jsonschema.Draft202012Validator(
        {"$ref": schema["$ref"], "components": {"schemas": STRICT_COMPONENTS}}
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{operation['operationId']} {status}: " + "; ".join(
        f"{list(e.path)}: {e.message}" for e in errors[:5]
    )
