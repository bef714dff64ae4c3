"""Operator accounts: apart from chat users, signed in with their own key, each with a role and countries."""

from __future__ import annotations

import sqlite3

import pytest
from miniapps import Echo, Notes
from souk.operators.accounts import Accounts
from souk.storage.schema import core_migrations
from souk.storage.store import Store


def _world(souk_world):
    world = souk_world([Notes(), Echo()])
    ana = world.user("Ana", "BR")
    return world, ana


def test_an_account_signs_in_with_its_key_and_the_key_is_kept_only_as_a_hash(souk_world) -> None:
    world, _ = _world(souk_world)
    accounts = world.core.runtime.operator_accounts
    key = accounts.add("lucia", "operator", ["br", "IN"], "test")
    stored = list(world.core.runtime.core.db.query("SELECT * FROM operator_accounts WHERE name = 'lucia'"))
    assert len(stored) == 1 and key not in str(stored) and stored[0]["countries"] == "BR,IN"

    session = world.call("POST", "/api/v1/admin/session", json={"name": "lucia", "key": key})
    assert session["operator"] == {"name": "lucia", "role": "operator", "countries": ["BR", "IN"]}
    tokens = list(world.core.runtime.core.db.query("SELECT hash FROM operator_tokens"))
    assert len(tokens) == 1 and session["token"] not in str(tokens)
    assert world.call("GET", "/api/v1/admin/me", session["token"])["name"] == "lucia"

    wrong = world.call("POST", "/api/v1/admin/session", json={"name": "lucia", "key": "x" + key}, expect=401)
    nobody = world.call("POST", "/api/v1/admin/session", json={"name": "nobody", "key": key}, expect=401)
    assert wrong["error"]["code"] == nobody["error"]["code"] == "wrong_credentials"

    world.call("DELETE", "/api/v1/admin/session", session["token"])
    ended = world.call("GET", "/api/v1/admin/me", session["token"], expect=401)
    assert ended["error"]["code"] == "invalid_token"


def test_a_chat_users_token_opens_no_admin_route_and_a_viewer_only_reads(souk_world) -> None:
    world, ana = _world(souk_world)
    for path in ("/api/v1/admin/apps", "/api/v1/admin/audit", "/api/v1/admin/me"):
        refused = world.call("GET", path, ana.token, expect=403)
        assert refused["error"]["code"] == "operator_only"
    viewer = world.operator("vera", "viewer", "*")
    assert {a["name"] for a in world.call("GET", "/api/v1/admin/apps", viewer)["apps"]} >= {"notes", "echo"}
    refused = world.call("PUT", "/api/v1/admin/apps/notes/countries/IN", viewer, expect=403)
    assert refused["error"]["code"] == "read_only"


def test_an_operator_acts_only_in_their_countries(souk_world) -> None:
    world, _ = _world(souk_world)
    brazil = world.operator("bruno", "operator", "BR")
    assert world.call("DELETE", "/api/v1/admin/apps/notes/countries/BR", brazil) == {"changed": True}
    for method, path, body in [
        ("PUT", "/api/v1/admin/apps/notes/countries/IN", None),
        ("DELETE", "/api/v1/admin/apps/notes/countries/*", None),
        ("POST", "/api/v1/admin/apps/notes/suspend", {"reason": "not mine to stop"}),
    ]:
        refused = world.call(method, path, brazil, json=body, expect=403)
        assert refused["error"]["code"] == "outside_your_countries", path
    audited = world.call("GET", "/api/v1/admin/audit?actor=operator:bruno", brazil)["entries"]
    assert [(e["action"], e["country"]) for e in audited] == [("disable", "BR")]


def test_revoking_ends_the_key_and_every_session(souk_world) -> None:
    world, _ = _world(souk_world)
    accounts = world.core.runtime.operator_accounts
    key = accounts.add("otto", "owner", "*", "test")
    token = world.call("POST", "/api/v1/admin/session", json={"name": "otto", "key": key})["token"]
    accounts.revoke("otto", "test")
    assert world.call("GET", "/api/v1/admin/me", token, expect=401)["error"]["code"] == "invalid_token"
    world.call("POST", "/api/v1/admin/session", json={"name": "otto", "key": key}, expect=401)
    entries = world.call("GET", "/api/v1/admin/audit", world.operator())["entries"]
    assert [e["action"] for e in entries if e["detail"] == "otto"] == ["operator_revoke", "operator_add"]


def test_the_operator_flag_becomes_an_account_of_every_country(tmp_path) -> None:
    """A database from before operator accounts: its flagged users become operators, with no key yet."""
    path = tmp_path / "souk.db"
    store = Store(path)
    before = [m for m in core_migrations._migrations if m.name < "m015"]  # type: ignore[attr-defined]
    old = type(core_migrations)("souk")
    for migration in before:
        old()(migration.fn)
    store.migrate(old)
    store.write_sync(
        lambda db: db.execute(
            "INSERT INTO users (id, handle, display_name, phone, country, locale, created_at, is_operator) "
            "VALUES ('u1', 'asha', 'Asha', '+919876500001', 'IN', 'en-IN', '2026-01-01', 1), "
            "('u2', 'ravi', 'Ravi', '+919876500002', 'IN', 'en-IN', '2026-01-01', 0)"
        )
    )
    store.migrate(core_migrations)
    from souk.foundation.clock import SystemClock

    listed = Accounts(store, SystemClock()).list()
    assert [(r["name"], r["role"], r["countries"], r["has_key"]) for r in listed] == [
        ("asha", "operator", "*", 0)
    ]
    assert [r["is_operator"] for r in store.db.query("SELECT is_operator FROM users")] == [0, 0]
    store.close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01', 'test', 'enable')")
    for change in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(change)
    assert raw.execute("SELECT actor FROM audit_log").fetchall() == [("test",)]
    raw.close()
