"""The command line of a benchmark that runs in one process of its own (scenarios 4 and 5).

``python -m bench.MODULE '{"target": "souk" | "baseline", ...}'`` runs the side named in a
temporary folder (under ``work`` when given) and prints its JSON answer.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.stats import latency_summary

Spec = dict[str, Any]


def main(
    souk: Callable[[Spec, Path], Awaitable[dict[str, Any]]],
    baseline: Callable[[Spec, Path], dict[str, Any]],
    prefix: str,
) -> None:
    spec = json.loads(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix=prefix, dir=spec.get("work")) as folder:
        if spec["target"] == "souk":
            import uvloop

            result = uvloop.run(souk(spec, Path(folder)))
        else:
            result = baseline(spec, Path(folder))
    print(json.dumps(result))


def figures(latencies: list[float], duration: float, errors: int = 0, **extra: Any) -> dict[str, Any]:
    """What a side answers: operations per second in the measured window, and their latencies."""
    return {
        "throughput": len(latencies) / duration,
        "count": len(latencies),
        "errors": errors,
        **extra,
        **latency_summary(latencies),
    }
