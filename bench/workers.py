"""Send and fan-out with one and two workers, through this process's hub or through Redis.

    uv run python -m bench.workers            # 3 rounds of 10 s per configuration
    uv run python -m bench.workers --quick    # one round of 3 s each: proves it works

Each configuration starts fresh ``souk serve`` processes on one fresh data folder
(each worker on its own port, so that the clients are spread over the workers
evenly), and, for the Redis ones, a fresh ``redis-server`` on a free loopback port.
64 people, each with a WebSocket on a worker (round robin), are members of one
group; 8 of them send into it in closed loops.  Measured over the window:

- sends per second, and the fan-out latency of each message (from the start of
  its send until the last member has it), p50 and p99;
- the CPU time of the server processes (and of Redis, apart) per delivered
  message (one message reaching one member's socket), from ``/proc``.

The figure to read is the ratio of CPU per delivered message to the in-process
hub's, with one worker, in the same round: what Redis costs.  The 1-minute load
average is recorded before and after each round; a loaded machine makes the
absolute figures worth little, the ratios less so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

from .servers import HOST, ROOT, child_env, free_port, get
from .stats import percentile

MEMBERS = 64
SENDERS = 8
CONFIGURATIONS = (
    ("1 worker, in-process", 1, False),
    ("1 worker, Redis", 1, True),
    ("2 workers, Redis", 2, True),
)
OFF = [
    arg
    for name in ("sends_per_user", "sends_per_conversation", "commands_per_user")
    for arg in ("--limit", f"{name}=off")
]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return os.getloadavg()[0]


def _wait_http(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("a server process ended while starting")
        with contextlib.suppress(OSError, ValueError):
            if get(port, "/api/v1/health")[0] == 200:
                return
        time.sleep(0.05)
    raise RuntimeError("a server did not start in time")


@dataclass
class Cluster:
    """The processes of one configuration: the workers, and Redis if any."""

    folder: Path
    workers: int
    redis: bool
    ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    redis_process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = list(OFF)
        if self.redis:
            port = free_port()
            self.redis_process = subprocess.Popen(
                [
                    shutil.which("redis-server") or "redis-server",
                    "--bind",
                    HOST,
                    "--port",
                    str(port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            args += ["--redis", f"redis://{HOST}:{port}/0"]
            time.sleep(0.3)
        for index in range(self.workers):
            port = free_port()
            log = (self.folder / f"worker-{index}.log").open("ab")
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from souk.cli import main; main()",
                    "serve",
                    "--data",
                    str(self.folder / "data"),
                    "--host",
                    HOST,
                    "--port",
                    str(port),
                    "--dev-code",
                    "--log-level",
                    "warning",
                    *args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=child_env(),
                cwd=ROOT,
            )
            log.close()
            _wait_http(port, process)  # one after another: the first migrates the data folder
            self.ports.append(port)
            self.processes.append(process)

    def cpu(self) -> tuple[float, float]:
        souk = sum(cpu_seconds(p.pid) for p in self.processes)
        redis = cpu_seconds(self.redis_process.pid) if self.redis_process else 0.0
        return souk, redis

    def stop(self) -> None:
        for process in [*self.processes, *([self.redis_process] if self.redis_process else [])]:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


async def _sign_in(http: httpx.AsyncClient, n: int) -> dict[str, Any]:
    phone = f"+9198765{n:05d}"
    await http.post("/api/v1/auth/code", json={"phone": phone})
    response = await http.post(
        "/api/v1/auth/verify", json={"phone": phone, "code": "000000", "display_name": f"Member {n}"}
    )
    response.raise_for_status()
    return response.json()


async def measure(cluster: Cluster, duration: float, warmup: float = 1.0) -> dict[str, Any]:
    urls = [f"http://{HOST}:{port}" for port in cluster.ports]
    clients = [
        httpx.AsyncClient(base_url=urls[i % len(urls)], timeout=30, trust_env=False) for i in range(MEMBERS)
    ]
    try:
        people = [await _sign_in(clients[i], i) for i in range(MEMBERS)]
        for http, person in zip(clients, people, strict=True):
            http.headers["Authorization"] = f"Bearer {person['token']}"
        created = await clients[0].post(
            "/api/v1/conversations",
            json={
                "kind": "group",
                "title": "bench",
                "members": [{"user_id": p["user"]["id"]} for p in people[1:]],
            },
        )
        created.raise_for_status()
        cid = created.json()["id"]
        arrivals: dict[str, list[float]] = {}
        sent_at: dict[str, float] = {}
        sockets = []
        for i, person in enumerate(people):
            ws = await websockets.connect(
                f"ws://{HOST}:{cluster.ports[i % len(cluster.ports)]}/api/v1/ws",
                max_size=2**22,
                compression=None,
            )
            await ws.send(json.dumps({"type": "auth", "token": person["token"]}))
            await ws.recv()
            await ws.send(json.dumps({"type": "resume", "since": {cid: created.json()["last_seq"]}}))
            sockets.append(ws)

        async def receive(ws: Any) -> None:
            async for raw in ws:
                if raw.startswith('{"type":"message"'):
                    text = json.loads(raw)["message"]["text"]
                    arrivals.setdefault(text, []).append(time.perf_counter())

        readers = [asyncio.create_task(receive(ws)) for ws in sockets]
        loop = asyncio.get_running_loop()
        start = loop.time()
        window = (start + warmup, start + warmup + duration)
        counter = iter(range(10**9))

        async def sender(http: httpx.AsyncClient, who: int) -> None:
            while loop.time() < window[1]:
                text = f"{who}:{next(counter)}"
                sent_at[text] = time.perf_counter() if loop.time() >= window[0] else -1.0
                response = await http.post(
                    f"/api/v1/conversations/{cid}/messages", json={"client_id": text, "text": text}
                )
                response.raise_for_status()

        await asyncio.sleep(0.5)
        senders = [asyncio.create_task(sender(clients[i * (MEMBERS // SENDERS)], i)) for i in range(SENDERS)]
        await asyncio.sleep(warmup)
        cpu_before, load_before = cluster.cpu(), load_average()
        await asyncio.sleep(duration)
        cpu_after = cluster.cpu()
        await asyncio.gather(*senders)
        await asyncio.sleep(2.0)  # the last messages' fan-out
        for task in readers:
            task.cancel()
        for ws in sockets:
            await ws.close()
    finally:
        for http in clients:
            await http.aclose()
    measured = [text for text, at in sent_at.items() if at > 0]
    complete = [text for text in measured if len(arrivals.get(text, ())) == MEMBERS]
    fanout = sorted(max(arrivals[t]) - sent_at[t] for t in complete)
    deliveries = len(measured) * MEMBERS
    souk_cpu, redis_cpu = (cpu_after[0] - cpu_before[0]), (cpu_after[1] - cpu_before[1])
    return {
        "sends_per_s": len(measured) / duration,
        "complete": f"{len(complete)}/{len(measured)}",
        "fanout_p50_ms": 1000 * percentile(fanout, 50) if fanout else None,
        "fanout_p99_ms": 1000 * percentile(fanout, 99) if fanout else None,
        "souk_cpu_us_per_delivery": 1e6 * souk_cpu / deliveries if deliveries else None,
        "redis_cpu_us_per_delivery": 1e6 * redis_cpu / deliveries if deliveries else None,
        "load_before": load_before,
        "load_after": load_average(),
    }


def run(rounds: int, duration: float) -> list[dict[str, Any]]:
    results = []
    for round_index in range(rounds):
        for label, workers, redis in CONFIGURATIONS:
            with tempfile.TemporaryDirectory(prefix="souk-bench-workers-") as folder:
                cluster = Cluster(Path(folder), workers, redis)
                try:
                    cluster.start()
                    figures = asyncio.run(measure(cluster, duration))
                finally:
                    cluster.stop()
            results.append({"round": round_index, "configuration": label, **figures})
            print(json.dumps(results[-1]), flush=True)
    return results


def table(results: list[dict[str, Any]]) -> str:
    """The figures per configuration (medians over rounds) and the CPU ratio to the in-process hub."""
    baseline: dict[int, float] = {
        r["round"]: r["souk_cpu_us_per_delivery"]
        for r in results
        if r["configuration"] == CONFIGURATIONS[0][0]
    }
    lines = [
        "| configuration | sends/s | fan-out p50 ms | p99 ms | Souk CPU us/delivery "
        "| Redis CPU us/delivery | CPU ratio to in-process | load before/after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, _workers, _redis in CONFIGURATIONS:
        rows = [r for r in results if r["configuration"] == label]

        def median(key: str, rows: list[dict[str, Any]] = rows) -> float:
            values = sorted(r[key] for r in rows if r[key] is not None)
            return values[len(values) // 2] if values else float("nan")

        ratios = sorted(r["souk_cpu_us_per_delivery"] / baseline[r["round"]] for r in rows)
        lines.append(
            f"| {label} | {median('sends_per_s'):.0f} "
            f"| {median('fanout_p50_ms'):.1f} | {median('fanout_p99_ms'):.1f} "
            f"| {median('souk_cpu_us_per_delivery'):.1f} | {median('redis_cpu_us_per_delivery'):.1f} "
            f"| {ratios[len(ratios) // 2]:.2f} | {median('load_before'):.1f}/{median('load_after'):.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round of 3 s per configuration")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0)
    options = parser.parse_args()
    rounds, duration = (1, 3.0) if options.quick else (options.rounds, options.duration)
    print(table(run(rounds, duration)))


if __name__ == "__main__":
    main()
