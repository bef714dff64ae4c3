"""One user's view of one conversation: send lines, press buttons, read what came back."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..ui import Button, Card, Form, ItemList, Screen, SeatMap

if TYPE_CHECKING:
    from .world import User


@dataclass
class Reply:
    """What reached the user after one send or press, in order (a replaced screen counts again)."""

    messages: list[dict[str, Any]]
    answer: Any = None
    """The JSON the API answered to the press itself (``{"status": "ok"}``, or an error)."""

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

    @property
    def error(self) -> str | None:
        """The error code the press was answered with (``already_done``), if any."""
        if isinstance(self.answer, dict) and isinstance(self.answer.get("error"), dict):
            return self.answer["error"].get("code")
        return None

    def __contains__(self, text: str) -> bool:
        return text in self.text


@dataclass
class FormReply(Reply):
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """The raw answer of one API call: its status and JSON body (what :meth:`Chat.act` gives)."""

    status: int
    body: Any

    @property
    def error(self) -> str | None:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None


Finder = Callable[[Screen], Any]


def _within(screen: Screen, title: str) -> Iterator[Button | Form]:
    """The buttons and forms of the card or list item titled ``title`` (what a user looks at)."""
    for component in screen.body:
        if isinstance(component, Card) and component.title == title:
            yield from component.buttons
        elif isinstance(component, ItemList):
            yield from (i.button for i in component.items if i.title == title and i.button)


def button_finder(label: str, within: str | None = None) -> Finder:
    def find(screen: Screen) -> Button | None:
        candidates = _within(screen, within) if within is not None else screen.interactive()
        return next((b for b in candidates if isinstance(b, Button) and b.label == label), None)

    return find


def form_finder(action: str | None = None) -> Finder:
    def find(screen: Screen) -> Form | None:
        return next(
            (f for f in screen.interactive() if isinstance(f, Form) and action in (None, f.action)), None
        )

    return find


def seat_map_finder() -> Finder:
    def find(screen: Screen) -> SeatMap | None:
        return next((c for c in screen.interactive() if isinstance(c, SeatMap)), None)

    return find


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
            self.seen = messages[-1]["changed_seq"]
        return messages

    def _others(self) -> list[dict[str, Any]]:
        me = self.user.profile["id"]
        return [m for m in self._new_messages() if m["sender"]["id"] != me]

    def send(self, text: str, allow: bool = True) -> Reply:
        """Send a line, wait for every answer, and return what came back.

        With ``allow`` (the default), a consent screen is answered with Allow,
        as a user would on first use, and the reply is what came after; pass
        ``allow=False`` to see the consent screen.
        """
        self._new_messages()
        self.user.call(
            "POST",
            f"/api/v1/conversations/{self.conversation_id}/messages",
            {"client_id": uuid.uuid4().hex, "text": text},
        )
        self.user.world.settle()
        messages = self._others()
        if allow and messages and _is_consent(messages[-1]):
            return self._allow(messages[-1])
        return Reply(messages)

    def send_file(self, data: bytes, name: str | None = None, caption: str = "") -> dict[str, Any]:
        """Upload a photo or file and send it here, with ``caption``; the message as stored (kind media)."""
        media = self.user.upload(self, data, name)
        message = self.user.call(
            "POST",
            f"/api/v1/conversations/{self.conversation_id}/messages",
            {"client_id": uuid.uuid4().hex, "text": caption, "media_id": media["id"]},
        )
        self.user.world.settle()
        return message

    def history(self) -> list[dict[str, Any]]:
        return self.user.call("GET", f"/api/v1/conversations/{self.conversation_id}/messages?limit=200")[
            "messages"
        ]

    def _latest_with(self, finder: Finder) -> tuple[dict[str, Any], Any]:
        for message in reversed(self.history()):
            if message["screen"]:
                found = finder(Screen.model_validate(message["screen"]))
                if found is not None:
                    return message, found
        raise AssertionError("no screen in this chat has that button or form")

    def _locate(
        self, finder: Finder, message: dict[str, Any] | None, what: str
    ) -> tuple[dict[str, Any], Any]:
        if message is None:
            return self._latest_with(finder)
        found = finder(Screen.model_validate(message["screen"])) if message.get("screen") else None
        if found is None:
            raise AssertionError(f"no {what} on that screen")
        return message, found

    def press(
        self,
        label: str,
        message: dict[str, Any] | None = None,
        expect: int | tuple[int, ...] = 200,
        allow: bool = True,
        within: str | None = None,
    ) -> Reply:
        """Press the button labelled ``label`` on the latest screen that has one.

        ``within`` narrows it to the card (or list item) with that title, for a
        screen of several: ``chat.press("Add to cart", within="Red running shoes")``.
        ``expect`` is the status the press may answer (``409`` for a screen
        already done; ``reply.error`` then says ``already_done``).
        """
        message, button = self._locate(button_finder(label, within), message, f"button {label!r}")
        return self._act(message["id"], button.id, {}, expect, allow)

    def submit(
        self,
        values: dict[str, Any],
        action: str | None = None,
        expect: int | tuple[int, ...] = 200,
        message: dict[str, Any] | None = None,
    ) -> Reply:
        """Submit the latest form (with ``action``, if given) with ``values``.

        A submission the form refuses raises :class:`HarnessError` unless
        ``expect=422``; then ``reply.errors`` holds the errors by field.
        """
        message, form = self._locate(form_finder(action), message, "form")
        return self._act(message["id"], form.id, values, expect)

    def pick_seat(
        self, seat: str, message: dict[str, Any] | None = None, expect: int | tuple[int, ...] = 200
    ) -> Reply:
        """Press ``seat`` on the latest seat map (or the one on ``message``): choose it, or let it go.

        A seat the map shows neither free nor the user's answers ``422`` (``expect=422``).
        """
        message, seat_map = self._locate(seat_map_finder(), message, "seat map")
        return self._act(message["id"], seat_map.id, {"seat": seat}, expect)

    def act(
        self,
        label: str | None = None,
        *,
        message: dict[str, Any],
        values: dict[str, Any] | None = None,
        within: str | None = None,
        seat: str | None = None,
    ) -> Answer:
        """The raw press of a button (``label``), a seat of a seat map (``seat``) or submission
        of a form (neither) of ``message``.

        It reads no messages and waits for nothing, so it is safe to run from
        several threads at once (see :func:`souk_sdk.testing.race`); the answer
        is the status and JSON body of the API call.
        """
        if seat is not None:
            finder, values = seat_map_finder(), {"seat": seat}
        else:
            finder = button_finder(label, within) if label is not None else form_finder()
        _, component = self._locate(finder, message, "such button, seat map or form")
        status, body = self.user.world.core.request(
            "POST",
            "/api/v1/actions",
            self.user.token,
            {"message_id": message["id"], "component_id": component.id, "values": values or {}},
        )
        return Answer(status, body)

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
        messages = self._others()
        if isinstance(body, dict) and body.get("status") == "consent_required" and allow:
            return self._allow(messages[-1])
        if isinstance(body, dict) and "error" in body:
            return FormReply(messages, body, (body["error"].get("details") or {}).get("fields", {}))
        return Reply(messages, body)

    def _allow(self, consent: dict[str, Any]) -> Reply:
        """Allow, as a user would; the reply is what came after, not the answered request itself."""
        reply = self.press("Allow", message=consent)
        reply.messages = [m for m in reply.messages if m["id"] != consent["id"]]
        return reply


def _is_consent(message: dict[str, Any]) -> bool:
    return (
        message["sender"]["kind"] == "system"
        and bool(message["screen"])
        and any(
            b.get("action") == "allow" for b in message["screen"].get("body", []) if b.get("type") == "button"
        )
    )
