"""The scenarios of the suite: what each one starts, what it measures, and its goal.

Every scenario runs Souk and its baseline in the same run, interleaved
(Souk, baseline, baseline, Souk, ...), each on a fresh data folder and a fresh
process, so that a slow minute of a shared machine falls on both.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.checkins import available as checkins_available
from bench.ledger import available as ledger_available
from bench.miniapps import command_names
from bench.servers import ROOT, Server, Side, child_env

SOUK = Side("souk")
BASELINE = Side("baseline")
BARE = "bare Starlette + sqlite-utils"


@dataclass
class Mode:
    quick: bool
    runs: int
    warmup: float
    duration: float

    def pick(self, quick: Any, full: Any) -> Any:
        return quick if self.quick else full


@dataclass
class Goal:
    op: str  # ">=" or "<="
    value: float

    def met(self, ratio: float | None) -> bool | None:
        if ratio is None:
            return None
        return ratio >= self.value if self.op == ">=" else ratio <= self.value

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass
class Row:
    """One line of the results table: a Souk figure beside its baseline, from the same runs."""

    scenario: str
    label: str
    metric: str
    unit: str
    better: str
    souk_runs: list[dict[str, Any]]
    baseline_runs: list[dict[str, Any]]
    baseline_label: str = BARE
    goal: Goal | None = None
    scale: float = 1.0
    p50: str = "p50_ms"
    p99: str = "p99_ms"
    series: str | None = None
    x: int | None = None
    notes: str = ""


@dataclass
class Bench:
    mode: Mode
    work_dir: Path
    log: Callable[[str], None] = print
    durability: dict[str, dict[str, Any]] = field(default_factory=dict)
    _serial: int = 0

    def fresh_dir(self, name: str) -> Path:
        self._serial += 1
        path = self.work_dir / f"{self._serial:03d}-{name}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def server(self, side: Side, folder: Path | None = None) -> Server:
        folder = folder or self.fresh_dir(side.target)
        return Server(side, folder / "data", folder / "server.log")

    def load(self, spec: dict[str, Any]) -> dict[str, Any]:
        spec = {"warmup": self.mode.warmup, "duration": self.mode.duration, **spec}
        spec["budget"] = 120 + spec["warmup"] + spec["duration"]
        done = subprocess.run(
            [sys.executable, "-m", "bench.load", json.dumps(spec)],
            capture_output=True,
            text=True,
            env=child_env(),
            cwd=ROOT,
            timeout=spec["budget"] + 30,
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"the load generator failed ({spec['workload']}):\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def run(self, side: Side, spec: dict[str, Any]) -> dict[str, Any]:
        """One run: a fresh server, the load from another process, the server stopped."""
        with self.server(side) as server:
            self.durability.setdefault(side.target, server.durability)
            result = self.load({**spec, "target": side.target, "port": server.port, "server_pid": server.pid})
        result["startup_s"] = server.startup_seconds
        return result

    def inprocess(self, module: str, spec: dict[str, Any]) -> dict[str, Any]:
        """A benchmark that runs in one process of its own (no server): its JSON answer."""
        spec = {
            "warmup": self.mode.warmup,
            "duration": self.mode.duration,
            "work": str(self.work_dir),
            **spec,
        }
        done = subprocess.run(
            [sys.executable, "-m", module, json.dumps(spec)],
            capture_output=True,
            text=True,
            env=child_env(),
            cwd=ROOT,
            timeout=120 + spec["duration"],
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"{module} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def interleaved(
        self, plan: list[tuple[str, Side, dict[str, Any]]], extra_runs: int = 0
    ) -> dict[str, list[dict[str, Any]]]:
        """``runs`` rounds over the plan, rotating who goes first; the results of each key."""
        results: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in plan}
        runs = self.mode.runs + (0 if self.mode.quick else extra_runs)
        for round_ in range(runs):
            shift = round_ % len(plan)
            for key, side, spec in plan[shift:] + plan[:shift]:
                self.log(f"  run {round_ + 1}/{runs}: {key}")
                results[key].append(self.run(side, spec))
        return results


# -- 1. message send over HTTP --------------------------------------------------------------


def send(bench: Bench) -> list[Row]:
    """1. Authenticated sends with a client message id over HTTP, beside a bare POST + insert."""
    clients = bench.mode.pick(4, 32)
    spec = {"workload": "send", "clients": clients}
    runs = bench.interleaved([("souk", SOUK, spec), ("baseline", BASELINE, spec)])
    return [
        Row(
            "send",
            f"1. message send over HTTP, {clients} clients",
            "throughput",
            "msg/s",
            "higher",
            runs["souk"],
            runs["baseline"],
            goal=Goal(">=", 0.6),
            notes="authenticated send with a client message id into a direct chat; goal 0.6, "
            "design target 1.0",
        )
    ]


# -- 2. command round trip ------------------------------------------------------------------


def command(bench: Bench) -> list[Row]:
    """2. /echo round trips through the full dispatch, beside the bare send."""
    clients = bench.mode.pick(4, 32)
    runs = bench.interleaved(
        [
            ("souk", SOUK, {"workload": "command", "clients": clients, "commands": ["echo"]}),
            ("baseline", BASELINE, {"workload": "send", "clients": clients}),
        ]
    )
    return [
        Row(
            "command",
            f"2. /echo round trip, {clients} clients",
            "throughput",
            "round trips/s",
            "higher",
            runs["souk"],
            runs["baseline"],
            baseline_label=f"{BARE} (bare send)",
            goal=Goal(">=", 0.5),
            notes="send /echo, dispatch, the reply stored and received over WebSocket",
        )
    ]


# -- 3. WebSocket fan-out -------------------------------------------------------------------


def fanout(bench: Bench) -> list[Row]:
    """3. A group of 200 and 1,000 members online: ack until every member has it."""
    rows = []
    for members in bench.mode.pick((10,), (200, 1000)):
        spec = {"workload": "fanout", "clients": members, "sends": bench.mode.pick(3, 30)}
        runs = bench.interleaved([("souk", SOUK, spec), ("baseline", BASELINE, spec)])
        common = {
            "unit": "ms",
            "better": "lower",
            "souk_runs": runs["souk"],
            "baseline_runs": runs["baseline"],
        }
        rows.append(
            Row(
                "fanout",
                f"3. fan-out to {members} online, ack -> all (p50)",
                "p50_ms",
                goal=Goal("<=", 1.5),
                series="fanout-ack",
                x=members,
                notes="time from the send's acknowledgement until every member has the message",
                **common,
            )
        )
        rows.append(
            Row(
                "fanout",
                f"3. fan-out to {members} online, send -> all (p50)",
                "send_p50_ms",
                p50="send_p50_ms",
                p99="send_p99_ms",
                goal=Goal("<=", 1.5),
                series="fanout-send",
                x=members,
                notes="time from the send's request until every member has the message",
                **common,
            )
        )
    return rows


# -- 4. ledger ---------------------------------------------------------------------------------


def ledger(bench: Bench) -> list[Row]:
    """4. Ledger transfers among 10 hot wallets at FULL, in-process and over HTTP."""
    clients = bench.mode.pick(4, 32)
    rounds: dict[str, list[dict[str, Any]]] = {"souk": [], "baseline": []}
    for round_ in range(bench.mode.runs):
        for target in ("souk", "baseline")[:: 1 if round_ % 2 == 0 else -1]:
            bench.log(f"  run {round_ + 1}/{bench.mode.runs}: in-process {target}")
            rounds[target].append(bench.inprocess("bench.ledger", {"target": target, "clients": clients}))
    payments = Side("souk", installed=True)
    http = bench.interleaved(
        [
            ("souk", payments, {"workload": "transfer", "clients": clients}),
            ("baseline", BASELINE, {"workload": "send", "clients": clients}),
        ]
    )
    common = {"metric": "throughput", "unit": "transfers/s", "better": "higher"}
    return [
        Row(
            "ledger",
            f"4. ledger transfers in-process, {clients} writers",
            souk_runs=rounds["souk"],
            baseline_runs=rounds["baseline"],
            baseline_label="single-row sqlite-utils inserts at FULL (in-process)",
            goal=Goal(">=", 0.5),
            notes="the payments mini-app's wallets.transfer through Souk's group-committing store",
            **common,
        ),
        Row(
            "ledger",
            f"4. ledger transfers over HTTP, {clients} clients",
            souk_runs=http["souk"],
            baseline_runs=http["baseline"],
            baseline_label=f"{BARE} (bare send)",
            goal=Goal(">=", 0.6),
            notes="POST /api/v1/apps/payments/transfers among 10 hot wallets",
            **common,
        ),
    ]


# -- 5. seats ---------------------------------------------------------------------------------


def seats(bench: Bench) -> list[Row]:
    """5. Seat holds under contention over HTTP (500 seats), and check-ins at the door in-process."""
    clients = bench.mode.pick(4, 32)
    spec = {"workload": "seats", "clients": clients}
    http = bench.interleaved([("souk", Side("souk", installed=True), spec), ("baseline", BASELINE, spec)])
    door: dict[str, list[dict[str, Any]]] = {"souk": [], "baseline": []}
    tickets = bench.mode.pick(3_000, 20_000)
    for round_ in range(bench.mode.runs):
        for target in ("souk", "baseline")[:: 1 if round_ % 2 == 0 else -1]:
            bench.log(f"  run {round_ + 1}/{bench.mode.runs}: check-ins in-process {target}")
            door[target].append(
                bench.inprocess("bench.checkins", {"target": target, "clients": clients, "tickets": tickets})
            )
    return [
        Row(
            "seats",
            f"5. seat holds over HTTP, {clients} clients racing over 500 seats",
            "throughput",
            "holds/s",
            "higher",
            http["souk"],
            http["baseline"],
            baseline_label=f"{BARE} (the same conditional insert)",
            goal=Goal(">=", 0.5),
            notes="POST /api/v1/apps/tickets/events/{event}/holds of a random seat: 201 held or 409 taken; "
            "a won seat is let go, untimed, before the next hold",
        ),
        Row(
            "seats",
            f"5. check-ins in-process, {clients} doors",
            "throughput",
            "check-ins/s",
            "higher",
            door["souk"],
            door["baseline"],
            baseline_label="signature verified, one conditional insert at FULL (in-process)",
            notes="the tickets mini-app's check_in through Souk's group-committing store, a new ticket each",
        ),
    ]


# -- 6. scaling curves ----------------------------------------------------------------------


def scaling_clients(bench: Bench) -> list[Row]:
    """6. Send throughput and p99 with 10, 100 and 1,000 clients online."""
    rows = []
    for clients in bench.mode.pick((4,), (10, 100, 1000)):
        spec = {"workload": "online", "clients": clients}
        runs = bench.interleaved([("souk", SOUK, spec), ("baseline", BASELINE, spec)])
        rows.append(
            Row(
                "scaling-clients",
                f"6. send with {clients} clients online",
                "throughput",
                "msg/s",
                "higher",
                runs["souk"],
                runs["baseline"],
                series="clients",
                x=clients,
                notes="every client holds a WebSocket and sends in a closed loop into a direct chat",
            )
        )
    return rows


def scaling_apps(bench: Bench) -> list[Row]:
    """6. Command round trips with 1, 4 and 20 mini-apps installed."""
    counts = bench.mode.pick((1, 4), (1, 4, 20))
    clients = bench.mode.pick(4, 32)
    plan = [
        (
            str(count),
            Side("souk", apps=count),
            {"workload": "command", "clients": clients, "commands": command_names(count)},
        )
        for count in counts
    ]
    runs = bench.interleaved(plan, extra_runs=2)  # a 10% effect needs more than 3 noisy rounds
    return [
        Row(
            "scaling-apps",
            f"6. commands with {count} mini-apps installed",
            "throughput",
            "round trips/s",
            "higher",
            runs[str(count)],
            runs[str(counts[0])],
            baseline_label="Souk with 1 mini-app",
            goal=Goal(">=", 0.9) if count > 1 else None,
            series="miniapps",
            x=count,
            notes="clients use the commands of every installed mini-app in turn; "
            "goal: at most 10% slower than with 1",
        )
        for count in counts
    ]


# -- 7. start-up and memory -----------------------------------------------------------------


def startup(bench: Bench) -> list[Row]:
    """7. Time until the first request is served, with all mini-apps."""
    apps = bench.mode.pick(4, 20)
    souk = Side("souk", apps=apps, installed=True)
    fresh: dict[str, list[dict[str, Any]]] = {"souk": [], "baseline": []}
    again: dict[str, list[dict[str, Any]]] = {"souk": [], "baseline": []}
    for round_ in range(bench.mode.runs):
        for key, side in [("souk", souk), ("baseline", BASELINE)][:: 1 if round_ % 2 == 0 else -1]:
            bench.log(f"  run {round_ + 1}/{bench.mode.runs}: {key}")
            folder = bench.fresh_dir(key)
            for store in (fresh, again):
                with bench.server(side, folder) as server:
                    store[key].append({"seconds": server.startup_seconds})
    common = {"unit": "s", "better": "lower", "p50": "", "p99": ""}
    return [
        Row(
            "startup",
            f"7. start-up with all mini-apps ({apps} + installed), empty data folder",
            "seconds",
            souk_runs=fresh["souk"],
            baseline_runs=fresh["baseline"],
            notes="from process start until the first request is answered (migrations included)",
            **common,
        ),
        Row(
            "startup",
            f"7. start-up with all mini-apps ({apps} + installed), restart",
            "seconds",
            souk_runs=again["souk"],
            baseline_runs=again["baseline"],
            notes="the same, on the data folder of the first start",
            **common,
        ),
    ]


def memory(bench: Bench) -> list[Row]:
    """7. Server memory per idle WebSocket connection."""
    connections = bench.mode.pick(20, 1000)
    spec = {"workload": "memory", "clients": connections}
    runs = bench.interleaved([("souk", SOUK, spec), ("baseline", BASELINE, spec)])
    return [
        Row(
            "memory",
            f"7. memory per idle WebSocket ({connections} open)",
            "bytes_per_connection",
            "KiB",
            "lower",
            runs["souk"],
            runs["baseline"],
            scale=1 / 1024,
            p50="",
            p99="",
            notes="growth of the server's resident memory, divided by the connections",
        )
    ]


# -- 8. read receipts ---------------------------------------------------------------------------


def receipts(bench: Bench) -> list[Row]:
    """8. Sends into a group of 200 online where every member reads every message, beside none reading."""
    members = bench.mode.pick(20, 200)
    clients = bench.mode.pick(2, 4)
    spec = {"workload": "group_reads", "clients": clients, "members": members}
    runs = bench.interleaved(
        [("reads", SOUK, {**spec, "reads": True}), ("no_reads", SOUK, {**spec, "reads": False})]
    )
    return [
        Row(
            "receipts",
            f"8. send into a group of {members} online, everyone reading, {clients} senders",
            "throughput",
            "msg/s",
            "higher",
            runs["reads"],
            runs["no_reads"],
            baseline_label="Souk, the same group online, nobody reading",
            goal=Goal(">=", 0.7),
            notes="each member sends a read frame for the newest message it has, at most every 0.2 s "
            "(as the web client does); the senders receive the receipt frames; last_message_read_by "
            "in results.json says every member read the last message",
        )
    ]


SCENARIOS: dict[str, Callable[[Bench], list[Row]]] = {
    "send": send,
    "command": command,
    "fanout": fanout,
    "ledger": ledger,
    "seats": seats,
    "scaling-clients": scaling_clients,
    "scaling-apps": scaling_apps,
    "startup": startup,
    "memory": memory,
    "receipts": receipts,
}

NOT_YET: dict[str, str] = {}
if not checkins_available():
    del SCENARIOS["seats"]
    NOT_YET["seats"] = "5. seat holds under contention: not yet, needs the tickets mini-app (souk_tickets)"
if not ledger_available():
    del SCENARIOS["ledger"]
    NOT_YET["ledger"] = "4. ledger transfers: not yet, needs the payments mini-app (souk_payments)"
