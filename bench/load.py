"""The load generator: a separate process that drives one server on 127.0.0.1 and prints JSON.

``python -m bench.load '{"workload": "send", "target": "souk", "port": 8123, ...}'``

Each workload sets up what it needs through the public API (not timed), then
runs closed loops of requests for ``warmup`` + ``duration`` seconds, bounded
in time (the whole process gives up after ``budget`` seconds) and in count
(``max_requests``).  Only requests that complete inside the measured window
count.  The same code drives Souk and the baseline, so the figures compare.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bench import group_reads, seed
from bench.httpclient import Connection
from bench.stats import latency_summary

FAKE_TOKEN = "x" * 43  # the baseline ignores it; it keeps the requests the same size
REPLY_FROM_APP = '"sender":{"kind":"app"'
REPLY_FROM_SYSTEM = '"sender":{"kind":"system"'


@dataclass
class Spec:
    workload: str
    target: str
    port: int
    clients: int = 32
    warmup: float = 1.0
    duration: float = 5.0
    sends: int = 30
    commands: list[str] = field(default_factory=lambda: ["echo"])
    server_pid: int = 0
    max_requests: int = 2_000_000
    budget: float = 300.0
    members: int = 200  # group_reads: the group's size, everyone online
    reads: bool = False  # group_reads: every member reads every message


# -- driving -------------------------------------------------------------------------------


async def closed_loops(
    spec: Spec, clients: int, request: Callable[[int, int], Awaitable[bool | tuple[bool, float]]]
) -> dict[str, Any]:
    """``clients`` loops, each sending its next request when the last one is answered.

    A request answers whether it went well, or (ok, seconds) when only part of what it
    does is the measured operation (a seat hold, not the release of the seat won before it).
    """
    started = time.perf_counter()
    measure_from = started + spec.warmup
    stop_at = measure_from + spec.duration
    latencies: list[float] = []
    errors = 0
    sent = 0

    async def loop(client: int) -> None:
        nonlocal errors, sent
        count = 0
        while sent < spec.max_requests:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                return
            sent += 1
            answer = await request(client, count)
            count += 1
            t1 = time.perf_counter()
            ok, took = answer if isinstance(answer, tuple) else (answer, t1 - t0)
            if measure_from <= t1 <= stop_at:
                if ok:
                    latencies.append(took)
                else:
                    errors += 1

    cpu: list[float] = []
    if spec.server_pid:
        at = asyncio.get_running_loop().time()
        for moment in (measure_from, stop_at):
            asyncio.get_running_loop().call_at(
                at + moment - started, lambda: cpu.append(cpu_seconds(spec.server_pid))
            )
    await asyncio.gather(*(loop(c) for c in range(clients)))
    return {
        "throughput": len(latencies) / spec.duration,
        "count": len(latencies),
        "errors": errors,
        **latency_summary(latencies),
        "server_cpu_us": 1e6 * (cpu[1] - cpu[0]) / len(latencies) if len(cpu) == 2 and latencies else None,
    }


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used, user and system, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def message_body(client: int, count: int, text: str | None = None) -> bytes:
    body = {"client_id": f"b{client}-{count}", "text": text or f"message {count} from client {client}"}
    return json.dumps(body, separators=(",", ":")).encode()


async def open_sockets(urls: list[str]) -> list[ClientConnection]:
    """Open WebSockets 50 at a time; say resume to Souk and wait until it answers."""
    gate = asyncio.Semaphore(50)

    async def one(url: str) -> ClientConnection:
        async with gate:
            ws = await connect(url, open_timeout=30, max_size=2**22, compression=None, ping_interval=None)
            hello = json.loads(await asyncio.wait_for(ws.recv(), 30))
            assert hello["type"] == "hello", hello
            if "token=" in url:
                await ws.send('{"type":"resume","since":{}}')
                while json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] != "resumed":
                    pass
            return ws

    return await asyncio.gather(*(one(u) for u in urls))


def ws_url(spec: Spec, *, token: str | None = None, follow: str | None = None) -> str:
    base = f"ws://127.0.0.1:{spec.port}/api/v1/ws"
    return f"{base}?token={token}" if token is not None else f"{base}?follow={follow}"


async def senders(spec: Spec, tokens: list[str]) -> list[Connection]:
    return [await Connection(spec.port, token).open() for token in tokens]


async def drain(ws: ClientConnection, seen: list[int]) -> None:
    async for _ in ws:
        seen[0] += 1


# -- workloads -----------------------------------------------------------------------------


async def world(spec: Spec, count: int, kind: str) -> tuple[list[str], list[str]]:
    """(tokens, conversation ids) for ``count`` clients: Souk users, or the baseline's stand-ins."""
    count += count % 2
    if spec.target == "baseline":
        return [FAKE_TOKEN] * count, [f"c_pair{i // 2}" for i in range(count)]
    users = await seed.sign_in_many(spec.port, count)
    conversations = await (
        seed.direct_pairs(spec.port, users) if kind == "pairs" else seed.solo_groups(spec.port, users)
    )
    return [u.token for u in users], conversations


