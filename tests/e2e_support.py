"""Helpers of the end-to-end tests: a real ``souk serve`` process and clients of its API."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
import websockets
from openapi_conformance import ResponseLog
from souk.foundation.settings import RULE_SETTINGS
from websockets.asyncio.client import ClientConnection

HOST = "127.0.0.1"
DEV_CODE = "000000"
START_TIMEOUT = 30.0
SOUK = [sys.executable, "-c", "from souk.cli import main; main()"]


def _child_env() -> dict[str, str]:
    """The environment of server and CLI processes.

    Each test starts several Python processes; where bytecode caching is turned
    off (PYTHONDONTWRITEBYTECODE), each would compile the whole core again, so
    they share a cache in the temporary folder instead (the source tree is untouched).
    """
    env = {**os.environ, "NO_COLOR": "1"}
    if env.pop("PYTHONDONTWRITEBYTECODE", None) and "PYTHONPYCACHEPREFIX" not in env:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "souk-e2e-pycache")
    return env


CHILD_ENV = _child_env()

# Plain HTTP to 127.0.0.1 only: no TLS context to build (50 ms per client), no proxy from the environment.
PLAIN_HTTP = {"verify": False, "trust_env": False}

# -- phone numbers -------------------------------------------------------------------------

_BR = (f"+55119876500{i:02d}" for i in range(1, 100))
_IN = (f"+9198765000{i:02d}" for i in range(1, 100))
_PHONES = itertools.chain(_BR, _IN)


def next_phone() -> str:
    """A valid phone number not used before in this test session.

    The server rate-limits codes per number (5 an hour), so each test signs in
    with numbers of its own.
    """
    return next(_PHONES)


# -- the server process --------------------------------------------------------------------

NO_RATE_LIMITS = tuple(arg for name in RULE_SETTINGS for arg in ("--limit", f"{name}=off"))
"""For servers whose tests send at machine speed on purpose (load, races, crashes); the limits
themselves are tested on servers with the defaults (test_e2e_rate_limits.py)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def run_cli(*args: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    """Run the ``souk`` command line in a child process."""
    return subprocess.run([*SOUK, *args], capture_output=True, text=True, timeout=timeout, env=CHILD_ENV)


class ServerProcess:
    """One ``souk serve`` process on a data folder; can be killed and restarted on the same folder."""

    def __init__(
        self, data_dir: Path, mode: str = "--dev-code", log_level: str = "warning", args: tuple[str, ...] = ()
    ) -> None:
        self.data_dir = data_dir
        self.mode = mode
        self.log_level = log_level
        self.args = args  # more options of souk serve, such as --limit
        self.log_path = data_dir.parent / f"{data_dir.name}-server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.responses = ResponseLog(self.document)
        """Every response of this server's clients, checked against its OpenAPI document."""
        self.starts = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/api/v1/ws"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "souk.db"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between our probe and the bind
            self.port = free_port()
            self.starts += 1
            log = self.log_path.open("ab")
            try:
                self.process = subprocess.Popen(
                    [
                        *SOUK,
                        "serve",
                        "--data",
                        str(self.data_dir),
                        "--host",
                        HOST,
                        "--port",
                        str(self.port),
                        self.mode,
                        "--log-level",
                        self.log_level,
                        *self.args,
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env=CHILD_ENV,
                )
            finally:
                log.close()
            if self._wait_healthy():
                return
            last_error = self.log_tail()
            self.kill()
        raise RuntimeError(f"souk serve did not start:\n{last_error}")

    def _wait_healthy(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(f"{self.base_url}/api/v1/health", timeout=1.0, **PLAIN_HTTP)
                if response.status_code == 200 and response.json().get("status") == "ok":
                    return True
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no cleanup."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), then SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def document(self) -> dict[str, Any]:
        return httpx.get(f"{self.base_url}/api/v1/openapi.json", timeout=15.0, **PLAIN_HTTP).json()

    def client(self, token: str | None = None) -> httpx.Client:
        """A client whose every response is checked against the document (``self.responses``)."""
        return httpx.Client(
            base_url=self.base_url,
            headers=auth_headers(token),
            timeout=15.0,
            event_hooks=self.responses.hooks(),
            **PLAIN_HTTP,
        )

    def async_client(self, token: str | None = None) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url,
            headers=auth_headers(token),
            timeout=15.0,
            event_hooks=self.responses.async_hooks(),
            **PLAIN_HTTP,
        )


# -- talking to it -------------------------------------------------------------------------


def auth_headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


class User:
    def __init__(self, signed_in: dict[str, Any]) -> None:
        self.token: str = signed_in["token"]
        self.id: str = signed_in["user"]["id"]
        self.handle: str = signed_in["user"]["handle"]
        self.name: str = signed_in["user"]["display_name"]
        self.phone: str = signed_in["user"]["phone"]

    @property
    def headers(self) -> dict[str, str]:
        return auth_headers(self.token)


def sign_in(server: ServerProcess, name: str, phone: str | None = None) -> User:
    phone = phone or next_phone()
    with server.client() as http:
        sent = http.post("/api/v1/auth/code", json={"phone": phone})
        assert sent.status_code == 202, sent.text
        signed = http.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE, "display_name": name}
        )
        assert signed.status_code == 200, signed.text
        return User(signed.json())


