"""Your sessions and devices: each sign-in, where it was made and when last used; sign out of any."""

from __future__ import annotations

from typing import Any

from ..foundation.clock import iso
from ..people import sessions
from . import schemas as s
from .endpoints import Call, EndpointSet

api = EndpointSet("auth")


async def _end(call: Call, work: Any) -> list[str]:
    """Revoke in one transaction, then close the ended sessions' WebSockets at once."""
    ended: list[str] = await call.runtime.core.write(work)
    call.runtime.end_sessions(call.me["id"], ended)
    return ended


@api.route(
    "GET",
    "/api/v1/me/sessions",
    summary="Where you are signed in: each session's device, when it began and was last used",
    response=s.SessionList,
)
async def list_sessions(call: Call) -> dict[str, Any]:
    now = iso(call.runtime.settings.clock.now())
    assert call.session_id is not None
    rows = await call.runtime.core.read(lambda db: sessions.listing(db, call.me["id"], now, call.session_id))
    return {"sessions": rows}


@api.route(
    "DELETE",
    "/api/v1/me/sessions/{session_id}",
    summary="Sign one session out: its token is refused and its WebSockets close at once",
    response=s.SessionsEnded,
    errors=(404,),
)
async def end_session(call: Call) -> dict[str, Any]:
    me, wanted = call.me["id"], call.path["session_id"]
    ended = await _end(call, lambda db: sessions.end(db, me, wanted))
    return {"ended": len(ended)}


@api.route(
    "POST",
    "/api/v1/me/sessions/sign-out-others",
    summary="Sign out everywhere else: every session but this one ends at once",
    response=s.SessionsEnded,
)
async def end_other_sessions(call: Call) -> dict[str, Any]:
    me, keep = call.me["id"], call.session_id
    assert keep is not None
    ended = await _end(call, lambda db: sessions.end_others(db, me, keep))
    return {"ended": len(ended)}
