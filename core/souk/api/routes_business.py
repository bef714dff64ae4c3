"""Businesses: create one, read its public profile, edit it and manage its staff (its admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlite_utils import Database
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..business import accounts, inbox, links, staff
from ..chat import conversations
from ..foundation.clock import iso
from ..foundation.errors import NotFound
from ..people import users
from . import business_schemas as b
from . import schemas as s
from .endpoints import Call, Download, EndpointSet

api = EndpointSet("businesses")
T = TypeVar("T")

BUSINESS = "/api/v1/businesses/{handle}"


def shown(call: Call, row: dict[str, Any]) -> dict[str, Any]:
    """The profile as the caller sees it: with their role, if they are on the staff."""
    role = staff.role_of(call.runtime.core.db, row["id"], call.user["id"]) if call.user else None
    return accounts.public(row, call.runtime.settings.clock.now(), role)


async def _write(call: Call, work: Callable[[Database, dict[str, Any], str], T]) -> T:
    """Run ``work(db, business, now)`` in one transaction, on the business the path names."""
    now = iso(call.runtime.settings.clock.now())
    handle = call.path["handle"]
    return await call.runtime.core.write(lambda db: work(db, accounts.by_handle(db, handle), now))


@api.route(
    "POST",
    "/api/v1/businesses",
    summary="Create a business: you are its owner and first admin",
    body=b.NewBusiness,
    response=b.Business,
    status=201,
    errors=(409, 422),
)
async def create_business(call: Call) -> dict[str, Any]:
    fields, me = call.body.model_dump(), call.me
    now = iso(call.runtime.settings.clock.now())
    row = await call.runtime.core.write(lambda db: accounts.create(db, me, fields, now))
    return shown(call, row)


@api.route(
    "GET",
    "/api/v1/me/businesses",
    summary="The businesses you work for, with your role and how many customers wait in each inbox",
    response=b.YourBusinesses,
)
async def my_businesses(call: Call) -> dict[str, Any]:
    db, moment = call.runtime.core.db, call.runtime.settings.clock.now()
    return {
        "businesses": [
            accounts.public(row, moment, row["your_role"]) | {"waiting": inbox.counts(db, row["id"])["open"]}
            for row in staff.businesses_of(db, call.me["id"])
        ]
    }


@api.route(
    "GET",
    BUSINESS,
    summary="A business's public profile (no sign-in needed): never who works there",
    response=b.Business,
    auth="none",
    errors=(404,),
)
async def get_business(call: Call) -> dict[str, Any]:
    return shown(call, accounts.by_handle(call.runtime.core.db, call.path["handle"]))


@api.route(
    "PATCH",
    BUSINESS,
    summary="Edit a business's profile, handle or logo (its admins)",
    body=b.BusinessChange,
    response=b.Business,
    errors=(403, 404, 409, 422),
)
async def change_business(call: Call) -> dict[str, Any]:
    changes, me = call.body.model_dump(), call.me["id"]
    row = await _write(call, lambda db, business, now: accounts.update(db, business["id"], me, changes, now))
    return shown(call, row)


def _staff(db: Database, business_id: str) -> dict[str, Any]:
    return {"staff": staff.listing(db, business_id)}


@api.route(
    "GET",
    BUSINESS + "/staff",
    summary="Who works for a business and in which role (its staff only)",
    response=b.Staff,
    errors=(403, 404),
)
async def list_staff(call: Call) -> dict[str, Any]:
    db = call.runtime.core.db
    business = accounts.by_handle(db, call.path["handle"])
    staff.require_staff(db, business["id"], call.me["id"])
    return _staff(db, business["id"])


@api.route(
    "POST",
    BUSINESS + "/staff",
    summary="Add someone to the staff as an admin or an agent, or change their role (its admins)",
    body=b.NewStaff,
    response=b.Staff,
    errors=(403, 404, 409, 422),
)
async def put_staff(call: Call) -> dict[str, Any]:
    me, role, handle = call.me["id"], call.body.role, call.body.handle

    def work(db: Database, business: dict[str, Any], now: str) -> dict[str, Any]:
        staff.require_admin(db, business["id"], me)
        person = users.by_handle(db, handle)
        if person is None:
            raise NotFound("nobody has this handle", code="user_not_found")
        staff.put(db, business["id"], me, person["id"], role, now)
        return _staff(db, business["id"])

    return await _write(call, work)


@api.route(
    "DELETE",
    BUSINESS + "/staff/{user_id}",
    summary="Remove someone from the staff (its admins; anyone may leave), never the owner",
    response=b.Staff,
    errors=(403, 404, 409),
)
async def remove_staff(call: Call) -> dict[str, Any]:
    me, user_id = call.me["id"], call.path["user_id"]

    def work(db: Database, business: dict[str, Any], now: str) -> dict[str, Any]:
        staff.remove(db, business["id"], me, user_id)
        # Who just left sees no more of the staff.
        return _staff(db, business["id"]) if staff.role_of(db, business["id"], me) else {"staff": []}

    return await _write(call, work)


@api.route(
    "POST",
    BUSINESS + "/chat",
    summary="Open your chat with a business (the same one each time), as its click-to-chat link does",
    response=s.Conversation,
    errors=(404,),
)
async def open_business_chat(call: Call) -> dict[str, Any]:
    me = call.me["id"]
    row, created = await _write(call, lambda db, business, now: links.open_chat(db, business, me, now))
    if created:
        call.runtime.announce_conversation(row["id"], [me])
    return conversations.describe(call.runtime.core.db, row, me)


@api.route(
    "GET",
    BUSINESS + "/qr.png",
    summary="A QR code of the business's click-to-chat link (with 'text' to prefill a message)",
    query=b.LinkQuery,
    response=Download("image/png"),
    auth="none",
    errors=(404, 422),
)
async def business_qr(call: Call) -> Response:
    business = accounts.by_handle(call.runtime.core.db, call.path["handle"])
    base = str(call.request.base_url).rstrip("/")
    image = links.qr_png(base + links.path(business["handle"], call.query.text))
    return Response(image, media_type="image/png", headers={"Cache-Control": "public, max-age=300"})


async def click_to_chat(request: Request) -> RedirectResponse:
    """``/b/<handle>?text=...``: to the web client, which signs in first if needed, then opens the
    chat with the text in the composer (the server does not look the handle up: the client says
    when nobody has it)."""
    text = request.query_params.get("text")
    return RedirectResponse(links.client_address(request.path_params["handle"], text), status_code=303)
