"""Operator accounts: who may run the server, with what role, in which countries.

They are apart from chat users: an operator signs in with the account's name and
its key (made by ``souk operators add`` or ``souk operators key``), and gets a
token for the admin API and the console.  Keys and tokens are stored only as
hashes.  The roles:

- ``owner``: everything, everywhere;
- ``operator``: changes where mini-apps run, but only in the account's countries
  (``*`` for everywhere); what acts on every country at once (the kill switch)
  needs ``*``;
- ``viewer``: reads everything, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..foundation.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from ..foundation.ids import new_token, token_hash
from ..miniapps.availability import audit
from ..storage.store import Store, select

Role = Literal["owner", "operator", "viewer"]
ROLES: tuple[Role, ...] = ("owner", "operator", "viewer")
EVERYWHERE = "*"
TOKEN_TTL = dt.timedelta(hours=12)
"""A console session: a working day; the key signs in again."""

_NAME = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Operator:
    """The account behind an admin request."""

    name: str
    role: Role
    countries: frozenset[str]

    @property
    def actor(self) -> str:
        """How the audit log names this account."""
        return f"operator:{self.name}"

    @property
    def everywhere(self) -> bool:
        return self.role == "owner" or EVERYWHERE in self.countries

    def covers(self, country: str) -> bool:
        return self.everywhere or country.upper() in self.countries

    def may_change(self, country: str | None) -> None:
        """Refuse a viewer, and an operator outside their countries (``None``: every country)."""
        if self.role == "viewer":
            raise Forbidden("a viewer's account can look but not change anything", code="read_only")
        if country is None or country == EVERYWHERE:
            if not self.everywhere:
                raise Forbidden(
                    "this acts on every country; it needs an operator of every country",
                    code="outside_your_countries",
                )
        elif not self.covers(country):
            raise Forbidden(
                f"your account operates in {', '.join(sorted(self.countries))}, not {country.upper()}",
                code="outside_your_countries",
            )

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "countries": sorted(self.countries)}


def parse_countries(text: str | list[str] | tuple[str, ...]) -> frozenset[str]:
    """``*`` or ISO 3166-1 alpha-2 codes, given as a list or comma-separated."""
    items = text.split(",") if isinstance(text, str) else list(text)
    countries = frozenset(c.strip().upper() for c in items if c.strip())
    if not countries:
        raise Invalid("name at least one country, or * for everywhere", code="invalid_country")
    if EVERYWHERE in countries:
        return frozenset({EVERYWHERE})
    wrong = sorted(c for c in countries if not _COUNTRY.fullmatch(c))
    if wrong:
        raise Invalid(f"{', '.join(wrong)}: not ISO 3166-1 alpha-2 country codes", code="invalid_country")
    return countries


def _operator(row: dict[str, Any]) -> Operator:
    return Operator(row["name"], row["role"], parse_countries(row["countries"]))


class Accounts:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def _now(self) -> str:
        return iso(self.clock.now())

    # -- managing accounts (the CLI) ---------------------------------------------------------

    def add(
        self, name: str, role: str, countries: str | list[str], actor: str, *, key: str | None = None
    ) -> str:
        """Create an account; returns its sign-in key, which is shown once and kept only as a hash.

        ``key`` is for the demo world only (a key everyone knows, like its sign-in code).
        """
        if not _NAME.fullmatch(name):
            raise Invalid(
                "an account's name is 2 to 32 lower-case letters, digits, '.', '_' or '-', "
                "starting with a letter",
                code="invalid_name",
            )
        if role not in ROLES:
            raise Invalid(f"the role is one of {', '.join(ROLES)}", code="invalid_role")
        where = ",".join(sorted(parse_countries(countries)))
        key = key or new_token()
        now = self._now()

        def create(db: Database) -> None:
            existing = select(db, "SELECT revoked_at FROM operator_accounts WHERE name = ?", [name])
            if existing and existing[0]["revoked_at"] is None:
                raise Conflict(f"there is already an operator called {name}", code="operator_exists")
            db["operator_accounts"].upsert(
                {
                    "name": name,
                    "role": role,
                    "countries": where,
                    "key_hash": token_hash(key),
                    "created_at": now,
                    "created_by": actor,
                    "revoked_at": None,
                },
                pk="name",
            )
            audit(db, now, actor, "operator_add", detail=name, after={"role": role, "countries": where})

        self.store.write_sync(create)
        return key

    def new_key(self, name: str, actor: str) -> str:
        """A fresh sign-in key for an account (the old one stops working, its sessions end)."""
        key = new_token()
        now = self._now()

        def rotate(db: Database) -> None:
            self._live(db, name)
            db.execute("UPDATE operator_accounts SET key_hash = ? WHERE name = ?", [token_hash(key), name])
            db.execute("UPDATE operator_tokens SET revoked = 1 WHERE operator = ?", [name])
            audit(db, now, actor, "operator_key", detail=name)

        self.store.write_sync(rotate)
        return key

    def revoke(self, name: str, actor: str) -> None:
        now = self._now()

        def take_back(db: Database) -> None:
            row = self._live(db, name)
            db.execute(
                "UPDATE operator_accounts SET revoked_at = ?, key_hash = NULL WHERE name = ?", [now, name]
            )
            db.execute("UPDATE operator_tokens SET revoked = 1 WHERE operator = ?", [name])
            audit(
                db,
                now,
                actor,
                "operator_revoke",
                detail=name,
                before={"role": row["role"], "countries": row["countries"]},
            )

        self.store.write_sync(take_back)

    def list(self) -> list[dict[str, Any]]:
        return select(
            self.store.db,
            "SELECT name, role, countries, created_at, created_by, revoked_at, "
            "key_hash IS NOT NULL AS has_key "
            "FROM operator_accounts ORDER BY name",
        )

    @staticmethod
    def _live(db: Database, name: str) -> dict[str, Any]:
        rows = select(db, "SELECT * FROM operator_accounts WHERE name = ? AND revoked_at IS NULL", [name])
        if not rows:
            raise NotFound(f"no operator called {name}", code="operator_not_found")
        return rows[0]

    # -- signing in ------------------------------------------------------------------------

    async def sign_in(self, name: str, key: str) -> tuple[str, Operator]:
        """Exchange an account's name and key for a token; the same answer for any wrong pair."""
        rows = select(
            self.store.db,
            "SELECT * FROM operator_accounts WHERE name = ? AND revoked_at IS NULL AND key_hash IS NOT NULL",
            [name],
        )
        if not rows or not hmac.compare_digest(rows[0]["key_hash"], token_hash(key)):
            raise Unauthorized("this name and key do not sign in", code="wrong_credentials")
        now = self.clock.now()
        token = new_token()
        await self.store.write(
            lambda db: db["operator_tokens"].insert(
                {
                    "hash": token_hash(token),
                    "operator": name,
                    "created_at": iso(now),
                    "expires_at": iso(now + TOKEN_TTL),
                }
            )
        )
        return token, _operator(rows[0])

    def issue_sync(self, name: str) -> str:
        """A token for an account without its key: for the demo and tests, never over HTTP."""
        now = self.clock.now()

        def issue(db: Database) -> str:
            self._live(db, name)
            token = new_token()
            db["operator_tokens"].insert(
                {
                    "hash": token_hash(token),
                    "operator": name,
                    "created_at": iso(now),
                    "expires_at": iso(now + TOKEN_TTL),
                }
            )
            return token

        return self.store.write_sync(issue)

    def authenticate(self, token: str) -> Operator | None:
        """The account a token belongs to; None when it is no operator's token at all."""
        if not token or len(token) > 200:
            return None
        rows = select(
            self.store.db,
            "SELECT a.*, t.expires_at, t.revoked FROM operator_tokens t "
            "JOIN operator_accounts a ON a.name = t.operator WHERE t.hash = ?",
            [token_hash(token)],
        )
        if not rows:
            return None
        row = rows[0]
        if row["revoked"] or row["revoked_at"] is not None:
            raise Unauthorized("this session has ended; sign in again", code="invalid_token")
        if row["expires_at"] < self._now():
            raise Unauthorized("this session has expired; sign in again", code="token_expired")
        return _operator(row)

    async def sign_out(self, token: str) -> None:
        await self.store.write(
            lambda db: db.execute(
                "UPDATE operator_tokens SET revoked = 1 WHERE hash = ?", [token_hash(token)]
            )
        )
