"""What the shop shows: shop lists, a shop's shelves, products, the cart, orders, the back office."""

from __future__ import annotations

from typing import Any

from souk_sdk import ui
from souk_sdk.money import format_money, to_decimal

from .catalog import PAGE

STATUS_NAMES = {
    "awaiting_payment": "waiting for payment",
    "paid": "paid",
    "accepted": "accepted",
    "shipped": "shipped",
    "cancelled": "cancelled",
    "failed": "payment failed",
    "expired": "expired unpaid",
}


def _image(url: str | None) -> str | None:
    """A picture's address as a screen may name it: an outside one (Souk fetches it once and serves
    its copy) or one in Souk's media store."""
    return url if url and url.startswith(("http://", "https://", "/api/v1/media/")) else None


def shop_list(shops: list[dict[str, Any]], country: str) -> ui.Screen:
    if not shops:
        return ui.Screen(
            title="Shops", body=[ui.Text(text=f"No shops in {country} yet. Open yours with /myshop.")]
        )
    return ui.Screen(
        title="Shops",
        body=[
            ui.ItemList(
                items=[
                    ui.ListItem(
                        title=s["name"],
                        subtitle=s["description"] or s["opening_hours"] or None,
                        button=ui.Button(label="Open", action="open_shop", payload={"shop_id": s["id"]}),
                    )
                    for s in shops
                ]
            ),
            ui.Form(
                action="search_all",
                submit_label="Search",
                fields=[ui.TextField(name="q", label="Search every shop", max_length=80)],
            ),
        ],
    )


def product_card(
    product: dict[str, Any], currency: str, locale: str | None, buttons: list[ui.Button] | None = None
) -> ui.Card:
    available = product["stock"] - product["reserved"]
    state = "sold out" if available <= 0 else f"{available} in stock"
    default = [ui.Button(label="View", action="view_product", payload={"product_id": product["id"]})]
    if available > 0:
        default.append(
            ui.Button(
                label="Add to cart",
                action="add_to_cart",
                payload={"product_id": product["id"]},
                style="primary",
            )
        )
    return ui.Card(
        title=product["name"],
        subtitle=f"{format_money(product['price'], currency, locale)} · {state}",
        body=product["description"][:140] or None,
        image_url=_image(product["image_url"]),
        buttons=buttons if buttons is not None else default,
    )


def shop_shelf(
    shop: dict[str, Any],
    products: list[dict[str, Any]],
    categories: list[str],
    *,
    query: str,
    category: str,
    offset: int,
    locale: str | None,
) -> ui.Screen:
    body: list[Any] = []
    about = " · ".join(x for x in (shop["description"], shop["opening_hours"]) if x)
    if about:
        body.append(ui.Text(text=about, style="muted"))
    if _image(shop["logo_url"]):
        body.append(ui.Image(url=shop["logo_url"], alt=f"{shop['name']} logo"))
    if categories:
        body.append(
            ui.ItemList(
                items=[
                    ui.ListItem(
                        title=c,
                        button=ui.Button(
                            label="Browse", action="open_shop", payload={"shop_id": shop["id"], "category": c}
                        ),
                    )
                    for c in categories[:8]
                ]
            )
        )
    body.append(
        ui.Form(
            action="search",
            submit_label="Search",
            payload={"shop_id": shop["id"]},
            fields=[ui.TextField(name="q", label="Search this shop", max_length=80, value=query or None)],
        )
    )
    heading = f"Results for “{query}”" if query else (category or "All products")
    body.append(ui.Text(text=heading, style="heading"))
    if not products:
        body.append(ui.Text(text="Nothing found."))
    body.extend(product_card(p, shop["currency"], locale) for p in products)
    if len(products) == PAGE:
        body.append(
            ui.Button(
                label="More",
                action="open_shop",
                payload={
                    "shop_id": shop["id"],
                    "query": query,
                    "category": category,
                    "offset": offset + PAGE,
                },
            )
        )
    return ui.Screen(title=shop["name"], body=body)


def product_page(product: dict[str, Any], shop: dict[str, Any], locale: str | None) -> ui.Screen:
    available = product["stock"] - product["reserved"]
    body: list[Any] = [product_card(product, shop["currency"], locale, buttons=[])]
    if product["description"]:
        body.append(ui.Text(text=product["description"]))
    if product["tags"]:
        body.append(ui.Text(text="Tags: " + product["tags"].replace(",", ", "), style="muted"))
    if available > 0:
        body.append(
            ui.Form(
                action="add_to_cart",
                submit_label="Add to cart",
                payload={"product_id": product["id"]},
                fields=[
                    ui.NumberField(
                        name="quantity",
                        label="Quantity",
                        integer=True,
                        min=1,
                        max=min(available, 100),
                        value="1",
                    )
                ],
            )
        )
    body.append(ui.Text(text=f"Share it in any chat: /product {product['code']}", style="muted"))
    return ui.Screen(title=product["name"], body=body)


