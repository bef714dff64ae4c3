"""What the shop holds about a person: exported on request, erased on request.

Kept after an erasure (documented in docs/shop.md): the orders they placed,
because the shop that sold must keep its sales records; each keeps its
number, items, amounts, dates and status, with the buyer's id replaced by the
erasure's random one and their name, delivery address and note blanked.  A
shop they owned (or opened as a business's catalogue) stays, with its
catalogue and orders, under that random id: a business's catalogue goes on
with its business, whose staff the core keeps (and an erased person leaves).
Their staff rows of shops from before businesses and their cart are deleted.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import Erasure
from sqlite_utils import Database


def export_user(db: Database, user_id: str) -> dict[str, Any]:
    """Their cart, their orders (with items), the shops they own or work at."""
    cart = list(
        db.query(
            "SELECT p.name, p.sku, s.name AS shop, c.quantity, c.updated_at FROM carts c "
            "JOIN products p ON p.id = c.product_id JOIN shops s ON s.id = p.shop_id WHERE c.user_id = ?",
            [user_id],
        )
    )
    orders = []
    for order in db.query(
        "SELECT o.id, o.number, s.name AS shop, o.status, o.total, o.currency, o.delivery, o.refunded, "
        "o.note, o.created_at, o.updated_at FROM orders o JOIN shops s ON s.id = o.shop_id "
        "WHERE o.buyer = ? ORDER BY o.created_at",
        [user_id],
    ):
        items = list(
            db.query(
                "SELECT name, sku, price, quantity FROM order_items WHERE order_id = ?", [order.pop("id")]
            )
        )
        orders.append(order | {"items": items})
    work = list(
        db.query(
            "SELECT s.name AS shop, st.role, st.name AS shown_as, st.added_at FROM staff st "
            "JOIN shops s ON s.id = st.shop_id WHERE st.user_id = ?",
            [user_id],
        )
    )
    owned = list(
        db.query(
            "SELECT name, description, country, currency, opening_hours, created_at FROM shops "
            "WHERE owner = ?",
            [user_id],
        )
    )
    return {"cart": cart, "orders": orders, "shops_owned": owned, "staff_of": work}


def erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    """Delete the cart and staff rows; keep orders and owned shops without the person (see above)."""
    done = Erasure(
        kept=[
            "orders you placed: the shop keeps its sales (number, items, amounts, dates), without your id, "
            "name, address or note",
            "shops you owned or opened for a business, with their catalogue and orders, "
            "under an id linked to nobody",
        ]
    )
    for table, sql in (
        ("carts", "DELETE FROM carts WHERE user_id = ?"),
        ("staff", "DELETE FROM staff WHERE user_id = ?"),
    ):
        count = db.execute(sql, [user_id]).rowcount
        if count:
            done.deleted[table] = count
    orders = db.execute(
        "UPDATE orders SET buyer = ?, buyer_name = '', delivery = '', note = NULL, client_key = NULL "
        "WHERE buyer = ?",
        [replacement, user_id],
    ).rowcount
    shops = db.execute("UPDATE shops SET owner = ? WHERE owner = ?", [replacement, user_id]).rowcount
    done.pseudonymised = {k: v for k, v in {"orders": orders, "shops": shops}.items() if v}
    return done
