"""Posting messages: store them, then push them live in commit order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..storage.store import Store
from .conversations import Appended, Sender, append, replace
from .hub import LiveBus, LiveItem


class Messenger:
    def __init__(self, store: Store, hub: LiveBus, clock: Clock) -> None:
        self.store = store
        self.hub = hub
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    async def post(
        self,
        conversation_id: str,
        sender: Sender,
        text: str,
        *,
        client_id: str | None = None,
        screen: dict[str, Any] | None = None,
        visible_to: str | None = None,
        reply_to: int | None = None,
        written_at: str | None = None,
        media_id: str | None = None,
    ) -> Appended:
        """Store a message; acknowledged after its commit, pushed live in commit order."""
        now = iso(self.clock.now())
        return await self.store.write(
            lambda db: append(
                db,
                conversation_id,
                sender,
                text,
                now,
                client_id=client_id,
                screen=screen,
                visible_to=visible_to,
                reply_to=reply_to,
                written_at=written_at,
                media_id=media_id,
            ),
            on_commit=self._publish_from_writer,
        )

    async def replace(
        self, message_id: str, sender: Sender, text: str, *, screen: dict[str, Any] | None = None
    ) -> Appended:
        """Replace a message with a new version; pushed live, in commit order, like a post."""
        now = iso(self.clock.now())
        return await self.store.write(
            lambda db: replace(db, message_id, sender, text, screen, now), on_commit=self._publish_from_writer
        )

    async def change(self, work: Callable[[Database], Appended | None]) -> Appended | None:
        """Run a change of a message (an edit, a deletion, a reaction); its new version is pushed
        live like a post.  ``work`` answers ``None`` when nothing changed: nothing is pushed."""
        return await self.store.write(work, on_commit=self._publish_from_writer)

    async def change_all(self, work: Callable[[Database], list[Appended]]) -> list[Appended]:
        """Several changes in one transaction (a group renamed and closed to members' posts);
        each message they store is pushed live, in order."""

        def publish(done: list[Appended]) -> None:
            for appended in done:
                self._publish_from_writer(appended)

        return await self.store.write(work, on_commit=publish)

    def _publish_from_writer(self, appended: Appended | None) -> None:
        # Runs in the writer thread, in commit order; call_soon_threadsafe keeps that order.
        if appended is None or appended.replayed or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._push_soon, appended.recipients, message_item(appended.message))

    def _push_soon(self, recipients: list[str], item: LiveItem) -> None:
        # One turn of the loop later: the store answered the writers of this commit just
        # before this ran, so the senders' acknowledgements go out first, and a fan-out to
        # a large group (milliseconds of socket writes) no longer holds them back.
        assert self._loop is not None
        self._loop.call_soon(self.push, recipients, item)

    def push(self, recipients: list[str], item: LiveItem) -> None:
        self.hub.publish(recipients, item)


def message_item(message: dict[str, Any]) -> LiveItem:
    frame = json.dumps({"type": "message", "message": message}, separators=(",", ":"))
    return LiveItem(message["conversation_id"], message["changed_seq"], frame)


def notice_item(kind: str, payload: dict[str, Any]) -> LiveItem:
    """A frame that is not a message (a new conversation, a form's errors)."""
    frame = json.dumps({"type": kind, **payload}, separators=(",", ":"))
    return LiveItem(None, None, frame)
