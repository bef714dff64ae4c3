"""Run an app under uvicorn, with the options every Souk server uses and no token in its logs."""

from __future__ import annotations

from typing import Any

from .foundation import server_logs

WS_MAX_SIZE = 256 * 1024
"""The largest WebSocket frame a client may send, in bytes."""


def serve(app: Any, *, host: str, port: int, log_level: str = "info", access_log: bool = True) -> None:
    import uvicorn

    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=access_log, ws_max_size=WS_MAX_SIZE
    )
    server_logs.install()  # after uvicorn set up its handlers, in Config
    uvicorn.Server(config).run()
