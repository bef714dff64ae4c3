"""Run the benchmark suite, or some of its scenarios, and write the results.

    uv run --group bench python -m bench                      # the whole suite (about 10 minutes)
    uv run --group bench python -m bench --scenario send      # one scenario (repeat the option for more)
    uv run --group bench python -m bench --quick              # smoke mode: seconds per scenario
    uv run --group bench python -m bench --profile send       # py-spy profile of Souk under that load

Results go to ``bench/results/`` (``--out`` to change): ``results.json``,
``results.md`` and ``scaling.png``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.scenarios import NOT_YET, SCENARIOS, Bench, Mode

HERE = Path(__file__).resolve().parent
ALIASES = {"scaling": ["scaling-clients", "scaling-apps"]}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    names = [*SCENARIOS, *ALIASES, *NOT_YET]
    parser.add_argument("--scenario", action="append", choices=names, help="run only this one (repeatable)")
    parser.add_argument("--quick", action="store_true", help="smoke mode: 1 short run each, small sizes")
    parser.add_argument("--runs", type=int, help="runs of each side (default 3; 1 with --quick)")
    parser.add_argument("--duration", type=float, help="measured seconds of each run (default 5)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where the results go")
    parser.add_argument(
        "--work", type=Path, help="where the servers' data folders go (default: a temp folder)"
    )
    parser.add_argument("--profile", choices=list(SCENARIOS), help="profile Souk under one scenario's load")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def chosen(args: argparse.Namespace) -> list[str]:
    if not args.scenario:
        return [*SCENARIOS, *NOT_YET]
    names: list[str] = []
    for name in args.scenario:
        for item in ALIASES.get(name, [name]):
            if item not in names:
                names.append(item)
    return names


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.list:
        for name, function in SCENARIOS.items():
            print(f"{name:<16} {(function.__doc__ or '').strip()}")
        for name, reason in NOT_YET.items():
            print(f"{name:<16} {reason}")
        return 0
    mode = Mode(
        quick=args.quick,
        runs=args.runs or (1 if args.quick else 3),
        warmup=0.2 if args.quick else 1.0,
        duration=args.duration or (0.8 if args.quick else 5.0),
    )
    work = args.work or Path(tempfile.mkdtemp(prefix="souk-bench-"))
    bench = Bench(mode, work, log=lambda line: print(line, flush=True))
    try:
        if args.profile:
            from bench.profiling import profile

            path = profile(bench, args.profile, args.out)
            print(f"profile: {path}")
            return 0
        return run_suite(bench, chosen(args), args.out)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def load_average() -> float:
    """The 1-minute load average, recorded with every result (0.0 where the system has none)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def run_suite(bench: Bench, names: list[str], out: Path) -> int:
    load_at_start = load_average()
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    summaries: list[dict[str, Any]] = []
    not_yet = []
    for name in names:
        if name in NOT_YET:
            not_yet.append({"scenario": name, "reason": NOT_YET[name]})
            continue
        load_before = load_average()
        print(f"== {name} (load average {load_before:.2f})", flush=True)
        began = time.monotonic()
        rows = [report.summarize(row) for row in SCENARIOS[name](bench)]
        load = {"before": load_before, "after": load_average()}
        summaries += [{**row, "load": load} for row in rows]
        print(f"   ({time.monotonic() - began:.0f} s)", flush=True)
    result: dict[str, Any] = {
        "suite": "souk-bench",
        "format": report.FORMAT,
        "mode": "quick" if bench.mode.quick else "full",
        "started_at": started_at,
        "elapsed_s": time.monotonic() - started,
        "settings": {
            "runs": bench.mode.runs,
            "warmup_s": bench.mode.warmup,
            "duration_s": bench.mode.duration,
        },
        "machine": machine(),
        "load": {"before": load_at_start, "after": load_average()},
        "durability": bench.durability,
        "rows": summaries,
        "not_yet": not_yet,
        "chart": None,
    }
    out.mkdir(parents=True, exist_ok=True)
    chart = report.chart(summaries, out / "scaling.png")
    if chart is not None:
        result["chart"] = chart.name
    elif any(s["series"] for s in summaries):
        print("(no chart: matplotlib is missing; run with `uv run --group bench`)", file=sys.stderr)
    json_path, md_path = report.write(result, out)
    print()
    print(report.text_table(summaries))
    for item in not_yet:
        print(f"not run: {item['reason']}")
    print(f"\nwrote {json_path}, {md_path}" + (f", {out / result['chart']}" if result["chart"] else ""))
    return 0
