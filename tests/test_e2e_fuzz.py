"""Fuzzing over the OpenAPI document of a real ``souk serve --demo``, the installed mini-apps included.

Every operation the server publishes gets generated requests, sent by a
signed-in person of the demo world (Bruna owns a shop, Tiago buys, Asha is an
operator), with real ids of that person's own objects in the path: ids read
from that person's own answers (conversations, shops, products, orders,
top-ups), matched by the parameter's name.  Bodies and queries are drawn from
the document's schemas (``test_bad_input_properties.fitting``), now and then
with a wrong field.  The checks: never a 5xx, and every response fits the
document: its status is one the operation lists, its body fits that status's
schema, its documented headers are there (the server's response log, the same
check every e2e client of the suite goes through: tests/openapi_conformance.py).

Examples: 3 per operation by default, 60 with ``SOUK_STRESS=1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import test_bad_input_properties as properties
from e2e_support import DEV_CODE, NO_RATE_LIMITS, ServerProcess, serving
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stress import STRESS
from test_bad_input_properties import fitting, json_values, query_values

EXAMPLES = 60 if STRESS else 3
PEOPLE = {"asha": "+919876500001", "bruna": "+5511987650001", "tiago": "+5511987650002"}
ID_KEY = re.compile(r"(^|_)id$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data = tmp_path_factory.mktemp("fuzz") / "demo"
    with serving(ServerProcess(data, mode="--demo", args=NO_RATE_LIMITS)) as server:
        yield server


class Caller:
    """A signed-in demo person and the ids of their own objects, by parameter name."""

    def __init__(self, server: ServerProcess, phone: str, document: dict[str, Any]) -> None:
        with server.client() as http:
            assert http.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
            signed = http.post("/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE})
            assert signed.status_code == 200, signed.text
        self.token = signed.json()["token"]
        self.ids: dict[str, set[str]] = {}
        with server.client(self.token) as http:
            for path, methods in document["paths"].items():
                if "get" in methods and "{" not in path:
                    answer = http.get(path)
                    if answer.status_code == 200 and answer.headers.get("content-type") == "application/json":
                        self._collect(path, answer.json())

    def _collect(self, path: str, value: Any, key: str = "") -> None:
        """Ids in an answer: ``id`` of the objects a list route returns, and every ``*_id`` field."""
        if isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, str) and ID_KEY.search(name):
                    noun = path.rstrip("/").rsplit("/", 1)[-1].rstrip("s") if name == "id" else ""
                    self.ids.setdefault(f"{noun}_id" if noun else name, set()).add(item)
                else:
                    self._collect(path, item, name)
        elif isinstance(value, list):
            for item in value:
                self._collect(path, item, key)


@pytest.fixture(scope="module")
def world(demo: ServerProcess) -> tuple[dict[str, Any], dict[str, Caller]]:
    document = httpx.get(f"{demo.base_url}/api/v1/openapi.json", timeout=15).json()
    for name, schema in document["components"]["schemas"].items():  # the mini-apps' schemas, for fitting()
        properties.COMPONENTS.setdefault(name, schema)
    return document, {name: Caller(demo, phone, document) for name, phone in PEOPLE.items()}


def _operations() -> list[tuple[str, str]]:
    """The operations of a demo server's document, read from the installed mini-apps at collection."""
    from souk.api import openapi, routes_apps
    from souk.app import endpoints
    from souk.miniapps.registry import load

    document = openapi.build([*endpoints(), *routes_apps.endpoints_for(load())])
    return sorted((m.upper(), p) for p, methods in document["paths"].items() for m in methods)


OPERATIONS = _operations()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_5xx_and_every_response_fits_the_document(
    demo: ServerProcess, world: Any, method: str, path: str
) -> None:
    document, callers = world
    operation = document["paths"][path][method.lower()]
    body_schema = (
        operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    names = re.findall(r"{(\w+)}", path)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        who = data.draw(st.sampled_from(sorted(callers)), label="caller")
        caller = callers[who]
        values = {}
        for name in names:
            own = sorted(caller.ids.get(name, ()))
            values[name] = data.draw(
                st.sampled_from(own) if own else st.text(min_size=1, max_size=12), label=name
            )
        url = path.format(**{n: quote(v, safe="") for n, v in values.items()})
        query = data.draw(query_values(operation, plausible=data.draw(st.booleans())), label="query")
        body = None
        if body_schema is not None:
            body = data.draw(fitting(body_schema, {}), label="body")
            if isinstance(body, dict) and data.draw(st.booleans(), label="spoil"):
                body[data.draw(st.sampled_from([*body, "extra"]) if body else st.just("extra"))] = data.draw(
                    json_values
                )
        if operation["operationId"] in ("logout", "erase"):
            return  # they would end the callers' sessions the other examples use
        before = len(demo.responses.problems)
        with demo.client(caller.token) as http:
            response = http.request(method, url, params=query, json=body)
        assert response.status_code < 500, (
            f"{method} {url} answered {response.status_code}: {response.text[:500]}"
        )
        assert len(demo.responses.problems) == before, demo.responses.report(before)
        counted.append(1)

    counted: list[int] = []
    fuzz()
    print(f"{method} {path}: {len(counted)} requests")


def test_every_operation_was_fuzzed(world: Any) -> None:
    document, _ = world
    served = sorted((m.upper(), p) for p, methods in document["paths"].items() for m in methods)
    assert served == OPERATIONS, "the demo server publishes other operations than were collected"
    assert len(OPERATIONS) >= 30
