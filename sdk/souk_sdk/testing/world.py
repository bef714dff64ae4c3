"""The world of a test: one real core, its users, and its manual clock."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .chat import Chat

# A valid mobile number per country, for test users: the prefix and the length of the rest.
_NUMBER_PLANS = {
    "BR": ("+55119", 8),
    "IN": ("+9198", 8),
    "FR": ("+336", 8),
    "US": ("+1202555", 4),
    "GB": ("+447700", 6),
    "DE": ("+49151", 8),
    "NG": ("+23480", 8),
    "KE": ("+2547", 8),
    "MX": ("+5255", 8),
}


class HarnessError(AssertionError):
    """An API call in a test failed; the message carries the server's error."""


def _core_class() -> Any:
    found = [ep for ep in entry_points(group="souk.testing")]
    if not found:
        raise RuntimeError("the souk core is not installed: add 'souk' to your test dependencies")
    return found[0].load()


class World:
    """One core with the mini-apps under test, its users, and its clock.

    ``plugins``: a string names an installed mini-app (an unknown name is an
    error); any other object is loaded as it is.
    """

    def __init__(
        self,
        plugins: list[Any],
        data_dir: Path,
        *,
        enable: bool = True,
        handler_timeout: float = 2.0,
        breaker_threshold: int = 5,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.core = _core_class()(
            plugins,
            data_dir,
            handler_timeout=handler_timeout,
            breaker_threshold=breaker_threshold,
            settings=settings,
        )
        self._enable = enable
        self._numbers: dict[str, Iterator[int]] = {}
        self._enabled: set[tuple[str, str]] = set()

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        json: Any = None,
        expect: int | tuple[int, ...] = (200, 201, 202, 204),
    ) -> Any:
        status, body = self.core.request(method, path, token, json)
        wanted = (expect,) if isinstance(expect, int) else expect
        if status not in wanted:
            raise HarnessError(f"{method} {path} answered {status}: {body}")
        return body

    def _phone(self, country: str) -> str:
        prefix, digits = _NUMBER_PLANS.get(country, _NUMBER_PLANS["BR"])
        counter = self._numbers.setdefault(country, itertools.count(1))
        return f"{prefix}{next(counter):0{digits}d}"

    def user(self, name: str, country: str = "BR", phone: str | None = None) -> User:
        """Sign in a new user of ``country`` (the mini-apps under test are enabled there)."""
        if country not in _NUMBER_PLANS and phone is None:
            raise ValueError(f"give a phone number for country {country}")
        if self._enable:
            self.enable_everywhere(country)
        phone = phone or self._phone(country)
        self.call("POST", "/api/v1/auth/code", json={"phone": phone})
        signed = self.call(
            "POST",
            "/api/v1/auth/verify",
            json={"phone": phone, "code": self.core.dev_code, "display_name": name},
        )
        return User(self, signed["token"], signed["user"])

    def operator(self, name: str = "ops", role: str = "owner", countries: str = "*") -> str:
        """The token of a new operator account, for the admin API (``countries``: ``*`` or ``BR,IN``)."""
        return self.core.operator_token(name, role, countries)

    def enable_everywhere(self, country: str) -> None:
        for app in self.core.app_names():
            if (app, country) not in self._enabled and self.core.allowed(app, country):
                self.core.enable(app, country)
                self._enabled.add((app, country))

    def enable(self, app: str, country: str) -> None:
        self.core.enable(app, country)
        self._enabled.add((app, country))

    def disable(self, app: str, country: str | None = None) -> None:
        self.core.disable(app, country)
        self._enabled = {(a, c) for a, c in self._enabled if a != app or c not in (country, None)}

    def resume(self, app: str) -> None:
        self.core.resume(app)

    def advance(self, delta: dt.timedelta | None = None, **kwargs: float) -> None:
        """Move the clock forward and let due timers fire (``world.advance(minutes=20)``)."""
        self.core.advance(delta if delta is not None else dt.timedelta(**kwargs))

    def tick(self, seconds: float = 1.0) -> None:
        """Move the frozen clock on a little (one second by default), so two calls differ in time."""
        self.advance(dt.timedelta(seconds=seconds))

    def set_clock(self, moment: dt.datetime) -> None:
        """Put the clock at ``moment`` (timezone-aware, not before now) and fire what came due."""
        if moment.tzinfo is None or moment < self.now():
            raise ValueError("the clock moves forward only, to a timezone-aware moment")
        self.advance(moment - self.now())

    def now(self) -> dt.datetime:
        return self.core.now()

    def settle(self) -> None:
        self.core.settle()

    def close(self) -> None:
        self.core.close()


