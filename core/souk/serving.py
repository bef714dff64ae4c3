"""Run an app under uvicorn, with the options every Souk server uses and no token in its logs.

One process (:func:`serve`), or several sharing one listening socket
(:func:`serve_workers`): uvicorn's supervisor binds the address once, starts the
workers, each of which builds its own runtime on the shared data folder, and
starts a worker again when one dies.  What the workers share is in the data
folder (SQLite in WAL mode, one writer at a time per file, the busy timeout) and,
when configured, in Redis (the live bus and the rate-limit counters); see
``docs/scaling.md``.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

from .foundation import server_logs

if TYPE_CHECKING:
    from .foundation.settings import Settings

WS_MAX_SIZE = 256 * 1024
"""The largest WebSocket frame a client may send, in bytes."""
KEEP_ALIVE_SECONDS = 75
"""How long an idle connection stays open (nginx's default; uvicorn's own is 5 s).

It must outlast the idle time after which clients stop reusing a connection (httpx: 5 s):
when the server closes first, a request already on its way is lost with "server disconnected
without sending a response", and it is the client's load that decides when.
"""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _options(host: str, port: int, log_level: str, access_log: bool) -> dict[str, Any]:
    """What every Souk server is run with, one process or several."""
    return {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": access_log,
        "ws_max_size": WS_MAX_SIZE,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }


def serve(app: Any, *, host: str, port: int, log_level: str = "info", access_log: bool = True) -> None:
    import uvicorn

    config = uvicorn.Config(app, **_options(host, port, log_level, access_log))
    server_logs.install()  # after uvicorn set up its handlers, in Config
    uvicorn.Server(config).run()


def serve_workers(
    settings: Settings,
    *,
    workers: int,
    host: str,
    port: int,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Run ``workers`` processes on one address, each with its own runtime over ``settings``."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        functools.partial(worker_app, settings, log_level),
        factory=True,
        workers=workers,
        **_options(host, port, log_level, access_log),
    )
    server_logs.install()
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def worker_app(settings: Settings, log_level: str) -> Any:
    """In a worker process: its logging, its runtime, its app."""
    from .app import create_app

    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    server_logs.install()
    return create_app(settings)
