"""Every kind of live frame crosses between workers through a real Redis, once each: receipts,
typing, edits and reactions, besides the messages (``test_e2e_workers.py`` covers those, resume and
presence)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from e2e_support import sign_in, ws_connect
from redis_support import running_redis
from websockets.asyncio.client import ClientConnection
from workers_support import direct_chat, phone, workers

pytestmark = pytest.mark.slow

QUIET = 1.0
"""Seconds without a new frame that close the recording (receipts are gathered for a moment first)."""


class Recorder:
    """Every frame one socket receives, in order, read in the background."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                self.frames.append(json.loads(raw))

    async def until(self, what: str, found: Any, bound: float = 30.0) -> dict[str, Any]:
        """The first frame ``found`` accepts, waiting for it (the bound only stops a broken run)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + bound
        while True:
            hit = next((f for f in self.frames if found(f)), None)
            if hit is not None:
                return hit
            if loop.time() > deadline:
                raise AssertionError(f"no {what} after {bound:g} s; frames: {self.frames}")
            await asyncio.sleep(0.02)

    async def close(self) -> list[dict[str, Any]]:
        await self.ws.close()
        await self._task
        return self.frames


async def _quiet(*recorders: Recorder) -> None:
    """Wait until no socket has received a frame for ``QUIET`` seconds."""
    counts = [len(r.frames) for r in recorders]
    while True:
        await asyncio.sleep(QUIET)
        now = [len(r.frames) for r in recorders]
        if now == counts:
            return
        counts = now


def _summary(frame: dict[str, Any]) -> tuple[Any, ...]:
    """What a frame says, without its ids and times: the kind, then what changed."""
    if frame["type"] == "message":
        m = frame["message"]
        return ("message", m["revision"], m["text"], [(r["emoji"], r["count"]) for r in m["reactions"]])
    if frame["type"] == "receipts":
        return ("receipts", [(m["user_id"], m["delivered_seq"], m["read_seq"]) for m in frame["marks"]])
    if frame["type"] == "typing":
        return ("typing", frame["user_id"])
    return (frame["type"],)


def test_receipts_typing_edits_and_reactions_cross_workers_once_each(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 2, redis.url) as (one, two):
        asha = sign_in(one, "Asha", phone(1))
        bruno = sign_in(two, "Bruno", phone(2))
        chat = direct_chat(one, asha, bruno)
        cid, start = chat["id"], chat["last_seq"]

        def asha_sees_bruno(delivered: int, read: int) -> list[tuple[str, int, int]]:
            return [(bruno.id, delivered, read)]

        async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            a = Recorder((await ws_connect(one, asha, {cid: start}))[0])
            b = Recorder((await ws_connect(two, bruno, {cid: start}))[0])
            await _quiet(a, b)
            a.frames.clear()
            b.frames.clear()
            async with one.async_client(asha.token) as http_a, two.async_client(bruno.token) as http_b:
                sent = await http_a.post(
                    f"/api/v1/conversations/{cid}/messages", json={"client_id": "c1", "text": "hello"}
                )
                assert sent.status_code == 201, sent.text
                message = sent.json()
                seq, path = message["seq"], f"/api/v1/conversations/{cid}/messages/{message['id']}"

                def mark(kind: str) -> Any:
                    return lambda f: (
                        f["type"] == "receipts"
                        and any(m["user_id"] == bruno.id and m[kind] == seq for m in f["marks"])
                    )

                await a.until("delivered receipt", mark("delivered_seq"))
                await b.ws.send(json.dumps({"type": "read", "conversation_id": cid, "seq": seq}))
                await a.until("read receipt", mark("read_seq"))
                edited = await http_a.patch(path, json={"text": "hello, edited"})
                assert edited.status_code == 200, edited.text
                await b.until("edit", lambda f: f["type"] == "message" and f["message"]["edited_at"])
                reacted = await http_b.put(f"{path}/reaction", json={"emoji": "👍"})
                assert reacted.status_code == 200, reacted.text
                await a.until("reaction", lambda f: f["type"] == "message" and f["message"]["reactions"])
                await a.ws.send(json.dumps({"type": "typing", "conversation_id": cid}))
                await b.until("typing", lambda f: f["type"] == "typing")
                await _quiet(a, b)
            return await a.close(), await b.close()

        on_one, on_two = asyncio.run(scenario())

    # Worker 1 (Asha): her message and her edit come back to her; from Bruno on worker 2, his
    # delivery and his read (one receipts frame each) and his reaction.
    assert [_summary(f) for f in on_one] == [
        ("message", 1, "hello", []),
        ("receipts", asha_sees_bruno(1, 0)),
        ("receipts", asha_sees_bruno(1, 1)),
        ("message", 2, "hello, edited", []),
        ("message", 3, "hello, edited", [("👍", 1)]),
    ]
    # Worker 2 (Bruno): Asha's message, her edit, his own reaction, and her typing, once each.
    assert [_summary(f) for f in on_two] == [
        ("message", 1, "hello", []),
        ("message", 2, "hello, edited", []),
        ("message", 3, "hello, edited", [("👍", 1)]),
        ("typing", asha.id),
    ]
    assert Counter(f["type"] for f in on_one) == {"message": 3, "receipts": 2}
    assert Counter(f["type"] for f in on_two) == {"message": 3, "typing": 1}
