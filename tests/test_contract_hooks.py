"""The provider hooks of the contract: a code sender and a payment provider replace the defaults."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel
from souk_sdk import (
    Context,
    Event,
    Manifest,
    PaymentRequest,
    PaymentResult,
    RefundRequest,
    RefundResult,
    command,
    hookimpl,
)


class SmsGateway:
    """Stands in for an SMS gateway, the one thing outside the project."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    @hookimpl
    def souk_send_code(self, phone: str, code: str) -> bool:
        self.sent.append((phone, code))
        return True


def test_an_installed_code_sender_replaces_the_development_one(souk_world, caplog) -> None:
    gateway = SmsGateway()
    world = souk_world([gateway])
    with caplog.at_level(logging.WARNING, logger="souk.codes"):
        ana = world.user("Ana", "BR")
        world.user("Ravi", "IN")
    assert [code for _, code in gateway.sent] == ["000000", "000000"]
    assert gateway.sent[0][0] == ana.profile["phone"]
    assert not [r for r in caplog.records if r.name == "souk.codes"]


def test_the_development_sender_logs_the_code_when_nothing_else_sends(souk_world, caplog) -> None:
    world = souk_world([])
    with caplog.at_level(logging.WARNING, logger="souk.codes"):
        world.user("Ana", "BR")
    assert len([r for r in caplog.records if "000000" in r.getMessage()]) == 1


class FakePay:
    """A payment provider for India only: it confirms at once and tells the merchant."""

    def __init__(self) -> None:
        self.requests: list[PaymentRequest] = []
        self.refunds: list[RefundRequest] = []

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="fakepay", title="FakePay", version="1.0.0", countries=["IN"])

    @hookimpl
    def souk_payment_provider(self, country: str) -> Any:
        return self if country == "IN" else None

    async def request_payment(self, ctx: Context, request: PaymentRequest) -> PaymentResult:
        self.requests.append(request)
        await ctx.show(f"You paid {request.amount} {request.currency} to {request.merchant_title}")
        await ctx.transaction(
            lambda tx: tx.emit(
                "payment.succeeded",
                {
                    "reference": request.reference,
                    "payment_id": "p1",
                    "amount": request.amount,
                    "currency": request.currency,
                },
                to=request.merchant,
                user=ctx.user,
            )
        )
        return PaymentResult(payment_id="p1", status="pending")

    async def refund(self, ctx: Context, request: RefundRequest) -> RefundResult:
        self.refunds.append(request)
        return RefundResult(
            refund_id="r1", payment_id=request.payment_id, amount=request.amount, status="succeeded"
        )


class BuyArgs(BaseModel):
    amount: int


@command("buy", help="Buy something", args=BuyArgs, scopes=[])
async def buy(ctx: Context, args: BuyArgs) -> str:
    result = await ctx.request_payment(
        amount=args.amount, currency="INR", description="A thing", reference="order-1", idempotency_key="k1"
    )
    return f"payment {result.payment_id} is {result.status}"


class Merchant:
    def __init__(self) -> None:
        self.events: list[tuple[str, str | None]] = []

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="merchant", title="Merchant", version="1.0.0")

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        register(buy)

    @hookimpl
    def souk_on_event(self, event: Event, ctx: Context) -> Any:
        if event.to != "merchant":
            return None
        self.events.append((event.type, ctx.user.id if ctx.user else None))

        async def thank() -> None:
            await ctx.notify(ctx.user.id, f"Order {event.data['reference']} is paid")
            await ctx.refund_payment(
                payment_id=event.data["payment_id"], amount=5, reason="discount", idempotency_key="r-k1"
            )

        return thank()


def test_request_payment_reaches_the_provider_and_the_outcome_reaches_the_merchant(souk_world) -> None:
    provider, merchant = FakePay(), Merchant()
    world = souk_world([provider, merchant])
    asha = world.user("Asha", "IN")
    chat = asha.app_chat("merchant")
    reply = chat.send("/buy 250")
    assert "You paid 250 INR to Merchant" in reply.text
    assert "payment p1 is pending" in reply.text
    assert [(r.merchant, r.amount, r.currency, r.reference) for r in provider.requests] == [
        ("merchant", 250, "INR", "order-1")
    ]
    assert len(merchant.events) == 1
    event_type, merchant_view_of_user = merchant.events[0]
    assert event_type == "payment.succeeded"
    assert merchant_view_of_user not in (None, asha.profile["id"])
    assert "Order order-1 is paid" in [m["text"] for m in chat.history()]
    assert [(r.merchant, r.amount) for r in provider.refunds] == [("merchant", 5)]


def test_without_a_provider_in_the_country_payments_are_unavailable(souk_world) -> None:
    provider, merchant = FakePay(), Merchant()
    world = souk_world([provider, merchant])
    camille = world.user("Camille", "FR")
    reply = camille.app_chat("merchant").send("/buy 250")
    assert "Payments are not available in your country (FR)." in reply.text
    assert provider.requests == []
