"""Server processes for the benchmarks: Souk or the baseline, each on a free port of 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def child_env() -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # each server would compile the core again
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 1.0) -> tuple[int, bytes]:
    """A one-shot HTTP/1.0 GET (used to poll for readiness, so it stays tiny)."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {HOST}\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head[9:12]), body


@dataclass
class Side:
    """What to start: ``souk`` with ``apps`` benchmark mini-apps, or the bare ``baseline``."""

    target: str
    apps: int = 1
    installed: bool = False

    @property
    def label(self) -> str:
        return self.target if self.target == "baseline" else f"souk ({self.apps} mini-apps)"


class Server:
    def __init__(self, side: Side, data_dir: Path, log_path: Path) -> None:
        self.side = side
        self.data_dir = data_dir
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.startup_seconds = 0.0
        self.durability: dict[str, Any] = {}

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def command(self) -> list[str]:
        module = "bench.souk_server" if self.side.target == "souk" else "bench.baseline_app"
        args = [sys.executable, "-m", module, "--data", str(self.data_dir), "--port", str(self.port)]
        if self.side.target == "souk":
            args += ["--apps", str(self.side.apps)] + (["--installed"] if self.side.installed else [])
        return args

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait until a request is served; returns the seconds that took."""
        for _attempt in range(3):  # a free port can be taken between the probe and the bind
            self.port = free_port()
            with self.log_path.open("ab") as log:
                started = time.perf_counter()
                self.process = subprocess.Popen(
                    self.command(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env=child_env(),
                    cwd=ROOT,
                )
            if self._wait_ready(started, timeout):
                self._read_durability()
                return self.startup_seconds
            self.stop()
        raise RuntimeError(f"{self.side.label} did not start; see {self.log_path}:\n{self.log_tail()}")

    def _wait_ready(self, started: float, timeout: float) -> bool:
        assert self.process is not None
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError, ValueError):
                status, _ = get(self.port, "/api/v1/health")
                if status == 200:
                    self.startup_seconds = time.perf_counter() - started
                    return True
            time.sleep(0.005)
        return False

    def _read_durability(self) -> None:
        if self.side.target == "baseline":
            _, body = get(self.port, "/api/v1/health")
            health = json.loads(body)
            self.durability = {"journal_mode": health["journal_mode"], "synchronous": health["synchronous"]}
            return
        for line in self.log_tail(100_000).splitlines():
            if line.startswith('{"souk"'):
                info = json.loads(line)["souk"]
                self.durability = {"journal_mode": info["journal_mode"], "synchronous": info["synchronous"]}

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
