"""The one object a handler gets: all a mini-app may see and do.

The core implements :class:`Context`; a mini-app never reaches past it.  What
it shows of the user follows their consent: a per-app pseudonymous ``id``
always, the display name and locale with the ``profile`` scope, the phone
number only with the ``phone`` scope.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from .dates import format_day, local_today, zone

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .business import BusinessInfo
    from .payments import FundingSource, PaymentResult, RefundResult
    from .ui import Screen

T = TypeVar("T")
Content = "str | Screen"


class PublicUser(BaseModel):
    """Another person, as this mini-app sees them (from an ``@handle`` argument)."""

    model_config = ConfigDict(frozen=True)

    id: str
    display_name: str
    country: str | None = None
    """The country of their number: where they can be served (currency, availability)."""


class AppUser(BaseModel):
    """The user a handler acts for, as this mini-app sees them."""

    model_config = ConfigDict(frozen=True)

    id: str
    country: str
    display_name: str | None = None
    locale: str | None = None
    phone: str | None = None
    scopes: frozenset[str] = frozenset()


class ConversationInfo(BaseModel):
    """The conversation a command was typed in."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Literal["direct", "group", "app"]
    title: str | None = None
    member_count: int


class Event(BaseModel):
    """An event from the outbox of a mini-app (or one of its timers firing).

    ``source`` is stamped by the core: the mini-app whose outbox it came from,
    never a value the emitter chose.  When the event follows something a user
    did (a payment confirmed in a group, a timer set by a command), the
    handler's ``ctx.conversation`` is the conversation it came from, so
    ``ctx.show`` answers the user there.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    source: str
    data: dict[str, Any]
    to: str | None = None
    created_at: dt.datetime
    timer: bool = False


class Press(BaseModel):
    """A button press or a form submission, routed to an action handler."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    action: str
    message_id: str
    payload: Any
    values: dict[str, Any] = {}
    revision: int = 1
    """The version of the screen that was pressed (it grows each time ``ctx.replace`` changes it)."""


class CommandInfo(BaseModel):
    """A command available to the user, for menus and ``/help``."""

    name: str
    help: str
    usage: str
    app: str
    app_title: str


class Transaction(abc.ABC):
    """One write transaction on the mini-app's database.

    Everything done through it commits together or not at all: rows written
    with ``db``, events emitted, timers scheduled.  That is the outbox: an
    event is never sent for a change that did not commit, nor lost for one that
    did.
    """

    db: Database

    @abc.abstractmethod
    def emit(
        self, type: str, data: dict[str, Any], *, to: str | None = None, user: AppUser | str | None = None
    ) -> str:
        """Queue an event (delivered after commit, at least once); return its id.

        ``to`` addresses one mini-app; ``user`` names the user it concerns (an
        :class:`AppUser` or this mini-app's id for them), whom each receiver
        sees through its own eyes.
        """

    @abc.abstractmethod
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
        """Deliver an event to this mini-app later; it survives restarts and fires once.

        A timer with a ``key`` replaces an earlier pending timer with that key.
        """

    @abc.abstractmethod
    def cancel(self, key: str) -> bool:
        """Cancel the pending timer with this key; return whether one was pending."""

    @abc.abstractmethod
    def first_time(self, event_id: str) -> bool:
        """Record ``event_id`` as handled; ``False`` if it already was (redelivery)."""


