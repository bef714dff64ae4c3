"""Fixtures for end-to-end tests: real ``souk serve`` processes on 127.0.0.1, over HTTP and WebSocket.

Every server runs in its own process with its own temporary data folder and a
free port; the fixtures always kill it in teardown, even when a test fails.
Their tests send at machine speed (twenty senders at once, bursts, crash loops),
so these servers run without the rate limits on sends, commands and phone
lookups; the limits are tested on servers of their own, with the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import NO_RATE_LIMITS, ServerProcess, serving

SERVER_FIXTURES = {"server", "fresh_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts a real server is ``slow`` (``-m "not slow"`` leaves them out)."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def responses_fit_the_document(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test using a server fails if a response it received does not fit the OpenAPI document."""
    servers = [request.getfixturevalue(name) for name in sorted(SERVER_FIXTURES & set(request.fixturenames))]
    seen = [len(s.responses.problems) for s in servers]
    yield
    for s, before in zip(servers, seen, strict=True):
        assert len(s.responses.problems) == before, s.responses.report(before)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server shared by the tests that do not kill it."""
    with serving(ServerProcess(tmp_path_factory.mktemp("shared") / "data", args=NO_RATE_LIMITS)) as proc:
        yield proc


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test alone, on its own data folder (the test may kill and restart it)."""
    with serving(ServerProcess(tmp_path / "data", args=NO_RATE_LIMITS)) as proc:
        yield proc
