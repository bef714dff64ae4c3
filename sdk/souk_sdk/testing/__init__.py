"""Test a mini-app the way users meet it: send chat lines, read what comes back.

Installed as a pytest plugin (entry point ``pytest11``), this package gives the
fixtures ``souk_world``, ``souk_chat`` and ``souk_fake_payments``.  Behind them
runs a real Souk core in-process, found through the ``souk.testing`` entry
point of the ``souk`` distribution (install it as a test dependency), with a
real SQLite database in the test's temporary folder and a clock the test moves
forward::

    def test_hello(souk_chat):
        chat = souk_chat(plugins=["hello"], country="BR")
        reply = chat.send("/hello Ana")
        assert "Hello, Ana" in reply.text

Everything goes through the public HTTP API, as a client would.

- ``plugins`` lists mini-apps: a string names an installed one (its
  ``souk.plugins`` entry point, an unknown name is an error), an object is
  used as it is (a :class:`souk_sdk.MiniApp`, or any object with hooks).
- The clock is a manual one: it stands still between calls (two replies of one
  test have the same time) until the test moves it with ``world.advance(...)``
  (which also fires the timers that came due) or ``world.tick()``.
- Calls are thread-safe: every request is handed to the core's own event loop,
  so :func:`race` can run presses or sends side by side.  A :class:`Chat`
  keeps a cursor of what it has read, so give each racing thread the raw
  calls (``chat.act``, ``user.call``) or a chat of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .chat import Answer, Chat, FormReply, Reply
from .fake_payments import FakePayments
from .race import race
from .world import HarnessError, User, World

__all__ = [
    "Answer",
    "Chat",
    "FakePayments",
    "FormReply",
    "HarnessError",
    "Reply",
    "User",
    "World",
    "race",
]


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


@pytest.fixture
def souk_fake_payments() -> FakePayments:
    """A payment provider for mini-apps that take payments: load it next to yours.

    ``souk_world(plugins=["myapp", souk_fake_payments])``; then
    ``souk_fake_payments.mode = "approve" | "decline" | "late"``.
    """
    return FakePayments()
