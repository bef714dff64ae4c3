"""An idle connection outlives the time clients keep one for reuse (httpx: 5 s).

When the server closes an idle connection at the same moment a client decides to reuse
it, the request already sent is lost ("server disconnected without sending a response").
Two requests on one socket, the second after 6 s of silence: both are answered, on the
same connection.
"""

from __future__ import annotations

import socket
import time

from e2e_support import HOST, ServerProcess

IDLE_SECONDS = 6  # longer than httpx's keep-alive expiry (5 s), which was uvicorn's default too


def _ask_health(connection: socket.socket) -> bytes:
    connection.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: souk\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection instead of answering"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head.split(b"\r\n")[0]


def test_an_idle_connection_is_still_open_when_a_client_reuses_it(server: ServerProcess) -> None:
    with socket.create_connection((HOST, server.port), timeout=30) as connection:
        assert _ask_health(connection) == b"HTTP/1.1 200 OK"
        time.sleep(IDLE_SECONDS)  # the idle time is what is tested, not a wait for something
        assert _ask_health(connection) == b"HTTP/1.1 200 OK"
