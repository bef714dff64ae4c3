"""A member removed from a group receives nothing posted after the removal: not live, not in history,
not through resume, over 100 generated sends (and edits and reactions of what they had), and keeps
what they had, as they had it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from typing import Any

from e2e_support import ServerProcess, create_group, history, sign_in, ws_connect
from stress import count
from websockets.asyncio.client import ClientConnection

SENDS = 100
ROUNDS = count(1, 5)


async def everything(ws: ClientConnection, wait: float = 0.8) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    with contextlib.suppress(TimeoutError):
        while True:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), wait)))
    return frames


def test_a_removed_member_receives_nothing_after_100_generated_sends(server: ServerProcess) -> None:
    for round_ in range(ROUNDS):
        run_once(server, random.Random(12 + round_))


def run_once(server: ServerProcess, rng: random.Random) -> None:
    ana, bob, cid = (sign_in(server, f"Removal {n}") for n in ("Ana", "Bob", "Cid"))
    group = create_group(server, ana, [bob, cid], title="removal")["id"]
    base = f"/api/v1/conversations/{group}"
    removed_after = rng.randint(10, 60)

    async def scenario() -> tuple[list[dict], int, list[dict], list[dict], list[dict]]:
        live_ws, _ = await ws_connect(server, bob, {group: 0})
        ana_ws, _ = await ws_connect(server, ana, {})
        sent: list[dict] = []
        removal_seq = 0
        async with server.async_client(ana.token) as a, server.async_client(cid.token) as c:
            for n in range(SENDS):
                if n == removed_after:
                    removed = await a.delete(f"{base}/members/{bob.id}")
                    assert removed.status_code == 200, removed.text
                    assert bob.id not in [m["id"] for m in removed.json()["members"]]
                    removal_seq = (await a.get(base)).json()["last_seq"]
                    await ana_ws.send(json.dumps({"type": "typing", "conversation_id": group}))
                http = rng.choice([a, c])
                posted = await http.post(f"{base}/messages", json={"client_id": f"s{n}", "text": f"send {n}"})
                assert posted.status_code == 201, posted.text
                sent.append(posted.json())
                if n > removed_after and rng.random() < 0.3:  # change what Bob had
                    old = rng.choice(sent[:removed_after])
                    if old["sender"]["id"] == ana.id:
                        await a.patch(
                            f"{base}/messages/{old['id']}", json={"text": f"{old['text']} (edited)"}
                        )
                    await c.put(f"{base}/messages/{old['id']}/reaction", json={"emoji": "🎉"})
        live = await everything(live_ws)
        await live_ws.close()
        await ana_ws.close()
        fresh_ws, fresh = await ws_connect(server, bob, {group: 0})
        await fresh_ws.close()
        resumed_ws, resumed = await ws_connect(server, bob, {group: removal_seq})
        await resumed_ws.close()
        return sent, removal_seq, live, fresh, resumed

    sent, removal_seq, live, fresh, resumed = asyncio.run(scenario())
    after = [m for m in sent if m["seq"] > removal_seq]
    assert len(after) == SENDS - removed_after
    live_messages = [
        f["message"] for f in live if f["type"] == "message" and f["message"]["conversation_id"] == group
    ]
    assert [m for m in live_messages if m["seq"] > removal_seq or m["changed_seq"] > removal_seq] == []
    assert [f for f in live if f["type"] == "typing"] == []
    assert live_messages[-1]["text"] == f"Removal Ana removed {bob.name}"  # the last thing he was told
    stored = history(server, bob, group)
    assert [m for m in stored if m["seq"] > removal_seq or m["changed_seq"] > removal_seq] == []
    assert [m for m in fresh if m["seq"] > removal_seq] == []
    assert resumed == []
    # He keeps what he had, as he had it: every message up to his removal, none edited since.
    had = [m["text"] for m in stored if m["sender"]["kind"] == "user"]
    assert had == [f"send {n}" for n in range(removed_after)]
    assert {m["seq"]: m for m in fresh} == {m["seq"]: m for m in stored}
    cid_view = history(server, cid, group)
    assert len([m for m in cid_view if m["sender"]["kind"] == "user"]) == SENDS