def shared_product(product: dict[str, Any], shop: dict[str, Any], locale: str | None) -> ui.Screen:
    return ui.Screen(
        title=f"From {shop['name']}",
        body=[
            product_card(
                product,
                shop["currency"],
                locale,
                buttons=[
                    ui.Button(label="View", action="view_product", payload={"product_id": product["id"]})
                ],
            )
        ],
    )


def cart(lines: list[dict[str, Any]], locale: str | None) -> ui.Screen:
    if not lines:
        return ui.Screen(title="Your cart", body=[ui.Text(text="Your cart is empty. Browse with /shop.")])
    body: list[Any] = []
    shops: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        shops.setdefault(line["shop_id"], []).append(line)
    for shop_id, items in shops.items():
        currency = items[0]["currency"]
        total = sum(i["price"] * i["quantity"] for i in items)
        body.append(ui.Text(text=items[0]["shop_name"], style="heading"))
        body.append(
            ui.ItemList(
                items=[
                    ui.ListItem(
                        title=f"{i['quantity']} x {i['name']}",
                        subtitle=format_money(i["price"] * i["quantity"], currency, locale),
                        button=ui.Button(
                            label="Remove", action="cart_remove", payload={"product_id": i["product_id"]}
                        ),
                    )
                    for i in items
                ]
            )
        )
        body.append(
            ui.Form(
                action="checkout",
                submit_label=f"Pay {format_money(total, currency, locale)}",
                payload={"shop_id": shop_id},
                fields=[
                    ui.TextField(
                        name="delivery",
                        label="Deliver to (name and address)",
                        min_length=5,
                        max_length=500,
                        multiline=True,
                    )
                ],
            )
        )
        body.append(ui.Divider())
    return ui.Screen(title="Your cart", body=body)


def order_ref(order: dict[str, Any]) -> str:
    """How people name an order: ``Order #1042``."""
    return f"Order #{order['number']}"


def order_summary(order: dict[str, Any], locale: str | None) -> str:
    items = ", ".join(f"{i['quantity']} x {i['name']}" for i in order.get("items", []))
    return (
        f"{order_ref(order)} · {format_money(order['total'], order['currency'], locale)} · "
        f"{STATUS_NAMES[order['status']]}" + (f" · {items}" if items else "")
    )


def thanks(order: dict[str, Any], business_name: str | None, locale: str | None) -> ui.Screen | str:
    """The buyer's thanks for a paid order; with a business behind the shop, a button to have its
    updates about orders (the buyer's own choice: a business writes after 24 hours only so)."""
    text = f"Thank you! {order_summary(order, locale)}"
    if business_name is None:
        return text
    return ui.Screen(
        title="Thank you!",
        body=[
            ui.Text(text=order_summary(order, locale)),
            ui.Button(label="Get order updates", action="order_updates", payload={"order_id": order["id"]}),
            ui.Text(text=f"{business_name} may then write to you about your orders.", style="muted"),
        ],
    )


def order_page(order: dict[str, Any], shop_name: str, locale: str | None, staff: bool) -> ui.Screen:
    body: list[Any] = [
        ui.Text(text=f"{shop_name} · {STATUS_NAMES[order['status']]}", style="heading"),
        ui.ItemList(
            items=[
                ui.ListItem(
                    title=f"{i['quantity']} x {i['name']}",
                    subtitle=format_money(i["price"] * i["quantity"], order["currency"], locale),
                )
                for i in order["items"]
            ]
        ),
        ui.Text(text=f"Total {format_money(order['total'], order['currency'], locale)}"),
    ]
    if order["refunded"]:
        body.append(ui.Text(text=f"Refunded {format_money(order['refunded'], order['currency'], locale)}"))
    if staff:
        body.append(
            ui.Text(text=f"Buyer: {order['buyer_name'] or 'a customer'}. Deliver to: {order['delivery']}")
        )
        payload = {"order_id": order["id"]}
        if order["status"] == "paid":
            body.append(ui.Button(label="Accept", action="order_accept", payload=payload, style="primary"))
        if order["status"] == "accepted":
            body.append(
                ui.Button(label="Mark shipped", action="order_ship", payload=payload, style="primary")
            )
        if order["status"] in ("paid", "accepted", "awaiting_payment"):
            body.append(
                ui.Button(label="Cancel order", action="order_cancel", payload=payload, style="danger")
            )
    return ui.Screen(title=order_ref(order), body=body)


def orders_list(title: str, orders: list[dict[str, Any]], locale: str | None) -> ui.Card:
    return ui.Card(
        title=title,
        body="\n".join(order_summary(o, locale) for o in orders[:10]) or "No orders yet.",
        buttons=[
            ui.Button(label=f"Open #{o['number']}", action="open_order", payload={"order_id": o["id"]})
            for o in orders[:6]
        ],
    )


def upload_form(shop: dict[str, str]) -> ui.Form:
    """The owner's upload of a whole catalogue (uploads.py imports it)."""
    return ui.Form(
        action="import_catalogue",
        submit_label="Upload",
        payload={"shop_id": shop["id"]},
        fields=[
            ui.FileField(
                name="file",
                label=f"Catalogue file for {shop['name']}",
                accept=[".csv", ".json"],
                help="A spreadsheet saved as CSV (sku, name, price, stock, ...) or a JSON list; "
                "products are added, or updated by their SKU.",
            )
        ],
    )


