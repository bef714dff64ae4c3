"""A lean HTTP/1.1 keep-alive client on asyncio streams, for the load generator.

A general client (httpx) spends more CPU per request than the servers under
test, and on a 2-core machine the load generator shares the CPU with the
server; this one writes a request and reads one ``Content-Length`` answer, and
nothing else.  Only for 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

HOST = "127.0.0.1"


class HttpError(RuntimeError):
    pass


class Connection:
    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=2**22)
        return self

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n".encode() + self.auth
        if body is not None:
            head += b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        self.writer.write(head + b"\r\n" + (body or b""))
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        length = 0
        lower = raw.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            length = int(lower[at + 17 : end])
        elif b"transfer-encoding: chunked" in lower:
            raise HttpError("chunked answers are not expected here")
        payload = await self.reader.readexactly(length) if length else b""
        return status, payload

    async def json(self, method: str, path: str, data: Any = None, expect: tuple[int, ...] = (200,)) -> Any:
        body = json.dumps(data).encode() if data is not None else None
        status, payload = await self.request(method, path, body)
        if status not in expect:
            raise HttpError(f"{method} {path}: {status} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
            self.writer = None
