"""``ctx.request_payment`` and ``ctx.refund_payment``: the core brokers every payment.

The merchant mini-app asks; the core finds the provider live in the user's
country, records the request (merchant, provider, reference, amount,
currency, user, conversation) *before* the provider sees it, and hands it
over.  That record is what makes payment outcomes trustworthy: an outcome
event reaches a merchant only from the provider that took its request and
only when it matches what was asked (:func:`outcome_refusal`), and it is
answered in the conversation the request came from.  A refund goes back to
the provider that took the payment, whatever the user's country is now.
"""

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
from sqlite_utils import Database

from ..foundation.clock import iso
from ..storage.store import select
from .registry import InstalledApp

if TYPE_CHECKING:
    from .host import Host


def brokered(db: Database, provider: str, merchant: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The brokered payment an outcome reported by ``provider`` to ``merchant`` is about, if any."""
    if not isinstance(data.get("reference"), str) or not isinstance(data.get("amount"), int):
        return None
    rows = select(
        db,
        "SELECT * FROM brokered_payments WHERE merchant = ? AND provider = ? AND reference = ? "
        "AND amount = ? AND currency = ? ORDER BY id DESC",
        [merchant, provider, data["reference"], data["amount"], data.get("currency")],
    )
    payment_id = data.get("payment_id")
    return next((r for r in rows if r["payment_id"] in (None, payment_id)), None)


def outcome_refusal(db: Database, provider: str, merchant: str | None, data: dict[str, Any]) -> str | None:
    """Why ``provider`` may not report this payment outcome to ``merchant``; None when it may."""
    if merchant is None:
        return "a payment outcome is addressed to the mini-app that asked for the payment"
    if brokered(db, provider, merchant, data) is None:
        return f"{provider} took no payment request of {merchant} with this reference, amount and currency"
    return None


class PaymentsBridge:
    def __init__(self, host: Host) -> None:
        self.host = host

    def provider(self, country: str) -> tuple[InstalledApp, PaymentProvider] | None:
        """The first live mini-app that offers to move money in ``country``."""
        registry = self.host.registry
        for app in registry.apps.values():
            if not self.host.availability.live_in(app.name, country):
                continue
            found = self._provider_of(app, country)
            if found is not None:
                return app, found
        return None

    def _provider_of(self, app: InstalledApp, country: str) -> PaymentProvider | None:
        registry = self.host.registry
        if not registry.implements("souk_payment_provider", app):
            return None
        return next(iter(registry.call_one("souk_payment_provider", app, country=country)), None)

    def _require(self, country: str) -> tuple[InstalledApp, PaymentProvider]:
        found = self.provider(country)
        if found is None:
            raise PaymentsUnavailable(f"Payments are not available in your country ({country}).")
        return found

    async def request(
        self,
        merchant: InstalledApp,
        user: dict[str, Any],
        conversation: dict[str, Any] | None,
        *,
        payee: str | None = None,
        **fields: Any,
    ) -> PaymentResult:
        app, provider = self._require(user["country"])
        request = PaymentRequest(
            merchant=merchant.name,
            merchant_title=payee or merchant.title,
            via=merchant.title if payee else "",
            conversation_id=conversation["id"] if conversation else None,
            **fields,
        )
        record_id = await self._record(app, request, user, conversation)
        ctx = await self.host.context(app, user, conversation, purpose=f"payment for {merchant.title}")
        result = await provider.request_payment(ctx, request)
        await self.host.core.write(
            lambda db: db.execute(
                "UPDATE brokered_payments SET payment_id = ? WHERE id = ? AND payment_id IS NULL",
                [result.payment_id, record_id],
            )
        )
        return result

    async def _record(
        self,
        provider: InstalledApp,
        request: PaymentRequest,
        user: dict[str, Any],
        conversation: dict[str, Any] | None,
    ) -> int:
        """The brokered record of this request (a retried request finds the one it made)."""
        now = iso(self.host.settings.clock.now())

        def record(db: Database) -> int:
            db.execute(
                "INSERT INTO brokered_payments (merchant, provider, idempotency_key, reference, amount, "
                "currency, user_id, conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (merchant, idempotency_key) DO NOTHING",
                [
                    request.merchant,
                    provider.name,
                    request.idempotency_key,
                    request.reference,
                    request.amount,
                    request.currency,
                    user["id"],
                    conversation["id"] if conversation else None,
                    now,
                ],
            )
            return db.execute(
                "SELECT id FROM brokered_payments WHERE merchant = ? AND idempotency_key = ?",
                [request.merchant, request.idempotency_key],
            ).fetchone()[0]

        return await self.host.core.write(record)

    async def refund(
        self, merchant: InstalledApp, user: dict[str, Any] | None, **fields: Any
    ) -> RefundResult:
        """Back through the provider that took the payment, while it is live for the payer."""
        request = RefundRequest(merchant=merchant.name, **fields)
        rows = select(
            self.host.core.db,
            "SELECT b.provider, u.country FROM brokered_payments b LEFT JOIN users u ON u.id = b.user_id "
            "WHERE b.merchant = ? AND b.payment_id = ?",
            [merchant.name, request.payment_id],
        )
        country = (user or {}).get("country") or (rows[0]["country"] if rows else None)
        if not rows or rows[0]["provider"] not in self.host.registry.apps:
            if country is None:
                raise PaymentsUnavailable("this payment was not taken through Souk")
            app, provider = self._require(country)
        else:
            app = self.host.registry.apps[rows[0]["provider"]]
            live = country is None or self.host.availability.live_in(app.name, country)
            found = self._provider_of(app, country or "") if live else None
            if found is None:
                raise PaymentsUnavailable(f"{app.title} cannot refund this payment just now")
            provider = found
        ctx = await self.host.context(app, None, None)
        return await provider.refund(ctx, request)
