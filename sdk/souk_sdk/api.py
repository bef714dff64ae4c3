"""HTTP endpoints of a mini-app, served by the core under ``/api/v1/apps/<name>/``.

For what a chat cannot do well: bulk imports, integrations, a business's own
tools.  The core authenticates the caller, checks the mini-app is live in their
country and has their consent, validates the body against the declared model
(a :class:`PublicUser` field takes ``"@handle"``), runs the handler with the
same timeout and breaker as commands, and documents the route in the OpenAPI
document.  Raise :class:`ApiError` for a clear 4xx.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from .errors import SoukError
from .manifest import Scope

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
_PATH = re.compile(r"^(/[a-z0-9_{}-]+)+$")
_MEDIA = re.compile(r"[a-z]+/[a-z0-9][a-z0-9.+-]{0,60}")


class ApiError(SoukError):
    """A 4xx answer with a stable code, e.g. ``ApiError(409, "insufficient_funds", "...")``.

    ``details``, when given, is sent as the error's ``details`` (JSON), for what a
    program needs besides the code: ``{"line": 12}`` for a file it could not read.
    ``retry_after``, on a 429, is the seconds until a retry may succeed (``Retry-After``;
    a minute when not given).
    """

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, *, retry_after: int | None = None
    ) -> None:
        if not 400 <= status < 500:
            raise ValueError("an ApiError is a 4xx: the caller's mistake")
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details
        self.retry_after = max(1, retry_after) if retry_after is not None else None


@dataclass(frozen=True)
class ApiRequest:
    """What an endpoint handler gets besides the context."""

    body: Any
    path: dict[str, str]
    query: dict[str, str]


ApiHandler = Callable[..., Awaitable[Any] | Any]


@dataclass(frozen=True)
class ApiRoute:
    method: Method
    path: str
    handler: ApiHandler
    summary: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    scopes: tuple[Scope, ...] | None = None
    max_body_bytes: int | None = None
    timeout: float | None = None
    media_type: str | None = None
    """Set for a route that answers bytes of this type (``image/png``): its handler returns ``bytes``."""


def api_route(
    method: Method,
    path: str,
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    scopes: list[Scope] | None = None,
    max_body_bytes: int | None = None,
    timeout: float | None = None,
    media_type: str | None = None,
) -> Callable[[ApiHandler], ApiRoute]:
    """Declare ``handler(ctx, request)`` as ``METHOD /api/v1/apps/<app><path>``.

    The handler returns a pydantic model or a JSON-able dict.  ``scopes`` as
    for :func:`souk_sdk.command` (``None``: the manifest's).  ``max_body_bytes``
    raises the server's body limit for this route (a bulk import); it applies
    to paths without ``{parameters}`` and is capped at 16 MiB.  ``timeout``
    (seconds, at most 300) replaces the server's handler timeout for this route.
    ``media_type`` (``image/png``, ``application/pdf``) makes a route that answers
    a file instead of JSON: the handler returns ``bytes``, sent with that type,
    and the OpenAPI document describes the answer as binary of that type; it
    excludes ``response``.
    """
    answers_file = media_type is not None
    if answers_file and (response is not None or status == 204 or not _MEDIA.fullmatch(media_type or "")):
        raise ValueError("media_type is a type/subtype such as image/png, for a route without response=")
    if timeout is not None and not 0 < timeout <= 300:
        raise ValueError("timeout is between 0 and 300 seconds")
    if max_body_bytes is not None and not 0 < max_body_bytes <= 16 * 1024 * 1024:
        raise ValueError("max_body_bytes is between 1 byte and 16 MiB")
    if not _PATH.fullmatch(path):
        raise ValueError(f"route path {path!r}: lower-case segments starting with /, e.g. /transfers")

    def decorate(handler: ApiHandler) -> ApiRoute:
        scope_tuple = None if scopes is None else tuple(scopes)
        return ApiRoute(
            method,
            path,
            handler,
            summary,
            body,
            response,
            status,
            scope_tuple,
            max_body_bytes,
            timeout,
            media_type,
        )

    return decorate
