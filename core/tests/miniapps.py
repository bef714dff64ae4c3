"""Mini-apps the core's tests load: plain objects with hook implementations.

Each instance keeps its own counters, so a test reads exactly what reached it.
They import only ``souk_sdk``, as a real mini-app would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from typing import Any

from pydantic import BaseModel
from souk_sdk import (
    Command,
    Context,
    Event,
    Manifest,
    Press,
    PublicUser,
    action,
    api_route,
    command,
    hookimpl,
    ui,
)
from sqlite_utils import Migrations


class TextArgs(BaseModel):
    text: str | None = None


class App:
    """A mini-app whose manifest and commands are given when it is made."""

    def __init__(
        self,
        name: str,
        *,
        title: str | None = None,
        scopes: list[str] | None = None,
        countries: list[str] | None = None,
        sdk: str = ">=1,<2",
        commands: list[Command] | None = None,
        actions: list[Any] | None = None,
    ) -> None:
        self.name = name
        self.title = title or name.capitalize()
        self.scopes = scopes or []
        self.countries = countries or ["*"]
        self.sdk = sdk
        self.commands = list(commands or [])
        self.actions = list(actions or [])
        self.calls: Counter[str] = Counter()

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(
            name=self.name,
            title=self.title,
            version="1.0.0",
            countries=self.countries,
            scopes=self.scopes,
            sdk=self.sdk,
        )

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        for cmd in self.commands:
            register(cmd)

    @hookimpl
    def souk_actions(self, register: Any) -> None:
        for handler in self.actions:
            register(handler)


# -- failure isolation --------------------------------------------------------------------------


class Faulty(App):
    """``/NAME``: fails in the way ``mode`` says ("raise", "hang", "garbage") until healed.

    ``log`` records, in order, when a hanging handler started and when it was
    cancelled, so a test can say what happened while it hung without a clock.
    """

    def __init__(
        self, name: str, mode: str, hang_seconds: float = 60.0, log: list[str] | None = None
    ) -> None:
        self.mode = mode
        self.healthy = False
        self.hang_seconds = hang_seconds
        self.finished = 0
        self.log = log if log is not None else []

        @command(name, help=f"A command that fails: {mode}", scopes=[])
        async def run(ctx: Context, args: Any) -> Any:
            self.calls[name] += 1
            if self.healthy:
                return f"{name} works"
            if self.mode == "raise":
                raise RuntimeError("the mini-app broke")
            if self.mode == "hang":
                self.log.append(f"{name} started")
                try:
                    await asyncio.sleep(self.hang_seconds)
                except asyncio.CancelledError:
                    self.log.append(f"{name} cancelled")
                    raise
                self.finished += 1
                return "too late"
            return 42  # garbage: neither text nor a screen

        super().__init__(name, commands=[run])


class Word(BaseModel):
    word: str = ""


class Picky(App):
    """``/picky WORD`` and ``GET /api/v1/apps/picky/words?word=WORD``: break on the word "boom" only.

    One person's input makes it fail; everyone else's is answered.
    """

    def __init__(self) -> None:
        def answer(word: str) -> str:
            self.calls[word] += 1
            if word == "boom":
                raise RuntimeError("the mini-app broke on its input")
            return f"picked {word}"

        @command("picky", help="Pick a word", args=TextArgs, scopes=[])
        async def pick(ctx: Context, args: TextArgs) -> str:
            return answer(args.text or "")

        @api_route("GET", "/words", summary="Pick a word (?word=)", response=Word, scopes=[])
        async def words(ctx: Context, request: Any) -> Word:
            return Word(word=answer(request.query.get("word", "")))

        self.routes = [words]
        super().__init__("picky", commands=[pick])

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        for route in self.routes:
            register(route)


class Echo(App):
    """``/echo words``: answers at once (and notes each answer in ``log``, when given one)."""

    def __init__(self, name: str = "echo", log: list[str] | None = None) -> None:
        @command(name, help="Repeat what you say", args=TextArgs, scopes=[])
        async def echo(ctx: Context, args: TextArgs) -> str:
            self.calls[name] += 1
            if log is not None:
                log.append(f"{name}: {args.text or ''}")
            return f"echo: {args.text or ''}"

        super().__init__(name, commands=[echo])


# -- availability per country -------------------------------------------------------------------


class Notes(App):
    """``/note text`` with a button, and a subscriber that counts the events it is handed."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str | None]] = []
        self.pressed = 0

        @command("note", help="Keep a note", args=TextArgs, scopes=[])
        async def note(ctx: Context, args: TextArgs) -> ui.Screen:
            self.calls["note"] += 1
            return ui.Screen(
                title=f"Noted: {args.text or ''}",
                body=[ui.Button(label="Again", action="again", payload={"text": args.text or ""})],
            )

        @action("again")
        async def again(ctx: Context, press: Press) -> str:
            self.pressed += 1
            return "noted again"

        super().__init__("notes", commands=[note], actions=[again])

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        self.events.append((event.type, ctx.country))


