"""Receipts, live: marks moved by reading and by delivery, and the frames that turn the ticks.

- A read mark (over HTTP, or a ``read`` frame) is written at once (group commit
  batches the many that come together) and acknowledged after its commit.
- Delivery is noted when a connection hands a member their messages; those notes
  are gathered for :data:`FLUSH_SECONDS` and written as one transaction, since every
  pushed message would otherwise cost a write per member.
- A mark that moved goes to the senders whose messages it reached: they are the ones
  whose ticks change.  What moved for one sender in one conversation is gathered for
  :data:`PUBLISH_SECONDS` and goes as one ``receipts`` frame with each reader's latest
  marks (in a busy group, hundreds of marks a second would otherwise be as many
  frames to each sender).  A reader's read mark is in it only when sender and reader
  share read receipts (the sharing rule, decided above this layer and handed in);
  delivery is always shown, as on WhatsApp.

Every frame goes through the hub, so a broker-backed hub carries them unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any, Protocol

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..storage.store import Store, StoreClosed
from . import receipts
from .hub import LiveBus, LiveItem

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.5
"""How long delivery notes are gathered before they are written (a read, meanwhile, implies them)."""
PUBLISH_SECONDS = 0.25
"""How long the marks that moved for one sender are gathered into one frame."""


class SharingRule(Protocol):
    def mutual(self, owner: str, viewer: str, what: Any) -> bool: ...


def _frame(payload: dict[str, Any]) -> LiveItem:
    return LiveItem(None, None, json.dumps(payload, separators=(",", ":")))


def shown(marks: dict[str, Any], reads_visible: bool) -> dict[str, Any]:
    """A member's marks as one viewer may see them: the read mark only if they share it."""
    if reads_visible:
        return dict(marks)
    return {**marks, "read_seq": None, "read_at": None}


class Receipts:
    def __init__(self, store: Store, hub: LiveBus, clock: Clock, sharing: SharingRule) -> None:
        self.store = store
        self.hub = hub
        self.clock = clock
        self.sharing = sharing
        self._pending: dict[tuple[str, str], int] = {}
        self._flush: asyncio.TimerHandle | None = None
        self._outgoing: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._send: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def read(self, user_id: str, conversation_id: str, seq: int) -> None:
        """Move ``user_id``'s read mark to ``seq``; returns once it is committed."""
        now = iso(self.clock.now())
        self._loop = asyncio.get_running_loop()
        await self.store.write(
            lambda db: receipts.advance(db, conversation_id, user_id, "read", seq, now),
            on_commit=lambda step: self._from_writer([step] if step else []),
        )

    def delivered(self, user_id: str, conversation_id: str, seq: int) -> None:
        """``user_id``'s connection was handed everything up to ``seq`` (call on the loop)."""
        key = (conversation_id, user_id)
        if self._pending.get(key, 0) >= seq:
            return
        self._pending[key] = seq
        if self._flush is None:
            self._loop = asyncio.get_running_loop()
            self._flush = self._loop.call_later(FLUSH_SECONDS, self._write_pending)

    def _write_pending(self) -> None:
        self._flush = None
        pending, self._pending = self._pending, {}
        now = iso(self.clock.now())

        def write(db: Database) -> list[receipts.Step]:
            steps = [
                receipts.advance(db, cid, user_id, "delivered", seq, now)
                for (cid, user_id), seq in pending.items()
            ]
            return [step for step in steps if step is not None]

        with contextlib.suppress(StoreClosed):  # shutting down: delivery notes are not kept
            self.store.submit(write, on_commit=self._from_writer)

    def _from_writer(self, steps: list[receipts.Step]) -> None:
        # In the writer thread, in commit order; onto the loop, which keeps that order.
        if steps and self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(self._publish, steps)

    def _publish(self, steps: list[receipts.Step]) -> None:
        """Gather what moved, per sender and conversation, each reader's latest marks."""
        for step in steps:
            for sender in step.senders:
                visible = self.sharing.mutual(step.user_id, sender, "receipts")
                marks = self._outgoing.setdefault((sender, step.conversation_id), {})
                marks[step.user_id] = shown(step.marks, visible)
        if self._outgoing and self._send is None and self._loop is not None:
            self._send = self._loop.call_later(PUBLISH_SECONDS, self._send_gathered)

    def _send_gathered(self) -> None:
        self._send = None
        outgoing, self._outgoing = self._outgoing, {}
        for (sender, conversation_id), marks in outgoing.items():
            payload = {"type": "receipts", "conversation_id": conversation_id, "marks": list(marks.values())}
            self.hub.publish([sender], _frame(payload))

    def state(self, db: Database, conversation_id: str, viewer: str) -> dict[str, Any]:
        """The members' marks as ``viewer`` may see them: the ``receipts`` frame of a resume.

        A member with no mark yet (nothing delivered) is left out: a client counts them at 0.
        """
        marks = [
            shown(m, self.sharing.mutual(m["user_id"], viewer, "receipts"))
            for m in receipts.all_marks(db, conversation_id)
            if m["user_id"] != viewer and (m["delivered_seq"] or m["read_seq"])
        ]
        return {"type": "receipts", "conversation_id": conversation_id, "marks": marks}
