"""Run a Souk server for the browser tests: the demo world, with payments and the Kiosk and Lodge
mini-apps.

    python launch_server.py DATA_DIR PORT

The demo world (people, a group, a direct chat) is built on first start and kept
in DATA_DIR, so a restart on the same folder and port finds everything again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lodge_app
from kiosk_app import Kiosk
from souk.app import create_app
from souk.foundation.settings import DEV_CODE, RULE_SETTINGS, Settings
from souk.operators import demo
from souk.runtime import Runtime
from souk.serving import serve


def main(data_dir: str, port: str) -> None:
    # The tests seed history through the API at machine speed: no limits on sends here.
    no_limits = dict.fromkeys(RULE_SETTINGS, "off")
    settings = Settings(
        Path(data_dir), dev_code=DEV_CODE, demo=True, code_requests_per_hour=10_000, **no_limits
    )
    runtime = Runtime.open(settings, plugins=["payments", Kiosk(), lodge_app.app])
    demo.build(runtime)  # enables them in the demo's countries (payments: India and Brazil)
    app = create_app(settings, runtime=runtime)
    serve(app, host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(*sys.argv[1:3])
