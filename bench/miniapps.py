"""The mini-apps the benchmarks install: ``/echo`` and generated ones.

They are plain plugin objects that import only ``souk_sdk``, the way a real
mini-app is written.  A generated mini-app has what a small real one has: a
manifest, its own database with a migration, two commands, a button action
and an event subscriber, so that "20 installed mini-apps" costs the core what
20 real ones would (20 database files, 20 writer threads, 40 commands to index).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from souk_sdk import Context, Manifest, Press, action, command, hookimpl
from sqlite_utils import Migrations


class Words(BaseModel):
    text: str | None = None


class BenchApp:
    """A mini-app whose commands answer at once with what they were given."""

    def __init__(self, name: str, command_names: list[str]) -> None:
        self.name = name
        self.command_names = command_names
        self.migrations = Migrations(name)

        @self.migrations()
        def m001_notes(db: Any) -> None:
            db["notes"].create({"id": int, "text": str}, pk="id")

        self._commands = [self._make_command(n) for n in command_names]

        @action("again")
        async def again(ctx: Context, press: Press) -> str:
            return f"{name}: again"

        self._actions = [again]

    @staticmethod
    def _make_command(name: str) -> Any:
        @command(name, help=f"Repeat what you say ({name})", args=Words, scopes=[])
        async def repeat(ctx: Context, args: Words) -> str:
            return f"{name}: {args.text or ''}"

        return repeat

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(
            name=self.name,
            title=self.name.capitalize(),
            version="1.0.0",
            description="A benchmark mini-app",
            countries=["*"],
            scopes=[],
            sdk=">=1,<2",
        )

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
        return self.migrations

    @hookimpl
    def souk_on_event(self, event: Any, ctx: Any) -> None:
        return None


def bench_apps(count: int) -> list[BenchApp]:
    """``count`` mini-apps: ``echo`` (command ``/echo``) and ``gen02`` ... (``/gen02``, ``/gen02b``)."""
    apps = [BenchApp("echo", ["echo", "echob"])]
    for index in range(2, count + 1):
        name = f"gen{index:02d}"
        apps.append(BenchApp(name, [name, f"{name}b"]))
    return apps


def command_names(count: int) -> list[str]:
    """The first command of each of the ``count`` mini-apps, in order."""
    return [app.command_names[0] for app in bench_apps(count)]