@dataclass
class User:
    world: World
    token: str
    profile: dict[str, Any]

    @property
    def handle(self) -> str:
        return self.profile["handle"]

    def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.world.call(method, path, self.token, json, **kwargs)

    def app_chat(self, app: str) -> Chat:
        conversation = self.call("POST", f"/api/v1/apps/{app}/chat")
        return Chat(self, conversation["id"])

    def direct_chat(self, other: User) -> Chat:
        conversation = self.call(
            "POST", "/api/v1/conversations", {"kind": "direct", "with": {"handle": other.handle}}
        )
        return Chat(self, conversation["id"])

    def group_chat(self, title: str, members: list[User]) -> Chat:
        conversation = self.call(
            "POST",
            "/api/v1/conversations",
            {"kind": "group", "title": title, "members": [{"handle": m.handle} for m in members]},
        )
        return Chat(self, conversation["id"])

    def chat(self, conversation_id: str) -> Chat:
        return Chat(self, conversation_id)

    def set_country(self, country: str) -> User:
        """Put this user in another country (the mini-apps under test are enabled there)."""
        if self.world._enable:
            self.world.enable_everywhere(country)
        self.world.core.set_country(self.profile["id"], country)
        self.profile = {**self.profile, "country": country}
        return self

    def commands(self) -> list[str]:
        return [c["name"] for c in self.call("GET", "/api/v1/commands")["commands"]]

    def set_time_zone(self, time_zone: str) -> User:
        """Move this user's clock to another time zone (an IANA name), as in their settings."""
        self.profile = self.call("PATCH", "/api/v1/me", {"time_zone": time_zone})
        return self

    def fetch(self, path: str) -> tuple[int, bytes]:
        """GET a path as this user, signed in, as their client would (a screen's image:
        ``user.fetch(image.url)``): the status and the bytes."""
        return self.world.core.request_bytes("GET", path, self.token)

    def upload(self, chat: Chat, data: bytes, name: str | None = None) -> dict[str, Any]:
        """Upload a photo or file for ``chat``, as the client does before sending it: its description."""
        query = urlencode({"conversation_id": chat.conversation_id, **({"name": name} if name else {})})
        status, content = self.world.core.request_bytes("POST", f"/api/v1/media?{query}", self.token, data)
        if status != 201:
            raise HarnessError(f"POST /api/v1/media answered {status}: {content[:300]!r}")
        return json.loads(content)

    def access_log(self) -> list[dict[str, Any]]:
        """What the user reads in their privacy report: each consented field handed to a mini-app."""
        return self.call("GET", "/api/v1/me/access-log?limit=500")["entries"]

    def export(self) -> dict[str, Any]:
        """The user's data archive, its JSON files read: ``{"souk.json": {...}, "apps/shop.json": {...}}``."""
        status, content = self.world.core.request_bytes("GET", "/api/v1/me/export", self.token)
        if status != 200:
            raise HarnessError(f"GET /api/v1/me/export answered {status}: {content[:300]!r}")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return {
                name: json.loads(archive.read(name)) for name in archive.namelist() if name.endswith(".json")
            }

    def erase(self) -> dict[str, Any]:
        """Erase the user everywhere; the receipt.  Their token stops working."""
        return self.call("POST", "/api/v1/me/erasure", {"confirm": True})