STAFF_HELP = (
    "Who runs the shop comes from the business: its owner and admins manage the catalogue, "
    "its agents answer the orders. The business's admins add its staff."
)


def back_office(mine: list[tuple[Any, dict[str, Any] | None, str]]) -> ui.Screen:
    """A card per business I work for: its catalogue and orders, or the button that opens one."""
    if not mine:
        return no_business()
    body: list[Any] = []
    for business, shop, role in mine:
        admin = role in ("owner", "admin")
        if shop is None:
            body.append(_unopened(business, admin))
            continue
        buttons = [ui.Button(label="Orders", action="shop_orders", payload={"shop_id": shop["id"]})]
        if admin:
            buttons.insert(0, ui.Button(label="Catalogue", action="catalog", payload={"shop_id": shop["id"]}))
        body.append(
            ui.Card(
                title=shop["name"],
                subtitle=f"{shop['country']} · {shop['currency']} · you are {role}",
                buttons=buttons,
            )
        )
        if admin:
            body.append(upload_form(shop))
    body.append(ui.Text(text=STAFF_HELP, style="muted"))
    return ui.Screen(title="Your shops", body=body)


def _unopened(business: Any, admin: bool) -> ui.Card:
    if not admin:
        return ui.Card(title=business.name, subtitle="No catalogue yet: an admin of the business opens it")
    return ui.Card(
        title=business.name,
        subtitle=f"@{business.handle} has no catalogue yet; it will sell in {business.country}",
        buttons=[
            ui.Button(
                label="Open the catalogue", action="open_catalogue", payload={"business_id": business.id}
            )
        ],
    )


def no_business() -> ui.Screen:
    return ui.Screen(
        title="Open your shop",
        body=[
            ui.Text(
                text="A shop is a business's catalogue. Create your business first "
                "(its name, handle and logo are what customers see), "
                "then come back to /myshop to open its catalogue."
            )
        ],
    )


def product_form(shop: dict[str, Any], product: dict[str, Any] | None = None) -> ui.Form:
    def value(key: str) -> str | None:
        if product is None:
            return None
        if key == "price":
            return str(to_decimal(product["price"], shop["currency"]))
        return str(product[key]) if product[key] not in (None, "") else None

    return ui.Form(
        action="save_product",
        submit_label="Save",
        payload={"shop_id": shop["id"]},
        fields=[
            ui.TextField(name="sku", label="SKU", max_length=64, value=value("sku")),
            ui.TextField(name="name", label="Name", max_length=120, value=value("name")),
            ui.TextField(
                name="price", label=f"Price in {shop['currency']}", max_length=16, value=value("price")
            ),
            ui.NumberField(
                name="stock", label="In stock", integer=True, min=0, max=1_000_000, value=value("stock")
            ),
            ui.TextField(
                name="category", label="Category", required=False, max_length=60, value=value("category")
            ),
            ui.TextField(
                name="tags",
                label="Tags (comma separated)",
                required=False,
                max_length=300,
                value=value("tags"),
            ),
            ui.TextField(
                name="description",
                label="Description",
                required=False,
                max_length=2000,
                multiline=True,
                value=value("description"),
            ),
            ui.TextField(
                name="image_url", label="Image URL", required=False, max_length=500, value=value("image_url")
            ),
        ],
    )


def catalog(
    shop: dict[str, Any], products: list[dict[str, Any]], locale: str | None, offset: int
) -> ui.Screen:
    body: list[Any] = []
    for p in products:
        toggle = "Hide" if p["active"] else "Show"
        body.append(
            product_card(
                p,
                shop["currency"],
                locale,
                buttons=[
                    ui.Button(label="Edit", action="edit_product", payload={"product_id": p["id"]}),
                    ui.Button(label=toggle, action="toggle_product", payload={"product_id": p["id"]}),
                    ui.Button(label="Restock", action="restock_form", payload={"product_id": p["id"]}),
                ],
            )
        )
    if len(products) == PAGE:
        body.append(
            ui.Button(
                label="More", action="catalog", payload={"shop_id": shop["id"], "offset": offset + PAGE}
            )
        )
    body.append(ui.Text(text="Add a product", style="heading"))
    body.append(product_form(shop))
    return ui.Screen(title=f"{shop['name']}: catalogue", body=body)


def restock_form(product: dict[str, Any]) -> ui.Screen:
    return ui.Screen(
        title=f"Restock {product['name']}",
        body=[
            ui.Text(text=f"{product['stock']} in stock, {product['reserved']} reserved by checkouts."),
            ui.Form(
                action="restock",
                submit_label="Add",
                payload={"product_id": product["id"]},
                fields=[
                    ui.NumberField(name="add", label="How many to add", integer=True, min=1, max=1_000_000)
                ],
            ),
        ],
    )
