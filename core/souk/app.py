"""The app factory: a fresh runtime, its routes and middleware, nothing at import time."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from souk_sdk import ui
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from .api import (
    openapi,
    routes_admin,
    routes_apps,
    routes_auth,
    routes_business,
    routes_business_controls,
    routes_chat,
    routes_inbox,
    routes_inbox_setup,
    routes_media,
    routes_moderation,
    routes_privacy,
    routes_ratings,
)
from .api.endpoints import Endpoint, to_route
from .api.middleware import BodyLimit
from .api.security_headers import SecurityHeaders
from .api.ws import websocket_endpoint
from .foundation.errors import CoreError
from .foundation.settings import Settings
from .miniapps.registry import Registry
from .runtime import Runtime

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


class ClientFiles(Mount):
    """The web client's files at "/", never in front of the API.

    A mount at "/" matches every path, so without this a wrong method on an API route
    (GET on a POST-only path) would reach the files and answer 404 instead of 405.
    """

    def matches(self, scope: Any) -> tuple[Match, dict[str, Any]]:
        if scope["path"].startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


class SoukApp(Starlette):
    """Starlette, with the security headers outside everything, the 500 handler included."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def endpoints() -> list[Endpoint]:
    return [
        *routes_auth.api.endpoints,
        *routes_chat.api.endpoints,
        *routes_privacy.api.endpoints,
        *routes_media.api.endpoints,
        *routes_admin.api.endpoints,
        *routes_moderation.api.endpoints,
        *routes_business.api.endpoints,
        *routes_business_controls.api.endpoints,
        *routes_inbox.api.endpoints,
        *routes_inbox_setup.api.endpoints,
        *routes_ratings.api.endpoints,
    ]


DEFAULT_RETRY_AFTER = 60
"""Seconds a ``429`` asks the client to wait when whoever refused did not say (a mini-app's own 429)."""


def error_response(
    status: int, code: str, message: str, details: Any = None, retry_after: int | None = None
) -> JSONResponse:
    """The one place an error becomes a response: ``{"error": {...}}``; a 429 always says when to retry."""
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    headers = {}
    if status == 429:
        body["retry_after"] = retry_after or DEFAULT_RETRY_AFTER
        headers["Retry-After"] = str(body["retry_after"])
    return JSONResponse({"error": body}, status_code=status, headers=headers)


async def _core_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CoreError)
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.retry_after)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), str(exc.detail))


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client closed the connection before its body was read: no one is left to answer.

    A phone that loses its signal mid-upload does this; it is not a fault of the server, and
    nothing was done (the body is read before any work starts).
    """
    log.info("the client went away before %s %s was read", request.method, request.url.path)
    return error_response(400, "client_disconnected", "the connection closed before the body arrived")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "something went wrong on our side")


def larger_body_limits(settings: Settings, registry: Registry) -> dict[tuple[str, str], int]:
    """The routes whose bodies may exceed ``settings.max_body_bytes``, and their own limits."""
    return routes_apps.larger_bodies(registry) | {
        ("POST", routes_media.UPLOAD): settings.media_max_bytes,
        # A form may carry a file (ui.FileField), as base64, beside its other fields.
        ("POST", "/api/v1/actions"): ui.MAX_FILE_BYTES * 4 // 3 + settings.max_body_bytes,
    }


def create_app(
    settings: Settings, plugins: Iterable[Any] | None = None, runtime: Runtime | None = None
) -> Starlette:
    """Build the ASGI app; ``plugins=None`` loads the installed mini-apps."""
    runtime = runtime or Runtime.open(settings, plugins)
    declared = [*endpoints(), *routes_apps.endpoints_for(runtime.registry)]
    larger_bodies = larger_body_limits(settings, runtime.registry)
    document = openapi.build(declared)
    screen_schema = openapi.screen_schema()

    async def openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(document)

    async def screen_json(request: Request) -> JSONResponse:
        return JSONResponse(screen_schema)

    async def index(request: Request) -> JSONResponse:
        return JSONResponse(
            {"name": "souk", "api": "/api/v1", "openapi": "/api/v1/openapi.json", "websocket": "/api/v1/ws"}
        )

    async def metrics(request: Request) -> Response:
        """Prometheus' text format, for the bearer of the metrics token (souk operators metrics-token)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not runtime.metrics.allows(token.strip()):
            return error_response(
                401, "unauthorized", "send the metrics token (souk operators metrics-token) as a bearer token"
            )
        return Response(runtime.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    routes: list[BaseRoute] = [
        *(to_route(e) for e in declared),
        Route("/metrics", metrics),
        Route("/b/{handle}", routes_business.click_to_chat),
        Route("/api/v1/openapi.json", openapi_json),
        Route("/api/v1/screen.schema.json", screen_json),
        WebSocketRoute("/api/v1/ws", websocket_endpoint),
    ]
    if STATIC.is_dir() and any(STATIC.iterdir()):
        routes.append(ClientFiles("/", StaticFiles(directory=STATIC, html=True), name="static"))
    else:
        routes.append(Route("/", index))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = SoukApp(
        routes=routes,
        middleware=[Middleware(BodyLimit, max_bytes=settings.max_body_bytes, larger=larger_bodies)],
        exception_handlers={
            CoreError: _core_error,
            HTTPException: _http_error,
            ClientDisconnect: _client_gone,
            Exception: _unexpected,
        },
        lifespan=lifespan,
    )
    # A path with an empty segment (an id that was "/") answers 404, not a redirect the document never lists.
    app.router.redirect_slashes = False
    app.state.runtime = runtime
    return app
