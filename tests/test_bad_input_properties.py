"""Bad input never breaks the API: property-based tests over every route of the OpenAPI document.

The routes come from the document the server publishes at ``/api/v1/openapi.json``
(one test per operation, so a new route is covered as soon as it is declared).
For each route, hypothesis sends generated requests: malformed JSON bytes, bodies
of the wrong type, with unknown or missing fields, huge strings, garbage and
other people's path ids, random query strings (numbers of 4,301 digits among
them), hostile JSON (``hostile_json``: huge numbers, deep nesting, invalid
UTF-8, lone surrogates, inside a fitting body: always ``400 invalid_json``),
and missing, forged, malformed or expired tokens.  Every answer must be

- never a 5xx, and one of the statuses the document lists for that operation;
- on a 4xx, the JSON body ``{"error": {"code": str, "message": str}}``;
- on a 2xx, a body that fits the documented response schema (no undocumented fields);
- on a 4xx, without a trace in the database (nothing half-written), and a
  conversation's messages change only when a send answered 201 (or a button press 200);
- 401 without a valid token, 403 for a user on an operator's route, and never a 2xx
  on a conversation or message of which the caller is not a member.

Half the examples are plausible (a member's request that fits the document, so
that they reach the handlers' own logic), half hostile in every part.  The app
runs in-process (``create_app`` over ``httpx.ASGITransport``, on a manual clock)
with a tiny mini-app, ``Probe``, so that buttons, forms and the operator's
routes have something to act on.  An unexpected exception in the app surfaces as
the exception itself (the transport re-raises it), with its traceback.

Examples: 8 per operation by default (about 200 in all, a few seconds);
``SOUK_STRESS=1`` runs 200 per operation (about 5,000 in all, two minutes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jsonschema
import pytest
from api_probe import (
    COMPONENTS,
    DEV_CODE,
    DOCUMENT,
    OPERATIONS,
    Server,
    check_against_document,
    documented_file,
)
from hostile_json import embedded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from souk.foundation.clock import iso
from souk.people import users
from souk.people.phones import Phone
from stress import STRESS

EXAMPLES_PER_ROUTE = 200 if STRESS else 8

# -- a world to attack: users, conversations, a screen with a button and a form ----------


class World:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.alice = server.sign_in("+5511900000001", "Alice")
        self.operator = server.make_operator()
        self.bob = server.sign_in("+5511900000002", "Bob")
        self.carol = server.sign_in("+919800000003", "Carol")
        self.tokens = {name: getattr(self, name)["token"] for name in ("alice", "bob", "carol")}
        self.ids = {name: getattr(self, name)["user"]["id"] for name in ("alice", "bob", "carol")}
        for country in ("BR", "IN"):
            assert self.call("alice", "PUT", f"/api/v1/admin/apps/probe/countries/{country}")[0] == 200
        self.alice_bob = self.conversation("alice", {"kind": "direct", "with": {"user_id": self.ids["bob"]}})
        self.team = self.conversation(
            "alice", {"kind": "group", "title": "Team", "members": [{"user_id": self.ids["bob"]}]}
        )
        self.carol_bob = self.conversation("carol", {"kind": "direct", "with": {"user_id": self.ids["bob"]}})
        self.alice_app = self.app_chat("alice")
        self.carol_app = self.app_chat("carol")
        for who, conversation in [
            ("alice", self.alice_bob),
            ("carol", self.carol_bob),
            ("alice", self.alice_app),
            ("carol", self.carol_app),
        ]:
            for n, text in enumerate(["hello", "/greet Ana", "/help"]):
                status, _ = self.call(
                    who,
                    "POST",
                    f"/api/v1/conversations/{conversation}/messages",
                    {"client_id": f"seed{n}", "text": text},
                )
                assert status == 201
        # What the strategies draw from is fixed here, not read as the examples change the
        # database, so that hypothesis can replay (and shrink) a failing example.
        self.people = server.rows("SELECT id, phone, handle FROM users ORDER BY id")
        self.own_conversations = {
            name: sorted(
                r["conversation_id"]
                for r in server.rows("SELECT conversation_id FROM members WHERE user_id = ?", [user_id])
            )
            for name, user_id in self.ids.items()
        }
        self.screens = server.rows(
            "SELECT id, screen, conversation_id FROM messages WHERE screen IS NOT NULL"
        )
        self.hints = {who: hints_for(self, who) for who in [None, *self.ids]}
        self.paths = {who: path_values(self, who) for who in [None, *self.ids]}

    def call(self, who: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        token = self.operator if who == "alice" and path.startswith("/api/v1/admin/") else self.tokens[who]
        return self.server.call(method, path, token, body)

    def newcomer(self) -> str:
        """The token of someone new, for a call that would take a person away (erasure)."""
        self._newcomers = getattr(self, "_newcomers", 0) + 1
        phone = Phone(f"+551197{self._newcomers:07d}", "BR")
        now = iso(self.server.settings.clock.now())
        user = self.server.runtime.core.write_sync(lambda db: users.create(db, phone, "Newcomer", now))
        return self.server.runtime.auth.issue_sync(user["id"])

    def conversation(self, who: str, body: dict[str, Any]) -> str:
        status, conversation = self.call(who, "POST", "/api/v1/conversations", body)
        assert status == 201, conversation
        return conversation["id"]

    def app_chat(self, who: str) -> str:
        status, conversation = self.call(who, "POST", "/api/v1/apps/probe/chat")
        assert status == 200, conversation
        return conversation["id"]

    def members(self, conversation_id: str) -> set[str]:
        rows = self.server.rows("SELECT user_id FROM members WHERE conversation_id = ?", [conversation_id])
        return {r["user_id"] for r in rows}

    def message_conversation(self, message_id: Any) -> str | None:
        if not isinstance(message_id, str):
            return None
        rows = self.server.rows("SELECT conversation_id FROM messages WHERE id = ?", [message_id])
        return rows[0]["conversation_id"] if rows else None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    server = Server(tmp_path_factory.mktemp("fuzz"))
    try:
        yield World(server)
    finally:
        server.close()


# -- strategies ----------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
garbage_text = st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in (".", ".."))


class Huge(str):
    """A long string that hypothesis reports by its length, not its characters."""

    def __repr__(self) -> str:
        return f"Huge({self[:1]!r} * {len(self)})"


class Payload(bytes):
    def __repr__(self) -> str:
        return f"Payload({len(self)} bytes: {bytes(self[:60])!r}{'...' if len(self) > 60 else ''})"


huge_strings = st.builds(
    lambda ch, n: Huge(ch * n), st.sampled_from(["a", "é", "😀", "\x00", "9", " "]), st.integers(100, 90_000)
)
big_ints = st.sampled_from([-1, 0, 2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(10**30)])


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def fitting(schema: dict[str, Any], hints: dict[str, st.SearchStrategy[Any]], name: str = "") -> Any:
    """A strategy for values that (mostly) fit ``schema``; ``hints`` adds known-good values by field name."""
    schema = resolve(schema)
    generic = _fitting(schema, hints)
    return st.one_of(hints[name], generic) if name in hints else generic


def _fitting(schema: dict[str, Any], hints: dict[str, st.SearchStrategy[Any]]) -> Any:
    if "anyOf" in schema:
        return st.one_of(*(fitting(s, hints) for s in schema["anyOf"]))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda s: len(s) <= schema.get("maxLength", 100)
            )
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 30), 30))
    if kind == "integer":
        low = schema.get("minimum", -5)
        return st.integers(min_value=low, max_value=schema.get("maximum", low + 300))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(
            fitting(schema.get("items", {}), hints),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 3), 3),
        )
    if kind == "object" and "properties" in schema:
        required = set(schema.get("required", []))
        props = schema["properties"]
        return st.fixed_dictionaries(
            {k: fitting(v, hints, k) for k, v in props.items() if k in required},
            optional={k: fitting(v, hints, k) for k, v in props.items() if k not in required},
        )
    if kind == "object":
        return st.dictionaries(st.text(max_size=8), json_values, max_size=3)
    return json_values


def hints_for(world: World, caller: str | None = None) -> dict[str, st.SearchStrategy[Any]]:
    """Known-good values by field name, so that some generated requests get past validation.

    With ``caller``, the messages are those of the caller's own conversations.
    """
    people = world.people
    messages = [
        m for m in world.screens if caller is None or m["conversation_id"] in world.own_conversations[caller]
    ]
    components = sorted(set(re.findall(r'"id":\s*"([^"]{1,16})"', " ".join(m["screen"] for m in messages))))
    return {
        "phone": st.sampled_from([p["phone"] for p in people] + ["+5511900009999", "+15555550100"]),
        "handle": st.sampled_from([p["handle"] for p in people]),
        "user_id": st.sampled_from([p["id"] for p in people]),
        "message_id": st.sampled_from([m["id"] for m in messages] or ["m_none"]),
        "component_id": st.sampled_from(components or ["x"]),
        "values": st.fixed_dictionaries({}, optional={"age": st.one_of(json_scalars, st.just("41"))}),
        "text": st.sampled_from(["hi", "/greet Bo", "/help", "/nope", "/", "/greet " + "x" * 300]),
        "code": st.sampled_from([DEV_CODE, "123456"]),
        "reason": st.sampled_from(["maintenance"]),
        "seq": st.integers(0, 20),
        "kind": st.sampled_from(["direct", "group"]),
    }


@st.composite
def bodies(
    draw: st.DrawFn, operation: dict[str, Any], hints: dict[str, Any], plausible: bool = False
) -> tuple[str, Payload | None]:
    kind, content = draw(_bodies(operation, hints, plausible))
    return kind, None if content is None else Payload(content)


@st.composite
def _bodies(
    draw: st.DrawFn, operation: dict[str, Any], hints: dict[str, Any], plausible: bool
) -> tuple[str, bytes | None]:
    """(what kind of body, its bytes); a route without a body gets one now and then anyway."""
    body_schema = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    kinds = ["absent", "malformed", "not_object", "huge", "hostile"]
    if body_schema is not None:
        kinds += ["fitting"] * 4 + ["wrong_type", "unknown_field", "missing_field", "huge_field"]
    kind = draw(st.sampled_from(kinds))
    if plausible:
        kind = "absent" if body_schema is None else "fitting"
    if kind == "absent":
        return kind, None
    if kind == "malformed":
        raw = draw(
            st.one_of(
                st.binary(max_size=40),
                st.sampled_from(
                    [b"{", b"[1,", b'{"a": }', b"\xff\xfe{}", b"{'a': 1}", b"nul", b'{"a": NaN}', b"  "]
                ),
                st.integers(1, 30_000).map(lambda n: b"[" * n + b"]" * n),
                st.integers(1, 20_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
            )
        )
        return kind, raw
    if kind == "not_object":
        return kind, json.dumps(draw(json_values.filter(lambda v: not isinstance(v, dict)))).encode()
    if kind == "huge":
        return kind, json.dumps({"x": draw(huge_strings)}).encode()
    if kind == "hostile":  # huge numbers, deep nesting, invalid UTF-8, lone surrogates (hostile_json)
        around = draw(fitting(body_schema, hints)) if body_schema is not None else {"x": [1]}
        return kind, bytes(draw(embedded(around)))
    assert body_schema is not None
    schema = resolve(body_schema)
    value: dict[str, Any] = draw(fitting(schema, hints))
    props = list(schema.get("properties", {}))
    if kind == "wrong_type" and props:
        value[draw(st.sampled_from(props))] = draw(json_values)
    elif kind == "unknown_field":
        extra = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in props))
        value[extra] = draw(json_values)
    elif kind == "missing_field" and schema.get("required"):
        value.pop(draw(st.sampled_from(schema["required"])), None)
    elif kind == "huge_field" and props:
        value[draw(st.sampled_from(props))] = draw(huge_strings)
    return kind, json.dumps(value).encode()


def path_values(world: World, caller: str | None = None) -> dict[str, st.SearchStrategy[str]]:
    """Path ids: known ones (other people's too) or garbage; with ``caller``, only the caller's own."""
    apps = st.sampled_from(sorted(world.server.runtime.registry.apps))
    if caller is not None:
        return {
            "conversation_id": st.sampled_from(world.own_conversations[caller]),
            "app": apps,
            "country": st.sampled_from(["BR", "IN", "US", "*"]),
        }
    conversations = [world.alice_bob, world.team, world.carol_bob, world.alice_app, world.carol_app]
    return {
        "conversation_id": st.one_of(st.sampled_from(conversations), garbage_text),
        "app": st.one_of(apps, garbage_text),
        "country": st.one_of(st.sampled_from(["BR", "IN", "US", "*", "br", "ZZ"]), garbage_text),
    }


def query_values(operation: dict[str, Any], plausible: bool = False) -> st.SearchStrategy[dict[str, str]]:
    params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    bad = st.one_of(
        st.integers(-5, 300).map(str),
        big_ints.map(str),
        st.text(max_size=12),
        st.sampled_from(["", "1.5", "1e3", "null", "true", "0x10", " 7", "٣"]),
        huge_strings.map(lambda s: Huge(s[:3000])),
        st.integers(4_301, 6_000).map(lambda n: Huge("9" * n)),
    )
    fits = {p["name"]: fitting(p["schema"], {}).filter(lambda v: v is not None).map(str) for p in params}
    if plausible:
        return st.fixed_dictionaries({}, optional=fits)
    known = st.fixed_dictionaries({}, optional={n: st.one_of(fits[n], bad) for n in fits})
    unknown = st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=2)
    return st.one_of(known, st.builds(lambda a, b: {**b, **a}, known, unknown))


# Hostile requests: half carry a valid token (alice, the operator, most often), half a bad one.
CALLERS = ["alice", "alice", "alice", "bob", "carol", "none", "forged", "not_bearer", "empty_bearer", "long"]


def headers_for(world: World, caller: str, operation: dict[str, Any], draw: st.DrawFn) -> dict[str, str]:
    if caller in world.tokens:
        token = world.tokens[caller]
        if caller == "alice" and operation["tags"] == ["admin"]:  # alice also runs an operator account
            token = world.operator
        if operation["operationId"] == "logout":  # never revoke the tokens the other examples use
            token = world.server.runtime.auth.issue_sync(world.ids[caller])
        if operation["operationId"] == "erase":  # nor erase the people the other examples use
            token = world.newcomer()
        return {"authorization": f"Bearer {token}"}
    if caller == "forged":
        return {
            "authorization": "Bearer "
            + draw(st.text(string.ascii_letters + string.digits + "-_", min_size=1))
        }
    if caller == "not_bearer":
        return {"authorization": draw(st.sampled_from(["Basic YTpi", "Token abc", "bearer", "abc"]))}
    if caller == "empty_bearer":
        return {"authorization": "Bearer    "}
    if caller == "long":
        return {"authorization": "Bearer " + "x" * 5000}
    return {}


TOLD_IN_THE_GROUP = {
    "create_conversation",
    "add_members",
    "change_group",
    "set_photo",
    "remove_photo",
    "remove_member",
    "change_role",
    "leave_group",
}
"""Operations whose success writes a system message into the group they change (or create)."""


# -- the properties ------------------------------------------------------------------------


def test_served_document_is_the_one_fuzzed(world: World) -> None:
    status, served = world.server.call("GET", "/api/v1/openapi.json")
    assert status == 200
    assert served == json.loads(json.dumps(DOCUMENT))
    for schema in COMPONENTS.values():
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_bad_input_never_breaks_a_route(
    world: World, method: str, path: str, operation: dict[str, Any]
) -> None:
    server = world.server
    names = re.findall(r"{(\w+)}", path)
    needs_auth = "security" in operation
    operator_only = operation["tags"] == ["admin"] and needs_auth

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(data=st.data())
    def attack(data: st.DataObject) -> None:
        # Half the examples are plausible (a member's request that fits the document) so that
        # they reach the handlers' own logic; the other half are hostile in every part.
        plausible = data.draw(st.booleans(), label="plausible")
        if plausible:
            caller = data.draw(st.sampled_from(["alice", "alice", "bob", "carol"]), label="caller")
            params, hints = world.paths[caller], world.hints[caller]
        else:
            caller = data.draw(st.sampled_from(CALLERS), label="caller")
            params, hints = world.paths[None], world.hints[None]
        values = {n: data.draw(params.get(n, garbage_text), label=n) for n in names}
        url = path.format(**{n: quote(v, safe="") for n, v in values.items()})
        query = data.draw(query_values(operation, plausible), label="query")
        if query:
            url += "?" + urlencode(query)
        kind, content = data.draw(bodies(operation, hints, plausible), label="body")
        headers = headers_for(world, caller, operation, data.draw)
        if content is not None and data.draw(st.booleans(), label="content-type"):
            headers["content-type"] = "application/json"

        before = server.snapshot()
        counts_before = server.message_counts()
        response = server.send(method, url, headers, content)
        status = response.status_code
        media = response.headers.get("content-type", "").split(";")[0]
        try:
            body = (
                response.json()
                if response.content and not documented_file(operation, status, media)
                else None
            )
        except ValueError:
            pytest.fail(
                f"{method} {url} answered {status} with a body that is not JSON: {response.content[:200]!r}"
            )
        counts_after = server.message_counts()

        assert status < 500, f"{method} {url} ({kind}) answered {status}: {body}"
        takes_json = "application/json" in operation.get("requestBody", {}).get("content", {})
        if kind == "hostile" and takes_json and status not in (401, 403, 413):
            assert (status, body["error"]["code"]) == (400, "invalid_json"), (method, url, body)
        check_against_document(operation, status, body)

        # Who may do what.
        # Routes that take files (uploads, forms with a file field) have limits of their own.
        limit = server.body_limits.get((method, path), server.settings.max_body_bytes)
        if content is not None and len(content) > limit:
            assert status == 413, (status, body)
        elif needs_auth and caller not in world.tokens:
            assert status == 401, (caller, status, body)
        elif operator_only and caller in ("bob", "carol"):
            assert status == 403, (caller, status, body)
        if caller in world.tokens and 200 <= status < 300:
            me = world.ids[caller]
            conversation = values.get("conversation_id")
            if conversation is not None:
                assert me in world.members(conversation), f"{caller} reached a conversation not theirs"
            if operation["operationId"] == "press" and content is not None:
                pressed = json.loads(content).get("message_id")
                owner = world.message_conversation(pressed)
                assert owner is not None and me in world.members(owner), f"{caller} pressed another's button"

        # Nothing half-written.
        if status >= 400:
            after = server.snapshot()
            written = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
            assert not written, f"{method} {url} answered {status} but wrote to {written}: {body}"
        changed = {
            c
            for c in counts_before.keys() | counts_after.keys()
            if counts_before.get(c) != counts_after.get(c)
        }
        if operation["operationId"] == "send_message":
            target = values["conversation_id"]
            if status == 201:
                assert target in changed and changed <= {target}
                assert counts_after[target] > counts_before.get(target, 0)
            else:
                assert not changed, (status, changed)
        elif operation["operationId"] == "press" and status == 200:
            pressed = world.message_conversation(json.loads(content or b"{}").get("message_id"))
            assert changed <= {pressed}, "a button changed another conversation"
        elif operation["operationId"] in TOLD_IN_THE_GROUP and 200 <= status < 300:
            # A group's change is told there by a system message, and nowhere else.
            target = values.get("conversation_id") or body["id"]
            assert changed <= {target}, (operation["operationId"], changed)
        else:
            assert not changed, f"{method} {url} answered {status} and changed messages in {changed}"

    attack()


def test_expired_forged_and_revoked_tokens_are_refused_everywhere(tmp_path: Path) -> None:
    server = Server(tmp_path)
    try:
        expired = server.sign_in("+5511900000001", "Old")["token"]
        revoked = server.sign_in("+5511900000002", "Gone")["token"]
        assert server.call("POST", "/api/v1/auth/logout", revoked)[0] == 204
        server.clock.advance(dt.timedelta(days=30, minutes=1))
        fresh = server.sign_in("+5511900000003", "New")["token"]
        assert server.call("GET", "/api/v1/me", fresh)[0] == 200
        protected = [(m, p, o) for m, p, o in OPERATIONS if "security" in o]
        assert protected
        for method, path, operation in protected:
            url = re.sub(r"{\w+}", "x", path)
            for token, code in [
                (expired, "token_expired"),
                (revoked, "invalid_token"),
                ("forged-" + "a" * 40, "invalid_token"),
                (None, "unauthorized"),
            ]:
                status, body = server.call(method, url, token, {"junk": 1})
                assert status == 401, (method, path, token, status, body)
                assert body["error"]["code"] == code, (method, path, body)
                check_against_document(operation, status, body)
    finally:
        server.close()