def create_group(server: ServerProcess, owner: User, members: list[User], title: str = "t") -> dict[str, Any]:
    with server.client(owner.token) as http:
        response = http.post(
            "/api/v1/conversations",
            json={"kind": "group", "title": title, "members": [{"handle": m.handle} for m in members]},
        )
        assert response.status_code == 201, response.text
        return response.json()


def history(server: ServerProcess, user: User, conversation_id: str) -> list[dict[str, Any]]:
    """Every message of a conversation, oldest first, read page by page."""
    messages: list[dict[str, Any]] = []
    with server.client(user.token) as http:
        after = 0
        while True:
            response = http.get(
                f"/api/v1/conversations/{conversation_id}/messages", params={"after": after, "limit": 200}
            )
            assert response.status_code == 200, response.text
            page = response.json()["messages"]
            messages.extend(page)
            if len(page) < 200:
                return messages
            after = page[-1]["changed_seq"]


# -- WebSocket -----------------------------------------------------------------------------


async def ws_connect(
    server: ServerProcess, user: User, since: dict[str, int]
) -> tuple[ClientConnection, list]:
    """Connect, sign in, say resume, and return the socket and the backlog received before ``resumed``."""
    ws = await websockets.connect(server.ws_url, open_timeout=10, max_size=2**22)
    await ws.send(json.dumps({"type": "auth", "token": user.token}))
    hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert hello["type"] == "hello", hello
    assert hello["user_id"] == user.id
    await ws.send(json.dumps({"type": "resume", "since": since}))
    backlog = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame["type"] == "resumed":
            return ws, backlog
        if frame["type"] == "message":
            backlog.append(frame["message"])


async def ws_messages(
    ws: ClientConnection, conversation_id: str, count: int, timeout: float = 20.0
) -> list[dict[str, Any]]:
    """The next ``count`` message frames of one conversation (other frames are skipped)."""
    received: list[dict[str, Any]] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(received) < count:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError(f"got {len(received)} of {count} messages before the timeout")
        try:
            raw = await asyncio.wait_for(ws.recv(), remaining)
        except TimeoutError:
            raise AssertionError(f"got {len(received)} of {count} messages before the timeout") from None
        frame = json.loads(raw)
        if frame["type"] == "message" and frame["message"]["conversation_id"] == conversation_id:
            received.append(frame["message"])
    return received


async def ws_quiet(ws: ClientConnection, conversation_id: str, wait: float = 0.3) -> list[dict[str, Any]]:
    """Messages of a conversation that still arrive within ``wait`` seconds (expected: none)."""
    extra: list[dict[str, Any]] = []
    with contextlib.suppress(TimeoutError):
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), wait))
            if frame["type"] == "message" and frame["message"]["conversation_id"] == conversation_id:
                extra.append(frame["message"])
    return extra


def seqs(messages: list[dict[str, Any]]) -> list[int]:
    return [m["seq"] for m in messages]


class Server(Protocol):
    def start(self) -> None: ...
    def kill(self) -> None: ...
    def log_tail(self, chars: int = 4000) -> str: ...


S = TypeVar("S", bound=Server)


@contextlib.contextmanager
def serving(server: S) -> Iterator[S]:
    """Run ``server`` for the block, then kill it and check it never logged an unexpected
    error (a 500, a crashed socket), whatever the tests did, and (for ``souk serve``) that
    every response its clients received fits the OpenAPI document."""
    server.start()
    try:
        yield server
    finally:
        server.kill()
    log = server.log_tail(10**9)
    assert "Traceback" not in log, f"the server logged an error:\n{log[-6000:]}"
    if isinstance(server, ServerProcess):
        assert not server.responses.problems, server.responses.report()
