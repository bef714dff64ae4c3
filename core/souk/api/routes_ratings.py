"""Satisfaction and service levels: a customer rates a resolved conversation with a business;
its staff read first-response and resolution times and CSAT, per day and per agent."""

from __future__ import annotations

from typing import Any

from ..business import ratings, service_levels
from ..chat import conversations
from ..foundation.clock import iso
from . import inbox_schemas as i
from .endpoints import Call, EndpointSet
from .routes_business import BUSINESS
from .routes_inbox import _read_staff

api = EndpointSet("inbox")

RATING = "/api/v1/conversations/{conversation_id}/rating"


@api.route(
    "GET",
    RATING,
    summary="Whether you may rate your chat with a business now, and your last rating",
    response=i.RatingState,
    errors=(404,),
)
async def rating_state(call: Call) -> dict[str, Any]:
    db, cid, me = call.runtime.core.db, call.path["conversation_id"], call.me["id"]
    conversations.require_member(db, cid, me)
    return ratings.state(db, cid, me)


@api.route(
    "POST",
    RATING,
    summary="Rate your chat with a business once it resolved it: 1 to 5 stars and a comment",
    body=i.NewRating,
    response=i.RatingState,
    status=201,
    errors=(404, 409, 422),
)
async def rate(call: Call) -> dict[str, Any]:
    cid, me, body = call.path["conversation_id"], call.me["id"], call.body
    now = iso(call.runtime.settings.clock.now())

    def work(db: Any) -> dict[str, Any]:
        conversations.require_member(db, cid, me)
        return ratings.rate(db, cid, me, body.stars, body.comment, now)

    return await call.runtime.core.write(work)


@api.route(
    "GET",
    BUSINESS + "/inbox-stats",
    summary="First-response and resolution times and CSAT of the last days, per day and per agent (staff)",
    query=i.StatsQuery,
    response=i.ServiceLevels,
    errors=(403, 404, 422),
)
async def inbox_stats(call: Call) -> dict[str, Any]:
    db, business = _read_staff(call)
    return service_levels.report(db, business, call.runtime.settings.clock.now(), call.query.days)
