"""``souk serve --demo``: a ready world to try, built once per data folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from souk_sdk import AppUser, BusinessInfo, DemoWorld, Transaction
from sqlite_utils import Database

from ..chat import conversations
from ..chat.conversations import Sender
from ..chat.media import Owner
from ..foundation.clock import iso
from ..foundation.settings import DEV_CODE
from ..miniapps import business_view
from ..miniapps.context import AppTransaction
from ..miniapps.host import Host
from ..miniapps.registry import InstalledApp
from ..people import users
from ..people.phones import parse_phone
from . import demo_businesses
from .accounts import Accounts
from .operations import Operations

T = TypeVar("T")

DEMO_COUNTRIES = ["IN", "BR", "FR", "US"]


@dataclass(frozen=True)
class DemoUser:
    name: str
    handle: str
    phone: str
    operator: bool = False


DEMO_USERS = [
    DemoUser("Asha Rao", "asha", "+919876500001", operator=True),
    DemoUser("Ravi Kumar", "ravi", "+919876500002"),
    DemoUser("Bruna Silva", "bruna", "+5511987650001"),
    DemoUser("Tiago Costa", "tiago", "+5511987650002"),
    DemoUser("Camille Martin", "camille", "+33612345001"),
    DemoUser("Jordan Lee", "jordan", "+12025550101"),
]

GROUP_HISTORY = [
    ("asha", "Welcome to the Souk demo group!"),
    ("bruna", "Olá everyone, greetings from São Paulo."),
    ("camille", "Bonjour! Type /help to see what you can do here."),
    ("ravi", "Try /help in any chat: mini-apps answer right in the conversation."),
]

BUILT_KEY = "demo_built"
DEMO_OPERATOR_KEY = "demo-operator-key"
"""The demo's operator accounts sign in to the console with this key, as its people with the code."""


def is_built(host: Host) -> bool:
    """Whether this data folder has the demo world already (a restart of ``serve --demo``)."""
    return bool(list(host.core.db.query("SELECT 1 FROM settings WHERE key = ?", [BUILT_KEY])))


def build(host: Host, progress: Callable[[str], None] = lambda _: None) -> bool:
    """Create the demo users, chats and country settings; False if already built."""
    core = host.core
    if is_built(host):
        return False
    now = iso(host.settings.clock.now())

    def people(db: Database) -> dict[str, dict[str, Any]]:
        made = {}
        for person in DEMO_USERS:
            existing = users.by_phone(db, person.phone)
            made[person.handle] = existing or users.create(
                db,
                parse_phone(person.phone),
                person.name,
                now,
                handle=person.handle,
            )
        return made

    progress("users")
    by_handle = core.write_sync(people)

    def chats(db: Database) -> None:
        group = conversations.create_group(
            db,
            by_handle["asha"]["id"],
            "Souk demo",
            [u["id"] for h, u in by_handle.items() if h != "asha"],
            now,
        )
        for handle, text in GROUP_HISTORY:
            user = by_handle[handle]
            conversations.append(db, group["id"], Sender("user", user["id"], user["display_name"]), text, now)
        direct, _ = conversations.open_direct(db, by_handle["asha"]["id"], by_handle["ravi"]["id"], now)
        ravi = by_handle["ravi"]
        conversations.append(
            db, direct["id"], Sender("user", ravi["id"], ravi["display_name"]), "Hi Asha! Lunch today?", now
        )
        db["settings"].insert({"key": BUILT_KEY, "value": now})

    progress("chats")
    core.write_sync(chats)
    core.write_sync(lambda db: demo_businesses.build(db, by_handle, now))
    accounts = Accounts(core, host.settings.clock)
    for person in DEMO_USERS:
        if person.operator:
            accounts.add(person.handle, "owner", "*", "demo", key=DEMO_OPERATOR_KEY)
    progress("mini-apps")
    operations = Operations(core, host.registry, host.settings.clock)
    for app in host.registry.apps.values():
        if not app.builtin:
            operations.enable_everywhere_allowed(app.name, _demo_countries(app.name), "demo")
    for app in host.registry.apps.values():
        if host.registry.implements("souk_demo", app):
            host.registry.call_one("souk_demo", app, demo=AppDemo(host, app))
    return True


class AppDemo(DemoWorld):
    """One mini-app's view of the demo world, for its ``souk_demo`` hook."""

    def __init__(self, host: Host, app: InstalledApp) -> None:
        self._host = host
        self._app = app
        self.handles = [person.handle for person in DEMO_USERS]

    def user(self, handle: str) -> AppUser:
        person = users.by_handle(self._host.core.db, handle)
        if person is None:
            raise KeyError(f"no demo user @{handle}")
        pseudonym = self._host.identities.expose_sync(self._app.name, person["id"])
        return AppUser(
            id=pseudonym,
            country=person["country"],
            display_name=person["display_name"],
            locale=person["locale"],
        )

    def transaction(self, work: Callable[[Transaction], T]) -> T:
        store = self._host.app_store(self._app.name)
        now = self.now()
        return store.write_sync(lambda db: work(AppTransaction(db, self._app.name, self._host, now)))

    def now(self) -> dt.datetime:
        return self._host.settings.clock.now()

    def store_image(self, data: bytes, *, name: str | None = None) -> str:
        return self._host.media.upload_sync(Owner("app", self._app.name), data, name, purpose="screen")["url"]

    def business(self, handle: str) -> BusinessInfo | None:
        db = self._host.core.db
        row = business_view.lookup(db, handle)
        expose = self._host.identities.expose_sync
        return (
            None if row is None else business_view.seen_by_sync(db, row, lambda u: expose(self._app.name, u))
        )


def _demo_countries(app: str) -> list[str]:
    """Payments and matchmaking run only in India and Brazil in the demo; the rest everywhere they may."""
    return ["IN", "BR"] if app in ("payments", "matchmaking") else DEMO_COUNTRIES


def sign_in_help(base_url: str) -> str:
    lines = [
        f"Souk demo is running at {base_url}",
        f"Sign in with any of these numbers and the development code {DEV_CODE}:",
    ]
    for person in DEMO_USERS:
        role = " (operator)" if person.operator else ""
        lines.append(f"  {person.phone:<16} {person.name} @{person.handle}{role}")
    operators = ", ".join(p.handle for p in DEMO_USERS if p.operator)
    lines.append(f"Operator console: {base_url}/admin/ (account {operators}, key {DEMO_OPERATOR_KEY})")
    lines.append("From a terminal:")
    lines.append(
        f"  curl -s -X POST {base_url}/api/v1/auth/code -H 'content-type: application/json' "
        f'-d \'{{"phone": "{DEMO_USERS[0].phone}"}}\''
    )
    lines.append(
        f"  curl -s -X POST {base_url}/api/v1/auth/verify -H 'content-type: application/json' "
        f'-d \'{{"phone": "{DEMO_USERS[0].phone}", "code": "{DEV_CODE}"}}\''
    )
    return "\n".join(lines)
