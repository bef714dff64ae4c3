"""A customer's say over businesses: the kinds of message they subscribe to, and blocks.

Every call here is the customer's own (a business never subscribes anyone); the reply window
(souk/business/reply_window.py) reads what they choose.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlite_utils import Database

from ..business import accounts, subscriptions
from ..chat.business_card import business_card
from ..foundation.clock import iso
from .endpoints import Call, EndpointSet
from .schemas import Strict, WithBusiness

api = EndpointSet("business controls")

BUSINESS = "/api/v1/businesses/{handle}"
KIND_HELP = f"One of {', '.join(subscriptions.KINDS)} (422 invalid_message_kind)"


class NewSubscription(Strict):
    kind: str = Field(max_length=40, description=KIND_HELP)
    source: subscriptions.Source = Field(
        default="chat", description="Where you subscribed: the chat, the profile, a confirmation, settings"
    )


class Controls(BaseModel):
    """What you allow one business: the kinds you subscribed to, and whether you blocked it."""

    business: WithBusiness
    subscriptions: list[str]
    blocked: bool
    changed: bool = Field(default=False, description="Whether this call changed anything")


class Kind(BaseModel):
    kind: str
    label: str
    description: str


class HeldSubscription(BaseModel):
    handle: str
    name: str
    kind: str
    label: str
    source: str
    subscribed_at: str


class BlockedBusiness(BaseModel):
    handle: str
    name: str
    blocked_at: str


class AllControls(BaseModel):
    kinds: list[Kind] = Field(description="Every kind of message a business may send to subscribers")
    subscriptions: list[HeldSubscription]
    blocked: list[BlockedBusiness]


def _controls(db: Database, business: dict[str, Any], me: str, changed: bool = False) -> dict[str, Any]:
    card = business_card(db, business["id"], me)
    return {"business": card, "changed": changed} | subscriptions.with_business(db, me, business["id"])


async def _change(call: Call, work: Any) -> dict[str, Any]:
    """Run ``work(db, business_id, me, now) -> changed`` in one transaction; the controls after it."""
    me, handle = call.me["id"], call.path["handle"]
    now = iso(call.runtime.settings.clock.now())

    def run(db: Database) -> dict[str, Any]:
        business = accounts.by_handle(db, handle)
        return _controls(db, business, me, work(db, business["id"], me, now))

    return await call.runtime.core.write(run)


@api.route(
    "GET",
    "/api/v1/me/business-messages",
    summary="The kinds of message businesses may send you, those you subscribed to, and whom you blocked",
    response=AllControls,
)
async def my_business_controls(call: Call) -> dict[str, Any]:
    held = subscriptions.listing(call.runtime.core.db, call.me["id"])
    return {"kinds": subscriptions.kinds()} | held


@api.route(
    "GET",
    BUSINESS + "/subscriptions",
    summary="What you allow this business: your subscriptions with it, and whether you blocked it",
    response=Controls,
    errors=(404,),
)
async def business_controls(call: Call) -> dict[str, Any]:
    db = call.runtime.core.db
    return _controls(db, accounts.by_handle(db, call.path["handle"]), call.me["id"])


@api.route(
    "POST",
    BUSINESS + "/subscriptions",
    summary="Subscribe to a kind of message from this business (yours to do, never the business's)",
    body=NewSubscription,
    response=Controls,
    errors=(404, 409, 422),
)
async def subscribe_to_business(call: Call) -> dict[str, Any]:
    kind, source = call.body.kind, call.body.source
    return await _change(
        call, lambda db, business_id, me, now: subscriptions.subscribe(db, me, business_id, kind, source, now)
    )


@api.route(
    "DELETE",
    BUSINESS + "/subscriptions/{kind}",
    summary="Revoke a subscription: the business may no longer send you this kind of message",
    response=Controls,
    errors=(404, 422),
)
async def revoke_business_subscription(call: Call) -> dict[str, Any]:
    kind = call.path["kind"]
    return await _change(
        call, lambda db, business_id, me, now: subscriptions.revoke(db, me, business_id, kind)
    )


@api.route(
    "POST",
    BUSINESS + "/block",
    summary="Block this business: it may send you nothing, and your subscriptions with it end",
    response=Controls,
    errors=(404,),
)
async def block_business(call: Call) -> dict[str, Any]:
    return await _change(call, lambda db, business_id, me, now: subscriptions.block(db, me, business_id, now))


@api.route(
    "DELETE",
    BUSINESS + "/block",
    summary="Unblock this business: it may answer you again within 24 hours of your messages",
    response=Controls,
    errors=(404,),
)
async def unblock_business(call: Call) -> dict[str, Any]:
    return await _change(call, lambda db, business_id, me, now: subscriptions.unblock(db, me, business_id))
