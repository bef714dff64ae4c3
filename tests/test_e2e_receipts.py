"""Read receipts in a group of 5: the sender's WebSocket carries every reader's mark, so every one of
50 messages has the right "read by N"; a member with read receipts off is never counted and sees
nobody else's reads."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from e2e_support import ServerProcess, User, create_group, sign_in, ws_connect
from websockets.asyncio.client import ClientConnection

COUNT = 50


class Marks:
    """What a sender's socket was told of each reader: ``{user id: read_seq}`` (None: not shared)."""

    def __init__(self, ws: ClientConnection, conversation_id: str) -> None:
        self.ws = ws
        self.conversation_id = conversation_id
        self.read: dict[str, int | None] = {}
        self.delivered: dict[str, int] = {}
        self.frames = 0

    async def until(self, done: Any, timeout: float = 15.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not done(self):
            remaining = deadline - asyncio.get_running_loop().time()
            assert remaining > 0, f"marks now: read {self.read}, delivered {self.delivered}"
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), remaining))
            if frame["type"] == "receipts" and frame["conversation_id"] == self.conversation_id:
                self.frames += 1
                for mark in frame["marks"]:
                    self.read[mark["user_id"]] = mark["read_seq"]
                    self.delivered[mark["user_id"]] = mark["delivered_seq"]

    def counts(self, seqs: list[int]) -> list[int]:
        """Read by how many, for each message."""
        return [sum(1 for r in self.read.values() if r is not None and r >= seq) for seq in seqs]


def _read(server: ServerProcess, user: User, conversation_id: str, seq: int) -> None:
    with server.client(user.token) as http:
        response = http.post(f"/api/v1/conversations/{conversation_id}/read", json={"seq": seq})
        assert response.status_code == 204, response.text


def _info(server: ServerProcess, user: User, message: dict[str, Any]) -> dict[str, Any]:
    with server.client(user.token) as http:
        path = f"/api/v1/conversations/{message['conversation_id']}/messages/{message['id']}/receipts"
        response = http.get(path)
        assert response.status_code == 200, response.text
        return response.json()


def test_50_messages_in_a_group_of_5_counted_as_each_member_reads(server: ServerProcess) -> None:
    ana, bob, cid, dan, eve = (sign_in(server, f"Receipts {n}") for n in ("Ana", "Bob", "Cid", "Dan", "Eve"))
    with server.client(eve.token) as http:
        assert http.patch("/api/v1/me/privacy", json={"receipts": "nobody"}).json()["receipts"] == "nobody"
    group = create_group(server, ana, [bob, cid, dan, eve], title="receipts")["id"]

    async def scenario() -> tuple[list[dict], list[list[int]], Marks, list[dict]]:
        ws, _ = await ws_connect(server, ana, {group: 0})
        bob_ws, _ = await ws_connect(server, bob, {group: 0})
        marks = Marks(ws, group)
        async with server.async_client(ana.token) as http:
            sent = []
            for n in range(COUNT):
                response = await http.post(
                    f"/api/v1/conversations/{group}/messages", json={"client_id": f"r{n}", "text": f"m{n}"}
                )
                sent.append(response.json())
        seqs = [m["seq"] for m in sent]
        # Bob is online: his socket was handed all 50, which counts as delivered.
        await marks.until(lambda m: m.delivered.get(bob.id) == seqs[-1])
        steps = []
        await bob_ws.send(json.dumps({"type": "read", "conversation_id": group, "seq": seqs[9]}))
        await marks.until(lambda m: m.read.get(bob.id) == seqs[9])
        steps.append(marks.counts(seqs))
        await asyncio.to_thread(_read, server, cid, group, seqs[24])
        await marks.until(lambda m: m.read.get(cid.id) == seqs[24])
        steps.append(marks.counts(seqs))
        await asyncio.to_thread(_read, server, dan, group, seqs[-1])
        await marks.until(lambda m: m.read.get(dan.id) == seqs[-1])
        steps.append(marks.counts(seqs))
        await asyncio.to_thread(_read, server, eve, group, seqs[-1])
        await marks.until(lambda m: eve.id in m.read)  # her step reaches Ana: delivered, never read
        steps.append(marks.counts(seqs))
        # Eve hides hers, so she sees nobody's reads of her own message.
        eve_ws, _ = await ws_connect(server, eve, {group: seqs[-1]})
        eve_marks = Marks(eve_ws, group)
        async with server.async_client(eve.token) as http:
            hers = (
                await http.post(
                    f"/api/v1/conversations/{group}/messages", json={"client_id": "eve", "text": "hi"}
                )
            ).json()
        await bob_ws.send(json.dumps({"type": "read", "conversation_id": group, "seq": hers["seq"]}))
        await eve_marks.until(lambda m: bob.id in m.read)
        for socket in (ws, bob_ws, eve_ws):
            await socket.close()
        return sent, steps, eve_marks, [hers]

    sent, steps, eve_marks, hers = asyncio.run(scenario())
    expected_bob = [1 if n < 10 else 0 for n in range(COUNT)]
    expected_cid = [a + (1 if n < 25 else 0) for n, a in enumerate(expected_bob)]
    expected_dan = [a + 1 for a in expected_cid]
    assert steps == [expected_bob, expected_cid, expected_dan, expected_dan]
    assert sum(steps[-1]) == 10 + 25 + 50  # Eve read all 50 and is counted for none

    info = _info(server, ana, sent[0])
    assert info["recipients"] == 4
    assert sorted(e["user"]["id"] for e in info["read"]) == sorted([bob.id, cid.id, dan.id])
    assert all(e["at"] for e in info["read"])
    assert sorted(e["user"]["id"] for e in info["delivered"]) == sorted([bob.id, cid.id, dan.id, eve.id])
    # By now Bob read on to Eve's message, past all 50.
    assert [len(_info(server, ana, sent[n])["read"]) for n in (9, 10, 24, 25, 49)] == [3, 3, 3, 2, 2]

    assert eve_marks.read == {bob.id: None}  # delivered and read by Bob, but she is not told he read it
    assert eve_marks.delivered[bob.id] >= hers[0]["seq"]
    assert _info(server, eve, hers[0])["read"] == []
