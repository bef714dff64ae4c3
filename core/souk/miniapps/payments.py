"""``ctx.request_payment`` and ``ctx.refund_payment``: finding the provider of a country."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from souk_sdk import (
    PaymentProvider,
    PaymentRequest,
    PaymentResult,
    PaymentsUnavailable,
    RefundRequest,
    RefundResult,
)

from .registry import MiniApp

if TYPE_CHECKING:
    from .host import Host


class PaymentsBridge:
    def __init__(self, host: Host) -> None:
        self.host = host

    def provider(self, country: str) -> tuple[MiniApp, PaymentProvider] | None:
        """The first live mini-app that offers to move money in ``country``."""
        registry = self.host.registry
        for app in registry.apps.values():
            if not self.host.availability.live_in(app.name, country):
                continue
            if not registry.implements("souk_payment_provider", app):
                continue
            for provider in registry.call_one("souk_payment_provider", app, country=country):
                if provider is not None:
                    return app, provider
        return None

    def _require(self, country: str) -> tuple[MiniApp, PaymentProvider]:
        found = self.provider(country)
        if found is None:
            raise PaymentsUnavailable(f"Payments are not available in your country ({country}).")
        return found

    async def request(
        self, merchant: MiniApp, user: dict[str, Any], conversation: dict[str, Any] | None, **fields: Any
    ) -> PaymentResult:
        app, provider = self._require(user["country"])
        request = PaymentRequest(
            merchant=merchant.name,
            merchant_title=merchant.title,
            conversation_id=conversation["id"] if conversation else None,
            **fields,
        )
        ctx = await self.host.context(app, user, conversation)
        return await provider.request_payment(ctx, request)

    async def refund(self, merchant: MiniApp, user: dict[str, Any] | None, **fields: Any) -> RefundResult:
        if user is None:
            raise PaymentsUnavailable("a refund needs the user the payment came from")
        app, provider = self._require(user["country"])
        ctx = await self.host.context(app, None, None)
        return await provider.refund(ctx, RefundRequest(merchant=merchant.name, **fields))
