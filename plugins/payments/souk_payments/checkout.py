"""Checkout for other mini-apps: the payment provider behind ``ctx.request_payment``.

A request becomes a pending payment and a private confirmation screen that
names the merchant.  On confirm, the payer's funds are held and captured to
the merchant's account in one transaction that also emits
``payment.succeeded`` to the merchant (the outbox), so the merchant learns the
outcome exactly once in effect.  Cancel, or no answer before ``EXPIRES_AFTER``,
fails the payment with ``payment.failed``.  Refunds never exceed the capture
and emit ``payment.refunded``.  The merchant learns outcomes, never balances.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import (
    Context,
    Event,
    PaymentError,
    PaymentRequest,
    PaymentResult,
    RefundRequest,
    RefundResult,
    Transaction,
)
from sqlite_utils import Database

from . import ledger, screens
from .idempotency import once
from .ledger import LedgerError
from .wallets import require_currency, wallet_id

EXPIRES_AFTER = dt.timedelta(minutes=15)
EXPIRY_EVENT = "payments.checkout_expired"


def _payment(db: Database, payment_id: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM payments WHERE id = ?", [payment_id])), None)
    if row is None:
        raise LedgerError("no such payment")
    return row


def _outcome(payment: dict[str, Any]) -> dict[str, Any]:
    """What the merchant is told: the outcome and its own reference, nothing about the payer's money."""
    return {
        "payment_id": payment["id"],
        "reference": payment["reference"],
        "amount": payment["amount"],
        "currency": payment["currency"],
        "status": payment["status"],
        "failure": payment["failure"],
    }


class Checkout:
    """The :class:`souk_sdk.PaymentProvider` of this mini-app."""

    async def request_payment(self, ctx: Context, request: PaymentRequest) -> PaymentResult:
        assert ctx.user is not None and ctx.country is not None
        payer, country, now = ctx.user.id, ctx.country, ctx.now()
        fields = request.model_dump(exclude={"conversation_id"})

        def create(tx: Transaction) -> tuple[dict[str, Any], bool]:
            def work() -> dict[str, Any]:
                require_currency(country, request.currency)
                payment_id = ledger.new_id("pay")
                tx.db["payments"].insert(
                    {
                        "id": payment_id,
                        "merchant": request.merchant,
                        "merchant_title": request.merchant_title,
                        "via": request.via,
                        "payer": payer,
                        "amount": request.amount,
                        "currency": request.currency,
                        "description": request.description,
                        "reference": request.reference,
                        "status": "pending",
                        "created_at": now.isoformat(),
                    }
                )
                tx.schedule(
                    EXPIRY_EVENT,
                    {"payment_id": payment_id},
                    after=EXPIRES_AFTER,
                    key=f"expire:{payment_id}",
                    user=ctx.user,
                )
                return {"payment_id": payment_id, "status": "pending"}

            return once(
                tx.db, f"checkout:{request.merchant}:{payer}", request.idempotency_key, fields, now, work
            )

        try:
            result, created = await ctx.transaction(create)
        except LedgerError as exc:
            raise PaymentError(str(exc)) from None
        payment = _payment(ctx.db, result["payment_id"])
        if created:
            await ctx.show(screens.checkout_confirmation(payment, ctx.locale))
        return PaymentResult(payment_id=payment["id"], status=payment["status"], message=payment["failure"])

    async def refund(self, ctx: Context, request: RefundRequest) -> RefundResult:
        now = ctx.now()

        def work(tx: Transaction) -> dict[str, Any]:
            def refund_now() -> dict[str, Any]:
                return refund(tx, request, now)

            return once(
                tx.db,
                f"refund:{request.merchant}",
                request.idempotency_key,
                request.model_dump(),
                now,
                refund_now,
            )[0]

        try:
            result = await ctx.transaction(work)
        except LedgerError as exc:
            raise PaymentError(str(exc)) from None
        return RefundResult(**result)


async def on_expiry(ctx: Context, event: Event) -> None:
    """Our own timer: a checkout nobody confirmed in time fails (if still pending)."""
    await ctx.transaction(
        lambda tx: fail(tx, event.data["payment_id"], "expired before it was confirmed", ctx.now(), ctx.user)
    )


