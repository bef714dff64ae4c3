"""Sign-in by one-time code, and API tokens stored only as hashes."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..foundation.clock import iso
from ..foundation.errors import RateLimited, Unauthorized
from ..foundation.ids import new_id, new_token, token_hash
from ..foundation.rate_limits import Charge, Limiter, Rule
from ..foundation.settings import Settings
from ..storage.store import Store, select
from . import suspensions, users
from .phones import Phone

RENEW_AFTER = dt.timedelta(hours=1)
"""A session used this long after it was last renewed gets its full lifetime again."""


@dataclass
class SignIn:
    token: str
    user: dict[str, Any]
    created: bool


@dataclass(frozen=True)
class Session:
    """Whose a bearer token is, which session it opened, and whether it is due for renewal."""

    id: str
    user: dict[str, Any]
    renewal_due: bool


class Auth:
    """Issues codes, checks them, and turns bearer tokens back into users."""

    def __init__(self, store: Store, settings: Settings, secret: bytes) -> None:
        self.store = store
        self.settings = settings
        self._secret = secret
        self._limiter = Limiter(settings.redis_url)
        per_hour = settings.code_requests_per_hour
        self._per_phone = Rule.of(
            "codes_per_phone", f"{per_hour} per hour", "too many codes sent to this number; try again later"
        )
        self._per_client = Rule.of(
            "codes_per_client",
            f"{per_hour * 20} per hour",
            "too many sign-in attempts from here; try again later",
        )

    def _code_hash(self, phone: str, code: str) -> str:
        return hmac.new(self._secret, f"{phone}:{code}".encode(), "sha256").hexdigest()

    async def request_code(self, phone: Phone, client: str) -> str:
        """Store a fresh code for ``phone`` and return it (to hand to the sender hook)."""
        self._limiter.charge(Charge(self._per_client, client), Charge(self._per_phone, phone.e164))
        code = self.settings.dev_code or f"{secrets.randbelow(10**6):06d}"
        expires = iso(self.settings.clock.now() + self.settings.code_ttl)
        row = {
            "phone": phone.e164,
            "code_hash": self._code_hash(phone.e164, code),
            "expires_at": expires,
            "attempts": 0,
        }
        await self.store.write(lambda db: db["login_codes"].upsert(row, pk="phone"))
        return code

    async def verify(
        self, phone: Phone, code: str, display_name: str | None, device: str = "Unknown device"
    ) -> SignIn:
        now = self.settings.clock.now()

        def check(db: Database) -> SignIn:
            rows = list(db.query("SELECT * FROM login_codes WHERE phone = ?", [phone.e164]))
            if not rows or rows[0]["expires_at"] < iso(now):
                raise Unauthorized("no valid code for this number; ask for a new one", code="code_expired")
            row = rows[0]
            if row["attempts"] >= self.settings.code_max_attempts:
                db.execute("DELETE FROM login_codes WHERE phone = ?", [phone.e164])
                raise RateLimited(
                    "too many wrong codes; ask for a new one",
                    code="too_many_attempts",
                    retry_after=self._limiter.wait(Charge(self._per_phone, phone.e164)),
                )
            if not hmac.compare_digest(row["code_hash"], self._code_hash(phone.e164, code)):
                db.execute("UPDATE login_codes SET attempts = attempts + 1 WHERE phone = ?", [phone.e164])
                raise Unauthorized("wrong code", code="wrong_code")
            db.execute("DELETE FROM login_codes WHERE phone = ?", [phone.e164])
            user = users.by_phone(db, phone.e164)
            if user is not None:
                suspensions.refuse_if_suspended(db, user["id"])
            created = user is None
            if user is None:
                name = display_name or f"User {phone.e164[-4:]}"
                user = users.create(db, phone, name, iso(now))
            token = self._issue(db, user["id"], now, device)
            return SignIn(token, user, created)

        return await self._write_keeping_attempts(check)

    async def _write_keeping_attempts(self, work: Any) -> SignIn:
        """Run ``work``; a wrong code must still count, so its error is raised after commit."""
        failure: list[Exception] = []

        def run(db: Database) -> SignIn | None:
            try:
                return work(db)
            except (Unauthorized, RateLimited) as exc:
                failure.append(exc)
                return None

        result = await self.store.write(run)
        if failure:
            raise failure[0]
        assert result is not None
        return result

    def _issue(self, db: Database, user_id: str, now: dt.datetime, device: str = "Souk") -> str:
        token = new_token()
        db["tokens"].insert(
            {
                "hash": token_hash(token),
                "id": new_id("s"),
                "user_id": user_id,
                "device": device,
                "created_at": iso(now),
                "last_used_at": iso(now),
                "expires_at": iso(now + self.settings.token_ttl),
                "revoked": 0,
            }
        )
        return token

    def issue_sync(self, user_id: str, device: str = "Souk") -> str:
        """A token for a user, for the CLI and the demo."""
        return self.store.write_sync(lambda db: self._issue(db, user_id, self.settings.clock.now(), device))

    def authenticate(self, token: str) -> dict[str, Any]:
        """The user a bearer token belongs to; :class:`Unauthorized` if none."""
        return self.session(token).user

    def session(self, token: str) -> Session:
        """The session a bearer token opened; :class:`Unauthorized` if it is not (or no longer) valid."""
        if not token or len(token) > 200:
            raise Unauthorized("sign in first", code="unauthorized")
        rows = select(
            self.store.db,
            "SELECT u.*, t.id AS session_id, t.expires_at AS token_expires_at, t.revoked, "
            "t.last_used_at AS token_used_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?",
            [token_hash(token)],
        )
        if not rows or rows[0]["revoked"]:
            raise Unauthorized("this token is not valid; sign in again", code="invalid_token")
        user = rows[0]
        now = self.settings.clock.now()
        if user.pop("token_expires_at") < iso(now):
            raise Unauthorized("this token has expired; sign in again", code="token_expired")
        user.pop("revoked")
        used = user.pop("token_used_at")
        return Session(user.pop("session_id"), user, used is None or used < iso(now - RENEW_AFTER))

    async def renew(self, session_id: str) -> None:
        """The session was used: it lasts its full lifetime again from now."""
        now = self.settings.clock.now()
        await self.store.write(
            lambda db: db.execute(
                "UPDATE tokens SET last_used_at = ?, expires_at = ? WHERE id = ? AND revoked = 0",
                [iso(now), iso(now + self.settings.token_ttl), session_id],
            )
        )

    async def revoke(self, token: str) -> None:
        await self.store.write(
            lambda db: db.execute("UPDATE tokens SET revoked = 1 WHERE hash = ?", [token_hash(token)])
        )
