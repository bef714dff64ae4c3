"""A mini-app written against SDK 1.0 (raw hooks) keeps working beside one declared with SDK 1.1.

The same small mini-app is written twice: ``Jot10`` as a 1.0 author wrote
it (a class with ``@hookimpl`` methods, an event hook that filters by hand)
and ``jot11()`` with the declarative :class:`souk_sdk.MiniApp`.  Loaded side
by side in one core, both pass the same behaviour tests: a command that
writes to the mini-app's own database, a button, a timer that answers in the
conversation it was set from, and another mini-app's events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel
from souk_sdk import Context, Event, Manifest, MiniApp, Press, action, command, hookimpl, ui
from sqlite_utils import Migrations


class JotArgs(BaseModel):
    text: str


def migrations_for(name: str) -> Migrations:
    migrations = Migrations(name)

    @migrations()
    def m001_jots(db: Any) -> None:
        db["jots"].create({"id": int, "owner": str, "text": str}, pk="id")

    return migrations


def behaviour(name: str, seen: list[str]) -> tuple[Any, Any, Any, Any]:
    """The handlers both versions share: /jot, its button, /later and the timer, beacon pings."""

    async def jot(ctx: Context, args: JotArgs) -> ui.Screen:
        await ctx.transaction(lambda tx: tx.db["jots"].insert({"owner": ctx.user.id, "text": args.text}))
        count = ctx.db["jots"].count
        return ui.Screen(
            title=f"{name}: {count} jot(s)",
            body=[ui.Button(label="Again", action="again", payload={"text": args.text})],
        )

    async def again(ctx: Context, press: Press) -> str:
        return f"{name} again: {press.payload['text']}"

    async def later(ctx: Context, args: Any) -> str:
        await ctx.transaction(
            lambda tx: tx.schedule(f"{name}.due", {"n": 1}, after=dt.timedelta(minutes=5), user=ctx.user)
        )
        return f"{name} will remind you"

    async def due(ctx: Context, event: Event) -> None:
        await ctx.show(f"{name} reminds you")  # in the conversation the timer was set from

    def ping(ctx: Context, event: Event) -> None:
        seen.append(f"{name}:{event.source}:{event.type}")

    return jot, again, later, (due, ping)


class Jot10:
    """SDK 1.0: raw hooks on a class, and one event hook that sorts what it is handed."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        jot, again, later, (self._due, self._ping) = behaviour("jot10", self.seen)
        self._commands = [
            command("jot10", help="Jot", args=JotArgs, scopes=[])(jot),
            command("later10", help="Later", scopes=[])(later),
        ]
        self._actions = [action("again")(again)]

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="jot10", title="Jot 1.0", version="1.0.0", sdk=">=1,<2")

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        for cmd in self._commands:
            register(cmd)

    @hookimpl
    def souk_actions(self, register: Any) -> None:
        for handler in self._actions:
            register(handler)

    @hookimpl
    def souk_migrations(self) -> Migrations:
        return migrations_for("jot10")

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> Any:
        if event.source == "jot10" and event.type == "jot10.due":
            return self._due(ctx, event)
        if event.source == "beacon" and event.type == "beacon.ping":
            self._ping(ctx, event)
        return None


def jot11(seen: list[str]) -> MiniApp:
    jot, again, later, (due, ping) = behaviour("jot11", seen)
    app = MiniApp(
        Manifest(name="jot11", title="Jot 1.1", version="1.0.0"), migrations=migrations_for("jot11")
    )
    app.command("jot11", help="Jot", args=JotArgs, scopes=[])(jot)
    app.command("later11", help="Later", scopes=[])(later)
    app.action("again")(again)
    app.on_timer("jot11.due")(due)
    app.on("beacon.ping", source="beacon")(ping)
    return app


def beacon() -> MiniApp:
    app = MiniApp(Manifest(name="beacon", title="Beacon", version="1.0.0", emits=["beacon.ping"]))

    @app.command("beacon", help="Ping everyone", scopes=[])
    async def send(ctx: Context, args: Any) -> str:
        await ctx.emit("beacon.ping", {})
        await ctx.emit("beacon.pong", {})  # not subscribed to by either
        return "pinged"

    return app


@pytest.fixture(scope="module")
def side_by_side(tmp_path_factory):
    from souk_sdk.testing import World

    old, seen = Jot10(), []
    world = World([old, jot11(seen), beacon()], tmp_path_factory.mktemp("versions"))
    yield world, {"jot10": old.seen, "jot11": seen}
    world.close()


VERSIONS = ["jot10", "jot11"]


@pytest.mark.parametrize("name", VERSIONS)
def test_a_command_writes_its_own_database_and_its_button_answers(side_by_side, name) -> None:
    world, _ = side_by_side
    chat = world.user(f"Ana {name}", "BR").group_chat("Mine", [])
    first = chat.send(f"/{name} milk")
    assert first.screen.title == f"{name}: 1 jot(s)"
    assert chat.send(f"/{name} eggs").screen.title == f"{name}: 2 jot(s)"
    assert chat.press("Again").text == f"{name} again: eggs"
    assert world.core.runtime.app_store(name).db["jots"].count == 2


@pytest.mark.parametrize("name", VERSIONS)
def test_a_timer_answers_where_it_was_set(side_by_side, name) -> None:
    world, _ = side_by_side
    user = world.user(f"Bo {name}", "BR")
    chat = user.group_chat("Where I asked", [])
    suffix = name.removeprefix("jot")
    assert chat.send(f"/later{suffix}").text == f"{name} will remind you"
    world.advance(minutes=6)
    reminders = [m for m in chat.history() if m["text"] == f"{name} reminds you"]
    assert len(reminders) == 1 and reminders[0]["private"]


@pytest.mark.parametrize("name", VERSIONS)
def test_another_mini_apps_events_arrive(side_by_side, name) -> None:
    world, seen = side_by_side
    before = len(seen[name])
    chat = world.user(f"Cy {name}", "BR").group_chat("Pings", [])
    chat.send("/beacon")
    chat.send("/beacon")
    world.settle()
    assert seen[name][before:] == [f"{name}:beacon:beacon.ping"] * 2