class Context(abc.ABC):
    """Given to every command, action and event handler."""

    app: str
    user: AppUser | None
    country: str | None
    locale: str
    time_zone: str
    """The user's time zone (an IANA name such as ``Asia/Kolkata``); ``UTC`` without a user."""
    conversation: ConversationInfo | None

    @abc.abstractmethod
    def now(self) -> dt.datetime:
        """The current time (UTC); the test harness can move it forward."""

    def local_now(self) -> dt.datetime:
        """The current time in the user's time zone."""
        return self.now().astimezone(zone(self.time_zone))

    def today(self) -> dt.date:
        """The user's own date: what "today" means to them where they are."""
        return local_today(self.now(), self.time_zone)

    def format_day(self, day: dt.date) -> str:
        """A day written the way the user's locale writes it (``2 December 2026``)."""
        return format_day(day, self.locale)

    @property
    @abc.abstractmethod
    def db(self) -> Database:
        """This mini-app's own database, for reading.  Write through :meth:`transaction`."""

    @abc.abstractmethod
    async def transaction(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work(tx)`` in one write transaction and return what it returns.

        ``work`` runs in the database's writer thread: keep it short and do not
        await inside it.  An exception rolls everything back and is re-raised.
        """

    async def emit(
        self, type: str, data: dict[str, Any], *, to: str | None = None, with_user: bool = True
    ) -> str:
        """Emit one event in a transaction of its own; return its id."""
        user = self.user if with_user else None
        return await self.transaction(lambda tx: tx.emit(type, data, to=to, user=user))

    @abc.abstractmethod
    async def store_image(self, data: bytes, *, name: str | None = None) -> str:
        """Keep a picture (JPEG, PNG, WebP or GIF bytes) in Souk's media store; its address.

        Put the address in ``ui.Image(url=...)`` or a card's ``image_url``: Souk serves
        it to whoever is shown the screen (anyone signed in who has the address).  The
        picture is re-encoded, without its metadata (a photo's GPS position goes), at most
        4096 pixels a side.  The same bytes stored again give the same address.  Raises
        :class:`SoukError` for bytes that are not a picture, or too large.
        """

    @abc.abstractmethod
    async def reply(self, content: str | Screen) -> str:
        """Post to the conversation, visible to all its members; return the message id."""

    @abc.abstractmethod
    async def show(self, content: str | Screen) -> str:
        """Show privately to the user, in the conversation; return the message id."""

    @abc.abstractmethod
    async def replace(self, message_id: str, content: str | Screen) -> None:
        """Replace a message this mini-app posted (a screen that changed: "Paid ✓").

        Every client that shows it is updated live, and history keeps only the
        latest version.  The buttons of the earlier version stop working: a
        press on them answers that the screen changed.  Typically called by an
        action handler with ``press.message_id``.
        """

    @abc.abstractmethod
    async def notify(self, user_id: str, content: str | Screen) -> str:
        """Send to a user (by this mini-app's id for them) in their chat with this mini-app.

        Allowed for the user this handler acts for (``ctx.user``, in a command,
        an action or an event about them); anyone else must have granted this
        mini-app the ``contact`` scope, or :class:`SoukError` is raised.
        """

    @abc.abstractmethod
    async def open_chat(self, user_id: str, text: str) -> ConversationInfo:
        """Open (or reuse) a direct chat between the user and another user, posting ``text``.

        Neither side learns the other's phone number.  The chat is this mini-app's own for
        the two (apart from any chat they started themselves), so it can end it.
        """

    @abc.abstractmethod
    async def end_chat(self, conversation_id: str, *, note: str) -> bool:
        """End a chat this mini-app opened with :meth:`open_chat`: nobody can send to it any more.

        Both members are told there with ``note`` (a system message, pushed live) and keep
        reading what was said; a send answers ``403 conversation_ended``.  ``False`` when it
        had ended already.  A chat this mini-app did not open raises :class:`NotFound`.
        Opening a chat for the same two again starts a new one.
        """

    @abc.abstractmethod
    async def delete_image(self, url: str) -> bool:
        """Delete a picture this mini-app kept with :meth:`store_image`; whether one was deleted.

        Its address answers 404 from then on, and its bytes leave the media store once nothing
        else refers to them.  ``False`` when this mini-app has no picture at that address (never
        stored, deleted already, or another's, which stays).  Erasure, which has no context, names
        the user's pictures in :attr:`Erasure.images` instead.  The same bytes stored twice are one
        picture at one address: delete it when the last of your rows naming it goes.
        """

    @abc.abstractmethod
    async def business(self, handle: str) -> BusinessInfo | None:
        """The business of this handle (``@lojadabruna``, normalised) or id, or ``None`` (SDK 1.3).

        What a mini-app attaches its own things to: its ``id`` to store (and to look it up by
        later, as its handle can change), its ``name`` to show and to pay (``payee``), and its
        staff by this mini-app's ids for them, with their roles.
        """

    @abc.abstractmethod
    async def businesses(self) -> list[BusinessInfo]:
        """The businesses the user works for (any role), by name (SDK 1.3); ``[]`` with no user."""

    @abc.abstractmethod
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
        """Ask the user to pay this mini-app ``amount`` minor units of ``currency``.

        ``payee`` is who the buyer is paying, as they know them ("Loja da
        Bruna"); the confirmation shows it (the mini-app's title otherwise).
        ``description`` names what is bought in words the buyer understands
        ("Order #1042: 2 items"), never an internal id.

        The payment provider of the user's country asks the user to confirm;
        the outcome arrives later as a ``payment.succeeded`` or
        ``payment.failed`` event (subscribe with ``app.on_payment``), with
        ``data["reference"]`` set to ``reference``, in the conversation the
        request came from.  Raises :class:`PaymentsUnavailable` where no
        provider serves the country.
        """

    @abc.abstractmethod
    async def refund_payment(
        self, *, payment_id: str, amount: int, reason: str, idempotency_key: str
    ) -> RefundResult:
        """Refund part or all of a payment this mini-app received."""

    @abc.abstractmethod
    def funding_source(self) -> FundingSource | None:
        """The way to bring money in for the user's country (``souk_funding_source``), if any."""

    @abc.abstractmethod
    def commands(self) -> list[CommandInfo]:
        """The commands available to this user in their country, in name order."""

    @abc.abstractmethod
    def live_in(self, country: str) -> bool:
        """Whether this mini-app runs in ``country`` now: enabled there by an operator, not suspended.

        For what a mini-app sets up for others to use there (an event on sale in Brazil):
        nobody there could reach it otherwise.
        """

    def settings_for(self, country: str | None) -> Any:
        """This mini-app's per-country settings (the model it declared) as operators set them
        for ``country``: each field's default unless changed; the defaults for ``None``.

        Read anew on each call, so a change takes effect on the next request.  Raises
        :class:`SoukError` when the mini-app declares no settings.  (SDK 1.2)
        """
        raise NotImplementedError("this core does not keep per-country settings")

    async def report(self, subject_user: str, reason: str, details: str = "") -> str:
        """Raise a report about a person (by this mini-app's id for them) for Souk's operators.

        The report reaches the operators' moderation queue with this mini-app's name, the
        ``reason`` (a few words, at most 200 characters), the ``details`` (at most 2000), the
        person this handler acts for as the reporter, and the subject's country; its id is
        returned.  Operators dismiss it or suspend the subject in this mini-app or everywhere;
        the mini-app is not told, and never learns more about either person.  Raises
        :class:`NotFound` for a person this mini-app does not know, :class:`SoukError` for an
        empty or too long reason and for a person reporting themselves.  (SDK 1.4)
        """
        raise NotImplementedError("this core keeps no moderation queue")

    async def subscribe_to_business(self, business: str, kind: str) -> bool:
        """The person this handler acts for subscribes to ``kind`` of message from ``business``
        (its id or handle); False if they had already.  (SDK 1.4)

        A business may write to a customer only within 24 hours of the customer's last
        message, or with a kind of message the customer subscribed to (``order_updates``,
        ``appointment_reminders``, ``booking_updates``, ``account_alerts``).  Subscribing is
        the customer's own act: call this only from their own press or command ("send me
        updates about this order"), never on their behalf.  They see and revoke it in their
        settings.  Raises :class:`NotFound` for a business nobody has, :class:`SoukError` for
        another kind, for a business they blocked, and with no person to act for.
        """
        raise NotImplementedError("this core keeps no subscriptions to businesses")

    @property
    def settings(self) -> Any:
        """:meth:`settings_for` the user's country (the defaults when there is no user).  (SDK 1.2)"""
        return self.settings_for(self.country)


class DemoWorld(abc.ABC):
    """Given to ``souk_demo``: the demo's people, and this mini-app's database."""

    handles: list[str]
    """The handles of the demo users (``asha``, ``bruna``, ...)."""

    @abc.abstractmethod
    def user(self, handle: str) -> AppUser:
        """A demo user as this mini-app sees them (its id for them, their name and country)."""

    @abc.abstractmethod
    def transaction(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work(tx)`` in one write transaction of this mini-app's database (blocking)."""

    @abc.abstractmethod
    def now(self) -> dt.datetime:
        """The current time (UTC)."""

    @abc.abstractmethod
    def store_image(self, data: bytes, *, name: str | None = None) -> str:
        """Keep a picture in Souk's media store (as :meth:`Context.store_image`, blocking); its address."""

    @abc.abstractmethod
    def business(self, handle: str) -> BusinessInfo | None:
        """A demo business (as :meth:`Context.business`, blocking), or ``None``."""
