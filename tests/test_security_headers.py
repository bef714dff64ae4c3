"""Every response says that no other page may frame it, with a content policy as strict as the client's.

Checked in-process on every operation of the OpenAPI document, the client's
files, errors of every kind (404, 405, 413, an unexpected 500), and the page:
its header policy is its ``<meta>`` policy, word for word, plus
``frame-ancestors 'none'`` (which a ``<meta>`` policy cannot say).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import souk
from souk.api.security_headers import CLIENT_POLICY, OTHER_POLICY, PAGE_POLICY
from souk.app import create_app
from souk.foundation.settings import Settings
from starlette.requests import Request
from starlette.routing import Route
from starlette.testclient import TestClient

STATIC = Path(souk.__file__).parent / "static"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Settings(tmp_path_factory.mktemp("headers")), plugins=[])

    async def boom(request: Request) -> None:
        raise RuntimeError("an unexpected failure")

    app.router.routes.insert(0, Route("/api/v1/boom", boom))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _framing_refused(headers: dict[str, str] | object) -> str:
    assert headers["x-frame-options"] == "DENY"  # type: ignore[index]
    policy = headers["content-security-policy"]  # type: ignore[index]
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"  # type: ignore[index]
    return policy


def test_the_page_states_the_clients_own_policy_and_refuses_framing(client: TestClient) -> None:
    meta = re.search(
        r'http-equiv="Content-Security-Policy"\s+content="([^"]+)"', (STATIC / "index.html").read_text()
    )
    assert meta is not None and meta.group(1) == CLIENT_POLICY
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert _framing_refused(page.headers) == PAGE_POLICY == f"{CLIENT_POLICY}; frame-ancestors 'none'"


def test_every_other_answer_allows_nothing_and_refuses_framing(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    answers = [
        client.request(method, re.sub(r"{\w+}", "x", path))
        for path, methods in document["paths"].items()
        for method in methods
    ]
    files = [client.get("/" + p.relative_to(STATIC).as_posix()) for p in sorted(STATIC.rglob("*.js"))[:5]]
    errors = [
        client.get("/api/v1/nothing-here"),
        client.get("/api/v1/auth/code"),  # 405
        client.post("/api/v1/auth/code", content=b"x" * (65 * 1024)),  # 413, before routing
        client.get("/api/v1/boom"),  # 500
    ]
    assert [e.status_code for e in errors] == [404, 405, 413, 500]
    checked = [*answers, *files, client.get("/api/v1/openapi.json"), *errors]
    for response in checked:
        assert _framing_refused(response.headers) == OTHER_POLICY, response.url
    assert len(answers) == sum(len(m) for m in document["paths"].values()) >= 20
