"""The contract between mini-apps that take payments and the one that provides them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from .context import Context


class PaymentRequest(BaseModel):
    """What a merchant mini-app asks a payment provider for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    merchant: str = Field(description="Name of the mini-app asking to be paid")
    merchant_title: str = Field(description="Who the buyer pays, as they know them (the shop's name)")
    via: str = Field(default="", description="The title of the mini-app asking, when it is not the payee")
    amount: int = Field(gt=0, description="Minor units of the currency")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")
    description: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=100)
    idempotency_key: str = Field(min_length=1, max_length=100)
    conversation_id: str | None = None


class PaymentResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    payment_id: str
    status: Literal["pending", "succeeded", "failed"]
    message: str | None = None


class RefundRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    merchant: str
    payment_id: str
    amount: int = Field(gt=0)
    reason: str = Field(min_length=1, max_length=200)
    idempotency_key: str = Field(min_length=1, max_length=100)


class RefundResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    refund_id: str
    payment_id: str
    amount: int
    status: Literal["succeeded", "failed"]
    message: str | None = None


@runtime_checkable
class PaymentProvider(Protocol):
    """Returned by ``souk_payment_provider``; ``ctx`` is the provider's own context.

    ``request_payment`` gets a context for the paying user (so it can show them
    a confirmation screen); ``refund`` gets one with no user.
    """

    async def request_payment(self, ctx: Context, request: PaymentRequest) -> PaymentResult: ...

    async def refund(self, ctx: Context, request: RefundRequest) -> RefundResult: ...


class FundingResult(BaseModel):
    """The answer of a funding source to a charge or a confirmation."""

    model_config = ConfigDict(frozen=True)

    status: Literal["approved", "declined", "needs_confirmation"]
    reference: str = Field(description="The source's own id for this charge")
    message: str | None = None


@runtime_checkable
class FundingSource(Protocol):
    """Returned by ``souk_funding_source``: charges a card (or the like) for a top-up."""

    name: str
    sandbox: bool

    def charge(self, card: str, amount: int, currency: str, idempotency_key: str) -> FundingResult: ...

    def confirm(self, reference: str, code: str) -> FundingResult: ...
