"""Operators: enable mini-apps per country, suspend and resume them, read the audit log."""

from __future__ import annotations

import asyncio
from typing import Any

from ..operators.operations import Operations
from . import schemas as s
from .endpoints import Call, EndpointSet

api = EndpointSet("admin")


def _ops(call: Call) -> Operations:
    runtime = call.runtime
    return Operations(runtime.core, runtime.registry, runtime.settings.clock)


def _actor(call: Call) -> str:
    return f"operator:{call.me['handle']}"


async def _in_writer_thread(call: Call, work: Any) -> Any:
    """Operations block on the writer (they also serve the CLI): keep the loop free."""
    return await asyncio.to_thread(work)


@api.route(
    "GET",
    "/api/v1/admin/apps",
    summary="Installed mini-apps, where they run, their state",
    response=s.AdminApps,
    auth="operator",
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
    changed = await _in_writer_thread(
        call, lambda: _ops(call).enable(call.path["app"], call.path["country"], _actor(call))
    )
    return {"changed": changed}


@api.route(
    "DELETE",
    "/api/v1/admin/apps/{app}/countries/{country}",
    summary="Disable a mini-app in a country ('*' for everywhere)",
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def disable(call: Call) -> dict[str, Any]:
    country = call.path["country"]
    count = await _in_writer_thread(
        call, lambda: _ops(call).disable(call.path["app"], None if country == "*" else country, _actor(call))
    )
    return {"changed": bool(count)}


@api.route(
    "POST",
    "/api/v1/admin/apps/{app}/suspend",
    summary="Stop a mini-app at once, everywhere",
    body=s.Suspend,
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def suspend(call: Call) -> dict[str, Any]:
    changed = await _in_writer_thread(
        call, lambda: _ops(call).set_suspended(call.path["app"], True, call.body.reason, _actor(call))
    )
    return {"changed": changed}


@api.route(
    "POST",
    "/api/v1/admin/apps/{app}/resume",
    summary="Resume a suspended mini-app",
    response=s.Changed,
    auth="operator",
    errors=(403, 404, 422),
)
async def resume(call: Call) -> dict[str, Any]:
    app = call.path["app"]
    changed = await _in_writer_thread(
        call, lambda: _ops(call).set_suspended(app, False, "resumed by an operator", _actor(call))
    )
    call.runtime.breaker.reset(app)
    return {"changed": changed}


@api.route(
    "GET",
    "/api/v1/admin/audit",
    summary="The audit log, newest first",
    query=s.AuditQuery,
    response=s.AuditLog,
    auth="operator",
    errors=(403, 422),
)
async def audit(call: Call) -> dict[str, Any]:
    return {"entries": _ops(call).audit(call.query.limit, call.query.before)}
