"""The core's migrations keep the names and order every existing database has recorded.

sqlite-utils keys an applied migration by its name: a renamed one would run again on an
existing database, a reordered one would build a database unlike the others.  The schema
each set builds was recorded (``fixtures/core_schema_before_split.json``) by the code that
held every migration in one module, before they moved to one module per concern.
"""

from __future__ import annotations

import json
from pathlib import Path

from souk.storage.schema import (
    APP_RUNTIME_MIGRATIONS,
    CORE_MIGRATIONS,
    app_runtime_migrations,
    core_migrations,
    registered,
)
from sqlite_utils import Database, Migrations

SHIPPED_CORE = [
    "m001_users_and_auth",
    "m002_conversations",
    "m003_apps",
    "m004_access_log",
    "m005_screens_that_update",
    "m006_time_zones",
    "m007_brokered_payments",
    "m008_replies_edits_reactions",
    "m009_receipts_presence_sharing",
    "m010_groups_with_a_life",
    "m011_search",
    "m012_written_while_offline",
    "m013_when_marks_moved",
    "m014_sessions_and_reach",
    "m015_operator_accounts",
    "m016_media",
    "m017_profile_photos",
    "m018_rollouts_and_kill_switch",
    "m018_live_connections",
]
SHIPPED_RUNTIME = ["m001_outbox_timers_inbox", "m002_owned_events", "m003_outbox_leases"]
BEFORE_SPLIT = json.loads((Path(__file__).parent / "fixtures" / "core_schema_before_split.json").read_text())


def _names(migrations: Migrations) -> list[str]:
    return [m.name for m in migrations._migrations]  # type: ignore[attr-defined]


def _schema(db: Database) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name != '_sqlite_migrations' "
            "ORDER BY type, name"
        ).fetchall()
    ]


def test_the_shipped_migrations_keep_their_names_and_order_and_new_ones_come_after() -> None:
    core, runtime = _names(core_migrations), _names(app_runtime_migrations)
    assert BEFORE_SPLIT["souk"]["migrations"] == SHIPPED_CORE
    assert BEFORE_SPLIT["souk_runtime"]["migrations"] == SHIPPED_RUNTIME
    assert core[: len(SHIPPED_CORE)] == SHIPPED_CORE
    assert runtime[: len(SHIPPED_RUNTIME)] == SHIPPED_RUNTIME
    added = core[len(SHIPPED_CORE) :]
    assert all(name > "m018_rollouts_and_kill_switch" for name in added), added
    assert len(set(core)) == len(core) == len(CORE_MIGRATIONS)
    assert len(runtime) == len(APP_RUNTIME_MIGRATIONS)
    assert (core_migrations.name, app_runtime_migrations.name) == ("souk", "souk_runtime")


def test_the_shipped_migrations_build_the_schema_they_built_before_the_split() -> None:
    for name, functions, shipped in (
        ("souk", CORE_MIGRATIONS, SHIPPED_CORE),
        ("souk_runtime", APP_RUNTIME_MIGRATIONS, SHIPPED_RUNTIME),
    ):
        db = Database(memory=True)
        registered(name, functions[: len(shipped)]).apply(db)
        assert _schema(db) == BEFORE_SPLIT[name]["schema"], name
        assert len(BEFORE_SPLIT[name]["schema"]) > len(shipped) // 2


def test_a_database_migrated_before_the_split_runs_only_what_was_added_since(tmp_path) -> None:
    """Migrated by the shipped list, then opened by today's: nothing runs twice, and it ends
    as a database made today does."""
    existing = Database(tmp_path / "existing.db")
    registered("souk", CORE_MIGRATIONS[: len(SHIPPED_CORE)]).apply(existing)
    assert [m.name for m in core_migrations.applied(existing)] == SHIPPED_CORE
    pending = [m.name for m in core_migrations.pending(existing)]
    assert pending == _names(core_migrations)[len(SHIPPED_CORE) :]

    core_migrations.apply(existing)
    fresh = Database(memory=True)
    core_migrations.apply(fresh)
    assert _schema(existing) == _schema(fresh)
    assert [m.name for m in core_migrations.applied(existing)] == _names(core_migrations)
    assert core_migrations.pending(existing) == []
