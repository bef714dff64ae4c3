"""Carts and orders: stock is reserved at checkout and taken only when payment succeeds.

A product's ``reserved`` count can never exceed its ``stock`` (a CHECK in the
database), and a reservation is one conditional UPDATE inside the checkout's
transaction, so concurrent checkouts cannot oversell: the ones that find too
little left are told it is sold out.  A reservation lasts longer than the
payment's own expiry; on ``payment.failed`` or when it lapses, it is released.

Every change of an order's status is one ``UPDATE ... WHERE status IN (...)``
whose row count is the condition of what follows (stock taken or given back,
the buyer told): of two steps that race, the one that finds the order moved on
changes nothing, and says so.  What a step depends on (a cart's lines, an
order's status) is read inside its transaction, never before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from souk_sdk import NotFound, SoukError, Transaction
from sqlite_utils import Database

from .catalog import new_id, product
from .schema import FIRST_ORDER_NUMBER

RESERVE_FOR = dt.timedelta(minutes=20)
RESERVATION_EVENT = "shop.reservation_expired"
MAX_QUANTITY = 100

StaffAction = Literal["accept", "ship", "cancel"]
NEXT_STATUS = {"accept": ("paid", "accepted"), "ship": ("accepted", "shipped")}


class SoldOut(SoukError):
    code, status = "sold_out", 409


class OrderError(SoukError):
    code, status = "order_refused", 409


class EmptyCart(OrderError):
    """A checkout of the cart found nothing of this shop in it (another checkout took it)."""


class KeyReused(SoukError):
    """A checkout's idempotency key came again with another shop, other items or another address."""

    code, status = "idempotency_conflict", 409


# -- the cart ------------------------------------------------------------------------------


def cart_set(db: Database, user: str, product_id: str, quantity: int, now: dt.datetime) -> None:
    """Put ``quantity`` of a product in the cart (0 removes it)."""
    if not 0 <= quantity <= MAX_QUANTITY:
        raise SoukError(f"a quantity is 0 to {MAX_QUANTITY}")
    item = product(db, product_id)
    if not item["active"]:
        raise SoukError("this product is not for sale now")
    if quantity == 0:
        db.execute("DELETE FROM carts WHERE user_id = ? AND product_id = ?", [user, product_id])
        return
    db["carts"].upsert(
        {"user_id": user, "product_id": product_id, "quantity": quantity, "updated_at": now.isoformat()},
        pk=("user_id", "product_id"),
    )


def cart_add(db: Database, user: str, product_id: str, quantity: int, now: dt.datetime) -> int:
    row = db.execute(
        "SELECT quantity FROM carts WHERE user_id = ? AND product_id = ?", [user, product_id]
    ).fetchone()
    total = (row[0] if row else 0) + quantity
    cart_set(db, user, product_id, min(total, MAX_QUANTITY), now)
    return min(total, MAX_QUANTITY)


def cart_items(db: Database, user: str, shop_id: str) -> list[tuple[str, int]]:
    """(product id, quantity) of the user's cart lines from one shop."""
    return db.execute(
        "SELECT c.product_id, c.quantity FROM carts c JOIN products p ON p.id = c.product_id "
        "WHERE c.user_id = ? AND p.shop_id = ? ORDER BY c.product_id",
        [user, shop_id],
    ).fetchall()


def cart(db: Database, user: str) -> list[dict[str, Any]]:
    """The user's cart lines with their products, grouped by shop in name order."""
    return list(
        db.query(
            "SELECT c.quantity, p.id AS product_id, p.name, p.price, p.stock - p.reserved AS available, "
            "p.active, s.id AS shop_id, s.name AS shop_name, s.currency FROM carts c "
            "JOIN products p ON p.id = c.product_id JOIN shops s ON s.id = p.shop_id "
            "WHERE c.user_id = ? ORDER BY s.name, p.name",
            [user],
        )
    )


# -- checkout ------------------------------------------------------------------------------


def _request(shop_id: str, items: list[tuple[str, int]], delivery: str) -> tuple[Any, ...]:
    """What a checkout key stands for: the whole request, in a form the stored order also gives."""
    quantities: dict[str, int] = {}
    for product_id, quantity in items:
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    return shop_id, sorted(quantities.items()), delivery.strip()


