"""A real ``redis-server`` (Debian's package) for the tests, on a free loopback port.

It keeps nothing on disk (no RDB, no AOF), so a ``kill -9`` and a restart on the
same port is a Redis that lost everything it held, as pub/sub would anyway.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

from e2e_support import HOST, free_port

START_TIMEOUT = 20.0


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")
    return False


class RedisServer:
    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                "redis-server is not installed (apt-get install redis-server; .ci/run does it)"
            )
        self.binary = binary
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        log = (self.folder / "redis.log").open("ab")
        try:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--bind",
                    HOST,
                    "--port",
                    str(self.port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.folder),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"redis-server did not start: {(self.folder / 'redis.log').read_text()[-2000:]}"
                )
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: Redis and everything it held is gone at once."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill()


@contextlib.contextmanager
def running_redis(folder: Path):  # type: ignore[no-untyped-def]
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
