"""The OpenAPI document says what every route takes and answers, as strictly as the server.

The document is the one a server with every installed mini-app publishes:

- every operation publishes a schema (a declared model, or a file's media
  type) for each of its success statuses, and a ``204`` none;
- every ``429`` documents its ``Retry-After`` header;
- a request the server refuses for its form (a phone number without ``+``, a
  person named twice, an amount with an exponent, a card of letters, an import
  with no file) is refused by the document's request schema too: a client
  that checks its requests against the document learns the rules before it sends.

That every response the suite receives fits the document is checked under
every test (``conftest.py``, ``tests/e2e_support.py``).
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import pytest
from openapi_conformance import Validator, strict

PLUGINS = sorted(ep.name for ep in entry_points(group="souk.plugins"))
PHONE = "+5511987650001"
MEMBERS = "/api/v1/conversations/{conversation_id}/members"


@pytest.fixture
def document(souk_world: Any) -> dict[str, Any]:
    world = souk_world(PLUGINS)
    return world.call("GET", "/api/v1/openapi.json")


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), p, op) for p, methods in document["paths"].items() for m, op in methods.items()]


def test_every_success_status_publishes_its_body(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert len(operations) >= 35 and {"payments", "shop"} <= set(PLUGINS), len(operations)
    missing = []
    for method, path, operation in operations:
        for status, response in operation["responses"].items():
            if not status.startswith("2"):
                continue
            contents = response.get("content", {})
            json_schema = contents.get("application/json", {}).get("schema", {})
            files = [media for media, c in contents.items() if media != "application/json" and "schema" in c]
            if (status == "204") == ("$ref" in json_schema or bool(files)):
                missing.append(f"{method} {path} {status}")
    assert missing == []


def test_every_429_documents_retry_after(document: dict[str, Any]) -> None:
    limited = [
        (method, path, operation["responses"]["429"])
        for method, path, operation in _operations(document)
        if "429" in operation["responses"]
    ]
    assert len(limited) >= 2
    for method, path, response in limited:
        header = response.get("headers", {}).get("Retry-After", {})
        assert header.get("required") is True and header["schema"]["type"] == "integer", (method, path)


# (operation, a body the server refuses for its form, the status and code it answers)
REFUSED: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("POST", "/api/v1/auth/code", {"phone": "5511987650001"}, 422, "invalid_phone"),
    ("POST", "/api/v1/auth/code", {"phone": "+55abcdefghij"}, 422, "invalid_phone"),
    ("POST", "/api/v1/auth/code", {"phone": "   "}, 422, "invalid_phone"),
    ("POST", "/api/v1/auth/verify", {"phone": "12345", "code": "000000"}, 422, "invalid_phone"),
    ("POST", "/api/v1/auth/verify", {"phone": f"{PHONE}\n", "code": "000000"}, 422, "invalid_phone"),
    ("POST", MEMBERS, {"members": [{}]}, 422, "invalid_request"),
    (
        "POST",
        MEMBERS,
        {"members": [{"phone": PHONE, "user_id": "u_1"}]},
        422,
        "invalid_request",
    ),
    ("POST", MEMBERS, {"members": [{"handle": "asha\n"}]}, 422, "invalid_handle"),
    ("POST", "/api/v1/apps/payments/topups", {"amount": "1e3"}, 422, "invalid_amount"),
    ("POST", "/api/v1/apps/payments/topups", {"amount": "-5"}, 422, "invalid_amount"),
    ("POST", "/api/v1/apps/payments/topups", {"amount": "12,50"}, 422, "invalid_amount"),
    ("POST", "/api/v1/apps/payments/topups", {"card": "my card"}, 422, "invalid_request"),
    ("POST", "/api/v1/apps/payments/topups/{topup_id}/confirm", {"code": "abc"}, 422, "invalid_request"),
    ("POST", "/api/v1/apps/shop/imports", {"shop_id": "s_1", "format": "csv"}, 422, "invalid_request"),
    (
        "POST",
        "/api/v1/apps/shop/imports",
        {"shop_id": "s_1", "format": "csv", "content": "a", "content_base64": "YQ=="},
        422,
        "invalid_request",
    ),
]
TOPUP = {"amount": "10.00", "card": "4242 4242 4242 4242", "idempotency_key": "k"}


def _request_schema(document: dict[str, Any], method: str, path: str) -> Any:
    operation = document["paths"][path][method.lower()]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    components = {"schemas": strict(document["components"]["schemas"])}
    return Validator({**schema, "components": components})


def test_what_the_server_refuses_for_its_form_the_document_refuses(souk_world: Any) -> None:
    world = souk_world(PLUGINS)
    document = world.call("GET", "/api/v1/openapi.json")
    ana, bo = world.user("Ana", "BR"), world.user("Bo", "BR")
    for app, command in [("payments", "/wallet"), ("shop", "/orders")]:
        ana.app_chat(app).send(command)  # allows the mini-app
    group = ana.group_chat("Team", [bo]).conversation_id
    ids = {"conversation_id": group, "topup_id": "top_missing"}
    refused_by_both = 0
    for method, path, body, status, code in REFUSED:
        if path.endswith("/topups"):
            body = {**TOPUP, **body}
        validator = _request_schema(document, method, path)
        assert not validator.is_valid(body), f"the document allows {method} {path} {body}"
        answer = ana.call(method, path.format(**ids), body, expect=status)
        assert answer["error"]["code"] == code, (path, body, answer)
        refused_by_both += 1
    assert refused_by_both == len(REFUSED) == 15
