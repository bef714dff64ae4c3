"""Checks that run under every test of the workspace.

Every response an in-process harness receives (``souk_sdk.testing``, through
``souk.harness``) is checked against the OpenAPI document of the core that
sent it, and a test whose responses do not fit fails.  The end-to-end tests
check the responses of their ``souk serve`` processes the same way
(``tests/e2e_support.py``).  The run ends with the count of responses checked
and of the operations they covered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_conformance import TALLY, ResponseLog
from souk.harness import RESPONSE_OBSERVERS


@pytest.fixture(autouse=True)
def harness_responses_fit_the_document() -> Iterator[None]:
    logs: dict[Any, ResponseLog] = {}

    def observe(core: Any, response: Any) -> None:
        if core not in logs:
            logs[core] = ResponseLog(core.document)
        logs[core].record(response)

    RESPONSE_OBSERVERS.append(observe)
    try:
        yield
    finally:
        RESPONSE_OBSERVERS.remove(observe)
    for log in logs.values():
        assert not log.problems, log.report()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist, a worker hands its tally to the controller, which sums them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["openapi_tally"] = dict(TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    TALLY.update(getattr(node, "workeroutput", {}).get("openapi_tally", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY["responses"]:
        return
    operations = sorted(k.split(":", 1)[1] for k in TALLY if k.startswith("operation:"))
    terminalreporter.write_line(
        f"OpenAPI conformance: {TALLY['responses']} responses checked, "
        f"{TALLY['responses'] - TALLY['outside']} of them against {len(operations)} documented operations; "
        f"{TALLY['problems']} problems"
    )
