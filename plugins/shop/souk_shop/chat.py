"""The chat side of the shop: browsing, the cart, orders, and the back office of a business's staff."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError
from souk_sdk import Context, FormErrors, Press, SoukError, action, command, ui

from . import businesses, catalog, flows, orders, screens
from .businesses import me


class QueryArgs(BaseModel):
    query: str = ""


class ProductArgs(BaseModel):
    code: str = Field(max_length=20, description="The product's code, shown on its page")


# -- customers -----------------------------------------------------------------------------


@command("shop", help="Browse the shops of your country, or search them", args=QueryArgs)
async def shop_command(ctx: Context, args: QueryArgs) -> ui.Screen:
    if args.query:
        return _search_everywhere(ctx, args.query)
    shops = await businesses.all_shown(ctx, catalog.shops_in(ctx.db, ctx.country or ""))
    return screens.shop_list(shops, ctx.country or "")


def _search_everywhere(ctx: Context, query: str) -> ui.Screen:
    found: list[Any] = []
    for shop in catalog.shops_in(ctx.db, ctx.country or ""):
        found += [
            screens.product_card(p, shop["currency"], ctx.locale)
            for p in catalog.browse(ctx.db, shop["id"], query=query, limit=3)
        ]
    return ui.Screen(title=f"“{query}” in the shops", body=found[:12] or [ui.Text(text="Nothing found.")])


@action("search_all")
async def search_all(ctx: Context, press: Press) -> ui.Screen:
    return _search_everywhere(ctx, press.values["q"])


async def _shelf(
    ctx: Context, shop_id: str, query: str = "", category: str = "", offset: int = 0
) -> ui.Screen:
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, shop_id))
    if shop["country"] != ctx.country:
        raise SoukError("this shop sells in another country")
    products = catalog.browse(ctx.db, shop_id, query=query, category=category, offset=offset)
    return screens.shop_shelf(
        shop,
        products,
        catalog.categories(ctx.db, shop_id),
        query=query,
        category=category,
        offset=offset,
        locale=ctx.locale,
    )


@action("open_shop")
async def open_shop(ctx: Context, press: Press) -> ui.Screen:
    p = press.payload
    return await _shelf(ctx, p["shop_id"], p.get("query", ""), p.get("category", ""), int(p.get("offset", 0)))


@action("search")
async def search(ctx: Context, press: Press) -> ui.Screen:
    return await _shelf(ctx, press.payload["shop_id"], query=press.values["q"])


async def _sold_here(ctx: Context, product_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The product and its shop, if the shop sells in the user's country (a shared card can travel)."""
    product = catalog.product(ctx.db, product_id)
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, product["shop_id"]))
    if shop["country"] != ctx.country:
        raise SoukError(f"{shop['name']} sells only in its own country ({shop['country']})")
    return product, shop


@action("view_product")
async def view_product(ctx: Context, press: Press) -> ui.Screen:
    product, shop = await _sold_here(ctx, press.payload["product_id"])
    return screens.product_page(product, shop, ctx.locale)


@command("product", help="Share a product in this chat", args=ProductArgs)
async def share_product(ctx: Context, args: ProductArgs) -> None:
    product = catalog.product_by_code(ctx.db, args.code)
    if not product["active"]:
        raise SoukError("this product is not for sale now")
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, product["shop_id"]))
    await ctx.reply(screens.shared_product(product, shop, ctx.locale))


@action("add_to_cart")
async def add_to_cart(ctx: Context, press: Press) -> str:
    quantity = int(press.values.get("quantity") or 1)
    product_id = (await _sold_here(ctx, press.payload["product_id"]))[0]["id"]
    total = await ctx.transaction(lambda tx: orders.cart_add(tx.db, me(ctx), product_id, quantity, ctx.now()))
    return f"{total} x {catalog.product(ctx.db, product_id)['name']} in your cart. See it with /cart."


