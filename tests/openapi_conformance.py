"""Responses checked against the OpenAPI document the server itself publishes.

A :class:`Conformance` holds one document (``GET /api/v1/openapi.json``) and
checks each response a test received:

- the operation is found by method and path (a literal path wins over a
  templated one; a parameter matches one path segment);
- its status is one the operation documents;
- its JSON body fits the documented schema exactly (an object accepts no field
  it does not declare), a file is of a documented media type, and a status
  documented without a body has none;
- a header documented as required (``Retry-After`` on a 429) is there and fits.

Patterns are read as JSON Schema says, in ECMA-262's sense: ``$`` is the end of
the text (Python's ``re.search``, which jsonschema uses, would also let it
match before a final newline).

A response to a path outside the document (the document itself, the web
client's files, an unknown path) is not checked, except that an error under
``/api/`` must still be ``{"error": {"code", "message"}}``.  Every check is
counted in :data:`TALLY`, for the summary at the end of the run.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jsonschema


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    if isinstance(instance, str) and not re.search(python_pattern(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def python_pattern(pattern: str) -> str:
    """A JSON Schema pattern for Python's ``re``: a final ``$`` becomes ``\\Z``."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern


Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})
"""Draft 2020-12, with patterns matched as ECMA-262 matches them."""

TALLY: Counter[str] = Counter()
"""Across the run: ``responses``, ``operation:<id>`` per operation, ``outside``, ``problems``."""


def strict(schema: Any) -> Any:
    """A copy where every object with declared properties accepts no other field."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


@dataclass
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


class Conformance:
    def __init__(self, document: dict[str, Any]) -> None:
        self.components = {"schemas": strict(document["components"]["schemas"])}
        operations = [
            Operation(
                method.upper(),
                path,
                re.compile(re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path))),
                spec,
            )
            for path, methods in document["paths"].items()
            for method, spec in methods.items()
        ]
        self.operations = sorted(operations, key=lambda o: o.template.count("{"))
        self._validators: dict[str, Any] = {}

    def operation(self, method: str, path: str) -> Operation | None:
        return next((o for o in self.operations if o.method == method and o.pattern.fullmatch(path)), None)

    def _validator(self, schema: dict[str, Any]) -> Any:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            self._validators[key] = Validator({**schema, "components": self.components})
        return self._validators[key]

    def _fits(self, schema: dict[str, Any], value: Any, what: str) -> list[str]:
        errors = sorted(self._validator(schema).iter_errors(value), key=lambda e: list(e.path))
        return [f"{what} {list(e.path)}: {e.message[:200]}" for e in errors[:3]]

    def check(self, method: str, path: str, response: httpx.Response) -> list[str]:
        """What is wrong with one response (nothing: an empty list)."""
        TALLY["responses"] += 1
        status, content = response.status_code, response.content
        body = _json(response)
        operation = self.operation(method.upper(), path)
        if operation is None:
            TALLY["outside"] += 1
            if path.startswith("/api/") and status >= 400 and not _is_error(body):
                return [f"{method} {path} answered {status} without a JSON error: {content[:200]!r}"]
            return []
        name = f"{method} {operation.template} -> {status}"
        TALLY[f"operation:{operation.spec['operationId']}"] += 1
        documented = operation.spec["responses"].get(str(status))
        if documented is None:
            return [f"{name}: status not documented ({content[:200]!r})"]
        problems: list[str] = []
        for header, spec in documented.get("headers", {}).items():
            value = response.headers.get(header)
            if value is None:
                if spec.get("required"):
                    problems.append(f"{name}: the documented header {header} is missing")
                continue
            problems += self._fits(spec["schema"], _header_value(value, spec["schema"]), f"{name} {header}")
        media = response.headers.get("content-type", "").split(";")[0].strip()
        contents = documented.get("content", {})
        schema = contents.get("application/json", {}).get("schema")
        if media in contents and media != "application/json":
            pass  # a file (a data export): its media type is the documented one
        elif schema is None:
            if content:
                problems.append(f"{name}: documented without a body, sent {content[:200]!r}")
        elif body is _NOT_JSON:
            problems.append(f"{name}: the body is not JSON: {content[:200]!r}")
        else:
            problems += self._fits(schema, body, f"{name} body")
        return problems


_NOT_JSON = object()


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return _NOT_JSON


def _is_error(body: Any) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and all(isinstance(error.get(k), str) for k in ("code", "message"))


def _header_value(value: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") == "integer":
        return int(value) if value.isdigit() else value
    return value


@dataclass
class ResponseLog:
    """Checks every response of some HTTP clients against a document fetched on first use."""

    fetch_document: Callable[[], dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    _conformance: Conformance | None = None

    def record(self, response: httpx.Response) -> None:
        if self._conformance is None:
            self._conformance = Conformance(self.fetch_document())
        found = self._conformance.check(response.request.method, response.request.url.path, response)
        TALLY["problems"] += len(found)
        self.problems += found

    def hooks(self) -> dict[str, list[Callable[[httpx.Response], None]]]:
        """``event_hooks`` for an :class:`httpx.Client`."""

        def on_response(response: httpx.Response) -> None:
            response.read()
            self.record(response)

        return {"response": [on_response]}

    def async_hooks(self) -> dict[str, list[Callable[[httpx.Response], Any]]]:
        """``event_hooks`` for an :class:`httpx.AsyncClient`."""

        async def on_response(response: httpx.Response) -> None:
            await response.aread()
            self.record(response)

        return {"response": [on_response]}

    def report(self, since: int = 0) -> str:
        new = self.problems[since:]
        shown = "\n".join(new[:20])
        return f"{len(new)} responses do not fit the OpenAPI document:\n{shown}"
