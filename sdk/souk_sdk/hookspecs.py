"""The hooks a mini-app may implement.

Each hook is declared once, here, and its docstring is its reference
documentation (``docs/plugin-guide.md`` repeats every one with an example, and a
test fails when a hook is missing there or untested).  Hook names start with
``souk_``.  pluggy passes only the arguments an implementation names, so a hook
can gain arguments later without breaking existing mini-apps.

pluggy calls are synchronous: where a hook hands the core something to run
(a command handler, an event handler), that callable may be ``async`` and the
core awaits it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from sqlite_utils import Migrations

    from .context import Context, DemoWorld, Event
    from .manifest import Manifest
    from .payments import FundingSource, PaymentProvider

PROJECT = "souk"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def souk_manifest() -> Manifest:
    """Describe this mini-app: return a :class:`souk_sdk.Manifest`.

    Every mini-app implements this hook exactly once.  The manifest names the
    mini-app (its name is also the name of its database file and the key
    operators use to enable it), the countries it can serve (``["*"]`` for all),
    the scopes of user data it may ask for, and the SDK versions it supports.
    The core refuses to load a mini-app whose manifest is invalid or whose
    ``sdk`` range excludes the running SDK.
    """


@hookspec
def souk_commands(register: Callable[[Any], None]) -> None:
    """Register the chat commands of this mini-app.

    Call ``register(cmd)`` once per command, where ``cmd`` was made with the
    :func:`souk_sdk.command` decorator.  The core refuses to start when two
    mini-apps register the same command name, naming both.
    """


@hookspec
def souk_actions(register: Callable[[Any], None]) -> None:
    """Register the handlers of the buttons and forms this mini-app draws.

    Call ``register(handler)`` once per handler made with
    :func:`souk_sdk.action`.  A press or a submission is routed back to the
    mini-app whose screen carried it, with the payload the screen stored (never
    one the client invents) and, for a form, values already validated against
    the form's fields.
    """


@hookspec
def souk_migrations() -> Migrations:
    """Return the :class:`sqlite_utils.Migrations` of this mini-app's database.

    Each mini-app has its own SQLite file in the data folder; the core applies
    pending migrations at start-up, before any handler runs.  Migration
    functions receive a :class:`sqlite_utils.Database`.
    """


@hookspec
def souk_on_event(event: Event, ctx: Context) -> Any:
    """Receive an event emitted by a mini-app (this one included), or a timer.

    Delivery is at least once: the same ``event.id`` may arrive again after a
    crash, so record what you did with it, for example with
    ``tx.first_time(event.id)`` inside the transaction that acts on it.
    ``ctx.user`` is the user the event concerns, as this mini-app sees them
    (their per-app id and the fields they consented to), or ``None``.
    Events with a ``to`` address reach only that mini-app.  Return an awaitable
    to have the core await it.
    """


@hookspec(firstresult=True)
def souk_send_code(phone: str, code: str) -> bool | None:
    """Deliver a sign-in code to a phone number; return ``True`` once sent.

    Return ``None`` to let the next sender try; the first answer that is not
    ``None`` ends the search, and anything but ``True`` (or an exception) tells
    the user the code could not be sent (503 ``code_not_sent``).  It runs on a
    worker thread, so a blocking call to a gateway is fine.  The built-in
    development sender runs last and writes the code to the log, so installing
    a plugin that talks to an SMS gateway replaces it without configuration.
    """


@hookspec(firstresult=True)
def souk_payment_provider(country: str) -> PaymentProvider | None:
    """Offer to move money for users in ``country``.

    Return an object implementing :class:`souk_sdk.PaymentProvider`, or
    ``None`` when this mini-app does not serve that country.  The core asks
    only mini-apps that are enabled in the user's country, and uses the first
    answer.  With no provider, ``ctx.request_payment`` raises
    :class:`souk_sdk.PaymentsUnavailable` and the user is told that payments are
    not available in their country.
    """


@hookspec
def souk_api_routes(register: Callable[[Any], None]) -> None:
    """Register HTTP endpoints of this mini-app.

    Call ``register(route)`` once per route made with
    :func:`souk_sdk.api_route`; it is served at
    ``/api/v1/apps/<mini-app name><path>`` for signed-in users in countries
    where the mini-app is live, and listed in the OpenAPI document.
    """


@hookspec
def souk_cli_commands(cli: Any, open_database: Callable[[Any], Any]) -> None:
    """Add operator commands to the ``souk`` command line.

    ``cli`` is the root :class:`click.Group`; add a group named after the
    mini-app (``souk payments check``).  ``open_database(data_dir)`` opens this
    mini-app's own database in a data folder, migrated, as a
    :class:`sqlite_utils.Database`.  Import ``click`` in the mini-app.
    """


@hookspec(firstresult=True)
def souk_funding_source(country: str) -> FundingSource | None:
    """Offer a way to bring money in (cards, bank transfers) for ``country``.

    Return an object implementing :class:`souk_sdk.FundingSource`, or ``None``.
    A payment provider asks this hook when a user tops up; a provider ships a
    sandbox source that runs last, so installing a real one replaces it.
    """


@hookspec
def souk_demo(demo: DemoWorld) -> None:
    """Add this mini-app's part of the demo world (``souk serve --demo``).

    Called once per data folder, after the demo users exist and the mini-app is
    enabled in the demo countries its manifest allows.  ``demo.user(handle)``
    gives a demo person as this mini-app sees them; write through
    ``demo.transaction(work)``.  Keep it small and quick: it runs before the
    server starts.
    """