def _request_of(placed: dict[str, Any]) -> tuple[Any, ...]:
    items = [(line["product_id"], line["quantity"]) for line in placed["items"]]
    return _request(placed["shop_id"], items, placed["delivery"])


def reserve(
    tx: Transaction,
    *,
    buyer: str,
    buyer_name: str,
    shop_id: str,
    items: list[tuple[str, int]] | None,
    delivery: str,
    now: dt.datetime,
    client_key: str | None = None,
) -> dict[str, Any]:
    """Reserve every item or none, and open an order awaiting payment.

    ``items=None`` orders the buyer's cart lines from this shop, read in this
    transaction: of two checkouts of one cart, the second finds it empty
    (:class:`EmptyCart`) instead of ordering it again.  With a ``client_key``, a
    retried checkout finds the order it made the first time; the key with any
    other request (shop, items, delivery) is refused as :class:`KeyReused`.
    """
    db = tx.db
    if items is None:
        items = cart_items(db, buyer, shop_id)
        if not items:
            raise EmptyCart("your cart has nothing from this shop any more")
    if client_key is not None:
        existing = db.execute(
            "SELECT id FROM orders WHERE buyer = ? AND client_key = ?", [buyer, client_key]
        ).fetchone()
        if existing:
            first = order(db, existing[0])
            if _request_of(first) != _request(shop_id, items, delivery):
                raise KeyReused("this idempotency key was already used for a different checkout")
            return first
    if not items:
        raise OrderError("there is nothing to order")
    if not 5 <= len(delivery.strip()) <= 500:
        raise OrderError("write where the order goes (5 to 500 characters)")
    order_id = new_id("o")
    total = 0
    lines: list[dict[str, Any]] = []
    currency = db.execute("SELECT currency FROM shops WHERE id = ?", [shop_id]).fetchone()
    if currency is None:
        raise OrderError("no such shop")
    for product_id, quantity in items:
        if not 0 < quantity <= MAX_QUANTITY:
            raise OrderError(f"a quantity is 1 to {MAX_QUANTITY}")
        row = db.execute(
            "UPDATE products SET reserved = reserved + ? WHERE id = ? AND shop_id = ? AND active = 1 "
            "AND stock - reserved >= ? RETURNING name, price",
            [quantity, product_id, shop_id, quantity],
        ).fetchone()
        if row is None:
            left = db.execute(
                "SELECT name, stock - reserved FROM products WHERE id = ?", [product_id]
            ).fetchone()
            name, available = left if left else ("this product", 0)
            raise SoldOut(f"{name} is sold out" if available <= 0 else f"only {available} of {name} left")
        total += row[1] * quantity
        lines.append(
            {
                "order_id": order_id,
                "product_id": product_id,
                "sku": product(db, product_id)["sku"],
                "name": row[0],
                "price": row[1],
                "quantity": quantity,
            }
        )
    number = db.execute(
        "SELECT COALESCE(MAX(number), ?) + 1 FROM orders", [FIRST_ORDER_NUMBER - 1]
    ).fetchone()
    opened = {
        "id": order_id,
        "number": number[0],
        "shop_id": shop_id,
        "buyer": buyer,
        "buyer_name": buyer_name,
        "status": "awaiting_payment",
        "total": total,
        "currency": currency[0],
        "delivery": delivery.strip(),
        "client_key": client_key,
        "created_at": now.isoformat(),
        "updated_at": now.isoformat(),
    }
    db["orders"].insert(opened)
    db["order_items"].insert_all(lines)
    db.execute(
        f"DELETE FROM carts WHERE user_id = ? AND product_id IN ({','.join('?' * len(items))})",
        [buyer, *(p for p, _ in items)],
    )
    tx.schedule(
        RESERVATION_EVENT,
        {"order_id": order_id},
        after=RESERVE_FOR,
        key=f"reservation:{order_id}",
        user=buyer,
    )
    return opened | {"items": lines}