@command("cart", help="Your cart: change it, or check out")
async def cart_command(ctx: Context, args: BaseModel) -> ui.Screen:
    return screens.cart(orders.cart(ctx.db, me(ctx)), ctx.locale)


@action("cart_remove")
async def cart_remove(ctx: Context, press: Press) -> ui.Screen:
    product_id = press.payload["product_id"]
    await ctx.transaction(lambda tx: orders.cart_set(tx.db, me(ctx), product_id, 0, ctx.now()))
    return screens.cart(orders.cart(ctx.db, me(ctx)), ctx.locale)


@action("checkout")
async def checkout(ctx: Context, press: Press) -> Any:
    try:
        # The cart is read in the checkout's own transaction: a second card of the same
        # cart, or a second press, finds it empty instead of ordering it again.
        order, _ = await flows.checkout(ctx, press.payload["shop_id"], None, press.values["delivery"])
    except orders.EmptyCart:
        return "Your cart has nothing from this shop any more."
    except orders.SoldOut as exc:
        return f"Sorry: {exc}. Your cart is unchanged."
    except orders.OrderError as exc:
        raise FormErrors({"delivery": str(exc)}) from None
    return f"{screens.order_ref(order)} is reserved for you; confirm the payment to complete it."


@command("orders", help="Your orders, and your shop's orders if you run one")
async def orders_command(ctx: Context, args: BaseModel) -> ui.Screen:
    """Staff of a shop's business see its orders first, and their own purchases only if they made any."""
    body: list[Any] = [
        screens.orders_list(f"{shop['name']}: orders", orders.orders_of_shop(ctx.db, shop["id"]), ctx.locale)
        for shop in await businesses.shops_i_serve(ctx)
    ]
    bought = orders.orders_of_buyer(ctx.db, me(ctx))
    if bought or not body:
        body.append(screens.orders_list("Your orders", bought, ctx.locale))
    return ui.Screen(title="Orders", body=body)


@action("open_order")
async def open_order(ctx: Context, press: Press) -> ui.Screen:
    order, staff = await businesses.visible_order(ctx, press.payload["order_id"])
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, order["shop_id"]))
    return screens.order_page(order, shop["name"], ctx.locale, staff=staff)


def _staff_action(step: orders.StaffAction) -> Any:
    """Accept, ship or cancel; the order page pressed becomes the order as it is now."""

    async def handle(ctx: Context, press: Press) -> None:
        order = await flows.staff_step(ctx, press.payload["order_id"], step)
        shop = await businesses.shown(ctx, catalog.shop(ctx.db, order["shop_id"]))
        await ctx.replace(press.message_id, screens.order_page(order, shop["name"], ctx.locale, staff=True))

    return handle


@action("order_updates")
async def order_updates(ctx: Context, press: Press) -> str:
    """The buyer asks for their order's business to keep them posted (its order updates)."""
    order, _ = await businesses.visible_order(ctx, press.payload["order_id"])
    shop = catalog.shop(ctx.db, order["shop_id"])
    if order["buyer"] != me(ctx) or not shop["business_id"]:
        raise SoukError("only the buyer of an order of a business's shop can ask for its updates")
    shown = await businesses.shown(ctx, shop)
    await ctx.subscribe_to_business(shop["business_id"], "order_updates")
    return (
        f"{shown['name']} may now write to you about your orders. "
        "Settings → Businesses stops it whenever you like."
    )


order_accept = action("order_accept")(_staff_action("accept"))
order_ship = action("order_ship")(_staff_action("ship"))
order_cancel = action("order_cancel")(_staff_action("cancel"))


# -- the business's staff ------------------------------------------------------------------


@command("myshop", help="Run the shop of your business: its catalogue and orders")
async def myshop(ctx: Context, args: BaseModel) -> ui.Screen:
    return screens.back_office(await businesses.run_by_me(ctx))


