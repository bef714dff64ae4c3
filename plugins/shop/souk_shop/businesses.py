"""A shop is a business's catalogue: who runs it, and the name and logo customers see.

The business's staff (``ctx.business``) run its shop: its owner and admins manage the
catalogue, and every one of them, agents too, answers its orders.  A shop kept before
businesses (no ``business_id`` yet) is run by its own staff rows until an operator's
``souk business adopt shop`` moves it onto a business (:func:`claims`, :func:`adopted`).
"""

from __future__ import annotations

from typing import Any

from souk_sdk import BusinessClaim, BusinessInfo, Context, SoukError
from sqlite_utils import Database

from . import catalog, orders

LEGACY_ROLES = {"owner": "owner", "staff": "agent"}
"""A pre-business staff row's role as a business's: the owner stays it, helpers answer orders."""
ADMINS = ("owner", "admin")


def me(ctx: Context) -> str:
    assert ctx.user is not None
    return ctx.user.id


async def business_of(ctx: Context, shop: dict[str, Any]) -> BusinessInfo | None:
    return await ctx.business(shop["business_id"]) if shop["business_id"] else None


async def roles(ctx: Context, shop: dict[str, Any]) -> dict[str, str]:
    """Who works at the shop (this mini-app's ids), with their role as a business's staff."""
    if shop["business_id"]:
        business = await ctx.business(shop["business_id"])
        return dict(business.staff) if business else {}
    return {
        row["user_id"]: LEGACY_ROLES[row["role"]]
        for row in ctx.db.query(
            "SELECT user_id, role FROM staff WHERE shop_id = ? ORDER BY role, added_at", [shop["id"]]
        )
    }


async def require(ctx: Context, shop_id: str, admin: bool = False) -> dict[str, Any]:
    """The shop, if the user works there (as an admin or its owner, when ``admin``).

    Anyone else is told as little as of a shop that is not there (:class:`catalog.NotAllowed`).
    """
    try:
        shop = catalog.shop(ctx.db, shop_id)
    except SoukError:
        raise catalog.NotAllowed("no such shop") from None
    role = (await roles(ctx, shop)).get(me(ctx))
    if role is None or (admin and role not in ADMINS):
        who = "owner and admins" if admin else "staff"
        raise catalog.NotAllowed(f"only the business's {who} can do this")
    return shop


async def visible_order(ctx: Context, order_id: str) -> tuple[dict[str, Any], bool]:
    """The order if I bought it or work at its shop (404 otherwise), and whether I work there."""
    found = orders.order(ctx.db, order_id)
    staff = me(ctx) in await roles(ctx, catalog.shop(ctx.db, found["shop_id"]))
    return orders.visible_order(ctx.db, order_id, me(ctx), staff), staff


async def shown(ctx: Context, shop: dict[str, Any]) -> dict[str, Any]:
    """The shop as customers see it: its business's name and logo (the shop's own before one)."""
    return (await all_shown(ctx, [shop]) or [shop])[0]


async def all_shown(ctx: Context, shops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shops as customers see them, leaving out those whose business was closed."""
    found = []
    for shop in shops:
        business = await business_of(ctx, shop)
        if business is not None:
            found.append(shop | {"name": business.name, "logo_url": business.logo or shop["logo_url"]})
        elif not shop["business_id"]:
            found.append(shop)
    return found


async def run_by_me(ctx: Context) -> list[tuple[BusinessInfo | None, dict[str, Any] | None, str]]:
    """(business, its shop or ``None``, my role) for each business I work for, then older shops."""
    found = []
    renamed: dict[str, str] = {}
    for business in await ctx.businesses():
        row = catalog.of_business(ctx.db, business.id)
        if row and row["name"] != business.name:
            renamed[row["id"]] = business.name
        shop = row | {"name": business.name} if row else None
        found.append((business, shop, business.staff[me(ctx)]))
    if renamed:
        # The name kept beside orders and receipts follows the business's, when its staff look.
        await ctx.transaction(lambda tx: [tx.db["shops"].update(k, {"name": v}) for k, v in renamed.items()])
    for shop in catalog.shops_of(ctx.db, me(ctx)):
        if not shop["business_id"]:
            found.append((None, shop, LEGACY_ROLES[shop["role"]]))
    return found


async def shops_i_serve(ctx: Context) -> list[dict[str, Any]]:
    """The shops whose orders I answer, under their business's name."""
    return [shop for _, shop, _ in await run_by_me(ctx) if shop is not None]


# -- moving older shops onto businesses -----------------------------------------------------


def claims(db: Database) -> list[BusinessClaim]:
    """Each shop not yet on a business, to become one: its owner, and its helpers as agents."""
    found = []
    for shop in db.query("SELECT * FROM shops WHERE business_id IS NULL ORDER BY created_at, id"):
        helpers = db.query(
            "SELECT user_id FROM staff WHERE shop_id = ? AND role = 'staff' ORDER BY added_at", [shop["id"]]
        )
        found.append(
            BusinessClaim(
                key=shop["id"],
                name=shop["name"],
                handle=shop["name"],
                category="shop",
                description=shop["description"],
                owner=shop["owner"],
                staff={row["user_id"]: "agent" for row in helpers},
            )
        )
    return found


def adopted(db: Database, key: str, business_id: str) -> None:
    """The shop ``key`` is now the business's catalogue; its staff rows live on as the business's."""
    db.execute("UPDATE shops SET business_id = ? WHERE id = ? AND business_id IS NULL", [business_id, key])
    db.execute("DELETE FROM staff WHERE shop_id = ?", [key])
