"""Declared endpoints: one place that authenticates, parses, validates and answers.

A route module declares each endpoint with its request and response models;
the same declaration builds the Starlette route and the OpenAPI document, so
the document cannot drift from what the server accepts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..foundation.errors import BadRequest, Forbidden, Invalid, Unauthorized
from ..operators.accounts import Operator
from ..runtime import Runtime
from .json_input import BadJson, parse

Auth = Literal["none", "user", "viewer", "operator"]
"""Who may call: anyone, a chat user, an operator account of any role (``viewer``), one that may
change things (``operator``: an operator or an owner; the handler checks the countries)."""


@dataclass
class Call:
    """What a handler gets: the parsed request, the caller and the runtime."""

    request: Request
    runtime: Runtime
    user: dict[str, Any] | None
    body: Any
    query: Any
    path: dict[str, Any]
    token: str | None = None
    session_id: str | None = None
    operator: Operator | None = None

    @property
    def me(self) -> dict[str, Any]:
        assert self.user is not None
        return self.user

    @property
    def account(self) -> Operator:
        assert self.operator is not None
        return self.operator


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Download:
    """The response of an endpoint that answers a file, not JSON (the data archive); ``also``
    lists the other types it may answer (a photo or a file)."""

    media_type: str
    also: tuple[str, ...] = ()


@dataclass
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    auth: Auth = "user"
    errors: tuple[int, ...] = ()
    upload: bool = False
    """The body is a file's bytes, read by the handler (``call.request``), not JSON."""

    @property
    def response_adapter(self) -> TypeAdapter[Any] | None:
        if self.response is None or isinstance(self.response, Download):
            return None
        return TypeAdapter(self.response)


@dataclass
class EndpointSet:
    tag: str
    endpoints: list[Endpoint] = field(default_factory=list)

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        auth: Auth = "user",
        errors: tuple[int, ...] = (),
        upload: bool = False,
    ) -> Callable[[Handler], Handler]:
        def declare(handler: Handler) -> Handler:
            self.endpoints.append(
                Endpoint(
                    method,
                    path,
                    handler,
                    summary,
                    self.tag,
                    body,
                    query,
                    response,
                    status,
                    auth,
                    errors,
                    upload,
                )
            )
            return handler

        return declare


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
        for e in exc.errors(include_url=False, include_input=False)
    ]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send your token as 'Authorization: Bearer <token>'", code="unauthorized")
    return token.strip()


async def _parse_body(request: Request, model: type[BaseModel]) -> BaseModel:
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("this request needs a JSON body", code="missing_body")
    try:
        data = parse(raw)
    except BadJson as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}", code="invalid_json") from None
    if not isinstance(data, dict):
        raise Invalid("the body must be a JSON object", code="invalid_request")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid("the body does not fit this request", details=validation_details(exc)) from None


def _parse_query(request: Request, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise Invalid("the query does not fit this request", details=validation_details(exc)) from None


def _operator(runtime: Runtime, token: str, auth: Auth) -> Operator:
    """The operator account of an admin request: a chat user's token is refused (403), whoever it is."""
    operator = runtime.operator_accounts.authenticate(token)
    if operator is None:
        runtime.auth.authenticate(token)  # 401 for a token that is nobody's
        raise Forbidden(
            "this needs an operator account's token (souk operators add), not a chat user's",
            code="operator_only",
        )
    if auth == "operator" and operator.role == "viewer":
        raise Forbidden("a viewer's account can look but not change anything", code="read_only")
    return operator


def to_route(endpoint: Endpoint) -> Route:
    async def handle(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        user = token = session_id = operator = None
        if endpoint.auth in ("viewer", "operator"):
            token = _bearer(request)
            operator = _operator(runtime, token, endpoint.auth)
            if endpoint.auth == "operator" and "country" in request.path_params:
                # Who may act comes before what they sent: another country's operator is told
                # so, never how their body would have been refused.
                operator.may_change(request.path_params["country"])
        elif endpoint.auth != "none":
            token = _bearer(request)
            session = runtime.auth.session(token)
            user, session_id = session.user, session.id
            if session.renewal_due:
                await runtime.auth.renew(session_id)
        body = await _parse_body(request, endpoint.body) if endpoint.body else None
        query = _parse_query(request, endpoint.query) if endpoint.query else None
        call = Call(
            request, runtime, user, body, query, dict(request.path_params), token, session_id, operator
        )
        result = await endpoint.handler(call)
        if isinstance(result, Response):
            return result
        if endpoint.status == 204:
            return Response(status_code=204)
        if isinstance(result, BaseModel):
            result = result.model_dump(mode="json")
        return JSONResponse(result, status_code=endpoint.status)

    return Route(endpoint.path, handle, methods=[endpoint.method], name=endpoint.handler.__name__)
