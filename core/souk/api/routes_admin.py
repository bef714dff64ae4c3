"""Operators: sign in, enable mini-apps per country, change their settings, suspend and resume them,
read the audit log.

Every route takes an operator account's token (``POST /api/v1/admin/session``), never a
chat user's; a viewer's account reads, and an operator changes only their countries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.responses import Response

from ..operators.audit import AuditFilter, as_csv
from ..operators.health_report import report
from ..operators.operations import Operations
from . import admin_schemas as a
from . import schemas as s
from .endpoints import Call, Download, EndpointSet

api = EndpointSet("admin")
T = TypeVar("T")


def _ops(call: Call) -> Operations:
    runtime = call.runtime
    return Operations(runtime.core, runtime.registry, runtime.settings.clock)


def _actor(call: Call) -> str:
    return call.account.actor


async def _change(call: Call, country: str | None, work: Callable[[Operations, str], T]) -> T:
    """One operator action: refused (403) outside the account's countries (``None``: everywhere),
    then run with the operations and the actor's name. Operations block on the writer (they
    also serve the CLI), so they run in a thread and the loop stays free."""
    call.account.may_change(country)
    ops, actor = _ops(call), _actor(call)
    return await asyncio.to_thread(work, ops, actor)


@api.route(
    "POST",
    "/api/v1/admin/session",
    summary="Sign in with an operator account's name and key; answers a token for the other routes",
    body=a.SignIn,
    response=a.Session,
    auth="none",
    errors=(401,),
)
async def sign_in(call: Call) -> dict[str, Any]:
    token, operator = await call.runtime.operator_accounts.sign_in(call.body.name, call.body.key)
    return {"token": token, "operator": operator.describe()}


@api.route(
    "DELETE",
    "/api/v1/admin/session",
    summary="End this operator session",
    status=204,
    auth="viewer",
    errors=(403,),
)
async def sign_out(call: Call) -> None:
    assert call.token is not None
    await call.runtime.operator_accounts.sign_out(call.token)


@api.route(
    "GET",
    "/api/v1/admin/me",
    summary="The operator account signed in: its name, role and countries",
    response=a.Account,
    auth="viewer",
    errors=(403,),
)
async def who_am_i(call: Call) -> dict[str, Any]:
    return call.account.describe()


@api.route(
    "GET",
    "/api/v1/admin/apps",
    summary="Installed mini-apps, where they run, their state",
    response=a.AdminApps,
    auth="viewer",
    errors=(403,),
)
async def admin_apps(call: Call) -> dict[str, Any]:
    return {"apps": _ops(call).describe()}


@api.route(
    "PUT",
    "/api/v1/admin/apps/{app}/countries/{country}",
    summary="Enable a mini-app in a country (takes effect at once)",
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def enable(call: Call) -> dict[str, Any]:
    app, country = call.path["app"], call.path["country"]
    changed = await _change(call, country, lambda ops, actor: ops.enable(app, country, actor))
    return {"changed": changed}


@api.route(
    "GET",
    "/api/v1/admin/matrix",
    summary="Each mini-app's state in each country: off, on, rolling (with its percent), suspended, killed",
    query=a.MatrixQuery,
    response=a.Matrix,
    auth="viewer",
    errors=(403, 422),
)
async def matrix(call: Call) -> dict[str, Any]:
    ops = _ops(call)
    if call.query.countries:
        countries = sorted({c.upper() for c in call.query.countries.split(",")})
    else:
        countries = sorted({c for app in ops.describe() for c in app["percents"] if c != "*"})
    return {"countries": countries, "apps": ops.matrix(countries)}


@api.route(
    "GET",
    "/api/v1/admin/health",
    summary="Each mini-app per country: requests, error rate, p50 and p99, breaker, over 5 and 60 minutes",
    response=a.HealthReport,
    auth="viewer",
    errors=(403,),
)
async def health(call: Call) -> dict[str, Any]:
    runtime = call.runtime
    return {"rows": report(runtime.registry, runtime.availability, runtime.breaker, runtime.health)}


@api.route(
    "PUT",
    "/api/v1/admin/apps/{app}/countries/{country}/rollout",
    summary="Put a mini-app on for a percentage of a country's people (the same people as it grows)",
    body=a.Rollout,
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def rollout(call: Call) -> dict[str, Any]:
    app, country, percent = call.path["app"], call.path["country"], call.body.percent
    changed = await _change(call, country, lambda ops, actor: ops.rollout(app, country, percent, actor))
    return {"changed": changed}


@api.route(
    "POST",
    "/api/v1/admin/apps/{app}/countries/{country}/rollback",
    summary="Put a mini-app back in a country as it was before its last change there",
    response=a.RolledBack,
    auth="operator",
    errors=(403, 404, 422),
)
async def rollback(call: Call) -> dict[str, Any]:
    app, country = call.path["app"], call.path["country"]
    percent = await _change(call, country, lambda ops, actor: ops.rollback(app, country, actor))
    return {"percent": percent}


@api.route(
    "DELETE",
    "/api/v1/admin/apps/{app}/countries/{country}",
    summary="Disable a mini-app in a country ('*' for everywhere)",
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def disable(call: Call) -> dict[str, Any]:
    app, country = call.path["app"], call.path["country"]
    where = None if country == "*" else country
    count = await _change(call, country, lambda ops, actor: ops.disable(app, where, actor))
    return {"changed": bool(count)}


@api.route(
    "GET",
    "/api/v1/admin/apps/{app}/countries/{country}/settings",
    summary="The per-country settings a mini-app declares, with their defaults and values in a country",
    response=a.CountrySettings,
    auth="viewer",
    errors=(403, 404, 422),
)
async def country_settings(call: Call) -> dict[str, Any]:
    return _ops(call).settings(call.path["app"], call.path["country"])


@api.route(
    "PATCH",
    "/api/v1/admin/apps/{app}/countries/{country}/settings",
    summary="Change some of a mini-app's settings in a country (from the next request; audited)",
    body=a.SettingsChange,
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def change_country_settings(call: Call) -> dict[str, Any]:
    app, country, wanted = call.path["app"], call.path["country"], call.body.values
    change = lambda ops, actor: ops.change_settings(app, country, wanted, actor)  # noqa: E731
    return {"changed": await _change(call, country, change)}


@api.route(
    "POST",
    "/api/v1/admin/apps/{app}/suspend",
    summary="The kill switch: stop a mini-app at once, everywhere (running requests finish, events wait)",
    body=a.Suspend,
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def suspend(call: Call) -> dict[str, Any]:
    app, reason = call.path["app"], call.body.reason
    changed = await _change(call, None, lambda ops, actor: ops.set_suspended(app, True, reason, actor))
    return {"changed": changed}


@api.route(
    "POST",
    "/api/v1/admin/apps/{app}/resume",
    summary="Restore a mini-app killed or suspended by the breaker, in every country as it was",
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def resume(call: Call) -> dict[str, Any]:
    app = call.path["app"]
    changed = await _change(
        call, None, lambda ops, actor: ops.set_suspended(app, False, "resumed by an operator", actor)
    )
    call.runtime.breaker.reset(app)
    await call.runtime.relay.retry_waiting()  # the events that waited for it go now, not in 30 s
    return {"changed": changed}


@api.route(
    "GET",
    "/api/v1/admin/audit",
    summary="The audit log, newest first",
    query=a.AuditQuery,
    response=a.AuditLog,
    auth="viewer",
    errors=(403, 422),
)
async def audit(call: Call) -> dict[str, Any]:
    q: a.AuditQuery = call.query
    return {"entries": _ops(call).audit(_audit_filter(q), q.limit, q.before)}


def _audit_filter(q: a.AuditFilterQuery) -> AuditFilter:
    return AuditFilter(q.actor, q.action, q.app, q.country, q.since, q.until)


@api.route(
    "GET",
    "/api/v1/admin/audit.csv",
    summary="The audit log as CSV, oldest first, with the same filters",
    query=a.AuditFilterQuery,
    response=Download("text/csv"),
    auth="viewer",
    errors=(403, 422),
)
async def audit_csv(call: Call) -> Response:
    lines = list(as_csv(call.runtime.core.db, _audit_filter(call.query)))
    return Response(
        "".join(lines),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="souk-audit.csv"'},
    )
