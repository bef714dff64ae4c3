"""The OpenAPI 3.1 document, built from the endpoint declarations."""

from __future__ import annotations

import re
from typing import Any

from pydantic.json_schema import models_json_schema
from souk_sdk.ui import screen_json_schema

from ..__about__ import __version__
from . import schemas as s
from .endpoints import Download, Endpoint

REF = "#/components/schemas/{model}"


class _Components:
    """Every model of the document in one JSON Schema, so that two models of one name
    (a mini-app's ``Staff`` beside the core's) get two components, never one for both."""

    def __init__(self, endpoints: list[Endpoint]) -> None:
        models = [s.Error]
        for endpoint in endpoints:
            for model in (endpoint.query, endpoint.body, endpoint.response):
                if isinstance(model, type) and model not in models:
                    models.append(model)
        self._refs, top = models_json_schema([(m, "validation") for m in models], ref_template=REF)
        self.schemas: dict[str, Any] = top.get("$defs", {})

    def ref(self, model: type) -> dict[str, Any]:
        return self._refs[(model, "validation")]

    def properties(self, model: type) -> dict[str, Any]:
        """The fields of ``model`` (a query's), each with its own bounds (ge, le, max_length)."""
        return self.schemas[self.ref(model)["$ref"].rsplit("/", 1)[1]]["properties"]


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again (the error's retry_after says the same)",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _error_response(status: int, error: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": f"Error {status}",
        "content": {"application/json": {"schema": error}},
    }
    if status == 429:
        response["headers"] = RETRY_AFTER
    return response


def build(endpoints: list[Endpoint]) -> dict[str, Any]:
    components = _Components(endpoints)
    paths: dict[str, Any] = {}
    for endpoint in endpoints:
        operation: dict[str, Any] = {
            "operationId": endpoint.handler.__name__,
            "summary": endpoint.summary,
            "tags": [endpoint.tag],
            "responses": {},
        }
        params = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", endpoint.path)
        ]
        if endpoint.query is not None:
            # The model's own schema keeps each field's bounds (ge, le, max_length), the annotation would not.
            properties = components.properties(endpoint.query)
            for name, field in endpoint.query.model_fields.items():
                schema = properties[name]
                params.append(
                    {"name": name, "in": "query", "required": field.is_required(), "schema": schema}
                )
        if params:
            operation["parameters"] = params
        if endpoint.upload:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        if endpoint.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": components.ref(endpoint.body)}},
            }
        if endpoint.status == 204:
            operation["responses"]["204"] = {"description": "Done"}
        else:
            if isinstance(endpoint.response, Download):
                content = {
                    media_type: {"schema": {"type": "string", "format": "binary"}}
                    for media_type in (endpoint.response.media_type, *endpoint.response.also)
                }
            else:
                schema = (
                    components.ref(endpoint.response)
                    if endpoint.response is not None
                    else {"description": "JSON its mini-app did not describe (a route without response=)"}
                )
                content = {"application/json": {"schema": schema}}
            operation["responses"][str(endpoint.status)] = {"description": "Success", "content": content}
            if endpoint.handler.__name__ == "send_message":
                operation["responses"]["200"] = {
                    "description": "A retried send: the message first stored under this client id",
                    "content": content,
                }
        statuses = set(endpoint.errors) | {400, 413}
        if endpoint.body is not None or endpoint.query is not None:
            statuses.add(422)
        if endpoint.auth != "none":
            statuses.add(401)
            operation["security"] = [{"bearer": []}]
        for status in sorted(statuses):
            operation["responses"][str(status)] = _error_response(status, components.ref(s.Error))
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Souk API",
            "version": __version__,
            "description": "Messaging core and mini-apps. Live events: WebSocket /api/v1/ws.",
        },
        "paths": paths,
        "components": {
            "schemas": components.schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def screen_schema() -> dict[str, Any]:
    return screen_json_schema()
