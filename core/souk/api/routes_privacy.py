"""Your data: what mini-apps were given (the access log), all of it as an archive, its erasure."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from . import schemas as s
from .endpoints import Call, Download, EndpointSet

api = EndpointSet("privacy")


@api.route(
    "GET",
    "/api/v1/me/access-log",
    summary="Each field of yours a mini-app was given, when and for what, newest first",
    query=s.AccessLogQuery,
    response=s.AccessLog,
    errors=(422,),
)
async def access_log(call: Call) -> dict[str, Any]:
    q: s.AccessLogQuery = call.query
    return {"entries": call.runtime.access_log.entries(call.me["id"], before=q.before, limit=q.limit)}


@api.route(
    "GET",
    "/api/v1/me/export",
    summary="Everything Souk and its mini-apps hold about you, as a ZIP archive of JSON files",
    response=Download("application/zip"),
)
async def export(call: Call) -> Response:
    archive = await call.runtime.data_rights.archive(call.me["id"])
    return Response(
        archive,
        media_type="application/zip",
        headers={"content-disposition": 'attachment; filename="souk-data.zip"'},
    )


@api.route(
    "POST",
    "/api/v1/me/erasure",
    summary="Erase you, here and in every mini-app (what the law requires is kept, without you)",
    body=s.ErasureRequest,
    response=s.ErasureReceipt,
    errors=(422,),
)
async def erase(call: Call) -> dict[str, Any]:
    return await call.runtime.data_rights.erase(call.me)
