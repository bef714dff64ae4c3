"""The steps that chat, HTTP and events share: checkout, payment outcomes, staff steps."""

from __future__ import annotations

import logging
from typing import Any

from souk_sdk import Context, Event, PaymentError, PaymentResult, PaymentsUnavailable, SoukError

from . import businesses, catalog, orders, screens
from .businesses import me

log = logging.getLogger(__name__)


async def checkout(
    ctx: Context,
    shop_id: str,
    items: list[tuple[str, int]] | None,
    delivery: str,
    client_key: str | None = None,
) -> tuple[dict[str, Any], PaymentResult]:
    """Reserve the stock (of ``items``, or of the cart when ``None``), then ask for payment;
    a refused payment releases the stock at once."""
    buyer_name = (ctx.user.display_name if ctx.user else None) or ""
    order = await ctx.transaction(
        lambda tx: orders.reserve(
            tx,
            buyer=me(ctx),
            buyer_name=buyer_name,
            shop_id=shop_id,
            items=items,
            delivery=delivery,
            now=ctx.now(),
            client_key=client_key,
        )
    )
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, shop_id))
    count = sum(line["quantity"] for line in order["items"]) if "items" in order else None
    what = f": {count} item{'s' if count != 1 else ''}" if count else ""
    try:
        result = await ctx.request_payment(
            amount=order["total"],
            currency=order["currency"],
            description=f"{screens.order_ref(order)}{what}",
            reference=order["id"],
            idempotency_key=f"order:{order['id']}",
            payee=shop["name"],
        )
    except (PaymentsUnavailable, PaymentError):
        await ctx.transaction(lambda tx: orders.release(tx, order["id"], "failed", ctx.now()))
        raise
    return order, result


async def tell_staff(ctx: Context, shop_id: str, content: Any) -> int:
    """Message the business's staff (all who answer the shop's orders); how many were reached."""
    reached = 0
    for user_id in await businesses.roles(ctx, catalog.shop(ctx.db, shop_id)):
        try:
            await ctx.notify(user_id, content)
            reached += 1
        except SoukError as exc:
            log.info("could not tell %s about an order: %s", user_id, exc)
    return reached


async def tell_buyer(ctx: Context, order: dict[str, Any], content: Any) -> None:
    """Privately where the buyer paid, when the event came from there; else in their chat with the Shop."""
    try:
        if ctx.conversation is not None and ctx.user is not None and ctx.user.id == order["buyer"]:
            await ctx.show(content)
        else:
            await ctx.notify(order["buyer"], content)
    except SoukError as exc:
        log.info("could not tell the buyer of %s: %s", order["id"], exc)


async def payment_succeeded(ctx: Context, event_id: str, order_id: str, payment_id: str) -> None:
    def record(tx: Any) -> bool | None:
        if not tx.first_time(event_id):
            return None
        return orders.mark_paid(tx, order_id, payment_id, ctx.now())

    paid = await ctx.transaction(record)
    order = orders.order(ctx.db, order_id)
    if paid is None:
        # Seen before.  Done, unless it was a late payment whose refund failed that time (the
        # failure is why the event came again): then the refund below is tried again.
        if order["payment_id"] is not None or order["refunded"] >= order["total"]:
            return
        paid = False
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, order["shop_id"]))
    if not paid:
        # The order lapsed before the payment arrived: give the money back.
        await ctx.refund_payment(
            payment_id=payment_id,
            amount=order["total"],
            reason="the order had expired",
            idempotency_key=f"late:{order_id}",
        )
        await ctx.transaction(lambda tx: orders.record_refund(tx.db, order_id, order["total"]))
        await tell_buyer(
            ctx, order, f"Your payment for {screens.order_ref(order)} came after it expired; it was refunded."
        )
        return
    business = shop["name"] if shop.get("business_id") else None
    await tell_buyer(ctx, order, screens.thanks(order, business, ctx.locale))
    await tell_staff(ctx, order["shop_id"], screens.order_page(order, shop["name"], ctx.locale, staff=True))


async def payment_lapsed(ctx: Context, order_id: str, status: str, why: str) -> None:
    released = await ctx.transaction(lambda tx: orders.release(tx, order_id, status, ctx.now()))
    if released:
        order = orders.order(ctx.db, order_id)
        await tell_buyer(
            ctx, order, f"{screens.order_ref(order)} was not paid ({why}); the items went back on the shelf."
        )


async def staff_step(ctx: Context, order_id: str, step: orders.StaffAction) -> dict[str, Any]:
    """Accept, ship or cancel as staff; a cancelled paid order is refunded and its stock returned.

    The buyer is told of a change this step made, once: not by a step another
    staff member's overtook.  The refund is asked whenever a cancelled order is
    not refunded yet (its key makes it one refund), so a cancel pressed again
    after a refund that failed tries it again.
    """
    order = orders.order(ctx.db, order_id)
    await businesses.require(ctx, order["shop_id"])
    status, changed = await ctx.transaction(lambda tx: orders.staff_step(tx, order_id, step, ctx.now()))
    order = orders.order(ctx.db, order_id)
    if status == "cancelled" and order["payment_id"] and order["refunded"] < order["total"]:
        await ctx.refund_payment(
            payment_id=order["payment_id"],
            amount=order["total"] - order["refunded"],
            reason="order cancelled by the shop",
            idempotency_key=f"cancel:{order_id}",
        )
        await ctx.transaction(lambda tx: orders.record_refund(tx.db, order_id, order["total"]))
        order = orders.order(ctx.db, order_id)
    if changed:
        shop = await businesses.shown(ctx, catalog.shop(ctx.db, order["shop_id"]))
        refund = " Your money was refunded." if status == "cancelled" and order["refunded"] else ""
        await tell_buyer(
            ctx,
            order,
            f"{shop['name']}: your {screens.order_ref(order).lower()} is now "
            f"{screens.STATUS_NAMES[status]}.{refund}",
        )
    return order


# -- the events the shop subscribes to ----------------------------------------------------------


async def on_payment_succeeded(ctx: Context, event: Event) -> None:
    await payment_succeeded(ctx, event.id, event.data["reference"], event.data["payment_id"])


async def on_payment_failed(ctx: Context, event: Event) -> None:
    await payment_lapsed(
        ctx, event.data["reference"], "failed", event.data.get("failure") or "payment failed"
    )


async def on_reservation_expired(ctx: Context, event: Event) -> None:
    await payment_lapsed(ctx, event.data["order_id"], "expired", "the reservation ran out")