def order(db: Database, order_id: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM orders WHERE id = ?", [order_id])), None)
    if row is None:
        raise NotFound("no such order")
    row["items"] = list(db.query("SELECT * FROM order_items WHERE order_id = ? ORDER BY name", [order_id]))
    return row


def _touch(db: Database, order_id: str, frm: tuple[str, ...], to: str, now: dt.datetime) -> bool:
    marks = ",".join("?" * len(frm))
    return bool(
        db.execute(
            f"UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status IN ({marks})",
            [to, now.isoformat(), order_id, *frm],
        ).rowcount
    )


def _items(db: Database, order_id: str) -> list[tuple[str, int]]:
    return db.execute(
        "SELECT product_id, quantity FROM order_items WHERE order_id = ?", [order_id]
    ).fetchall()


def mark_paid(tx: Transaction, order_id: str, payment_id: str, now: dt.datetime) -> bool:
    """Payment arrived: take the reserved stock for good.  False if the order is no longer waiting."""
    db = tx.db
    if not _touch(db, order_id, ("awaiting_payment",), "paid", now):
        return False
    db.execute("UPDATE orders SET payment_id = ? WHERE id = ?", [payment_id, order_id])
    for product_id, quantity in _items(db, order_id):
        db.execute(
            "UPDATE products SET stock = stock - ?, reserved = reserved - ? WHERE id = ?",
            [quantity, quantity, product_id],
        )
    tx.cancel(f"reservation:{order_id}")
    return True


def release(
    tx: Transaction, order_id: str, status: Literal["failed", "expired", "cancelled"], now: dt.datetime
) -> bool:
    """Give back what an unpaid order reserved, and its lines to the buyer's cart (once).

    False if the order was no longer waiting for payment.
    """
    db = tx.db
    if not _touch(db, order_id, ("awaiting_payment",), status, now):
        return False
    buyer = db.execute("SELECT buyer FROM orders WHERE id = ?", [order_id]).fetchone()[0]
    for product_id, quantity in _items(db, order_id):
        db.execute("UPDATE products SET reserved = reserved - ? WHERE id = ?", [quantity, product_id])
        db.execute(
            "INSERT INTO carts (user_id, product_id, quantity, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = MIN(quantity + excluded.quantity, ?)",
            [buyer, product_id, quantity, now.isoformat(), MAX_QUANTITY],
        )
    tx.cancel(f"reservation:{order_id}")
    return True


def staff_step(tx: Transaction, order_id: str, step: StaffAction, now: dt.datetime) -> tuple[str, bool]:
    """Accept, ship or cancel: (the status now, whether this step changed it).

    Cancelling a paid order returns its stock.  A cancel that another cancel
    overtook changes nothing (``False``); any other step the order moved past
    is an :class:`OrderError`.
    """
    db = tx.db
    if step == "cancel":
        if release(tx, order_id, "cancelled", now):
            return "cancelled", True
        if _touch(db, order_id, ("paid", "accepted"), "cancelled", now):
            for product_id, quantity in _items(db, order_id):
                db.execute("UPDATE products SET stock = stock + ? WHERE id = ?", [quantity, product_id])
            return "cancelled", True
        current = order(db, order_id)["status"]
        if current == "cancelled":
            return "cancelled", False
        raise OrderError(f"an order that is {current} cannot be cancelled")
    frm, to = NEXT_STATUS[step]
    if not _touch(db, order_id, (frm,), to, now):
        raise OrderError(f"an order that is {order(db, order_id)['status']} cannot be marked {to}")
    return to, True


def record_refund(db: Database, order_id: str, amount: int) -> None:
    db.execute("UPDATE orders SET refunded = ? WHERE id = ?", [amount, order_id])


def orders_of_buyer(db: Database, buyer: str, limit: int = 20) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT o.*, s.name AS shop_name FROM orders o JOIN shops s ON s.id = o.shop_id "
            "WHERE o.buyer = ? ORDER BY o.created_at DESC LIMIT ?",
            [buyer, limit],
        )
    )


def orders_of_shop(db: Database, shop_id: str, limit: int = 50) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT o.*, s.name AS shop_name FROM orders o JOIN shops s ON s.id = o.shop_id "
            "WHERE o.shop_id = ? ORDER BY o.created_at DESC LIMIT ?",
            [shop_id, limit],
        )
    )


def visible_order(db: Database, order_id: str, user: str, staff: bool) -> dict[str, Any]:
    """The order, if the user is its buyer or (``staff``) works at its shop; otherwise 'no such order'."""
    found = order(db, order_id)
    if found["buyer"] != user and not staff:
        raise NotFound("no such order")
    return found
