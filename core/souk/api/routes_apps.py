"""The HTTP endpoints mini-apps declare, served under ``/api/v1/apps/<name>/``."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from souk_sdk import ApiError, ApiRequest, ApiRoute, PublicUser, SoukError
from souk_sdk import NotFound as AppNotFound
from souk_sdk.commands import is_user_field
from starlette.responses import JSONResponse, Response

from ..foundation.errors import AppFailed, CoreError, Forbidden, Invalid, NotFound
from ..miniapps import scope_guard
from ..miniapps.registry import InstalledApp, Registry
from ..people import suspensions, users
from ..runtime import Runtime
from .endpoints import Call, Download, Endpoint, validation_details

log = logging.getLogger(__name__)

PERSON = f"A person, as @handle; {users.HANDLE_RULE}; capitals and full-width letters are normalised"


def wire_model(model: type[BaseModel]) -> type[BaseModel]:
    """The body as a client sends it: a person is written ``"@handle"``."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if is_user_field(info.annotation):
            required = info.is_required()
            fields[name] = (
                str if required else str | None,
                Field(
                    ... if required else None,
                    max_length=26,
                    description=PERSON,
                    json_schema_extra={"pattern": f"^@{users.HANDLE_PATTERN}$"},
                ),
            )
        else:
            fields[name] = (info.annotation, info)
    config = ConfigDict(extra="forbid", json_schema_extra=model.model_config.get("json_schema_extra"))
    return create_model(model.__name__, __config__=config, **fields)


def _refusal(exc: SoukError) -> CoreError:
    if isinstance(exc, ApiError):
        error = CoreError(str(exc), code=exc.code, details=getattr(exc, "details", None))
        error.status = exc.status
        error.retry_after = getattr(exc, "retry_after", None)
        return error
    if isinstance(exc, AppNotFound):
        return NotFound(str(exc), code="not_found")
    return Invalid(str(exc), code="refused")


async def _resolve(runtime: Runtime, app: InstalledApp, model: type[BaseModel], wire: BaseModel) -> BaseModel:
    data = wire.model_dump()
    for name, info in model.model_fields.items():
        handle = data.get(name)
        if is_user_field(info.annotation) and isinstance(handle, str):
            if not handle.startswith("@"):
                problem = {"loc": [name], "msg": "write a person as @handle", "type": "person"}
                raise Invalid("the body does not fit this request", details=[problem])
            person = users.by_handle(runtime.core.db, users.check_handle(handle))
            if person is None:
                raise NotFound(f"nobody is called {handle}", code="user_not_found")
            data[name] = PublicUser(
                id=await runtime.identities.expose(app.name, person["id"]),
                display_name=person["display_name"],
                country=person["country"],
            )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid("the body does not fit this request", details=validation_details(exc)) from None


def _answer(app: InstalledApp, route: ApiRoute, result: Any) -> Any:
    """The handler's result, sent as its declared response model: what the document promises.

    An answer that does not fit the model is the mini-app's bug: ``502 app_failed``
    (and a log line for the operator), never a body the document does not describe.
    Fields the model does not declare are not sent.
    """
    if isinstance(result, BaseModel) and not isinstance(result, route.response or ()):
        result = result.model_dump(mode="json")
    if route.response is None:
        return result
    try:
        return route.response.model_validate(result).model_dump(mode="json")
    except ValidationError as exc:
        log.error(
            "%s: %s %s answered what its response model %s does not allow: %s",
            app.name,
            route.method,
            route.path,
            route.response.__name__,
            validation_details(exc)[:5],
        )
        raise AppFailed(f"{app.title} could not answer just now", code="app_failed") from None


def _file(app: InstalledApp, route: ApiRoute, result: Any) -> Response:
    """A route declared with ``media_type`` answers the bytes its handler returned, as that type.

    Anything but bytes is the mini-app's bug: ``502 app_failed``, as for a JSON answer that
    does not fit its model.
    """
    if not isinstance(result, bytes | bytearray):
        log.error(
            "%s: %s %s answers %s but returned %s, not bytes",
            app.name,
            route.method,
            route.path,
            route.media_type,
            type(result).__name__,
        )
        raise AppFailed(f"{app.title} could not answer just now", code="app_failed")
    return Response(bytes(result), status_code=route.status, media_type=route.media_type)


def _endpoint(app: InstalledApp, route: ApiRoute) -> Endpoint:
    async def handle(call: Call) -> Response:
        runtime, me = call.runtime, call.me
        if not runtime.availability.live_for(app.name, me):
            raise NotFound(f"{app.title} is not available here", code="app_not_found")
        suspensions.refuse_if_suspended_from(runtime.core.db, me["id"], app.name, app.title)
        if await scope_guard.refused(runtime, app, me, route.scopes, f"{route.method} {route.path}"):
            raise Forbidden(scope_guard.refusal(app, "this route"), code="scope_not_declared")
        granted = runtime.consents.granted(me["id"], app.name)
        if runtime.dispatcher.needed_scopes(app, route.scopes) - granted:
            raise Forbidden(
                f"allow {app.title} first: use one of its commands in a chat", code="consent_required"
            )
        body = await _resolve(runtime, app, route.body, call.body) if route.body else None
        ctx = await runtime.context(app, me, None, granted)
        request = ApiRequest(body=body, path=call.path, query=dict(call.request.query_params))
        try:
            outcome = await runtime.dispatcher.invoke(
                app, runtime.dispatcher.bind(route.handler, ctx, request), ctx, "api", route.timeout
            )
        except SoukError as exc:
            raise _refusal(exc) from None
        if route.media_type is not None:
            return _file(app, route, outcome.result)
        return JSONResponse(_answer(app, route, outcome.result), status_code=route.status)

    handle.__name__ = f"{app.name}_{route.method.lower()}_{route.path.strip('/').replace('/', '_')}"
    handle.__name__ = "".join(c if c.isalnum() or c == "_" else "_" for c in handle.__name__)
    return Endpoint(
        method=route.method,
        path=f"/api/v1/apps/{app.name}{route.path}",
        handler=handle,
        summary=route.summary,
        tag=f"app:{app.name}",
        body=wire_model(route.body) if route.body else None,
        response=Download(route.media_type) if route.media_type else route.response,
        status=route.status,
        errors=(403, 404, 409, 422, 429, 502, 504),
    )


def endpoints_for(registry: Registry) -> list[Endpoint]:
    """Every mini-app route; one declared without ``response=`` is served, with a warning at start-up.

    Its answers cannot be described in the OpenAPI document (nor checked against it),
    so the mini-apps of this repository must declare one: a test fails otherwise.
    """
    for app in registry.apps.values():
        for route in app.routes:
            if route.response is None and route.media_type is None and route.status != 204:
                log.warning(
                    "mini-app %s: %s %s declares no response model, so the API document "
                    "cannot describe its answer (declare api_route(..., response=Model))",
                    app.name,
                    route.method,
                    route.path,
                )
    return [_endpoint(app, route) for app in registry.apps.values() for route in app.routes]


def larger_bodies(registry: Registry) -> dict[tuple[str, str], int]:
    """Routes that declared a body limit above the server's (bulk imports), by (method, path).

    Only routes without path parameters can raise it: the limit is checked before routing.
    """
    return {
        (route.method, f"/api/v1/apps/{app.name}{route.path}"): route.max_body_bytes
        for app in registry.apps.values()
        for route in app.routes
        if route.max_body_bytes and "{" not in route.path
    }
