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


def _model_ref(model: type, components: dict[str, Any]) -> dict[str, Any]:
    _, top = models_json_schema([(model, "validation")], ref_template=REF)
    components.update(top.get("$defs", {}))
    return {"$ref": REF.format(model=model.__name__)}


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again (the error's retry_after says the same)",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": f"Error {status}",
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
    }
    if status == 429:
        response["headers"] = RETRY_AFTER
    return response


def build(endpoints: list[Endpoint]) -> dict[str, Any]:
    components: dict[str, Any] = {}
    _model_ref(s.Error, components)
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
            query_schema = endpoint.query.model_json_schema(ref_template=REF)
            components.update(query_schema.pop("$defs", {}))
            for name, field in endpoint.query.model_fields.items():
                schema = query_schema["properties"][name]
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
                "content": {"application/json": {"schema": _model_ref(endpoint.body, components)}},
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
                    _model_ref(endpoint.response, components)
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
            operation["responses"][str(status)] = _error_response(status)
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
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def screen_schema() -> dict[str, Any]:
    return screen_json_schema()
