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
    from pydantic import BaseModel
    from sqlite_utils import Database, Migrations

    from .business import BusinessClaim
    from .context import Context, DemoWorld, Event
    from .data_rights import Erasure
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
def souk_country_settings() -> type[BaseModel]:
    """Return the pydantic model of this mini-app's per-country settings (``MiniApp(settings=...)``).

    Every field has a default and a plain JSON type (see
    :func:`souk_sdk.country_settings.check_settings_model`).  Operators change the
    values per country; a handler reads them with ``ctx.settings``.  Called once, at
    start-up; a model that cannot be settings stops the mini-app from loading.
    """


@hookspec
def souk_subscriptions(register: Callable[[Any], None]) -> None:
    """Declare which events this mini-app receives: by emitter and type.

    Call ``register(subscription)`` once per :class:`souk_sdk.Subscription`
    (the declarative :class:`souk_sdk.MiniApp` does it for ``@app.on``,
    ``@app.on_payment`` and ``@app.on_timer``).  A mini-app receives only the
    events it subscribed to, each once per delivery attempt: from another
    mini-app by name, payment outcomes only from the provider that took its
    own payment request (checked by the core against the payment it brokered),
    and its own timers.  A subscription to a mini-app that is not installed,
    or to a type its manifest does not declare in ``emits``, is logged as a
    warning at start-up, naming it.

    Delivery is at least once: the same ``event.id`` may arrive again after a
    crash, so record what you did with it, for example with
    ``tx.first_time(event.id)`` inside the transaction that acts on it.
    ``ctx.user`` is the user the event concerns, as this mini-app sees them,
    or ``None``; ``ctx.conversation`` is where the user was when it started.
    """


@hookspec
def souk_on_event(event: Event, ctx: Context) -> Any:
    """Deprecated (SDK 1.0; kept working until SDK 2.0): receive events without subscribing.

    Use :func:`souk_subscriptions` (``@app.on``) instead.  A mini-app that
    implements this hook receives the events addressed to it (``to``), the
    events addressed to nobody, and its own timers, and filters them itself.
    Events are owned all the same: ``event.source`` is stamped by the core,
    no mini-app can emit a type in another mini-app's namespace
    (``shop.order_paid`` is the shop's), and a payment outcome reaches a
    mini-app only from the provider that took its payment request.

    Delivery is at least once (``tx.first_time(event.id)`` makes a handler
    idempotent).  Return an awaitable to have the core await it.
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


@hookspec
def souk_business_claims(db: Database) -> list[BusinessClaim]:
    """What this mini-app kept before businesses, to become businesses (SDK 1.3).

    A mini-app that had merchants of its own (the shop's shops and their staff) answers
    one :class:`souk_sdk.BusinessClaim` per thing not yet on a business, read from ``db``.
    An operator's ``souk business adopt APP`` creates each as a business and then calls
    :func:`souk_business_adopted`; a thing adopted is no longer claimed, so running it
    again changes nothing.
    """


@hookspec
def souk_business_adopted(db: Database, key: str, business_id: str) -> None:
    """Attach the thing of ``key`` (a claim's) to the business ``business_id`` (SDK 1.3).

    Runs inside one write transaction of this mini-app's database, after the core made
    the business and its staff.  Keep ``business_id`` beside your rows; from then on the
    business's staff (``ctx.business``) are who may manage it.
    """


@hookspec
def souk_export_user(db: Database, user_id: str) -> dict[str, Any]:
    """Return everything this mini-app holds about one user, as JSON-able data.

    ``user_id`` is this mini-app's own id for the user; ``db`` its database,
    for reading.  Include every row about the user, in the words a person
    understands (names, amounts, dates), and nothing that identifies anyone
    else: name a counterparty by the name the user saw, never by their id.
    The core puts the answer in the user's archive (``GET /api/v1/me/export``)
    next to its own part and every other mini-app's.  Every mini-app
    implements this hook; a test of the repository fails for one that does not.
    """


@hookspec
def souk_erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    """Erase what this mini-app holds about one user; return an :class:`souk_sdk.Erasure`.

    Runs inside one write transaction of this mini-app's database.  Delete
    the user's rows, or where a row must stay (a ledger entry, an order the
    business must keep), pseudonymise it irreversibly: put ``replacement`` (a
    random id the core makes for this erasure and keeps nowhere) in place of
    ``user_id``, and blank names, addresses and free text.  Say in
    ``Erasure.kept`` what stays and why; document it in the mini-app's docs.
    Every mini-app implements this hook.
    """
