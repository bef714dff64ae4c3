"""Live delivery over WebSocket, with resume from the last sequence a client saw.

Protocol (JSON text frames):

- connect to ``/api/v1/ws`` and say ``{"type": "auth", "token": TOKEN}`` (see ``ws_auth``);
  the server says ``{"type": "hello"}``;
- the client says ``{"type": "resume", "since": {"<conversation id>": <last seq seen>}}``
  (an empty ``since`` for a fresh start).  The server sends every message the
  client missed in those conversations, then ``{"type": "resumed"}``, then live
  frames: ``{"type": "message", "message": {...}}`` and
  ``{"type": "conversation", "conversation_id": ...}`` when one appears;
- after the backlog, a ``receipts`` frame per conversation (every member's delivered
  and read marks, as the sharing rule lets this person see them) and a ``presence``
  frame per contact who shares theirs; then live ``receipts``, ``presence`` and
  ``typing`` frames besides the messages;
- the client says ``{"type": "read", "conversation_id", "seq"}`` when its person read
  up to ``seq``, and ``{"type": "typing", "conversation_id"}`` every few seconds while
  they type; every message frame handed to the socket counts as delivered;
- ``{"type": "resync", "live": false}`` says live frames may be missed for a while (the broker
  between the workers is unreachable): the server itself catches the connection up from the
  database every second meanwhile, and says ``{"type": "resync", "live": true}`` when live
  delivery is back (a client may refresh its conversation list then);
- ``{"type": "ping"}`` is answered with ``{"type": "pong"}``;
- a frame that is none of these (binary, not JSON, unknown type) is answered
  with ``{"type": "error", "error": {...}}``; a bad ``since`` closes with 4400;
- a missing, wrong or expired token, or a first frame that is not ``auth``: the
  socket is closed with 4401 and the error code as the reason (a browser sees no
  HTTP status);
- when the session is ended (signed out, here or from another device), the server says
  ``{"type": "session_ended"}`` and closes the socket with 4401, reason ``session_ended``.

Nothing live is sent before the resume is answered: live frames wait in the
connection's queue, and any the backlog already covered are dropped by
sequence number, so a client sees no gap and no duplicate.  With several workers,
two workers' frames may reach a connection out of commit order: a message whose seq
skips past the next one is preceded by what the database holds in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from ..chat import conversations
from ..chat.hub import RESYNC, LiveItem, Subscription
from ..chat.messaging import message_item
from ..foundation.errors import CoreError
from ..runtime import Runtime
from .chat_parts import ChatParts, parts
from .json_input import BadJson, parse
from .ws_auth import CLOSE_UNAUTHORIZED, authenticate

log = logging.getLogger(__name__)

RESUME_WAIT = 5.0
MAX_RESUME_CONVERSATIONS = 1000
MAX_SEQ = 2**63 - 1  # what SQLite can compare; a larger number is a bad frame, not a crash
CLOSE_BAD_FRAME = 4400
CLOSE_TOO_SLOW = 4408


async def websocket_endpoint(websocket: WebSocket) -> None:
    runtime: Runtime = websocket.app.state.runtime
    try:
        session = await authenticate(websocket, runtime)
    except WebSocketDisconnect:
        return
    if session is None:
        return
    user = session.user
    subscription = runtime.hub.subscribe(user["id"])
    chat = parts(runtime)
    await chat.presence.connected(user["id"])
    try:
        await Connection(runtime, websocket, user, subscription, session.id).serve()
    except WebSocketDisconnect:
        pass
    finally:
        runtime.hub.unsubscribe(subscription)
        await chat.presence.disconnected(user["id"])


class Connection:
    def __init__(
        self,
        runtime: Runtime,
        websocket: WebSocket,
        user: dict[str, Any],
        subscription: Subscription,
        session_id: str,
    ) -> None:
        self.runtime = runtime
        self.session_id = session_id
        self.websocket = websocket
        self.user = user
        self.subscription = subscription
        self.chat: ChatParts = parts(runtime)
        self.high: dict[str, int] = {}
        self.resumed = asyncio.Event()
        self.send_lock = asyncio.Lock()

    async def serve(self) -> None:
        await self._send({"type": "hello", "user_id": self.user["id"]})
        pump = asyncio.create_task(self._pump())
        try:
            await self._receive()
        finally:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pump

    async def _send(self, frame: dict[str, Any] | str) -> None:
        text = frame if isinstance(frame, str) else json.dumps(frame, separators=(",", ":"))
        async with self.send_lock:
            await self.websocket.send_text(text)

    async def _receive(self) -> None:
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
            raw = message.get("text")  # a binary frame has none: a bad frame, not a crash
            try:
                frame = parse(raw) if raw is not None else None
                kind = frame.get("type") if isinstance(frame, dict) else None
            except BadJson:
                kind = None
            if kind == "ping":
                await self._send({"type": "pong"})
            elif kind in ("read", "typing") and _valid_mark(frame, kind):
                await self._mark(frame)
            elif kind == "resume" and not self.resumed.is_set():
                since = frame.get("since") or {}
                if not _valid_since(since):
                    await self.websocket.close(CLOSE_BAD_FRAME, "since must map ids to seq numbers")
                    return
                await self._resume(since)
            else:
                await self._send(
                    {
                        "type": "error",
                        "error": {
                            "code": "bad_frame",
                            "message": "expected ping, read, typing, or one resume first",
                        },
                    }
                )

    async def _mark(self, frame: dict[str, Any]) -> None:
        """A ``read`` or ``typing`` frame; one for a conversation the person is not in does nothing."""
        user_id, conversation_id = self.user["id"], frame["conversation_id"]
        if frame["type"] == "typing":
            self.chat.presence.typing(self.runtime.core.db, self.user, conversation_id)
        else:
            await self.chat.receipts.read(user_id, conversation_id, frame["seq"])

    async def _resume(self, since: dict[str, int]) -> None:
        user_id = self.user["id"]
        for conversation_id, last_seen in since.items():
            self.high[conversation_id] = last_seen
            await self._catch_up(conversation_id, marks=True)
        presence = self.chat.presence
        for contact in sorted(self.chat.sharing.contacts(user_id)):
            state = presence.visible_state(contact, user_id)
            if state["online"] is not None:
                await self._send({"type": "presence", **state})
        await self._send({"type": "resumed"})
        self.resumed.set()

    async def _catch_up(self, conversation_id: str, *, marks: bool = False) -> None:
        """Send what the database holds in a conversation after the last seq this client saw
        (and, with ``marks``, everyone's receipts there); nothing for one it may not read."""
        user_id, after = self.user["id"], self.high[conversation_id]
        receipts = self.chat.receipts

        def backlog(db: Any) -> Any:
            try:
                conversations.require_reader(db, conversation_id, user_id)
            except CoreError:
                return None
            pages, cursor = [], after
            while True:
                page = conversations.history(db, conversation_id, user_id, after=cursor, limit=500)
                pages.extend(page)
                if len(page) < 500:
                    return pages, receipts.state(db, conversation_id, user_id) if marks else None
                cursor = page[-1]["changed_seq"]

        found = await self.runtime.core.read(backlog)
        if found is None:
            return
        messages, state = found
        for message in messages:
            await self._send(message_item(message).frame)
            self.high[conversation_id] = message["changed_seq"]
        if state and state["marks"]:
            await self._send(state)
        if self.high[conversation_id] > after or (marks and after):
            receipts.delivered(user_id, conversation_id, self.high[conversation_id])

    async def _pump(self) -> None:
        try:
            await asyncio.wait_for(self.resumed.wait(), RESUME_WAIT)
        except TimeoutError:
            self.resumed.set()
        queue = self.subscription.queue
        # A bus that cannot promise commit order across workers: a message whose seq is past the
        # next one may have overtaken another; what lies between is read from the database first.
        fill_gaps = not self.runtime.hub.ordered
        while True:
            item: LiveItem = await queue.get()
            if self.subscription.overflowed:
                await self.websocket.close(CLOSE_TOO_SLOW, "too far behind; reconnect and resume")
                return
            if item is RESYNC:
                for conversation_id in list(self.high):
                    await self._catch_up(conversation_id)
                continue
            if item.ends_sessions:
                if self.session_id in item.ends_sessions:
                    await self._send(item.frame)
                    await self.websocket.close(CLOSE_UNAUTHORIZED, "session_ended")
                    return
                continue
            cid, seq = item.conversation_id, item.seq
            if cid is not None and seq is not None:
                if seq <= self.high.get(cid, 0):
                    continue
                if fill_gaps and cid in self.high and seq > self.high[cid] + 1:
                    await self._catch_up(cid)
                    continue
                self.high[cid] = seq
            await self._send(item.frame)
            if cid is not None and seq is not None:
                self.chat.receipts.delivered(self.user["id"], cid, seq)


def _valid_mark(frame: dict[str, Any], kind: str) -> bool:
    """``{"type": "read", "conversation_id": id, "seq": n}``, or ``typing`` with a conversation id."""
    cid, seq = frame.get("conversation_id"), frame.get("seq")
    if not (isinstance(cid, str) and 0 < len(cid) <= 64):
        return False
    return kind == "typing" or (isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq <= MAX_SEQ)


def _valid_since(since: Any) -> bool:
    return (
        isinstance(since, dict)
        and len(since) <= MAX_RESUME_CONVERSATIONS
        and all(
            isinstance(k, str)
            and len(k) <= 64
            and isinstance(v, int)
            and not isinstance(v, bool)
            and 0 <= v <= MAX_SEQ
            for k, v in since.items()
        )
    )
