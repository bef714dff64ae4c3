"""Run a Souk server for the tickets' browser test: the demo world with payments and tickets.

    python tickets_server.py DATA_DIR PORT

The demo builds the concert in Mumbai (a seat map, some seats sold) and the
festival in São Paulo; payments run in India and Brazil.
"""

from __future__ import annotations

import sys
from pathlib import Path

from souk.app import create_app
from souk.foundation.settings import DEV_CODE, RULE_SETTINGS, Settings
from souk.operators import demo
from souk.runtime import Runtime
from souk.serving import serve


def main(data_dir: str, port: str) -> None:
    no_limits = dict.fromkeys(RULE_SETTINGS, "off")
    settings = Settings(
        Path(data_dir), dev_code=DEV_CODE, demo=True, code_requests_per_hour=10_000, **no_limits
    )
    runtime = Runtime.open(settings, plugins=["payments", "tickets"])
    demo.build(runtime)
    serve(create_app(settings, runtime=runtime), host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(*sys.argv[1:3])
