"""Your data: what mini-apps were given (the access log), all of it as an archive, its erasure."""

from __future__ import annotations

from typing import Any

from souk_sdk import SCOPE_DESCRIPTIONS
from starlette.responses import Response

from ..foundation.errors import NotFound
from ..runtime import Runtime
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
    entries = call.runtime.access_log.entries(call.me["id"], before=q.before, limit=q.limit, app=q.app)
    return {"entries": entries}


def _scope(scope: str) -> dict[str, str]:
    return {"scope": scope, "description": SCOPE_DESCRIPTIONS.get(scope, scope)}


def _apps_used(runtime: Runtime, user_id: str) -> list[dict[str, Any]]:
    """Every mini-app that knows the user (a per-app id) or holds a consent of theirs."""
    db = runtime.core.db
    known = {row[0] for row in db.execute("SELECT app FROM app_users WHERE user_id = ?", [user_id])}
    granted: dict[str, list[dict[str, Any]]] = {}
    for row in runtime.consents.listing(user_id):
        granted.setdefault(row["app"], []).append(_scope(row["scope"]) | {"granted_at": row["granted_at"]})
    accesses = runtime.access_log.summary(user_id)
    used = []
    for name in sorted(known | set(granted)):
        app = runtime.registry.apps.get(name)
        count, latest = accesses.get(name, (0, None))
        used.append(
            {
                "name": name,
                "title": app.title if app else name,
                "description": app.manifest.description if app else "",
                "asks": [_scope(scope) for scope in app.manifest.scopes] if app else [],
                "granted": granted.get(name, []),
                "accesses": count,
                "last_access": latest,
            }
        )
    return used


@api.route(
    "GET",
    "/api/v1/me/apps",
    summary="The mini-apps you use: what each asks for, what you granted and when, how often it read",
    response=s.AppsUsed,
)
async def apps_used(call: Call) -> dict[str, Any]:
    return {"apps": _apps_used(call.runtime, call.me["id"])}


@api.route(
    "DELETE",
    "/api/v1/me/apps/{app}",
    summary="Take back everything you granted a mini-app: its next command asks again",
    response=s.Revoked,
    errors=(404,),
)
async def revoke_app(call: Call) -> dict[str, Any]:
    name, me = call.path["app"], call.me["id"]
    if name not in {app["name"] for app in _apps_used(call.runtime, me)}:
        raise NotFound("you do not use a mini-app of this name", code="app_not_found")
    return {"revoked": await call.runtime.consents.revoke(me, name)}


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
    me = call.me["id"]
    sessions = [
        row[0] for row in call.runtime.core.db.execute("SELECT id FROM tokens WHERE user_id = ?", [me])
    ]
    receipt = await call.runtime.data_rights.erase(call.me)
    call.runtime.end_sessions(me, sessions)
    return receipt
