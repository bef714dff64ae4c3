"""Profile Souk under one scenario's load with py-spy (every thread, sampled from outside).

``python -m bench --profile send`` starts Souk, attaches ``py-spy record`` to it,
drives the scenario's load, and writes to the results folder:

- ``profile-<scenario>.txt``: the functions that hold the most samples,
  inclusive (with what they call) and by themselves;
- ``profile-<scenario>.folded``: the collapsed stacks, for any flame graph tool
  (``flamegraph.pl``, speedscope.app).
"""

from __future__ import annotations

import collections
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.miniapps import command_names
from bench.scenarios import Bench
from bench.servers import Side

LOADS: dict[str, tuple[Side, dict[str, Any]]] = {
    "send": (Side("souk"), {"workload": "send", "clients": 32}),
    "command": (Side("souk"), {"workload": "command", "clients": 32, "commands": ["echo"]}),
    "fanout": (Side("souk"), {"workload": "fanout", "clients": 1000, "sends": 60}),
    "scaling-clients": (Side("souk"), {"workload": "online", "clients": 1000}),
    "scaling-apps": (
        Side("souk", apps=20),
        {"workload": "command", "clients": 32, "commands": command_names(20)},
    ),
    "memory": (Side("souk"), {"workload": "memory", "clients": 1000}),
    "ledger": (Side("souk", installed=True), {"workload": "transfer", "clients": 32}),
    "seats": (Side("souk", installed=True), {"workload": "seats", "clients": 32}),
    "receipts": (Side("souk"), {"workload": "group_reads", "clients": 4, "members": 200, "reads": True}),
}

PY_SPY_MODE = ["--gil"]
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit(
            "py-spy is not installed: run with `uv run --group bench python -m bench --profile ...`"
        )
    return found


def profile(bench: Bench, scenario: str, out: Path) -> Path:
    if scenario not in LOADS:
        raise SystemExit(f"no load to profile for {scenario}; choose one of {', '.join(LOADS)}")
    side, spec = LOADS[scenario]
    out.mkdir(parents=True, exist_ok=True)
    folded = out / f"profile-{scenario}.folded"
    with bench.server(side) as server:
        recorder = subprocess.Popen(
            [
                py_spy(),
                "record",
                "--pid",
                str(server.pid),
                "--rate",
                "250",
                "--format",
                "raw",
                "--threads",
                *PY_SPY_MODE,
                "--nonblocking",
                "--output",
                str(folded),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.5)
        try:
            bench.load({**spec, "target": "souk", "port": server.port, "server_pid": server.pid})
        finally:
            recorder.send_signal(signal.SIGINT)
            try:
                recorder.wait(timeout=60)
            except subprocess.TimeoutExpired:
                recorder.kill()
    summary = out / f"profile-{scenario}.txt"
    summary.write_text(summarize(folded.read_text()))
    return summary


def _name(frame: str) -> str:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match["file"]
    for marker in ("site-packages/", "/core/", "/sdk/", "/bench/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{match['function']} ({file})"


def summarize(folded: str, top: int = 40) -> str:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    threads: collections.Counter[str] = collections.Counter()
    total = 0
    for line in folded.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        thread, frames = frames[0], [_name(f) for f in frames[1:]]
        total += count
        threads[re.sub(r"\s*\(?0x[0-9a-f]+\)?", "", thread).strip() or thread] += count
        for name in set(frames):
            inclusive[name] += count
        if frames:
            own[frames[-1]] += count
    if not total:
        return "no samples\n"
    lines = [
        f"{total} samples (only a thread holding the GIL: where the Python CPU time goes)",
        "",
        "by thread:",
    ]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in threads.most_common(10)]
    lines += ["", f"top {top} inclusive (the function and what it calls):"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", f"top {top} by itself:"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in own.most_common(top)]
    return "\n".join(lines) + "\n"
