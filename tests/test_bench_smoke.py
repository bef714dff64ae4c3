"""The benchmark suite runs from one command and writes well-formed results (smoke mode).

Benchmarks are not timed tests: this runs ``python -m bench --quick`` (one short
run of each scenario, small sizes) and checks that every scenario ran, against
its baseline, and that the JSON, the Markdown table and (with matplotlib) the
chart are well-formed.  It asserts no speed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scenarios import SCENARIOS  # noqa: E402

pytestmark = pytest.mark.slow

ROW_KEYS = {
    "scenario", "label", "metric", "unit", "better", "souk", "baseline", "baseline_label", "ratio",
    "goal", "met", "p50_ms", "p99_ms", "spread", "runs", "errors", "souk_runs", "baseline_runs", "load",
}  # fmt: skip


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench-out")
    work = tmp_path_factory.mktemp("bench-work")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--work", str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"the suite failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return out, json.loads((out / "results.json").read_text())


def test_every_scenario_ran_beside_its_baseline(results: tuple[Path, dict]) -> None:
    _, report = results
    assert report["suite"] == "souk-bench"
    assert report["mode"] == "quick"
    assert {row["scenario"] for row in report["rows"]} == set(SCENARIOS)
    for row in report["rows"]:
        assert set(row) >= ROW_KEYS, row["label"]
        assert row["runs"]["souk"] >= 1 and row["runs"]["baseline"] >= 1, row["label"]
        # A time can be 0 on either side (every member had the message when the ack
        # arrived); never negative.
        assert isinstance(row["souk"], float | int) and row["souk"] >= 0, row["label"]
        assert isinstance(row["baseline"], float | int) and row["baseline"] >= 0, row["label"]
        if row["baseline"] > 0:
            assert isinstance(row["ratio"], float | int) and row["ratio"] >= 0, row["label"]
        else:  # no ratio to a zero time: the table shows "-"
            assert row["ratio"] is None or row["ratio"] >= 0, row["label"]
        assert row["better"] in {"higher", "lower"}
        assert row["met"] in {True, False, None}
        assert row["errors"] == 0, row["label"]


def test_both_sides_ran_with_the_same_durability(results: tuple[Path, dict]) -> None:
    _, report = results
    durability = report["durability"]
    assert durability["souk"] == durability["baseline"] == {"journal_mode": "wal", "synchronous": "FULL"}


def test_every_result_carries_the_load_average_it_was_taken_under(results: tuple[Path, dict]) -> None:
    out, report = results
    loads = [report["load"], *(row["load"] for row in report["rows"])]
    for load in loads:
        assert set(load) == {"before", "after"} and all(value >= 0 for value in load.values())
    text = (out / "results.md").read_text()
    assert f"Load average (1 min) before the run {report['load']['before']:.2f}" in text


def test_scenarios_not_yet_possible_say_why(results: tuple[Path, dict]) -> None:
    _, report = results
    for item in report["not_yet"]:
        assert item["scenario"] and item["reason"].strip()


def test_the_markdown_table_lists_every_row(results: tuple[Path, dict]) -> None:
    out, report = results
    text = (out / "results.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| scenario"))
    width = header.count("|")
    table = [line for line in text.splitlines() if line.startswith("| ") and line != header]
    assert len(table) == len(report["rows"])
    for line, row in zip(table, report["rows"], strict=True):
        assert line.count("|") == width
        assert row["label"] in line


def test_the_scaling_chart_is_a_png(results: tuple[Path, dict]) -> None:
    out, report = results
    assert importlib.util.find_spec("matplotlib") is not None, "uv run installs the bench group by default"
    assert report["chart"] == "scaling.png"
    assert (out / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
