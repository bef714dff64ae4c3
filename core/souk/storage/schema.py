"""The core's tables, as versioned sqlite-utils migrations, in the order they shipped.

Each migration lives with its concern in :mod:`souk.storage.migrations`; this module
only registers them.  sqlite-utils keys an applied migration by its name, so the names
and their order here are what every existing database has recorded: add a migration at
the end of its list, never rename, reorder or edit one that has shipped.
(``core/tests/test_migration_order.py`` holds the historical order.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlite_utils import Database, Migrations

from .migrations import app_runtime, business, chat, media, miniapps, operators, people

Migration = Callable[[Database], None]

CORE_MIGRATIONS: tuple[Migration, ...] = (
    people.m001_users_and_auth,
    chat.m002_conversations,
    miniapps.m003_apps,
    people.m004_access_log,
    chat.m005_screens_that_update,
    people.m006_time_zones,
    miniapps.m007_brokered_payments,
    chat.m008_replies_edits_reactions,
    chat.m009_receipts_presence_sharing,
    chat.m010_groups_with_a_life,
    chat.m011_search,
    chat.m012_written_while_offline,
    chat.m013_when_marks_moved,
    people.m014_sessions_and_reach,
    operators.m015_operator_accounts,
    media.m016_media,
    people.m017_profile_photos,
    operators.m018_rollouts_and_kill_switch,
    chat.m018_live_connections,
    operators.m019_country_settings,
    business.m020_business_accounts,
    operators.m021_moderation_reports,
    business.m022_customer_controls,
    business.m023_business_inbox,
    business.m024_inbox_service_levels,
)
"""The core database's migrations (set ``souk``).  Two share the number 18: both shipped so."""

APP_RUNTIME_MIGRATIONS: tuple[Migration, ...] = (
    app_runtime.m001_outbox_timers_inbox,
    app_runtime.m002_owned_events,
    app_runtime.m003_outbox_leases,
)
"""What the core keeps in each mini-app's own database (set ``souk_runtime``)."""


def registered(name: str, functions: Iterable[Migration]) -> Migrations:
    """A migration set holding ``functions`` in this order, each under its function's name."""
    migrations = Migrations(name)
    for function in functions:
        migrations()(function)
    return migrations


core_migrations = registered("souk", CORE_MIGRATIONS)
app_runtime_migrations = registered("souk_runtime", APP_RUNTIME_MIGRATIONS)