class Pinger(App):
    """``/ping``: emits ``ping.sent`` about the user who typed it."""

    def __init__(self) -> None:
        @command("ping", help="Tell every mini-app you are here", scopes=[])
        async def ping(ctx: Context, args: Any) -> str:
            self.calls["ping"] += 1
            await ctx.emit("ping.sent", {"n": self.calls["ping"]})
            return "pong"

        super().__init__("pinger", commands=[ping])


# -- privacy ------------------------------------------------------------------------------------


class WhoArgs(BaseModel):
    who: PublicUser | None = None


class WhoAmI(App):
    """``/NAME``: answers with the id this mini-app sees for the user."""

    def __init__(self, name: str) -> None:
        @command(name, help="Your id, as this mini-app sees you", scopes=[])
        async def whoami(ctx: Context, args: Any) -> str:
            assert ctx.user is not None
            return f"id={ctx.user.id}"

        super().__init__(name, commands=[whoami])


class Spy(App):
    """Records everything the core hands it: users, mentions, presses, events."""

    def __init__(self, name: str = "spy", scopes: list[str] | None = None) -> None:
        self.seen: list[Any] = []
        self.kinds: Counter[str] = Counter()

        def record(kind: str, *things: Any) -> None:
            self.kinds[kind] += 1
            for thing in things:
                self.seen.append(thing.model_dump(mode="json") if isinstance(thing, BaseModel) else thing)

        self._record = record

        @command(name, help="Look around", args=WhoArgs)
        async def look(ctx: Context, args: WhoArgs) -> ui.Screen:
            record("command", ctx.user, ctx.conversation, args, *ctx.commands())
            record("context", {"app": ctx.app, "country": ctx.country, "locale": ctx.locale})
            if args.who is not None:
                record("mention", args.who)
            await ctx.emit(f"{name}.looked", {"who": args.who.id if args.who else None})
            return ui.Screen(
                title="Spy",
                body=[
                    ui.Button(
                        label="Poke", action="poke", payload={"who": args.who.id if args.who else None}
                    ),
                    ui.Form(action="note", fields=[ui.TextField(name="text", label="Text")]),
                ],
            )

        @action("poke")
        async def poke(ctx: Context, press: Press) -> str:
            record("action", ctx.user, press)
            return "poked"

        @action("note")
        async def note(ctx: Context, press: Press) -> str:
            record("action", ctx.user, press)
            return "noted"

        super().__init__(name, scopes=scopes or ["profile"], commands=[look], actions=[poke, note])

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        self._record("event", event, ctx.user)


class PhoneBook(App):
    """``/myphone``: needs the phone scope, answers with what it was given."""

    def __init__(self) -> None:
        @command("myphone", help="Show the phone number you shared")
        async def myphone(ctx: Context, args: Any) -> str:
            assert ctx.user is not None
            return f"phone={ctx.user.phone}"

        super().__init__("phonebook", scopes=["phone"], commands=[myphone])


# -- consent ------------------------------------------------------------------------------------


class Greeter(App):
    """``/hello``: needs the profile scope and greets by name."""

    def __init__(self) -> None:
        @command("hello", help="Greets you by name")
        async def hello(ctx: Context, args: Any) -> str:
            self.calls["hello"] += 1
            assert ctx.user is not None
            return f"Hi {ctx.user.display_name}"

        super().__init__("greeter", scopes=["profile"], commands=[hello])


# -- events and timers --------------------------------------------------------------------------

ledger_migrations = Migrations("ledger")


@ledger_migrations()
def m001_entries(db: Any) -> None:
    db["entries"].create({"id": int, "amount": int}, pk="id")


class AmountArgs(BaseModel):
    amount: int


class RemindArgs(BaseModel):
    minutes: int
    key: str | None = None
    note: str | None = None


class KeyArgs(BaseModel):
    key: str


