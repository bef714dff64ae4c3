"""From a chat line or a button press to the mini-app that owns it, and back.

A command resolves among the mini-apps live in the user's country; the user is
asked for any scope the command needs and has not granted; the handler runs
with a timeout.  A handler that raises, hangs or answers garbage costs the user
an apology and counts towards the breaker, never the server.  A person whose
requests keep making one mini-app fail is asked to wait (``failures_per_user``)
before it runs for them again; the others are served as before.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError
from souk_sdk import (
    SCOPE_DESCRIPTIONS,
    Command,
    FormErrors,
    NotDone,
    Press,
    PublicUser,
    SoukError,
    UsageError,
    ui,
)
from souk_sdk.dates import local_today

from ..chat import conversations
from ..chat.conversations import Sender
from ..foundation.errors import AppFailed, AppTimeout, Conflict, Forbidden, Invalid, NotFound, RateLimited
from ..foundation.ids import app_user_id
from ..people import suspensions, users
from . import scope_guard
from .content import content_fields
from .registry import InstalledApp

if TYPE_CHECKING:
    from .host import Host

log = logging.getLogger(__name__)

SYSTEM = Sender("system", "souk", "Souk")


Mode = Literal["chat", "action", "event", "api"]


@dataclass
class Outcome:
    ok: bool
    result: Any = None
    consent: bool = False


class Dispatcher:
    def __init__(self, host: Host) -> None:
        self.host = host
        self._sync_handlers = concurrent.futures.ThreadPoolExecutor(8, "souk-handler")

    # -- what is available -----------------------------------------------------------------

    def available(self, user: dict[str, Any]) -> list[tuple[InstalledApp, Command]]:
        """The commands ``user`` may run: of the mini-apps live for them (country, rollout, running)."""
        live = self.host.availability.live_for
        barred = suspensions.suspended_apps(self.host.core.db, user["id"])
        return sorted(
            (
                (app, cmd)
                for app, cmd in self.host.registry.commands.values()
                if live(app.name, user) and not barred & {app.name, suspensions.EVERYWHERE}
            ),
            key=lambda pair: pair[1].name,
        )

    def line_is_public(self, text: str, user: dict[str, Any]) -> bool:
        """Whether a chat line is a command, live for its sender, whose line belongs to the conversation."""
        entry = self.host.registry.commands.get(_command_name(text))
        return entry is not None and entry[1].public and self.host.availability.live_for(entry[0].name, user)

    def needed_scopes(self, app: InstalledApp, declared: tuple[str, ...] | None) -> set[str]:
        return set(app.manifest.scopes if declared is None else declared)

    # -- commands --------------------------------------------------------------------------

    async def on_message(self, user: dict[str, Any], conversation: dict[str, Any], text: str) -> None:
        """Handle a chat line that starts with ``/`` (run as a background task)."""
        name = _command_name(text)
        words = text[1:].split(maxsplit=1)
        rest = words[1] if len(words) > 1 else ""
        entry = self.host.registry.commands.get(name)
        if entry is None or not self.host.availability.live_for(entry[0].name, user):
            await self._tell(conversation, user, self._unknown_command(name, entry, user))
            return
        app, cmd = entry
        if suspensions.suspended_from(self.host.core.db, user["id"], app.name):
            await self._tell(conversation, user, suspensions.not_available_to(app.title, cmd.name))
            return
        if await scope_guard.refused(self.host, app, user, cmd.scopes, f"/{cmd.name}"):
            await self._tell(conversation, user, scope_guard.refusal(app, f"/{cmd.name}"))
            return
        granted = self.host.consents.granted(user["id"], app.name)
        missing = self.needed_scopes(app, cmd.scopes) - granted
        if missing:
            await self._ask_consent(user, conversation, app, missing, {"command": text})
            return
        ctx = await self.host.context(app, user, conversation, granted, purpose=f"/{cmd.name}")
        resolved: list[dict[str, Any]] = []
        try:
            args = cmd.parse(rest, self._mention_resolver(app, conversation, resolved))
        except UsageError as exc:
            await self._tell(conversation, user, str(exc))
            return
        for person in resolved:
            await self.host.identities.expose(app.name, person["id"])
        await self.invoke(app, self.bind(cmd.handler, ctx, args), ctx)

    def _unknown_command(
        self, name: str, entry: tuple[InstalledApp, Command] | None, user: dict[str, Any]
    ) -> str:
        """Why ``/name`` does not run here.  Outside a rollout reads as outside the country: no hint of it."""
        names = ", ".join(f"/{cmd.name}" for _, cmd in self.available(user))
        availability = self.host.availability
        shown = entry is not None and availability.enabled_for(entry[0].name, user)
        # On for this person, so it was stopped when the line was read; it may be running again
        # by now (an operator restored it meanwhile), which is still "not right now", never
        # "not in your country".
        if shown and entry is not None and availability.stopped_by(entry[0].name) == "breaker":
            head = f"/{name} is paused for maintenance right now."
        elif shown and entry is not None:
            head = f"{entry[0].title} is not available right now, so /{name} cannot be used."
        elif entry is not None:
            head = f"{entry[0].title} is not available in your country, so /{name} cannot be used here."
        else:
            head = f"There is no /{name} command." if name else "Type a command after /."
        return f"{head} You can use: {names}" if names else head

    def _mention_resolver(
        self, app: InstalledApp, conversation: dict[str, Any], resolved: list[dict[str, Any]]
    ) -> Callable[[str], PublicUser | None]:
        def resolve(handle: str) -> PublicUser | None:
            db = self.host.core.db
            person = users.by_handle(db, handle)
            if person is None or not list(
                db.query(
                    "SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?",
                    [conversation["id"], person["id"]],
                )
            ):
                return None
            resolved.append(person)
            return PublicUser(
                id=app_user_id(self.host.secret, app.name, person["id"]),
                display_name=person["display_name"],
                country=person["country"],
            )

        return resolve

    # -- running handlers ------------------------------------------------------------------

    async def invoke(
        self,
        app: InstalledApp,
        call: Callable[[], Any],
        ctx: Any,
        mode: Mode = "chat",
        timeout: float | None = None,
    ) -> Outcome:
        """Run a handler with the timeout; deal with what it answers or how it fails.

        ``mode`` says who is waiting: ``chat`` shows the answer and any error to
        the user; ``action`` also raises :class:`FormErrors` for the form;
        ``event`` stays silent; ``api`` raises every error for the HTTP caller.
        A failure (exception, timeout, garbage) always counts for the breaker, as a
        failure of the person the request was for.  A person held back by their own
        failures (:meth:`_held_back`) is answered without running the handler.
        """
        timeout = timeout or self.host.settings.handler_timeout
        who = _person(ctx)
        if mode != "event" and who is not None and await self._held_back(app, ctx, who, mode):
            return Outcome(False)
        started, failed = time.perf_counter(), True
        try:
            async with asyncio.timeout(timeout):  # on this task: wait_for would make one more per call
                result = await self._call(call)
            if mode in ("chat", "action") and result is not None:
                content_fields(result)
                await ctx.show(result)
            failed = False
        except SoukError as exc:
            # A mini-app's own, deliberate answer to the user: not a failure.
            failed = False
            self.host.breaker.succeeded(app.name, who)
            if mode == "api" or (mode == "action" and isinstance(exc, FormErrors)):
                raise
            if mode != "event" and ctx.user is not None:
                await ctx.show(exc.answer if isinstance(exc, NotDone) else str(exc))
            return Outcome(False)
        except TimeoutError:
            await self._failed(app, ctx, f"no answer within {timeout:g} s", mode)
            if mode == "api":
                raise AppTimeout(f"{app.title} did not answer in time") from None
            return Outcome(False)
        except Exception as exc:
            log.exception("mini-app %s failed", app.name)
            await self._failed(app, ctx, f"{type(exc).__name__}: {exc}"[:300], mode)
            if mode == "api":
                raise AppFailed(f"{app.title} could not answer just now", code="app_failed") from None
            return Outcome(False)
        finally:
            row = getattr(ctx, "user_row", None)
            self.host.health.record(
                app.name, row["country"] if row else None, failed, time.perf_counter() - started
            )
        self.host.breaker.succeeded(app.name, who)
        return Outcome(True, result)

    @staticmethod
    async def _call(call: Callable[[], Any]) -> Any:
        result = call()
        while inspect.isawaitable(result):
            result = await result
        return result

    def bind(self, handler: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """A call of ``handler(*args)``: awaited if async, on a worker thread if not."""
        if inspect.iscoroutinefunction(handler):
            return lambda: handler(*args)
        return lambda: self.run_sync(handler, *args)

    async def run_sync(self, function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._sync_handlers, function, *args)

    async def _held_back(self, app: InstalledApp, ctx: Any, who: str, mode: Mode) -> bool:
        """True (and the person told when to retry) if ``who``'s failures with ``app`` reached their limit."""
        wait = self.host.limits.failing(who, app.name)
        if not wait:
            return False
        refusal = RateLimited(
            f"{app.title} failed on your last requests; please wait before trying it again",
            code="too_many_failures",
            retry_after=wait,
        )
        if mode == "api":
            raise refusal
        log.info("mini-app %s: a person is held back for %s s after repeated failures", app.name, wait)
        await self._tell_ctx(
            ctx,
            f"Sorry, {app.title} failed on your last requests. "
            f"Please wait {refusal.retry_after} s before trying it again.",
        )
        return True

    async def _failed(self, app: InstalledApp, ctx: Any, why: str, mode: Mode) -> None:
        log.warning("mini-app %s failed: %s", app.name, why)
        who = _person(ctx)
        if mode != "event" and who is not None:
            self.host.limits.failed(who, app.name)
        if mode in ("chat", "action") and ctx.user is not None:
            try:
                await self._tell_ctx(
                    ctx, f"Sorry, {app.title} could not answer just now. Please try again in a moment."
                )
            except Exception:
                log.exception("could not send the apology for %s", app.name)
        await self.host.breaker.failed(app.name, who, why)

    async def _tell_ctx(self, ctx: Any, text: str) -> None:
        if ctx.conversation_row is None:
            await ctx.show(text)
            return
        await self._tell(ctx.conversation_row, ctx.user_row, text)

    async def _tell(self, conversation: dict[str, Any], user: dict[str, Any], content: Any) -> None:
        text, screen = content_fields(content)
        await self.host.messenger.post(conversation["id"], SYSTEM, text, screen=screen, visible_to=user["id"])

    # -- consent ---------------------------------------------------------------------------

    async def _ask_consent(
        self,
        user: dict[str, Any],
        conversation: dict[str, Any],
        app: InstalledApp,
        missing: set[str],
        then: dict[str, Any],
    ) -> None:
        scopes = sorted(missing)
        payload = {"app": app.name, "scopes": scopes, **then}
        screen = ui.Screen(
            title=f"{app.title} asks for your permission",
            body=[
                ui.Text(text=f"{app.title} would like to:"),
                ui.ItemList(
                    items=[ui.ListItem(title=SCOPE_DESCRIPTIONS.get(s, s), subtitle=s) for s in scopes]
                ),
                ui.Text(text="You can take this back at any time in your settings.", style="muted"),
                ui.Button(label="Allow", action="allow", payload=payload, style="primary"),
                ui.Button(label="Deny", action="deny", payload=payload),
            ],
        )
        await self._tell(conversation, user, screen)

    async def _answer_consent(
        self,
        user: dict[str, Any],
        conversation: dict[str, Any],
        message_id: str,
        revision: int,
        action: str,
        payload: dict[str, Any],
    ) -> None:
        """Allow or Deny, once: the request becomes the answer, then an allowed command runs."""
        app = self.host.registry.apps.get(payload.get("app", ""))
        if app is None:
            raise NotFound("this mini-app is no longer installed", code="app_not_found")
        async with self._once(True, message_id, revision) as finished:
            if action == "deny":
                answer = f"{app.title} was not given access."
            else:
                await self.host.consents.grant(user["id"], app.name, list(payload["scopes"]))
                granted = ", ".join(SCOPE_DESCRIPTIONS.get(s, s) for s in payload["scopes"])
                answer = f"You allowed {app.title} to {granted}. You can take it back in your settings."
            await self.host.messenger.replace(message_id, SYSTEM, answer)
            finished(True)
        if action == "deny":
            return
        if "press" in payload:
            again = payload["press"]
            await self.press(user, again["message_id"], again["component_id"], again["values"])
        else:
            await self.on_message(user, conversation, payload["command"])

    # -- buttons and forms -----------------------------------------------------------------

    async def press(
        self, user: dict[str, Any], message_id: str, component_id: str, values: dict[str, Any]
    ) -> Outcome:
        db = self.host.core.db
        row = conversations.message_for(db, message_id, user["id"])
        if 0 < _revision_of(component_id) < row["revision"]:
            raise Conflict("this screen has changed since; use its latest version", code="already_done")
        if not row["screen"]:
            raise NotFound("this message has no buttons", code="component_not_found")
        screen = ui.Screen.model_validate(json.loads(row["screen"]))
        component = screen.find(component_id)
        if component is None:
            raise NotFound("no such button or form on this message", code="component_not_found")
        clean: dict[str, Any] = {}
        if isinstance(component, ui.Form | ui.SeatMap):
            clean, errors = component.validate_values(values, _today_of(user, self.host))
            if errors:
                raise Invalid("please correct the form", code="invalid_form", details={"fields": errors})
        conversation = conversations.require_member(db, row["conversation_id"], user["id"])
        if row["sender_kind"] == "system":
            await self._answer_consent(
                user, conversation, message_id, row["revision"], component.action, component.payload
            )
            return Outcome(True)
        app = self.host.registry.apps.get(row["sender_id"])
        if app is None or not self.host.availability.live_for(app.name, user):
            raise NotFound("this mini-app is not available here now", code="app_unavailable")
        suspensions.refuse_if_suspended_from(db, user["id"], app.name, app.title)
        handler = app.actions.get(component.action)
        if handler is None:
            raise NotFound("this button no longer does anything", code="action_not_found")
        if row["claimed_revision"] == row["revision"]:
            raise Conflict("this was already done", code="already_done")
        if await scope_guard.refused(self.host, app, user, handler.scopes, f"button {component.action}"):
            raise Forbidden(scope_guard.refusal(app, "this button"), code="scope_not_declared")
        granted = self.host.consents.granted(user["id"], app.name)
        missing = self.needed_scopes(app, handler.scopes) - granted
        if missing:
            press_again = {"message_id": message_id, "component_id": component_id, "values": values}
            await self._ask_consent(user, conversation, app, missing, {"press": press_again})
            return Outcome(False, consent=True)
        payload: Any = component.payload
        ctx = await self.host.context(app, user, conversation, granted, purpose=f"button {component.action}")
        if handler.payload is not None:
            try:
                payload = handler.payload.model_validate(payload)
            except ValidationError as exc:
                await self._failed(app, ctx, f"stored payload does not fit: {exc}", "action")
                return Outcome(False)
        press = Press(
            action=component.action,
            message_id=message_id,
            payload=payload,
            values=clean,
            revision=row["revision"],
        )
        async with self._once(handler.once, message_id, row["revision"]) as finished:
            try:
                outcome = await self.invoke(app, self.bind(handler.handler, ctx, press), ctx, "action")
            except FormErrors as exc:
                raise Invalid(str(exc), code="invalid_form", details={"fields": exc.fields}) from None
            finished(outcome.ok)
            return outcome

    @contextlib.asynccontextmanager
    async def _once(
        self, once: bool, message_id: str, revision: int
    ) -> AsyncIterator[Callable[[bool], None]]:
        """For a one-time action: claim this version of the screen, and give it back unless it ran well.

        Concurrent presses of one screen race for the claim in the core's writer; the
        losers answer "already done" at once, without running anything.
        """
        done: list[bool] = [False]
        if not once:
            yield lambda ok: None
            return
        claimed = await self.host.core.write(lambda db: conversations.claim(db, message_id, revision))
        if not claimed:
            raise Conflict("this was already done", code="already_done")
        try:
            yield lambda ok: done.__setitem__(0, ok)
        finally:
            if not done[0]:
                await self.host.core.write(lambda db: conversations.release(db, message_id, revision))

    async def deliver(self, app: InstalledApp, ctx: Any, run: Callable[[], Awaitable[Any] | Any]) -> bool:
        """Run an event handler; True when it succeeded."""
        outcome = await self.invoke(app, run, ctx, "event")
        return outcome.ok

    def close(self) -> None:
        self._sync_handlers.shutdown(wait=False, cancel_futures=True)


_COMPONENT_ID = re.compile(r"(?:r([0-9]{1,9}))?c[0-9]{1,4}")


def _revision_of(component_id: str) -> int:
    """The version of its screen a component id was given on: ``c3`` on the first, ``r2c3`` on the second."""
    match = _COMPONENT_ID.fullmatch(component_id)
    return int(match.group(1) or 1) if match else 0


def _today_of(user: dict[str, Any], host: Host) -> ui.Today:
    """What day fields are checked against: the user's own date, written in their locale."""
    return ui.Today(local_today(host.settings.clock.now(), user["time_zone"]), user["locale"])


def _person(ctx: Any) -> str | None:
    """The core's id of the person a request is for; None for an event about nobody."""
    row = getattr(ctx, "user_row", None)
    return row["id"] if row is not None else None


def _command_name(text: str) -> str:
    """``pay`` for ``/pay @ana 12``; empty for a bare ``/``."""
    words = text[1:].split(maxsplit=1)
    return words[0].lower() if words else ""