async def send(spec: Spec, online: bool = False) -> dict[str, Any]:
    """Closed-loop sends, each client into its own conversation (a direct chat of a pair)."""
    tokens, conversations = await world(spec, spec.clients, "pairs")
    tokens, conversations = tokens[: spec.clients], conversations[: spec.clients]
    seen = [0]
    readers = []
    if online:
        if spec.target == "souk":
            urls = [ws_url(spec, token=t) for t in tokens]
        else:
            urls = [ws_url(spec, follow=c) for c in conversations]
        sockets = await open_sockets(urls)
        readers = [asyncio.create_task(drain(ws, seen)) for ws in sockets]
    connections = await senders(spec, tokens)
    paths = [f"/api/v1/conversations/{c}/messages" for c in conversations]

    async def request(client: int, count: int) -> bool:
        status, _ = await connections[client].request("POST", paths[client], message_body(client, count))
        return status == 201

    result = await closed_loops(spec, spec.clients, request)
    result["frames_received"] = seen[0]
    for reader in readers:
        reader.cancel()
    return result


async def command(spec: Spec) -> dict[str, Any]:
    """Closed-loop command round trips: send ``/cmd words``, wait for the answer over WebSocket."""
    assert spec.target == "souk", "commands exist only in Souk"
    tokens, conversations = await world(spec, spec.clients, "solo")
    tokens, conversations = tokens[: spec.clients], conversations[: spec.clients]
    sockets = await open_sockets([ws_url(spec, token=t) for t in tokens])
    answered = [asyncio.Event() for _ in tokens]
    refused = [False] * len(tokens)

    async def read(client: int, ws: ClientConnection) -> None:
        async for frame in ws:
            if REPLY_FROM_APP in frame:
                answered[client].set()
            elif REPLY_FROM_SYSTEM in frame:
                refused[client] = True
                answered[client].set()

    readers = [asyncio.create_task(read(i, ws)) for i, ws in enumerate(sockets)]
    connections = await senders(spec, tokens)
    paths = [f"/api/v1/conversations/{c}/messages" for c in conversations]
    names = spec.commands

    async def request(client: int, count: int) -> bool:
        answered[client].clear()
        refused[client] = False
        text = f"/{names[client % len(names)]} hello {count}"
        status, _ = await connections[client].request(
            "POST", paths[client], message_body(client, count, text)
        )
        if status != 201:
            return False
        await asyncio.wait_for(answered[client].wait(), 30)
        return not refused[client]

    result = await closed_loops(spec, spec.clients, request)
    for reader in readers:
        reader.cancel()
    return result


