"""Test a mini-app the way users meet it: send chat lines, read what comes back.

Installed as a pytest plugin (entry point ``pytest11``), this module gives the
fixtures ``souk_world`` and ``souk_chat``.  Behind them runs a real Souk core
in-process, found through the ``souk.testing`` entry point of the ``souk``
distribution (install it as a test dependency), with a real SQLite database in
the test's temporary folder and a clock the test moves forward::

    def test_hello(souk_chat):
        chat = souk_chat(plugins=[my_app], country="BR")
        reply = chat.send("/hello Ana")
        assert "Hello, Ana" in reply.text

Everything goes through the public HTTP API, as a client would.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from .ui import Button, Form, Screen

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


@dataclass
class Reply:
    """What reached the user after one send or press, in order."""

    messages: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.messages)

    @property
    def screens(self) -> list[Screen]:
        return [Screen.model_validate(m["screen"]) for m in self.messages if m["screen"]]

    @property
    def screen(self) -> Screen:
        screens = self.screens
        if not screens:
            raise AssertionError(f"no screen came back; the replies were: {self.text!r}")
        return screens[-1]

    def __contains__(self, text: str) -> bool:
        return text in self.text


class World:
    """One core with the mini-apps under test, its users, and its clock."""

    def __init__(
        self,
        plugins: list[Any],
        data_dir: Path,
        *,
        enable: bool = True,
        handler_timeout: float = 2.0,
        breaker_threshold: int = 5,
    ) -> None:
        self.core = _core_class()(
            plugins, data_dir, handler_timeout=handler_timeout, breaker_threshold=breaker_threshold
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
        """Move the clock forward and let due timers fire."""
        self.core.advance(delta if delta is not None else dt.timedelta(**kwargs))

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


@dataclass
class Chat:
    """One user's view of one conversation."""

    user: User
    conversation_id: str
    seen: int = 0

    def _new_messages(self) -> list[dict[str, Any]]:
        messages = self.user.call(
            "GET", f"/api/v1/conversations/{self.conversation_id}/messages?after={self.seen}&limit=200"
        )["messages"]
        if messages:
            self.seen = messages[-1]["seq"]
        return messages

    def _others(self) -> Reply:
        me = self.user.profile["id"]
        return Reply([m for m in self._new_messages() if m["sender"]["id"] != me])

    def send(self, text: str, allow: bool = True) -> Reply:
        """Send a line, wait for every answer, and return what came back.

        With ``allow`` (the default), a consent screen is answered with Allow,
        as a user would on first use; pass ``allow=False`` to see it.
        """
        self._new_messages()
        self.user.call(
            "POST",
            f"/api/v1/conversations/{self.conversation_id}/messages",
            {"client_id": uuid.uuid4().hex, "text": text},
        )
        self.user.world.settle()
        reply = self._others()
        if allow and reply.messages and _is_consent(reply.messages[-1]):
            return self.press("Allow", message=reply.messages[-1])
        return reply

    def history(self) -> list[dict[str, Any]]:
        return self.user.call("GET", f"/api/v1/conversations/{self.conversation_id}/messages?limit=200")[
            "messages"
        ]

    def _latest_with(self, finder: Callable[[Screen], Any]) -> tuple[dict[str, Any], Any]:
        for message in reversed(self.history()):
            if message["screen"]:
                found = finder(Screen.model_validate(message["screen"]))
                if found is not None:
                    return message, found
        raise AssertionError("no screen in this chat has that button or form")

    def press(
        self,
        label: str,
        message: dict[str, Any] | None = None,
        expect: int | tuple[int, ...] = 200,
        allow: bool = True,
    ) -> Reply:
        """Press the button labelled ``label`` on the latest screen that has one."""

        def find(screen: Screen) -> Button | None:
            return next((b for b in screen.interactive() if isinstance(b, Button) and b.label == label), None)

        if message is not None:
            button = find(Screen.model_validate(message["screen"]))
            if button is None:
                raise AssertionError(f"no button {label!r} on that screen")
        else:
            message, button = self._latest_with(find)
        return self._act(message["id"], button.id, {}, expect, allow)

    def submit(
        self, values: dict[str, Any], action: str | None = None, expect: int | tuple[int, ...] = 200
    ) -> Reply:
        """Submit the latest form (with ``action``, if given) with ``values``.

        A submission the form refuses raises :class:`HarnessError` unless
        ``expect=422``; then ``reply.errors`` holds the errors by field.
        """

        def find(screen: Screen) -> Form | None:
            return next(
                (
                    f
                    for f in screen.interactive()
                    if isinstance(f, Form) and (action is None or f.action == action)
                ),
                None,
            )

        message, form = self._latest_with(find)
        return self._act(message["id"], form.id, values, expect)

    def _act(
        self,
        message_id: str,
        component_id: str | None,
        values: dict[str, Any],
        expect: int | tuple[int, ...],
        allow: bool = True,
    ) -> Reply:
        self._new_messages()
        body = self.user.call(
            "POST",
            "/api/v1/actions",
            {"message_id": message_id, "component_id": component_id, "values": values},
            expect=expect,
        )
        self.user.world.settle()
        reply = self._others()
        if isinstance(body, dict) and body.get("status") == "consent_required" and allow:
            return self.press("Allow", message=reply.messages[-1])
        if isinstance(body, dict) and "error" in body:
            reply = FormReply(reply.messages, (body["error"].get("details") or {}).get("fields", {}))
        return reply


@dataclass
class FormReply(Reply):
    errors: dict[str, str] = field(default_factory=dict)


def _is_consent(message: dict[str, Any]) -> bool:
    return (
        message["sender"]["kind"] == "system"
        and bool(message["screen"])
        and any(
            b.get("action") == "allow" for b in message["screen"].get("body", []) if b.get("type") == "button"
        )
    )


@pytest.fixture
def souk_world(tmp_path: Path) -> Iterator[Callable[..., World]]:
    """A factory: ``souk_world(plugins=[...])`` gives a :class:`World`, closed after the test."""
    worlds: list[World] = []

    def make(plugins: list[Any], **options: Any) -> World:
        world = World(plugins, tmp_path / f"world{len(worlds)}", **options)
        worlds.append(world)
        return world

    yield make
    for world in worlds:
        world.close()


@pytest.fixture
def souk_chat(souk_world: Callable[..., World]) -> Callable[..., Chat]:
    """A factory: ``souk_chat(plugins=[...], country="BR")`` gives one user's chat with the first mini-app."""

    def make(plugins: list[Any], country: str = "BR", name: str = "Test User", **options: Any) -> Chat:
        world = souk_world(plugins, **options)
        user = world.user(name, country)
        apps = world.core.app_names()
        return user.app_chat(apps[0]) if apps else user.group_chat("Test", [])

    return make
