"""Fixtures for end-to-end tests: real ``souk serve`` processes on 127.0.0.1, over HTTP and WebSocket.

Every server runs in its own process with its own temporary data folder and a
free port; the fixtures always kill it in teardown, even when a test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import ServerProcess

SERVER_FIXTURES = {"server", "fresh_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts a real server is ``slow`` (``-m "not slow"`` leaves them out)."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def _no_server_errors(proc: ServerProcess) -> None:
    """Whatever the tests did, the server never logged an unexpected error (a 500, a crashed socket)."""
    log = proc.log_tail(10**9)
    assert "Traceback" not in log, f"the server logged an error:\n{log[-6000:]}"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server shared by the tests that do not kill it."""
    proc = ServerProcess(tmp_path_factory.mktemp("shared") / "data")
    proc.start()
    try:
        yield proc
    finally:
        proc.kill()
    _no_server_errors(proc)


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test alone, on its own data folder (the test may kill and restart it)."""
    proc = ServerProcess(tmp_path / "data")
    proc.start()
    try:
        yield proc
    finally:
        proc.kill()
    _no_server_errors(proc)
