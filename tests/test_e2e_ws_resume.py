"""A WebSocket client that drops and resumes from its last seq gets exactly what it missed."""

from __future__ import annotations

import asyncio
import json

import websockets
from e2e_support import ServerProcess, create_group, history, seqs, sign_in, ws_connect, ws_messages, ws_quiet

TOTAL = 120


def test_dropped_client_resumes_without_gap_or_duplicate(server: ServerProcess) -> None:
    reader = sign_in(server, "Resume Reader")
    writers = [sign_in(server, f"Resume Writer {i}") for i in range(3)]
    group = create_group(server, reader, writers, title="resume")
    conversation_id = group["id"]
    url = f"/api/v1/conversations/{conversation_id}/messages"
    start = group["last_seq"]  # the group's creation line, seen already

    async def send_range(clients: list, start: int, stop: int) -> list[int]:
        """Messages start..stop-1, three writers at a time."""
        acked: list[int] = []
        for first in range(start, stop, len(clients)):
            batch = [
                http.post(url, json={"client_id": f"m{n}", "text": f"message {n}"})
                for http, n in zip(clients, range(first, min(first + len(clients), stop)), strict=False)
            ]
            for response in await asyncio.gather(*batch):
                assert response.status_code == 201, response.text
                acked.append(response.json()["seq"])
            await asyncio.sleep(0.002)
        return acked

    async def writers_side(dropped: asyncio.Event, gap_filled: asyncio.Event) -> list[int]:
        clients = [server.async_client(w.token) for w in writers]
        try:
            acked = await send_range(clients, 0, 30)
            await dropped.wait()
            acked += await send_range(clients, 30, 60)  # while the reader is away
            gap_filled.set()
            acked += await send_range(clients, 60, TOTAL)  # while it resumes, and after
        finally:
            for http in clients:
                await http.aclose()
        return acked

    async def scenario() -> tuple[list[dict], list[dict], list[dict], list[dict], list[int]]:
        dropped, gap_filled = asyncio.Event(), asyncio.Event()
        ws, backlog = await ws_connect(server, reader, {conversation_id: start})
        assert backlog == []
        sender = asyncio.create_task(writers_side(dropped, gap_filled))
        before_drop = await ws_messages(ws, conversation_id, 20)
        await ws.close()
        dropped.set()
        last_seen = before_drop[-1]["seq"]
        await gap_filled.wait()

        ws, backlog = await ws_connect(server, reader, {conversation_id: last_seen})
        try:
            live = await ws_messages(
                ws, conversation_id, start + TOTAL - last_seen - len(backlog), timeout=30
            )
            acked = await sender
            extra = await ws_quiet(ws, conversation_id)
        finally:
            await ws.close()
        return before_drop, backlog, live, extra, acked

    before_drop, backlog, live, extra, acked = asyncio.run(scenario())

    assert sorted(acked) == list(range(start + 1, start + TOTAL + 1))
    assert seqs(before_drop) == list(range(start + 1, start + 21))
    last_seen = before_drop[-1]["seq"]
    # The 40 sent while it was away come back in the backlog, before "resumed".
    assert len(backlog) >= start + 60 - last_seen
    # What the second connection saw (backlog, then live) is exactly everything after last_seen.
    assert seqs(backlog + live) == list(range(last_seen + 1, start + TOTAL + 1))
    assert extra == []
    stored = [m for m in history(server, reader, conversation_id) if m["seq"] > start]
    assert [m["id"] for m in stored] == [m["id"] for m in before_drop + backlog + live]


def test_resume_after_everything_was_sent_replays_only_the_missing_tail(server: ServerProcess) -> None:
    reader = sign_in(server, "Tail Reader")
    writer = sign_in(server, "Tail Writer")
    group = create_group(server, writer, [reader], title="tail")
    conversation_id = group["id"]
    start = group["last_seq"]  # the group's creation line

    with server.client(writer.token) as http:
        for n in range(30):
            response = http.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"client_id": f"t{n}", "text": f"tail {n}"},
            )
            assert response.status_code == 201

    async def scenario() -> tuple[list[dict], list[dict], list[dict]]:
        ws, full = await ws_connect(server, reader, {conversation_id: 0})
        await ws.close()
        ws, tail = await ws_connect(server, reader, {conversation_id: start + 25})
        await ws.close()
        ws, nothing = await ws_connect(server, reader, {conversation_id: start + 30})
        await ws.close()
        return full, tail, nothing

    full, tail, nothing = asyncio.run(scenario())
    assert seqs(full) == list(range(1, start + 31))
    assert seqs(tail) == [start + n for n in (26, 27, 28, 29, 30)]
    assert nothing == []


def test_a_message_both_replayed_and_live_reaches_the_resuming_client_once(server: ServerProcess) -> None:
    """The duplicate filter at work: a message sent after the socket subscribed but before the resume.

    It is in the backlog (it was stored before the resume read it) and it is
    queued live (the socket was subscribed when it was published), so only the
    filter by sequence number stands between the client and seeing it twice.
    """
    reader = sign_in(server, "Twice Reader")
    writer = sign_in(server, "Twice Writer")
    group = create_group(server, writer, [reader], title="twice")
    conversation_id = group["id"]
    start = group["last_seq"]
    url = f"/api/v1/conversations/{conversation_id}/messages"

    async def scenario() -> tuple[list[dict], list[dict], list[int]]:
        async with server.async_client(writer.token) as http:
            ws = await websockets.connect(server.ws_url, open_timeout=10, max_size=2**22)
            try:
                await ws.send(json.dumps({"type": "auth", "token": reader.token}))
                assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "hello"
                # Subscribed, not yet resumed: these go both into the store and into the live queue.
                sent = []
                for n in range(3):
                    response = await http.post(url, json={"client_id": f"both{n}", "text": f"both {n}"})
                    assert response.status_code == 201, response.text
                    sent.append(response.json()["seq"])
                await ws.send(json.dumps({"type": "resume", "since": {conversation_id: start}}))
                backlog = []
                while (frame := json.loads(await asyncio.wait_for(ws.recv(), 10)))["type"] != "resumed":
                    if frame["type"] == "message":
                        backlog.append(frame["message"])
                # A marker sent after the resume: everything queued before it has been handled
                # (live frames keep their order) by the time it arrives.
                marker = await http.post(url, json={"client_id": "marker", "text": "after"})
                assert marker.status_code == 201, marker.text
                sent.append(marker.json()["seq"])
                live = []
                while not live or live[-1]["seq"] != sent[-1]:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                    if frame["type"] == "message" and frame["message"]["conversation_id"] == conversation_id:
                        live.append(frame["message"])
            finally:
                await ws.close()
        return backlog, live, sent

    backlog, live, sent = asyncio.run(scenario())
    assert sent == [start + 1, start + 2, start + 3, start + 4]
    assert seqs(backlog) == sent[:3]
    assert seqs(live) == sent[3:]  # not the three again
