"""HTTP endpoints: transfers, the wallet and top-ups, for clients and integrations.

Every call that moves money takes an ``idempotency_key``: the same key with
the same body answers the first result and moves nothing more; with another
body it is refused (409 ``idempotency_conflict``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from souk_sdk import ApiError, ApiRequest, Context, PublicUser, SoukError, api_route
from souk_sdk.money import MAX_DIGITS, currency_for, parse_amount

from . import topups, wallets

KEY = Field(min_length=1, max_length=100, description="Makes a retried call move money once")
AMOUNT_FORM = rf"^(0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})(\.[0-9]+)?$"
"""How an amount is written (published); ``parse_amount`` checks it, and the currency's decimals."""


def amount_field() -> Any:
    return Field(
        max_length=20,
        description="In major units with a dot, like 12.50; more than zero, at most the currency's "
        "decimals (422 invalid_amount otherwise)",
        json_schema_extra={"pattern": AMOUNT_FORM},
    )


class TransferBody(BaseModel):
    to: PublicUser
    amount: str = amount_field()
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    note: str = Field(default="", max_length=140)
    idempotency_key: str = KEY


class Receipt(BaseModel):
    transfer_id: str
    amount: int = Field(description="Minor units")
    currency: str
    note: str
    status: str
    replayed: bool


class Entry(BaseModel):
    id: int
    amount: int
    created_at: str
    kind: str
    memo: str
    transfer_id: str


class Wallet(BaseModel):
    currency: str
    balance: int
    held: int
    available: int
    entries: list[Entry]
    next_before: int | None


class TopupBody(BaseModel):
    amount: str = amount_field()
    card: str = Field(
        max_length=30,
        pattern=r"^ *[0-9]( ?[0-9]){11,18} *$",
        description="12 to 19 digits, spaces allowed (sandbox cards: docs/payments.md)",
    )
    idempotency_key: str = KEY


class ConfirmBody(BaseModel):
    code: str = Field(pattern=r"^[0-9]{4,10}$", description="The digits the bank sent (sandbox: 123456)")


class Topup(BaseModel):
    topup_id: str
    status: str
    amount: int
    currency: str
    message: str | None


def refusal(exc: SoukError) -> ApiError:
    """The mini-app's own errors, as HTTP answers with stable codes."""
    return ApiError(getattr(exc, "status", 422), getattr(exc, "code", "refused"), str(exc))


async def _guarded(work: Any) -> Any:
    try:
        return await work
    except ApiError:
        raise
    except SoukError as exc:
        raise refusal(exc) from None


def _me(ctx: Context) -> str:
    assert ctx.user is not None
    return ctx.user.id


@api_route(
    "POST",
    "/transfers",
    summary="Send money to another person",
    body=TransferBody,
    response=Receipt,
    status=201,
)
async def create_transfer(ctx: Context, request: ApiRequest) -> Receipt:
    body: TransferBody = request.body

    async def run() -> Receipt:
        amount = parse_amount(body.amount, body.currency)
        wallets.require_same_country(ctx.country or "", body.to)
        chosen = ctx.settings
        receipt, moved = await ctx.transaction(
            lambda tx: wallets.transfer(
                tx.db,
                payer=_me(ctx),
                payee=body.to.id,
                amount=amount,
                currency=body.currency,
                note=body.note,
                key=body.idempotency_key,
                country=ctx.country or "",
                locale=ctx.locale,
                now=ctx.now(),
                settings=chosen,
            )
        )
        return Receipt(**receipt, replayed=not moved)

    return await _guarded(run())


@api_route(
    "GET", "/wallet", summary="Balance and one page of movements (?before=ID&limit=N)", response=Wallet
)
async def get_wallet(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    try:
        before = int(request.query["before"]) if "before" in request.query else None
        limit = int(request.query.get("limit", "20"))
    except ValueError:
        raise ApiError(422, "invalid_request", "before and limit are whole numbers") from None
    if not 1 <= limit <= 200 or (before is not None and not 0 <= before < 2**62):
        raise ApiError(422, "invalid_request", "limit is 1 to 200, before a positive entry id")
    return wallets.view(ctx.db, _me(ctx), currency_for(ctx.country or ""), before, limit)


@api_route(
    "POST",
    "/topups",
    summary="Add money from a card (sandbox cards in the docs)",
    body=TopupBody,
    response=Topup,
    status=201,
)
async def create_topup(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    body: TopupBody = request.body
    return await _guarded(topups.top_up(ctx, _me(ctx), body.amount, body.card, body.idempotency_key))


@api_route(
    "POST",
    "/topups/{topup_id}/confirm",
    summary="Confirm a top-up with the bank's code",
    body=ConfirmBody,
    response=Topup,
)
async def confirm_topup(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return await _guarded(topups.confirm(ctx, _me(ctx), request.path["topup_id"], request.body.code))


ROUTES = [create_transfer, get_wallet, create_topup, confirm_topup]