def confirm(tx: Transaction, payment_id: str, payer: str, now: dt.datetime, user: Any) -> dict[str, Any]:
    """The payer said yes: close the payment, hold and capture to the merchant, tell the merchant.

    All in one transaction, with the state change as the condition: the money moves only
    if this call is the one that took the payment from pending (a cancel or an expiry that
    came first leaves it as they closed it).  Not enough money rolls all of it back.
    """
    db = tx.db
    payment = _payment(db, payment_id)
    if payment["payer"] != payer:
        raise LedgerError("this payment is someone else's")
    closed = db.execute(
        "UPDATE payments SET status = 'succeeded', captured = amount, closed_at = ? "
        "WHERE id = ? AND status = 'pending'",
        [now.isoformat(), payment_id],
    )
    if not closed.rowcount:
        return payment
    source = wallet_id(db, payer, payment["currency"], now)
    merchant = ledger.account(db, "merchant", payment["merchant"], payment["currency"], now.isoformat())
    hold_id = ledger.hold(
        db,
        source,
        payment["amount"],
        now.isoformat(),
        (now + EXPIRES_AFTER).isoformat(),
        reference=payment_id,
    )
    ledger.capture(
        db,
        hold_id,
        payment["amount"],
        merchant,
        now.isoformat(),
        memo=f"{payment['merchant_title']}: {payment['description']}",
        reference=payment_id,
    )
    db.execute("UPDATE payments SET hold_id = ? WHERE id = ?", [hold_id, payment_id])
    tx.cancel(f"expire:{payment_id}")
    payment = _payment(db, payment_id)
    tx.emit("payment.succeeded", _outcome(payment), to=payment["merchant"], user=user)
    return payment


def fail(
    tx: Transaction, payment_id: str, reason: str, now: dt.datetime, user: Any, payer: str | None = None
) -> dict[str, Any]:
    """Cancelled by the payer or expired: the first to close a pending payment wins."""
    payment = _payment(tx.db, payment_id)
    if payer is not None and payment["payer"] != payer:
        raise LedgerError("this payment is someone else's")
    closed = tx.db.execute(
        "UPDATE payments SET status = 'failed', failure = ?, closed_at = ? "
        "WHERE id = ? AND status = 'pending'",
        [reason, now.isoformat(), payment_id],
    )
    payment = _payment(tx.db, payment_id)
    if closed.rowcount:
        tx.cancel(f"expire:{payment_id}")
        tx.emit("payment.failed", _outcome(payment), to=payment["merchant"], user=user)
    return payment


def refund(tx: Transaction, request: RefundRequest, now: dt.datetime) -> dict[str, Any]:
    db = tx.db
    payment = _payment(db, request.payment_id)
    if payment["merchant"] != request.merchant:
        raise LedgerError("no such payment")
    if payment["status"] != "succeeded":
        raise LedgerError("only a completed payment can be refunded")
    left = payment["captured"] - payment["refunded"]
    if request.amount > left:
        raise LedgerError(f"at most {left} is left to refund on this payment")
    merchant = ledger.account(db, "merchant", payment["merchant"], payment["currency"], now.isoformat())
    wallet = wallet_id(db, payment["payer"], payment["currency"], now)
    transfer_id = ledger.move(
        db,
        "refund",
        merchant,
        wallet,
        request.amount,
        now.isoformat(),
        memo=f"Refund from {payment['merchant_title']}: {request.reason}",
        reference=payment["id"],
    )
    refund_id = ledger.new_id("rf")
    db["refunds"].insert(
        {
            "id": refund_id,
            "payment_id": payment["id"],
            "transfer_id": transfer_id,
            "amount": request.amount,
            "reason": request.reason,
            "created_at": now.isoformat(),
        }
    )
    db.execute("UPDATE payments SET refunded = refunded + ? WHERE id = ?", [request.amount, payment["id"]])
    tx.emit(
        "payment.refunded",
        {**_outcome(_payment(db, payment["id"])), "refund_id": refund_id, "refund_amount": request.amount},
        to=payment["merchant"],
        user=payment["payer"],
    )
    return {
        "refund_id": refund_id,
        "payment_id": payment["id"],
        "amount": request.amount,
        "status": "succeeded",
    }
