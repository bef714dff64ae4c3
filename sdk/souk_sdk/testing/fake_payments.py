"""A payment provider for the tests of mini-apps that take payments.

It answers ``ctx.request_payment`` the way a real provider does, through the
core (so outcomes are checked against the brokered payment and come back as
events to your ``@app.on_payment`` handlers), without wallets or cards::

    def test_paid_order(souk_world, souk_fake_payments):
        world = souk_world(["myshop", souk_fake_payments])
        ...                                  # "approve": paid at once
        souk_fake_payments.mode = "decline"  # payment.failed at once
        souk_fake_payments.mode = "late"     # paid after souk_fake_payments.late_by

``requests`` and ``refunds`` record what it was asked.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Literal

from ..context import Context, Event
from ..manifest import Manifest
from ..miniapp import MiniApp
from ..payments import PaymentRequest, PaymentResult, RefundRequest, RefundResult
from ..subscriptions import FROM_SELF, PAYMENT_FAILED, PAYMENT_REFUNDED, PAYMENT_SUCCEEDED, Subscription

Mode = Literal["approve", "decline", "late"]
LATE_EVENT = "fakepay.settle"


class FakePayments(MiniApp):
    """A mini-app called ``fakepay`` that is the payment provider of every country."""

    def __init__(self, mode: Mode = "approve", late_by: dt.timedelta = dt.timedelta(minutes=30)) -> None:
        super().__init__(Manifest(name="fakepay", title="FakePay", version="1.0.0", sdk=">=1.1,<2"))
        self.mode: Mode = mode
        self.late_by = late_by
        self.requests: list[PaymentRequest] = []
        self.refunds: list[RefundRequest] = []
        self._taken: dict[str, PaymentRequest] = {}
        self._numbers = itertools.count(1)
        self.add(Subscription(LATE_EVENT, self._settle_late, FROM_SELF))
        self.hook(self._provider_hook())

    def _provider_hook(self) -> Any:
        def souk_payment_provider(country: str) -> FakePayments:
            return self

        return souk_payment_provider

    async def request_payment(self, ctx: Context, request: PaymentRequest) -> PaymentResult:
        self.requests.append(request)
        payment_id = f"fake_{next(self._numbers)}"
        self._taken[payment_id] = request
        outcome = _outcome(payment_id, request)
        if self.mode == "late":
            await ctx.transaction(
                lambda tx: tx.schedule(LATE_EVENT, outcome, after=self.late_by, user=ctx.user)
            )
            return PaymentResult(payment_id=payment_id, status="pending")
        kind = PAYMENT_SUCCEEDED if self.mode == "approve" else PAYMENT_FAILED
        data = outcome | {"status": "succeeded" if self.mode == "approve" else "failed"}
        if self.mode == "decline":
            data["failure"] = "declined by the fake provider"
        await ctx.transaction(lambda tx: tx.emit(kind, data, to=request.merchant, user=ctx.user))
        return PaymentResult(payment_id=payment_id, status="pending")

    async def _settle_late(self, ctx: Context, event: Event) -> None:
        data = event.data | {"status": "succeeded"}
        await ctx.transaction(lambda tx: tx.emit(PAYMENT_SUCCEEDED, data, to=data["merchant"], user=ctx.user))

    async def refund(self, ctx: Context, request: RefundRequest) -> RefundResult:
        self.refunds.append(request)
        payment = self._taken.get(request.payment_id)
        if payment is not None and payment.merchant == request.merchant:
            data = {
                "payment_id": request.payment_id,
                "reference": payment.reference,
                "amount": payment.amount,
                "currency": payment.currency,
                "refund_amount": request.amount,
            }
            await ctx.transaction(lambda tx: tx.emit(PAYMENT_REFUNDED, data, to=request.merchant))
        return RefundResult(
            refund_id=f"fake_refund_{len(self.refunds)}",
            payment_id=request.payment_id,
            amount=request.amount,
            status="succeeded",
        )


def _outcome(payment_id: str, request: PaymentRequest) -> dict[str, Any]:
    return {
        "payment_id": payment_id,
        "reference": request.reference,
        "amount": request.amount,
        "currency": request.currency,
        "merchant": request.merchant,
    }
