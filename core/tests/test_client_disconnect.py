"""A client that goes away before its body arrives is no error of the server's: nothing logged as one."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from souk.app import create_app
from souk.foundation.settings import Settings


def test_a_client_gone_mid_body_is_not_a_server_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(tmp_path), plugins=[])
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/auth/code",
        "raw_path": b"/api/v1/auth/code",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"40")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    messages = iter([{"type": "http.request", "body": b'{"phone": "+55', "more_body": True}])

    async def receive() -> dict[str, Any]:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO):
        asyncio.run(app(scope, receive, send))
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert sent[0]["status"] == 400
    assert any("went away" in r.getMessage() for r in caplog.records)
