"""Run Souk for a benchmark: ``python -m bench.souk_server --data DIR --port PORT --apps N``.

It builds the app with ``create_app`` and exactly the benchmark's mini-apps
(``--installed`` adds those installed through the ``souk.plugins`` entry point),
enables them in India (every benchmark user has an Indian number), and serves
it with uvicorn on 127.0.0.1 with the same options as the baseline: uvloop,
httptools, no access log.  The store is Souk's own: WAL, ``synchronous=FULL``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import resource
import sys
from pathlib import Path
from typing import Any

from bench.miniapps import bench_apps

COUNTRY = "IN"


def raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def installed_plugins() -> list[Any]:
    return [ep.load() for ep in importlib.metadata.entry_points(group="souk.plugins")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--apps", type=int, default=1, help="benchmark mini-apps: /echo, then generated ones")
    parser.add_argument("--installed", action="store_true", help="also load the installed mini-apps")
    args = parser.parse_args(argv)
    raise_file_limit()
    from souk.app import create_app
    from souk.foundation.clock import SystemClock
    from souk.foundation.settings import RULE_SETTINGS, Settings
    from souk.operators.operations import Operations
    from souk.runtime import Runtime
    from souk.serving import serve

    plugins: list[Any] = list(bench_apps(args.apps))
    if args.installed:
        plugins.extend(installed_plugins())
    no_limits = dict.fromkeys(RULE_SETTINGS, "off")  # the baseline has none: measure the same work
    settings = Settings(args.data, dev_code="000000", code_requests_per_hour=10**6, **no_limits)
    runtime = Runtime.open(settings, plugins)
    operations = Operations(runtime.core, runtime.registry, SystemClock())
    for app in runtime.registry.apps.values():
        if not app.builtin and app.manifest.serves(COUNTRY):
            operations.enable(app.name, COUNTRY, "bench")
    durability = runtime.core.db.execute("PRAGMA journal_mode").fetchone()[0]
    info = {"journal_mode": durability, "synchronous": runtime.core.synchronous, "apps": len(plugins)}
    print(json.dumps({"souk": info}), file=sys.stderr, flush=True)
    app = create_app(settings, runtime=runtime)
    serve(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