class Ledger(App):
    """Writes rows and emits in one transaction; schedules and cancels timers."""

    def __init__(self) -> None:
        self.fired: list[dict[str, Any]] = []
        self.fired_users: list[str | None] = []

        @command("record", help="Record an amount", args=AmountArgs, scopes=[])
        async def record(ctx: Context, args: AmountArgs) -> str:
            def work(tx: Any) -> str:
                tx.db["entries"].insert({"amount": args.amount})
                return tx.emit("entry.recorded", {"amount": args.amount}, user=ctx.user)

            event_id = await ctx.transaction(work)
            return f"recorded {event_id}"

        @command("recordfail", help="Record, emit, then fail", args=AmountArgs, scopes=[])
        async def recordfail(ctx: Context, args: AmountArgs) -> str:
            def work(tx: Any) -> None:
                tx.db["entries"].insert({"amount": args.amount})
                tx.emit("entry.recorded", {"amount": args.amount}, user=ctx.user)
                raise ValueError("changed my mind")

            try:
                await ctx.transaction(work)
            except ValueError:
                return "rolled back"
            return "committed?!"

        @command("remind", help="Remind me later", args=RemindArgs, scopes=[])
        async def remind(ctx: Context, args: RemindArgs) -> str:
            await ctx.transaction(
                lambda tx: tx.schedule(
                    "reminder.due",
                    {"key": args.key, "note": args.note},
                    after=dt.timedelta(minutes=args.minutes),
                    key=args.key,
                    user=ctx.user,
                )
            )
            return "scheduled"

        @command("forget", help="Cancel a reminder", args=KeyArgs, scopes=[])
        async def forget(ctx: Context, args: KeyArgs) -> str:
            cancelled = await ctx.transaction(lambda tx: tx.cancel(args.key))
            return "cancelled" if cancelled else "nothing to cancel"

        super().__init__("ledger", commands=[record, recordfail, remind, forget])

    @hookimpl
    def souk_migrations(self) -> Migrations:
        return ledger_migrations

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        if event.type == "reminder.due":
            self.fired.append(event.data)
            self.fired_users.append(ctx.user.id if ctx.user else None)


class Auditor(App):
    """A subscriber that always succeeds and counts."""

    def __init__(self, name: str = "auditor") -> None:
        self.received: list[str] = []
        super().__init__(name)

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        if event.type == "entry.recorded":
            self.received.append(event.id)


class Fragile(App):
    """A subscriber that fails ``failures`` times, then succeeds."""

    def __init__(self, failures: int = 2) -> None:
        self.failures = failures
        self.attempts = 0
        self.succeeded: list[str] = []
        super().__init__("fragile")

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> Any:
        if event.type != "entry.recorded":
            return None

        async def handle() -> None:
            self.attempts += 1
            if self.attempts <= self.failures:
                raise ConnectionError("the bank is down")
            self.succeeded.append(event.id)

        return handle()


idem_migrations = Migrations("idem")


@idem_migrations()
def m001_effects(db: Any) -> None:
    db["effects"].create({"event_id": str, "amount": int}, pk="event_id")


class Idempotent(App):
    """Acts on an event inside a transaction guarded by ``tx.first_time``; then crashes once.

    The crash comes after the commit, as if the process died before the core
    recorded the delivery: the event comes again, and ``first_time`` says so.
    """

    def __init__(self) -> None:
        self.attempts = 0
        self.first_times: list[bool] = []
        super().__init__("idem")

    @hookimpl
    def souk_migrations(self) -> Migrations:
        return idem_migrations

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> Any:
        if event.type != "entry.recorded":
            return None

        async def handle() -> None:
            self.attempts += 1

            def work(tx: Any) -> bool:
                first = tx.first_time(event.id)
                if first:
                    tx.db["effects"].insert({"event_id": event.id, "amount": event.data["amount"]})
                return first

            self.first_times.append(await ctx.transaction(work))
            if self.attempts == 1:
                raise ConnectionError("crashed after the commit")

        return handle()


# -- start-up errors ----------------------------------------------------------------------------


class Misspelt(App):
    @hookimpl
    def souk_comands(self, register: Any) -> None:  # the typo is the point
        pass


class BadManifest(App):
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="Bad Name!", title="Bad", version="1.0.0")


class BlockingSubscriber(App):
    """A synchronous ``souk_on_event`` that blocks its thread (as a careless mini-app might).

    It blocks until the test sets ``release`` (or ``seconds`` pass, so a failing
    test cannot hang for ever); ``finished`` counts the deliveries that returned.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = 0
        self.finished = 0
        self.release = threading.Event()
        super().__init__("blocker")

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> None:
        self.started += 1
        self.release.wait(self.seconds)
        self.finished += 1


class Booking(App):
    """``/book`` shows a form with every kind of field; the action echoes what it was given."""

    def __init__(self) -> None:
        self.submitted: list[dict[str, Any]] = []

        @command("book", help="Book a table", scopes=[])
        async def book(ctx: Context, args: Any) -> ui.Screen:
            return ui.Screen(
                title="Book",
                body=[
                    ui.Form(
                        action="reserve",
                        payload={"table": 7},
                        fields=[
                            ui.TextField(name="name", label="Name"),
                            ui.NumberField(name="people", label="People", integer=True, min=1, max=12),
                            ui.SelectField(
                                name="room",
                                label="Room",
                                options=[
                                    ui.Option(value="in", label="Inside"),
                                    ui.Option(value="out", label="Outside"),
                                ],
                            ),
                            ui.DateField(name="day", label="Day", required=False),
                        ],
                    )
                ],
            )

        @action("reserve")
        async def reserve(ctx: Context, press: Press) -> str:
            self.submitted.append({"payload": press.payload, **press.values})
            return f"booked for {press.values['people']}"

        super().__init__("booking", commands=[book], actions=[reserve])