@action("open_catalogue")
async def open_catalogue(ctx: Context, press: Press) -> ui.Screen:
    """An admin opens the catalogue of their business: it sells in the business's country."""
    business = await ctx.business(press.payload["business_id"])
    if business is None or not business.is_admin(me(ctx)):
        raise catalog.NotAllowed("only the business's owner and admins can open its catalogue")

    def open_once(tx: Any) -> None:
        if catalog.of_business(tx.db, business.id) is None:
            catalog.create_shop(tx.db, business.id, me(ctx), business.name, business.country, ctx.now())

    await ctx.transaction(open_once)
    return screens.back_office(await businesses.run_by_me(ctx))


@action("catalog")
async def catalog_screen(ctx: Context, press: Press) -> ui.Screen:
    shop = await businesses.require(ctx, press.payload["shop_id"], admin=True)
    offset = int(press.payload.get("offset", 0))
    products = catalog.browse(ctx.db, shop["id"], offset=offset, include_hidden=True)
    return screens.catalog(shop, products, ctx.locale, offset)


@action("shop_orders")
async def shop_orders(ctx: Context, press: Press) -> ui.Screen:
    shop = await businesses.require(ctx, press.payload["shop_id"])
    listing = screens.orders_list(
        f"{shop['name']}: orders", orders.orders_of_shop(ctx.db, shop["id"]), ctx.locale
    )
    return ui.Screen(title="Orders", body=[listing])


@action("save_product")
async def save_product(ctx: Context, press: Press) -> str:
    shop = await businesses.require(ctx, press.payload["shop_id"], admin=True)
    values = {
        k: (str(v) if k == "stock" and v is not None else v) for k, v in press.values.items() if v is not None
    }
    try:
        product = catalog.ProductIn.model_validate(values, context={"currency": shop["currency"]})
    except ValidationError as exc:
        raise FormErrors({str(e["loc"][0]): e["msg"] for e in exc.errors(include_url=False)}) from None
    outcome = await ctx.transaction(lambda tx: catalog.upsert(tx.db, shop["id"], product, ctx.now()))
    return f"{product.name} ({product.sku}): {outcome}."


@action("edit_product")
async def edit_product(ctx: Context, press: Press) -> ui.Screen:
    product = catalog.product(ctx.db, press.payload["product_id"])
    shop = await businesses.require(ctx, product["shop_id"], admin=True)
    return ui.Screen(title=f"Edit {product['name']}", body=[screens.product_form(shop, product)])


@action("toggle_product")
async def toggle_product(ctx: Context, press: Press) -> str:
    product = catalog.product(ctx.db, press.payload["product_id"])
    await businesses.require(ctx, product["shop_id"], admin=True)
    active = not product["active"]
    await ctx.transaction(lambda tx: catalog.set_active(tx.db, product["id"], active, ctx.now()))
    return f"{product['name']} is {'for sale' if active else 'hidden'} now."


@action("restock_form")
async def restock_form(ctx: Context, press: Press) -> ui.Screen:
    product = catalog.product(ctx.db, press.payload["product_id"])
    await businesses.require(ctx, product["shop_id"], admin=True)
    return screens.restock_form(product)


@action("restock")
async def restock(ctx: Context, press: Press) -> str:
    product = catalog.product(ctx.db, press.payload["product_id"])
    await businesses.require(ctx, product["shop_id"], admin=True)
    stock = await ctx.transaction(
        lambda tx: catalog.restock(tx.db, product["id"], press.values["add"], ctx.now())
    )
    return f"{product['name']}: {stock} in stock."


COMMANDS = [shop_command, share_product, cart_command, orders_command, myshop]
ACTIONS = [
    search_all,
    open_shop,
    search,
    view_product,
    add_to_cart,
    cart_remove,
    checkout,
    open_order,
    order_updates,
    order_accept,
    order_ship,
    order_cancel,
    open_catalogue,
    catalog_screen,
    shop_orders,
    save_product,
    edit_product,
    toggle_product,
    restock_form,
    restock,
]
