"""A top-up, from the card to the wallet: the one flow that the chat's form and ``POST /topups`` share.

Both ask the same things in the same order (the amount in the country's
currency, a funding source that serves it, the key's earlier answer, the
charge, then its record in one transaction with the key), so a retry, a
second form or a second client can never be answered differently by one
side than by the other.  What differs is only how each side shows a refusal:
the chat beside the form's fields, the API as a JSON error.
"""

from __future__ import annotations

import asyncio
from typing import Any

from souk_sdk import Context, SoukError
from souk_sdk.money import currency_for, parse_amount

from . import wallets
from .funding import digits


class NoFundingSource(SoukError):
    code, status = "no_funding_source", 409


def _source(ctx: Context) -> Any:
    source = ctx.funding_source()
    if source is None:
        raise NoFundingSource("top-ups are not available in your country yet")
    return source


async def top_up(ctx: Context, owner: str, amount: str, card: str, key: str) -> dict[str, Any]:
    """Charge ``card`` once per ``key`` and credit the wallet; the top-up's record, first or again.

    Raises ``InvalidAmount`` for an amount the currency cannot have,
    :class:`NoFundingSource`, and ``IdempotencyConflict`` when the key was used
    for another amount or card.
    """
    currency = currency_for(ctx.country or "")
    cents = parse_amount(amount, currency)
    source = _source(ctx)
    number = digits(card)
    last4 = number[-4:]
    answered = wallets.previous_topup(ctx.db, owner, key, amount=cents, currency=currency, card_last4=last4)
    if answered is not None:
        return answered
    result = await asyncio.to_thread(source.charge, number, cents, currency, key)
    record, _ = await ctx.transaction(
        lambda tx: wallets.record_topup(
            tx.db,
            owner=owner,
            amount=cents,
            currency=currency,
            source=source.name,
            card_last4=last4,
            result=result,
            key=key,
            now=ctx.now(),
        )
    )
    return record


async def confirm(ctx: Context, owner: str, topup_id: str, code: str) -> dict[str, Any]:
    """Send the bank's code for a top-up that needs one; the top-up's record afterwards."""
    row = wallets.pending_topup(ctx.db, topup_id, owner)
    source = _source(ctx)
    result = await asyncio.to_thread(source.confirm, row["source_reference"], code)
    return await ctx.transaction(
        lambda tx: wallets.confirm_topup(tx.db, topup_id=row["id"], owner=owner, result=result, now=ctx.now())
    )
