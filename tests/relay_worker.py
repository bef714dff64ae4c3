"""One worker of the outbox: a real runtime over a shared data folder, delivering events and timers.

Run as ``python relay_worker.py DATA_DIR`` (the probe mini-apps of ``outbox_probe``
loaded); it runs until killed.  It is the same runtime and relay ``souk serve``
starts, without the HTTP side, since the probe mini-apps are not installed packages.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import outbox_probe
from souk.foundation.settings import Settings
from souk.runtime import Runtime

HANDLER_TIMEOUT = 2.0


def open_runtime(data_dir: Path) -> Runtime:
    settings = Settings(data_dir, handler_timeout=HANDLER_TIMEOUT, event_poll_seconds=0.05)
    return Runtime.open(settings, plugins=[outbox_probe.probe, outbox_probe.sink])


async def serve(data_dir: Path) -> None:
    runtime = open_runtime(data_dir)
    await runtime.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1])))
