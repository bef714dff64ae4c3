"""The response checker itself: each kind of mismatch with the document is caught."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openapi_conformance import Conformance

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/api/v1/things/{thing_id}": {
            "get": {
                "operationId": "thing",
                "responses": {
                    "200": {
                        "description": "Success",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "429": {
                        "description": "Error 429",
                        "headers": {"Retry-After": {"required": True, "schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
        },
        "/api/v1/things/archive": {
            "get": {
                "operationId": "archive",
                "responses": {
                    "200": {
                        "description": "Success",
                        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            }
        },
        "/api/v1/things/mine": {
            "get": {"operationId": "mine", "responses": {"204": {"description": "Done"}}}
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}},
                "required": ["code"],
            },
            "Error": {"type": "object", "properties": {"error": {"type": "object"}}, "required": ["error"]},
        }
    },
}
ERROR = {"error": {"code": "rate_limited", "message": "wait"}}


def _check(path: str, status: int, body: Any = None, headers: dict[str, str] | None = None) -> list[str]:
    request = httpx.Request("GET", f"http://souk.test{path}")
    if isinstance(body, bytes):
        response = httpx.Response(status, content=body, headers=headers, request=request)
    elif body is None:
        response = httpx.Response(status, request=request, headers=headers)
    else:
        response = httpx.Response(status, json=body, headers=headers, request=request)
    return Conformance(DOCUMENT).check("GET", path, response)


@pytest.mark.parametrize(
    ("path", "status", "body", "headers", "problem"),
    [
        ("/api/v1/things/t1", 200, {"code": "123456"}, None, None),
        ("/api/v1/things/t1", 200, {"code": "123456", "extra": 1}, None, "Additional properties"),
        ("/api/v1/things/t1", 200, {"code": "123456\n"}, None, "does not match"),
        ("/api/v1/things/t1", 200, {}, None, "'code' is a required property"),
        ("/api/v1/things/t1", 418, ERROR, None, "status not documented"),
        ("/api/v1/things/t1", 429, ERROR, None, "Retry-After is missing"),
        ("/api/v1/things/t1", 429, ERROR, {"Retry-After": "soon"}, "Retry-After"),
        ("/api/v1/things/t1", 429, ERROR, {"Retry-After": "30"}, None),
        ("/api/v1/things/mine", 204, None, None, None),
        ("/api/v1/things/mine", 204, {"x": 1}, None, "without a body"),
        ("/api/v1/things/archive", 200, b"PK\x03\x04", {"content-type": "application/zip"}, None),
        ("/api/v1/things/archive", 200, b"PK\x03\x04", {"content-type": "text/plain"}, "without a body"),
        ("/api/v1/nowhere", 404, ERROR, None, None),
        ("/api/v1/nowhere", 404, {"detail": "Not Found"}, None, "without a JSON error"),
    ],
)
def test_each_mismatch_is_caught(
    path: str, status: int, body: Any, headers: dict[str, str] | None, problem: str | None
) -> None:
    problems = _check(path, status, body, headers)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems
