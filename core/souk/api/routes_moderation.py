"""The moderation queue: reports mini-apps raised, for operators to dismiss or act on.

Reading is open to every operator account; deciding needs an operator of the report's
country (the subject's), and is refused to a viewer.
"""

from __future__ import annotations

from typing import Any

from ..operators.moderation import ReportFilter
from . import admin_schemas as a
from .endpoints import Call, EndpointSet
from .routes_admin import _change, _ops

api = EndpointSet("admin")


@api.route(
    "GET",
    "/api/v1/admin/reports",
    summary="The moderation queue, newest first, filtered by state, mini-app and country",
    query=a.ReportQuery,
    response=a.Reports,
    auth="viewer",
    errors=(403, 422),
)
async def reports(call: Call) -> dict[str, Any]:
    q: a.ReportQuery = call.query
    where = ReportFilter(q.state, q.app, q.country)
    return {"reports": _ops(call).reports(where, q.limit, q.before)}


@api.route(
    "GET",
    "/api/v1/admin/reports/{report_id}",
    summary="One report",
    response=a.Report,
    auth="viewer",
    errors=(403, 404),
)
async def report(call: Call) -> dict[str, Any]:
    return _ops(call).report(call.path["report_id"])


@api.route(
    "POST",
    "/api/v1/admin/reports/{report_id}/decision",
    summary="Dismiss a report, or suspend its subject in its mini-app or everywhere (audited)",
    body=a.Decision,
    response=a.Report,
    auth="operator",
    errors=(403, 404, 409, 422),
)
async def decide(call: Call) -> dict[str, Any]:
    report_id, body = call.path["report_id"], call.body
    country = _ops(call).report(report_id)["country"]
    decide = lambda ops, actor: ops.decide(report_id, body.decision, body.note.strip(), actor)  # noqa: E731
    return await _change(call, country, decide)


@api.route(
    "DELETE",
    "/api/v1/admin/reports/{report_id}/suspension",
    summary="Lift the suspension decided on a report: its subject is served again (audited)",
    response=a.Report,
    auth="operator",
    errors=(403, 404),
)
async def lift(call: Call) -> dict[str, Any]:
    report_id = call.path["report_id"]
    country = _ops(call).report(report_id)["country"]
    return await _change(call, country, lambda ops, actor: ops.lift(report_id, actor))
