"""Several workers on one data folder, live delivery between them through a real Redis.

Counts are reduced by default; ``SOUK_STRESS=1`` runs the issue's full counts
(1,000 messages each way).  Nothing here waits a fixed time: every wait is on a
condition, with a generous bound that only stops a broken run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from e2e_support import history, seqs, sign_in, ws_connect, ws_quiet
from redis_support import running_redis
from stress import STRESS
from workers_support import Worker, direct_chat, frames_until, phone, post_all, wait_for, workers

EACH_WAY = 1000 if STRESS else 200
GROUP_SIZE = 50
GROUP_MESSAGES = 300 if STRESS else 60

pytestmark = [pytest.mark.slow, pytest.mark.stress]


def test_people_on_two_workers_chat_live_in_order(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 2, redis.url) as (one, two):
        assert one.health()["bus"] == "redis" and two.health()["live"] is True
        a = sign_in(one, "Asha", phone(1))
        b = sign_in(two, "Bruno", phone(2))
        chat = direct_chat(one, a, b)
        cid, start = chat["id"], chat["last_seq"]

        async def scenario() -> tuple[list, list, list[int], list[int], list, list]:
            ws_a, backlog_a = await ws_connect(one, a, {cid: start})
            ws_b, backlog_b = await ws_connect(two, b, {cid: start})
            assert backlog_a == backlog_b == []
            sends = asyncio.gather(
                post_all(one, a, cid, [f"a{n}" for n in range(EACH_WAY)]),
                post_all(two, b, cid, [f"b{n}" for n in range(EACH_WAY)]),
            )
            (got_a, _), (got_b, _) = await asyncio.gather(
                frames_until(ws_a, cid, 2 * EACH_WAY), frames_until(ws_b, cid, 2 * EACH_WAY)
            )
            acked_a, acked_b = await sends
            extra = await ws_quiet(ws_a, cid) + await ws_quiet(ws_b, cid)
            await ws_a.close()
            await ws_b.close()
            return got_a, got_b, acked_a, acked_b, extra, []

        got_a, got_b, acked_a, acked_b, extra, _ = asyncio.run(scenario())

    everything = list(range(start + 1, start + 2 * EACH_WAY + 1))
    assert sorted(acked_a + acked_b) == everything
    for got in (got_a, got_b):
        assert seqs(got) == everything  # every message once, in sequence order
        assert [m["text"] for m in got if m["text"].startswith("a")] == [f"a{n}" for n in range(EACH_WAY)]
        assert [m["text"] for m in got if m["text"].startswith("b")] == [f"b{n}" for n in range(EACH_WAY)]
    assert extra == []


def test_a_group_of_fifty_over_three_workers_gets_every_message_once(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 3, redis.url) as three:
        people = [sign_in(three[i % 3], f"Member {i}", phone(100 + i)) for i in range(GROUP_SIZE)]
        owner = people[0]
        with three[0].client(owner.token) as http:
            response = http.post(
                "/api/v1/conversations",
                json={"kind": "group", "title": "fifty", "members": [{"user_id": p.id} for p in people[1:]]},
            )
            assert response.status_code == 201, response.text
            group = response.json()
        cid, start = group["id"], group["last_seq"]
        senders = people[:6]  # two on each worker

        async def scenario() -> tuple[list[list[dict]], list[int], list]:
            sockets = [(await ws_connect(three[i % 3], p, {cid: start}))[0] for i, p in enumerate(people)]
            share = GROUP_MESSAGES // len(senders)
            sends = asyncio.gather(
                *(
                    post_all(three[i % 3], p, cid, [f"{i}:{n}" for n in range(share)])
                    for i, p in enumerate(senders)
                )
            )
            received = await asyncio.gather(*(frames_until(ws, cid, GROUP_MESSAGES) for ws in sockets))
            acked = [seq for batch in await sends for seq in batch]
            extra = [m for ws in sockets for m in await ws_quiet(ws, cid, wait=0.2)]
            for ws in sockets:
                await ws.close()
            return [messages for messages, _ in received], acked, extra

        received, acked, extra = asyncio.run(scenario())

    everything = list(range(start + 1, start + GROUP_MESSAGES + 1))
    assert sorted(acked) == everything
    assert len(received) == GROUP_SIZE
    assert sum(len(r) for r in received) == GROUP_SIZE * GROUP_MESSAGES
    for messages in received:
        assert seqs(messages) == everything
    assert extra == []


KILL_TOTAL = 600 if STRESS else 150


def test_redis_killed_mid_stream_loses_nothing_and_live_delivery_returns(tmp_path: Path) -> None:
    """Redis ``kill -9``ed while two people on two workers chat, then started again on its port."""
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 2, redis.url) as (one, two):
        a = sign_in(one, "Asha", phone(1))
        b = sign_in(two, "Bruno", phone(2))
        chat = direct_chat(one, a, b)
        cid, start = chat["id"], chat["last_seq"]
        third = KILL_TOTAL // 3

        async def scenario() -> tuple[list, list, list, list[int]]:
            ws_b, _ = await ws_connect(two, b, {cid: start})
            ws_a, _ = await ws_connect(one, a, {cid: start})
            acked = await post_all(one, a, cid, [f"before {n}" for n in range(third)])
            live_before, _ = await frames_until(ws_b, cid, third)

            redis.kill()
            for worker in (one, two):
                await asyncio.to_thread(wait_for, lambda w=worker: not w.health()["live"], "the outage seen")
            # Both ways while Redis is away: stored and acknowledged all the same.
            acked += await post_all(one, a, cid, [f"during {n}" for n in range(third)])
            acked += await post_all(two, b, cid, [f"reply {n}" for n in range(5)])
            caught_up, down_notices = await frames_until(ws_b, cid, third + 5)

            redis.start()
            for worker in (one, two):
                await asyncio.to_thread(wait_for, lambda w=worker: w.health()["live"], "live delivery back")
            rest = KILL_TOTAL - 2 * third
            acked += await post_all(one, a, cid, [f"after {n}" for n in range(rest)])
            live_after, up_notices = await frames_until(ws_b, cid, rest)
            got_a, _ = await frames_until(ws_a, cid, KILL_TOTAL + 5)
            extra = await ws_quiet(ws_b, cid) + await ws_quiet(ws_a, cid)
            await ws_a.close()
            await ws_b.close()
            assert extra == []
            return live_before + caught_up + live_after, got_a, down_notices + up_notices, acked

        got_b, got_a, notices, acked = asyncio.run(scenario())
        stored = history(one, a, cid)
        outages = [one.health()["bus_outages"], two.health()["bus_outages"]]

    everything = list(range(start + 1, start + KILL_TOTAL + 5 + 1))
    assert sorted(acked) == everything  # every send acknowledged, Redis or not
    assert [m["seq"] for m in stored if m["seq"] > start] == everything  # 0 acknowledged messages lost
    assert seqs(got_b) == everything  # each client caught up exactly: no gap, no duplicate
    assert seqs(got_a) == everything
    assert {"type": "resync", "live": False} in notices and {"type": "resync", "live": True} in notices
    assert outages == [1, 1]
    for worker in ("worker-1.log", "worker-2.log"):
        log = (tmp_path / worker).read_text()
        assert (
            "live delivery through Redis interrupted" in log and "live delivery through Redis is back" in log
        )


MOVES = 6 if STRESS else 3


@pytest.mark.parametrize("seed", [19, 2026] if STRESS else [19])
def test_a_client_that_moves_to_the_other_worker_resumes_exactly(tmp_path: Path, seed: int) -> None:
    """It drops at generated points and comes back on the other worker with the last seq it saw."""
    total = 240 if STRESS else 120
    rng = random.Random(seed)
    points = sorted(rng.sample(range(5, total - 5), MOVES))
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 2, redis.url) as pair:
        a = sign_in(pair[0], "Asha", phone(1))
        b = sign_in(pair[1], "Bruno", phone(2))
        chat = direct_chat(pair[0], a, b)
        cid, start = chat["id"], chat["last_seq"]

        async def scenario() -> tuple[list[dict], list[int]]:
            # Asha writes on both workers in turn, at a steady pace, while Bruno moves.
            halves = [f"m{n}" for n in range(total)]
            sends = asyncio.gather(
                post_all(pair[0], a, cid, halves[: total // 2], pause=0.005),
                post_all(pair[1], a, cid, halves[total // 2 :], pause=0.005),
            )
            seen: list[dict] = []
            on = 1
            ws, backlog = await ws_connect(pair[on], b, {cid: start})
            seen += backlog
            for point in [*points, total]:
                if len(seen) < point:
                    more, _ = await frames_until(ws, cid, point - len(seen))
                    seen += more
                await ws.close()
                on = 1 - on
                last = seen[-1]["seq"] if seen else start
                ws, backlog = await ws_connect(pair[on], b, {cid: last})
                seen += backlog
            acked = [seq for half in await sends for seq in half]
            if len(seen) < total:
                more, _ = await frames_until(ws, cid, total - len(seen))
                seen += more
            seen += await ws_quiet(ws, cid)
            await ws.close()
            return seen, acked

        seen, acked = asyncio.run(scenario())

    everything = list(range(start + 1, start + total + 1))
    assert sorted(acked) == everything
    assert seqs(seen) == everything, f"disconnect points {points} (seed {seed})"


def test_souk_serve_workers_shares_one_address(tmp_path: Path) -> None:
    """``souk serve --workers 2 --redis URL --demo``: both workers answer on one port, people who land
    on different workers chat live, and a worker that dies is started again."""
    with running_redis(tmp_path / "redis") as redis:
        server = Worker(tmp_path / "data", 0, ("--workers", "2", "--redis", redis.url))
        server.mode = "--demo"
        seen: set[int] = set()
        try:
            server.start()

            def workers_seen(count: int) -> bool:
                with contextlib.suppress(httpx.HTTPError):
                    seen.add(server.health()["worker"])
                return len(seen) >= count

            wait_for(lambda: workers_seen(2), "both workers answering")
            a = sign_in(server, "Asha", phone(1))
            b = sign_in(server, "Bruno", phone(2))
            chat = direct_chat(server, a, b)
            cid, start = chat["id"], chat["last_seq"]

            async def exchange(ws_count: int) -> list[list[dict]]:
                # Several sockets each, so that some land on each worker.
                sockets = [(await ws_connect(server, p, {cid: start}))[0] for p in (a, b) * ws_count]
                sends = asyncio.gather(
                    post_all(server, a, cid, [f"a{n}" for n in range(20)]),
                    post_all(server, b, cid, [f"b{n}" for n in range(20)]),
                )
                got = await asyncio.gather(*(frames_until(ws, cid, 40) for ws in sockets))
                await sends
                for ws in sockets:
                    await ws.close()
                return [messages for messages, _ in got]

            received = asyncio.run(exchange(4))
            victim = next(iter(seen))
            os.kill(victim, signal.SIGKILL)
            wait_for(lambda: workers_seen(3), "the killed worker replaced by a new one")
        finally:
            server.stop()
            for pid in seen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    assert len(received) == 8
    for messages in received:
        assert seqs(messages) == list(range(start + 1, start + 41))
    assert "Traceback" not in server.log_tail(10**9)


@pytest.mark.parametrize("shared", [True, False], ids=["with-redis", "without-redis"])
def test_a_limit_of_five_is_five_across_workers(tmp_path: Path, shared: bool) -> None:
    """Six sends to each of three workers at once: 5 accepted in all through Redis' counters
    (each worker alone would accept 5: 15, as without Redis)."""
    with contextlib.ExitStack() as stack:
        redis = stack.enter_context(running_redis(tmp_path / "redis")) if shared else None
        three = stack.enter_context(
            workers(
                tmp_path, 3, redis.url if redis else None, limits=("--limit", "sends_per_user=5 per minute")
            )
        )
        a = sign_in(three[0], "Asha", phone(1))
        b = sign_in(three[0], "Bruno", phone(2))
        cid = direct_chat(three[0], a, b)["id"]

        async def burst() -> list[int]:
            clients = [worker.async_client(a.token) for worker in three]
            try:
                sends = [
                    http.post(
                        f"/api/v1/conversations/{cid}/messages", json={"client_id": f"w{w}-{n}", "text": "hi"}
                    )
                    for n in range(6)
                    for w, http in enumerate(clients)
                ]
                responses = await asyncio.gather(*sends)
            finally:
                for http in clients:
                    await http.aclose()
            for response in responses:
                if response.status_code == 429:
                    assert response.json()["error"]["code"] == "rate_limited"
                    assert int(response.headers["Retry-After"]) >= 1
            return [response.status_code for response in responses]

        statuses = asyncio.run(burst())
        stored = [m for m in history(three[1], b, cid) if m["text"] == "hi"]

    accepted = 5 if shared else 15
    assert statuses.count(201) == accepted and statuses.count(429) == 18 - accepted
    assert len(stored) == accepted


def test_presence_counts_every_workers_connections(tmp_path: Path) -> None:
    """Ana online on worker 1 is online for Bob on worker 2; closing one of her connections, on
    either worker, leaves her online; closing the last says offline, once, with her last seen."""
    with running_redis(tmp_path / "redis") as redis, workers(tmp_path, 2, redis.url) as (one, two):
        ana = sign_in(one, "Ana", phone(1))
        bob = sign_in(two, "Bob", phone(2))
        direct_chat(one, ana, bob)  # contacts: each sees the other's presence by default

        async def presence_frames(ws: Any, count: int) -> list[dict[str, Any]]:
            frames: list[dict[str, Any]] = []
            while len(frames) < count:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if frame["type"] == "presence" and frame["user_id"] == ana.id:
                    frames.append(frame)
            return frames

        async def scenario() -> tuple[list, dict, list, dict, list]:
            ana_1, _ = await ws_connect(one, ana, {})
            # Bob connects to the other worker: his resume tells him Ana is online.
            bob_ws = await websockets.connect(two.ws_url)
            await bob_ws.send(json.dumps({"type": "auth", "token": bob.token}))
            await bob_ws.recv()
            await bob_ws.send(json.dumps({"type": "resume", "since": {}}))
            on_resume = await presence_frames(bob_ws, 1)
            ana_2, _ = await ws_connect(two, ana, {})
            await ana_1.close()  # her other connection, on worker 2, stays
            asked_while_on = await asyncio.to_thread(_presence, one, bob, ana)
            still = await ws_quiet_presence(bob_ws)
            await ana_2.close()
            went = await presence_frames(bob_ws, 1)
            asked_after = await asyncio.to_thread(_presence, one, bob, ana)
            await bob_ws.close()
            return on_resume, asked_while_on, still, asked_after, went

        on_resume, asked_while_on, still, asked_after, went = asyncio.run(scenario())

    assert on_resume == [{"type": "presence", "user_id": ana.id, "online": True, "last_seen": None}]
    assert asked_while_on == {"user_id": ana.id, "online": True, "last_seen": None}
    assert still == []  # no "offline" while a connection of hers is open anywhere
    assert len(went) == 1 and went[0]["online"] is False and went[0]["last_seen"]
    assert asked_after == {"user_id": ana.id, "online": False, "last_seen": went[0]["last_seen"]}


def _presence(worker: Worker, viewer: Any, other: Any) -> dict[str, Any]:
    with worker.client(viewer.token) as http:
        response = http.get(f"/api/v1/users/{other.id}/presence")
        assert response.status_code == 200, response.text
        return response.json()


async def ws_quiet_presence(ws: Any, wait: float = 0.5) -> list[dict[str, Any]]:
    """Presence frames that still arrive within ``wait`` seconds (expected: none)."""
    seen: list[dict[str, Any]] = []
    with contextlib.suppress(TimeoutError):
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), wait))
            if frame["type"] == "presence":
                seen.append(frame)
    return seen
