"""The core's implementation of the SDK's Context and Transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from souk_sdk import (
    AppUser,
    BusinessInfo,
    CommandInfo,
    Context,
    ConversationInfo,
    NotFound,
    PaymentResult,
    RefundResult,
    SoukError,
    Transaction,
)
from souk_sdk.subscriptions import check_event_type
from sqlite_utils import Database

from ..business import staff, subscriptions
from ..chat import app_chats, conversations
from ..chat.conversations import Sender
from ..chat.media import Owner
from ..foundation.clock import iso
from ..foundation.errors import CoreError
from ..foundation.ids import new_id
from ..people import users
from . import business_view, country_settings, outbox, ownership, reports, scope_guard
from .content import content_fields
from .registry import InstalledApp

if TYPE_CHECKING:
    from .host import Host

T = TypeVar("T")


class AppTransaction(Transaction):
    def __init__(
        self, db: Database, app: str, host: Host, now: dt.datetime, conversation_id: str | None = None
    ) -> None:
        self.db = db
        self._app = app
        self._host = host
        self._now = now
        self._conversation_id = conversation_id
        self.emitted = 0

    def _user_id(self, user: AppUser | str | None) -> str | None:
        """The user an event or timer is about, stored as this mini-app's own id for them.

        The rows go into the mini-app's database, which it may read: a core user id there
        would let mini-apps match their users up.  The relay resolves it when delivering.
        """
        if user is None:
            return None
        pseudonym = user if isinstance(user, str) else user.id
        if self._host.identities.user_id_for(self._app, pseudonym) is None:
            raise NotFound(f"{self._app} knows no user {pseudonym}")
        return pseudonym

    @staticmethod
    def _check(type: str, data: dict[str, Any]) -> str:
        check_event_type(type)
        return json.dumps(data, separators=(",", ":"), default=str)

    def emit(
        self, type: str, data: dict[str, Any], *, to: str | None = None, user: AppUser | str | None = None
    ) -> str:
        encoded = self._check(type, data)
        problem = ownership.refusal(
            self._host.registry, self._host.core.db, self._app, type, to, json.loads(encoded)
        )
        if problem is not None:
            raise SoukError(f"event refused: {problem}")
        event_id = new_id("e")
        outbox.add_event(
            self.db,
            {
                "id": event_id,
                "type": type,
                "data": encoded,
                "target": to,
                "user_id": self._user_id(user),
                "conversation_id": self._conversation_id,
                "created_at": iso(self._now),
            },
        )
        self.emitted += 1
        return event_id

    def schedule(
        self,
        type: str,
        data: dict[str, Any],
        *,
        at: dt.datetime | None = None,
        after: dt.timedelta | None = None,
        key: str | None = None,
        user: AppUser | str | None = None,
    ) -> str:
        encoded = self._check(type, data)
        if (at is None) == (after is None):
            raise ValueError("give exactly one of at= or after=")
        due = at if at is not None else self._now + after  # type: ignore[operator]
        if due.tzinfo is None:
            raise ValueError("at= must be timezone-aware")
        if key is not None:
            self.cancel(key)
        timer_id = new_id("t")
        outbox.add_timer(
            self.db,
            {
                "id": timer_id,
                "key": key,
                "type": type,
                "data": encoded,
                "user_id": self._user_id(user),
                "conversation_id": self._conversation_id,
                "due_at": iso(due),
            },
        )
        self.emitted += 1
        return timer_id

    def cancel(self, key: str) -> bool:
        return bool(self.db.execute("DELETE FROM _souk_timers WHERE key = ?", [key]).rowcount)

    def first_time(self, event_id: str) -> bool:
        return bool(
            self.db.execute(
                "INSERT OR IGNORE INTO _souk_inbox (event_id, handled_at) VALUES (?, ?)",
                [event_id, iso(self._now)],
            ).rowcount
        )


class AppContext(Context):
    def __init__(
        self,
        host: Host,
        app: InstalledApp,
        user: dict[str, Any] | None,
        app_user: AppUser | None,
        conversation: dict[str, Any] | None,
    ) -> None:
        self._host = host
        self._app = app
        self.user_row = user
        self.conversation_row = conversation
        self.app = app.name
        self.user = app_user
        self.country = user["country"] if user else None
        self.locale = (app_user.locale if app_user and app_user.locale else None) or "en"
        self.time_zone = user["time_zone"] if user else "UTC"
        self.conversation = None
        if conversation is not None:
            count = host.core.db.execute(
                "SELECT COUNT(*) FROM members WHERE conversation_id = ?", [conversation["id"]]
            ).fetchone()[0]
            title = conversation["title"] if conversation["kind"] != "direct" else None
            self.conversation = ConversationInfo(
                id=conversation["id"], kind=conversation["kind"], title=title, member_count=count
            )

    def now(self) -> dt.datetime:
        return self._host.settings.clock.now()

    @property
    def db(self) -> Database:
        return self._host.app_store(self.app).db

    async def transaction(self, work: Callable[[Transaction], T]) -> T:
        store = self._host.app_store(self.app)
        now = self.now()
        emitted: list[int] = []

        conversation_id = self.conversation_row["id"] if self.conversation_row else None

        def run(db: Database) -> T:
            tx = AppTransaction(db, self.app, self._host, now, conversation_id)
            result = work(tx)
            emitted.append(tx.emitted)
            return result

        result = await store.write(run)
        if emitted and emitted[0]:
            self._host.kick_events()
        return result

    @property
    def _sender(self) -> Sender:
        return Sender("app", self._app.name, self._app.title)

    async def _post(self, conversation_id: str, content: Any, visible_to: str | None) -> str:
        text, screen = content_fields(content)
        screen = await self._host.outside_images.localise(self.app, screen)
        appended = await self._host.messenger.post(
            conversation_id, self._sender, text, screen=screen, visible_to=visible_to
        )
        return appended.message["id"]

    async def _app_chat(self, user_id: str) -> str:
        return await self._host.open_app_chat(user_id, self._app)

    def _require_user(self) -> dict[str, Any]:
        if self.user_row is None:
            raise SoukError("this handler has no user to answer")
        return self.user_row

    async def store_image(self, data: bytes, *, name: str | None = None) -> str:
        if not isinstance(data, bytes | bytearray):
            raise TypeError("store_image takes the picture's bytes")
        try:
            stored = await self._host.media.upload(
                Owner("app", self.app), bytes(data), name, purpose="screen"
            )
        except CoreError as exc:
            raise SoukError(f"this picture was not stored: {exc.message}") from None
        if stored["kind"] != "image":
            raise SoukError(f"this is not a picture but {stored['content_type']}")
        return stored["url"]

    async def reply(self, content: Any) -> str:
        if self.conversation_row is None:
            return await self.show(content)
        return await self._post(self.conversation_row["id"], content, None)

    async def show(self, content: Any) -> str:
        user = self._require_user()
        if self.conversation_row is None:
            return await self._post(await self._app_chat(user["id"]), content, None)
        return await self._post(self.conversation_row["id"], content, user["id"])

    async def replace(self, message_id: str, content: Any) -> None:
        revision = self._host.core.db.execute(
            "SELECT revision FROM messages WHERE id = ? AND sender_kind = 'app' AND sender_id = ?",
            [message_id, self._app.name],
        ).fetchone()
        if revision is None:
            raise NotFound(f"{self._app.title} posted no message {message_id}")
        text, screen = content_fields(content, revision=revision[0] + 1)
        screen = await self._host.outside_images.localise(self.app, screen)
        await self._host.messenger.replace(message_id, self._sender, text, screen=screen)

    async def notify(self, user_id: str, content: Any) -> str:
        target = self._host.identities.user_id_for(self.app, user_id)
        if target is None:
            raise NotFound(f"{self.app} knows no user {user_id}")
        acting_for_them = self.user is not None and self.user.id == user_id
        if not acting_for_them and "contact" not in self._app.manifest.scopes:
            await scope_guard.record(self._host, self._app, self.user_row, ["contact"], "notify")
            raise SoukError(f"{self._app.title} does not declare the contact scope: it messages nobody else")
        if not acting_for_them and "contact" not in self._host.consents.granted(target, self.app):
            raise SoukError(f"this person has not allowed {self._app.title} to message them")
        return await self._post(await self._app_chat(target), content, None)

    async def open_chat(self, user_id: str, text: str) -> ConversationInfo:
        me = self._require_user()
        other = self._host.identities.user_id_for(self.app, user_id)
        if other is None:
            raise NotFound(f"{self.app} knows no user {user_id}")
        now = iso(self.now())
        row, created = await self._host.core.write(
            lambda db: conversations.open_direct(db, me["id"], other, now, app=self.app)
        )
        if created:
            self._host.announce_conversation(row["id"], [me["id"], other])
        await self._post(row["id"], text, None)
        return ConversationInfo(id=row["id"], kind="direct", title=None, member_count=2)

    async def end_chat(self, conversation_id: str, *, note: str) -> bool:
        now = iso(self.now())
        try:
            appended = await self._host.messenger.change(
                lambda db: app_chats.end(db, conversation_id, self.app, note, now)
            )
        except CoreError as exc:  # not its chat (404), or a note too long to post
            raise (NotFound if exc.status == 404 else SoukError)(exc.message) from None
        return appended is not None

    async def delete_image(self, url: str) -> bool:
        return await self._host.media.forget_app_picture(self.app, url)

    async def request_payment(
        self,
        *,
        amount: int,
        currency: str,
        description: str,
        reference: str,
        idempotency_key: str,
        payee: str | None = None,
    ) -> PaymentResult:
        return await self._host.request_payment(
            self._app,
            self._require_user(),
            self.conversation_row,
            amount=amount,
            currency=currency,
            description=description,
            reference=reference,
            idempotency_key=idempotency_key,
            payee=payee,
        )

    async def refund_payment(
        self, *, payment_id: str, amount: int, reason: str, idempotency_key: str
    ) -> RefundResult:
        return await self._host.refund_payment(
            self._app,
            self.user_row,
            payment_id=payment_id,
            amount=amount,
            reason=reason,
            idempotency_key=idempotency_key,
        )

    def funding_source(self) -> Any:
        if self.country is None:
            return None
        return self._host.registry.pm.hook.souk_funding_source(country=self.country)

    def settings_for(self, country: str | None) -> Any:
        if self._app.settings is None:
            raise SoukError(f"{self.app} declares no per-country settings")
        return country_settings.values(self._host.core.db, self._app, country)

    async def report(self, subject_user: str, reason: str, details: str = "") -> str:
        reason, details = reports.checked(reason, details)
        target = self._host.identities.user_id_for(self.app, subject_user)
        reporter = self.user_row["id"] if self.user_row else None
        now = iso(self.now())

        def add(db: Database) -> str:
            subject = users.by_id(db, target) if target is not None else None
            return reports.add(db, self.app, reporter, subject, reason, details, now)

        return await self._host.core.write(add)

    async def subscribe_to_business(self, business: str, kind: str) -> bool:
        user = self._require_user()
        now = iso(self.now())

        def subscribe(db: Database) -> bool:
            row = business_view.lookup(db, business)
            if row is None:
                raise NotFound(f"no business is called {business}")
            try:
                return subscriptions.subscribe(db, user["id"], row["id"], kind, "confirmation", now)
            except CoreError as refused:
                raise SoukError(str(refused)) from None

        return await self._host.core.write(subscribe)

    async def business(self, handle: str) -> BusinessInfo | None:
        db = self._host.core.db
        row = business_view.lookup(db, handle)
        return None if row is None else await business_view.seen_by(db, row, self._expose)

    async def businesses(self) -> list[BusinessInfo]:
        if self.user_row is None:
            return []
        db = self._host.core.db
        rows = staff.businesses_of(db, self.user_row["id"])
        return [await business_view.seen_by(db, row, self._expose) for row in rows]

    async def _expose(self, user_id: str) -> str:
        return await self._host.identities.expose(self.app, user_id)

    def live_in(self, country: str) -> bool:
        return self._host.availability.live_in(self.app, country.upper())

    def commands(self) -> list[CommandInfo]:
        user = self._require_user()
        return [
            CommandInfo(name=cmd.name, help=cmd.help, usage=cmd.usage, app=app.name, app_title=app.title)
            for app, cmd in self._host.available(user)
        ]
