"""Who may run an event, asked at the time of each action.

An event its organiser runs themselves is theirs alone (:mod:`.organising`).  An event of
a business (``business_id``) is its admins' (and owner's) to manage, and every one of its
staff, agents too, may check tickets in at its door.  The business's staff come from
``ctx.business`` each time, never from a copy kept here: whoever leaves the business stops
managing its events at once, the person who created the event included.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import BusinessInfo, Context, SoukError

from . import organising
from .eventspec import Refused


class NotBusinessAdmin(SoukError):
    code, status = "not_business_admin", 403


def _me(ctx: Context) -> str:
    assert ctx.user is not None
    return ctx.user.id


async def organising_for(ctx: Context, handle: str | None) -> BusinessInfo | None:
    """The business a new event is for (``None``: for the user themselves), if they are its admin."""
    if not handle:
        return None
    business = await ctx.business(handle.strip())
    if business is None:
        raise Refused("business", f"there is no business {handle.strip()}")
    if not business.is_admin(_me(ctx)):
        raise NotBusinessAdmin(f"only the owner and admins of {business.name} can organise its events")
    return business


async def business_of(ctx: Context, event: dict[str, Any]) -> BusinessInfo | None:
    return await ctx.business(event["business_id"]) if event["business_id"] else None


async def manages(ctx: Context, event: dict[str, Any]) -> bool:
    """Whether the user may manage the event: its organiser's, or its business's admin."""
    if not event["business_id"]:
        return bool(event["organiser"] == _me(ctx))
    business = await business_of(ctx, event)
    return business is not None and business.is_admin(_me(ctx))


async def require_organiser(ctx: Context, ref: str) -> dict[str, Any]:
    """The event, if the user may manage it (:func:`manages`); refused otherwise."""
    found = organising.event(ctx.db, ref)
    if not found["business_id"]:
        return organising.require_organiser(ctx.db, ref, _me(ctx))
    if not await manages(ctx, found):
        raise NotBusinessAdmin(
            f"only the owner and admins of {found['organiser_name']} can manage {found['title']}"
        )
    return found


async def business_door(ctx: Context, ref: str) -> bool:
    """Whether the user works for the business of the event ``ref`` (so keeps its door)."""
    row = next(iter(ctx.db.query("SELECT business_id FROM events WHERE ref = ?", [ref])), None)
    if row is None or not row["business_id"]:
        return False
    business = await ctx.business(row["business_id"])
    return business is not None and business.is_staff(_me(ctx))


async def runs_door(ctx: Context, ref: str) -> bool:
    """The organiser, door staff named for the event, or its business's staff."""
    return organising.runs_door(ctx.db, ref, _me(ctx)) or await business_door(ctx, ref)


async def managed_businesses(ctx: Context) -> list[str]:
    """The ids of the businesses whose events the user manages (owner or admin)."""
    return [b.id for b in await ctx.businesses() if b.is_admin(_me(ctx))]


async def named(ctx: Context, event: dict[str, Any]) -> dict[str, Any]:
    """The event under its business's name as it is now: the name kept beside it follows a rename
    (a closed business keeps the last one)."""
    business = await business_of(ctx, event)
    if business is None or business.name == event["organiser_name"]:
        return event
    await ctx.transaction(
        lambda tx: tx.db.execute(
            "UPDATE events SET organiser_name = ? WHERE ref = ?", [business.name, event["ref"]]
        )
    )
    return event | {"organiser_name": business.name}
