"""The results: a table on the terminal, JSON and Markdown files, and a chart of the scaling curves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.scenarios import Row
from bench.stats import median, spread

FORMAT = 1
# Below this 1-minute load average before a run, the machine counts as quiet.
QUIET_LOAD = 0.5


def _values(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [r[key] for r in runs if key and r.get(key) is not None]


def summarize(row: Row) -> dict[str, Any]:
    souk = _values(row.souk_runs, row.metric)
    base = _values(row.baseline_runs, row.metric)
    souk_median, base_median = median(souk), median(base)
    of_medians = souk_median / base_median if souk_median is not None and base_median else None
    ratio = paired_ratio(souk, base) if len(souk) == len(base) else of_medians
    return {
        "scenario": row.scenario,
        "label": row.label,
        "metric": row.metric,
        "unit": row.unit,
        "better": row.better,
        "souk": _scaled(souk_median, row.scale),
        "baseline": _scaled(base_median, row.scale),
        "baseline_label": row.baseline_label,
        "ratio": ratio,
        "ratio_of_medians": of_medians,
        "goal": str(row.goal) if row.goal else None,
        "met": row.goal.met(ratio) if row.goal else None,
        "p50_ms": {
            "souk": median(_values(row.souk_runs, row.p50)),
            "baseline": median(_values(row.baseline_runs, row.p50)),
        },
        "p99_ms": {
            "souk": median(_values(row.souk_runs, row.p99)),
            "baseline": median(_values(row.baseline_runs, row.p99)),
        },
        "spread": {"souk": spread(souk), "baseline": spread(base)},
        "runs": {"souk": len(souk), "baseline": len(base)},
        "errors": sum(r.get("errors", 0) for r in row.souk_runs + row.baseline_runs),
        "series": row.series,
        "x": row.x,
        "notes": row.notes,
        "souk_runs": row.souk_runs,
        "baseline_runs": row.baseline_runs,
    }


def paired_ratio(souk: list[float], base: list[float]) -> float | None:
    """The median of the per-round ratios: each round ran both sides within the same minute."""
    pairs = [a / b for a, b in zip(souk, base, strict=True) if b]
    return median(pairs) if pairs else None


def _scaled(value: float | None, scale: float) -> float | None:
    return value * scale if value is not None else None


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _pair(pair: dict[str, float | None], fmt: Any = _num) -> str:
    if pair["souk"] is None and pair["baseline"] is None:
        return "-"
    return f"{fmt(pair['souk'])} / {fmt(pair['baseline'])}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _met(summary: dict[str, Any]) -> str:
    if summary["met"] is None:
        return "-"
    return "yes" if summary["met"] else "NO"


def _load(load: dict[str, float] | None) -> str:
    if not load:
        return "-"
    return f"{load['before']:.2f} / {load['after']:.2f}"


HEADERS = [
    "scenario",
    "Souk",
    "baseline",
    "ratio",
    "goal",
    "met",
    "p50 ms S/B",
    "p99 ms S/B",
    "spread S/B",
    "runs",
    "load before/after",
]


def table_rows(summaries: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for s in summaries:
        rows.append(
            [
                s["label"],
                f"{_num(s['souk'])} {s['unit']}",
                f"{_num(s['baseline'])} {s['unit']}",
                "-" if s["ratio"] is None else f"{s['ratio']:.2f}",
                s["goal"] or "-",
                _met(s),
                _pair(s["p50_ms"]),
                _pair(s["p99_ms"]),
                _pair(s["spread"], _pct),
                f"{s['runs']['souk']}+{s['runs']['baseline']}",
                _load(s.get("load")),
            ]
        )
    return rows


def text_table(summaries: list[dict[str, Any]]) -> str:
    rows = [HEADERS, *table_rows(summaries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    summaries = report["rows"]
    lines = [
        "# Souk benchmark results",
        "",
        f"{report['mode']} run of {report['started_at']}, {report['elapsed_s']:.0f} s, on "
        f"{report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
        f"SQLite {report['machine']['sqlite']}.",
        "",
        "Ratio = Souk / baseline: the median over the rounds of the ratio within each round "
        "(each round runs both sides, one after the other). Souk and baseline columns are medians. "
        "S/B = Souk / baseline; spread = (max - min) / median over the runs. "
        + _durability_line(report["durability"]),
        "",
        _load_line(report.get("load")),
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(summaries)]
    baselines = sorted({s["baseline_label"] for s in summaries})
    lines += ["", "Baselines: " + "; ".join(baselines) + "."]
    if report["not_yet"]:
        lines += ["", "Not run:", ""]
        lines += [f"- {item['reason']}" for item in report["not_yet"]]
    if report.get("chart"):
        lines += ["", f"![scaling curves]({report['chart']})"]
    return "\n".join(lines) + "\n"


def _load_line(load: dict[str, float] | None) -> str:
    """The machine's 1-minute load average around the run: a loaded machine flatters a
    commit-bound baseline, so figures are only comparable when taken on a quiet one."""
    if not load:
        return "Load average: not recorded."
    busy = "NOT quiet: take the figures again on a quiet machine"
    verdict = "quiet" if load["before"] < QUIET_LOAD else busy
    return f"Load average (1 min) before the run {load['before']:.2f}, after {load['after']:.2f} ({verdict})."


def _durability_line(durability: dict[str, Any]) -> str:
    parts = [
        f"{side}: journal_mode={d.get('journal_mode')}, synchronous={d.get('synchronous')}"
        for side, d in sorted(durability.items())
    ]
    return ("Durability, " + "; ".join(parts) + ".") if parts else ""


def write(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "results.json", out_dir / "results.md"
    json_path.write_text(json.dumps(report, indent=2) + "\n")
    md_path.write_text(markdown(report))
    return json_path, md_path


def chart(summaries: list[dict[str, Any]], path: Path) -> Path | None:
    """A PNG of the scaling curves; None when there is nothing to draw or no matplotlib."""
    series = {s["series"] for s in summaries if s["series"]}
    if not series:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    panels = [
        ("clients", "throughput", "Send throughput as clients grow", "clients online (log)", "messages/s"),
        ("clients", "p99", "Send p99 latency as clients grow", "clients online (log)", "p99 ms (log)"),
        (
            "miniapps",
            "throughput",
            "Command round trips as mini-apps grow",
            "mini-apps installed",
            "round trips/s",
        ),
        ("fanout-send", "p50", "Fan-out: send until all members have it", "members online", "p50 ms"),
    ]
    panels = [p for p in panels if p[0] in series]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2), squeeze=False)
    for ax, (name, what, title, xlabel, ylabel) in zip(axes[0], panels, strict=True):
        points = sorted((s for s in summaries if s["series"] == name), key=lambda s: s["x"])
        xs = [p["x"] for p in points]
        if what == "throughput":
            souk, base = [p["souk"] for p in points], [p["baseline"] for p in points]
        else:
            key = "p99_ms" if what == "p99" else "p50_ms"
            souk, base = [p[key]["souk"] for p in points], [p[key]["baseline"] for p in points]
        ax.plot(xs, souk, "o-", color="#c0392b", label="Souk")
        base_label = "Souk, 1 mini-app" if name == "miniapps" else "bare baseline"
        if name == "miniapps":
            ax.axhline(base[0] * 0.9, color="#7f8c8d", ls=":", label="90% of 1 mini-app (goal)")
        else:
            ax.plot(xs, base, "s--", color="#2c3e50", label=base_label)
        if name == "clients":
            ax.set_xscale("log")
            if what == "p99":
                ax.set_yscale("log")
        ax.set_xticks(xs)
        ax.set_xticklabels([str(x) for x in xs])
        ax.set_ylim(bottom=0 if ax.get_yscale() == "linear" else None)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