async def fanout(spec: Spec) -> dict[str, Any]:
    """One sender, ``clients`` members online: time from the ack until every member has the message."""
    members = spec.clients
    if spec.target == "souk":
        users = await seed.sign_in_many(spec.port, members)
        group = await seed.group_of(spec.port, users)
        urls = [ws_url(spec, token=u.token) for u in users]
        token = users[0].token
    else:
        group = "c_group"
        urls = [ws_url(spec, follow=group) for _ in range(members)]
        token = FAKE_TOKEN
    sockets = await open_sockets(urls)
    path = f"/api/v1/conversations/{group}/messages"
    sender = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.sender", str(spec.port), path, token,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert sender.stdin is not None and sender.stdout is not None
    state: dict[str, Any] = {"marker": None, "count": 0, "last": 0.0, "done": asyncio.Event()}

    async def read(ws: ClientConnection) -> None:
        async for frame in ws:
            marker = state["marker"]
            if marker is not None and marker in frame:
                state["count"] += 1
                state["last"] = time.perf_counter()
                if state["count"] >= members:
                    state["done"].set()

    readers = [asyncio.create_task(read(ws)) for ws in sockets]
    warm = max(1, spec.sends // 10)
    from_ack: list[float] = []
    from_send: list[float] = []
    acks: list[float] = []
    errors = 0
    for index in range(warm + spec.sends):
        state.update(marker=f"fan-{index}-{os.getpid()}-out", count=0, done=asyncio.Event())
        sender.stdin.write(f"{state['marker']}\n".encode())
        try:
            await asyncio.wait_for(state["done"].wait(), 30)
            status_text, sent_text, ack_text = (await asyncio.wait_for(sender.stdout.readline(), 30)).split()
        except (TimeoutError, ValueError):
            errors += 1
            continue
        status, t_send, t_ack = int(status_text), float(sent_text), float(ack_text)
        if status != 201:
            errors += 1
        elif index >= warm:
            from_ack.append(max(0.0, state["last"] - t_ack))
            from_send.append(state["last"] - t_send)
            acks.append(t_ack - t_send)
        await asyncio.sleep(0.02)
    for reader in readers:
        reader.cancel()
    sender.kill()
    after_send = latency_summary(from_send)
    return {
        "count": len(from_ack),
        "errors": errors,
        **latency_summary(from_ack),
        "send_p50_ms": after_send["p50_ms"],
        "send_p99_ms": after_send["p99_ms"],
        "ack_p50_ms": latency_summary(acks)["p50_ms"],
    }


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


async def memory(spec: Spec) -> dict[str, Any]:
    """Server memory per idle WebSocket: RSS growth over ``clients`` connections, divided by them."""
    if spec.target == "souk":
        users = await seed.sign_in_many(spec.port, spec.clients)
        urls = [ws_url(spec, token=u.token) for u in users]
    else:
        urls = [ws_url(spec, follow=f"c_{i}") for i in range(spec.clients)]
    warm = await open_sockets(urls[:10])
    for ws in warm:
        await ws.close()
    await asyncio.sleep(0.5)
    before = rss_bytes(spec.server_pid)
    sockets = await open_sockets(urls)
    await asyncio.sleep(1.0)
    after = rss_bytes(spec.server_pid)
    return {
        "connections": len(sockets),
        "rss_before": before,
        "rss_after": after,
        "bytes_per_connection": (after - before) / len(sockets),
    }


async def allow_payments(spec: Spec, user: seed.User, conversation: str) -> None:
    """Use /wallet once and press Allow on the consent screen, as a person would."""
    connection = Connection(spec.port, user.token)
    try:
        path = f"/api/v1/conversations/{conversation}/messages"
        await connection.json("POST", path, {"client_id": "allow", "text": "/wallet"}, expect=(201,))
        for _ in range(100):  # the consent screen comes from a background task
            messages = (await connection.json("GET", f"{path}?limit=10"))["messages"]
            screens = [m for m in messages if m["sender"]["kind"] == "system" and m["screen"]]
            if screens:
                break
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError("no consent screen for /wallet")
        allow = next(b for b in _components(screens[-1]["screen"]) if b.get("label") == "Allow")
        press = {"message_id": screens[-1]["id"], "component_id": allow["id"], "values": {}}
        await connection.json("POST", "/api/v1/actions", press)
        topup = {"amount": "9000.00", "card": "4242424242424242", "idempotency_key": f"seed-{user.index}"}
        done = await connection.json("POST", "/api/v1/apps/payments/topups", topup, expect=(201,))
        assert done["status"] == "approved", done
    finally:
        await connection.close()


def _components(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [c for item in node for c in _components(item)]
    if isinstance(node, dict):
        return [node] + [c for value in node.values() for c in _components(value)]
    return []


async def transfer(spec: Spec) -> dict[str, Any]:
    """Closed-loop payments over HTTP among 10 hot wallets (the baseline: the bare send)."""
    if spec.target == "baseline":
        return await send(spec)
    users = await seed.sign_in_many(spec.port, 10)
    handles = [u.handle for u in users]
    groups = await seed.solo_groups(spec.port, users)
    await asyncio.gather(*(allow_payments(spec, u, g) for u, g in zip(users, groups, strict=True)))
    connections = await senders(spec, [users[c % 10].token for c in range(spec.clients)])

    async def request(client: int, count: int) -> bool:
        payee = handles[(client + 1 + count % 9) % 10]
        body = {
            "to": f"@{payee}",
            "amount": "0.01",
            "currency": "INR",
            "idempotency_key": f"k{client}-{count}",
        }
        status, _ = await connections[client].request(
            "POST", "/api/v1/apps/payments/transfers", json.dumps(body).encode()
        )
        return status == 201

    return await closed_loops(spec, spec.clients, request)


async def seats(spec: Spec) -> dict[str, Any]:
    from bench.tickets_load import seat_holds

    return await seat_holds(spec, closed_loops)


WORKLOADS: dict[str, Callable[[Spec], Awaitable[dict[str, Any]]]] = {
    "send": send,
    "online": lambda spec: send(spec, online=True),
    "command": command,
    "fanout": fanout,
    "memory": memory,
    "transfer": transfer,
    "seats": seats,
    "group_reads": lambda spec: group_reads.group_reads(
        spec, open_sockets, ws_url, closed_loops, message_body
    ),
}


def main() -> None:
    spec = Spec(**json.loads(sys.argv[1]))
    from bench.souk_server import raise_file_limit

    raise_file_limit()
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    result = runner(asyncio.wait_for(WORKLOADS[spec.workload](spec), spec.budget))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # the sockets close with the process; no close handshakes to wait for


if __name__ == "__main__":
    main()
