"""Searching one's messages."""

from __future__ import annotations

from typing import Any

from ..chat import search as finding
from . import schemas as s
from .endpoints import Call, EndpointSet

api = EndpointSet("search")


@api.route(
    "GET",
    "/api/v1/search",
    summary="Find messages in your conversations (only what you may read), newest first",
    query=s.SearchQuery,
    response=s.SearchResults,
    errors=(422,),
)
async def search(call: Call) -> dict[str, Any]:
    q: s.SearchQuery = call.query
    me = call.me["id"]
    results = await call.runtime.core.read(
        lambda db: finding.search(
            db, me, q.q, conversation_id=q.conversation_id, before=q.before, limit=q.limit
        )
    )
    return {"results": results}
