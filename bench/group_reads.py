"""Scenario 8's workload: sends into a group of 200 online members, with or without read receipts.

Every member holds a WebSocket.  A few of them send into the group in closed loops
over HTTP; everyone receives every message.  With ``reads``, every member also reads
every message, as the web client does: when messages arrive, a ``read`` frame for
the newest seq they have, at most one every :data:`READ_EVERY` seconds (each covers
all before it); the senders then receive the receipt frames that turn their ticks.
Without ``reads``, the same group, the same members online, no read marks.

After the measured window, the last message's info (``GET .../receipts``) says how
many members read it: with ``reads``, every one of them must have.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection

from bench import seed
from bench.httpclient import Connection

READ_EVERY = 0.2
"""Seconds between one member's read marks while messages keep coming (the web client's pace)."""


class Member:
    """One member's socket: counts what it receives, and reads as a client does."""

    def __init__(self, ws: ClientConnection, conversation_id: str, reads: bool) -> None:
        self.ws = ws
        self.conversation_id = conversation_id
        self.reads = reads
        self.newest = 0
        self.marked = 0
        self.pending = False
        self.frames = {"message": 0, "receipt": 0, "read_sent": 0}

    async def run(self) -> None:
        async for raw in self.ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "message":
                self.frames["message"] += 1
                self.newest = max(self.newest, frame["message"]["seq"])
                if self.reads and not self.pending:
                    self.pending = True
                    asyncio.get_running_loop().call_later(READ_EVERY, self.read)
            elif kind == "receipts":
                self.frames["receipt"] += 1

    def read(self) -> None:
        self.pending = False
        if self.newest > self.marked:
            self.marked = self.newest
            self.frames["read_sent"] += 1
            payload = {"type": "read", "conversation_id": self.conversation_id, "seq": self.newest}
            asyncio.get_running_loop().create_task(self.ws.send(json.dumps(payload)))


async def group_reads(
    spec: Any, open_sockets: Any, ws_url: Any, closed_loops: Any, body: Any
) -> dict[str, Any]:
    assert spec.target == "souk", "read receipts exist only in Souk"
    users = await seed.sign_in_many(spec.port, spec.members)
    group = await seed.group_of(spec.port, users, title="Receipts")
    sockets = await open_sockets([ws_url(spec, token=u.token) for u in users])
    members = [Member(ws, group, spec.reads) for ws in sockets]
    readers = [asyncio.create_task(m.run()) for m in members]
    senders = [await Connection(spec.port, u.token).open() for u in users[: spec.clients]]
    path = f"/api/v1/conversations/{group}/messages"
    last: dict[str, Any] = {}

    async def request(client: int, count: int) -> bool:
        status, answer = await senders[client].request("POST", path, body(client, count))
        if status == 201:
            last.update(client=client, message=answer)
        return status == 201

    result = await closed_loops(spec, spec.clients, request)
    await asyncio.sleep(3 * READ_EVERY + 1.0)  # the last read marks and receipts settle
    read_by = await _read_by(spec.port, users[last["client"]], group, last["message"]) if last else None
    for reader in readers:
        reader.cancel()
    totals = {kind: sum(m.frames[kind] for m in members) for kind in ("message", "receipt", "read_sent")}
    return result | {
        "members": spec.members,
        "reads": spec.reads,
        "frames_received": totals["message"] + totals["receipt"],
        "message_frames": totals["message"],
        "receipt_frames": totals["receipt"],
        "read_marks_sent": totals["read_sent"],
        "last_message_read_by": read_by,
        "last_message_recipients": spec.members - 1,
    }


async def _read_by(port: int, sender: seed.User, group: str, message: Any) -> int:
    """How many members the server counts as having read the sender's last message."""
    message = json.loads(message) if isinstance(message, (bytes, str)) else message
    connection = await Connection(port, sender.token).open()
    info = await connection.json("GET", f"/api/v1/conversations/{group}/messages/{message['id']}/receipts")
    return len(info["read"])
