"""What people do with their wallets: top up, pay each other, read a statement.

Each function runs inside one write transaction and is idempotent by the key
it is given: a retried call answers the first result and moves nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import FundingResult, PublicUser
from souk_sdk.money import currency_for
from sqlite_utils import Database

from . import ledger
from .idempotency import answered, once
from .ledger import FUNDING, LedgerError
from .limits import PaymentSettings, check_transfer, limits_for


class WrongCurrency(LedgerError):
    code = "wrong_currency"


class SelfPayment(LedgerError):
    code = "self_payment"


class CrossBorder(LedgerError):
    code = "cross_border"


def require_same_country(country: str, other: PublicUser) -> None:
    """Money moves within one country (one currency): a wallet abroad could not be used here."""
    if other.country and other.country != country:
        raise CrossBorder(
            f"{other.display_name} is in another country ({other.country}); "
            f"payments between countries are not supported yet"
        )


def wallet_id(db: Database, owner: str, currency: str, now: dt.datetime) -> str:
    return ledger.account(db, "wallet", owner, currency, now.isoformat())


def require_currency(country: str, currency: str) -> None:
    expected = currency_for(country)
    if currency != expected:
        raise WrongCurrency(f"payments in {country} are in {expected}, not {currency}")


def transfer(
    db: Database,
    *,
    payer: str,
    payee: str,
    amount: int,
    currency: str,
    note: str,
    key: str,
    country: str,
    locale: str | None,
    now: dt.datetime,
    settings: PaymentSettings | None = None,
) -> tuple[dict[str, Any], bool]:
    """Move money from one wallet to another; returns (receipt, whether it moved now).

    ``settings``: the operator's for the payer's country (``ctx.settings``, read before the
    transaction), which set its limits where they were changed.
    """
    request = {"payee": payee, "amount": amount, "currency": currency, "note": note}

    def work() -> dict[str, Any]:
        if payer == payee:
            raise SelfPayment("you cannot pay yourself")
        require_currency(country, currency)
        source = wallet_id(db, payer, currency, now)
        target = wallet_id(db, payee, currency, now)
        check_transfer(db, limits_for(db, country, settings), source, amount, now, locale)
        transfer_id = ledger.move(db, "p2p", source, target, amount, now.isoformat(), memo=note)
        return {
            "transfer_id": transfer_id,
            "amount": amount,
            "currency": currency,
            "note": note,
            "status": "succeeded",
        }

    return once(db, f"p2p:{payer}", key, request, now, work)


def record_topup(
    db: Database,
    *,
    owner: str,
    amount: int,
    currency: str,
    source: str,
    card_last4: str,
    result: FundingResult,
    key: str,
    now: dt.datetime,
) -> tuple[dict[str, Any], bool]:
    """Record what the funding source answered; approved money enters the wallet now."""
    request = topup_request(amount, currency, card_last4)

    def work() -> dict[str, Any]:
        topup_id = ledger.new_id("top")
        transfer_id = None
        if result.status == "approved":
            transfer_id = _credit(db, owner, amount, currency, topup_id, now)
        db["topups"].insert(
            {
                "id": topup_id,
                "owner": owner,
                "amount": amount,
                "currency": currency,
                "source": source,
                "source_reference": result.reference,
                "card_last4": card_last4,
                "status": result.status,
                "transfer_id": transfer_id,
                "created_at": now.isoformat(),
            }
        )
        return {
            "topup_id": topup_id,
            "status": result.status,
            "amount": amount,
            "currency": currency,
            "message": result.message,
        }

    return once(db, f"topup:{owner}", key, request, now, work)


def topup_request(amount: int, currency: str, card_last4: str) -> dict[str, Any]:
    """What a top-up key stands for.  The card is known by its last four digits: the full
    number is never stored, not even hashed (too few card numbers exist for a hash to hide one)."""
    return {"amount": amount, "currency": currency, "card": card_last4}


def previous_topup(
    db: Database, owner: str, key: str, *, amount: int, currency: str, card_last4: str
) -> dict[str, Any] | None:
    """The answer already given for this top-up key, so a retry never charges the card again;
    the same key for another amount, currency or card is an :class:`IdempotencyConflict`."""
    return answered(db, f"topup:{owner}", key, topup_request(amount, currency, card_last4))


def _credit(db: Database, owner: str, amount: int, currency: str, topup_id: str, now: dt.datetime) -> str:
    funding = ledger.account(db, "system", FUNDING, currency, now.isoformat())
    target = wallet_id(db, owner, currency, now)
    return ledger.move(
        db, "topup", funding, target, amount, now.isoformat(), memo="Top-up", reference=topup_id
    )


def pending_topup(db: Database, topup_id: str, owner: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM topups WHERE id = ? AND owner = ?", [topup_id, owner])), None)
    if row is None:
        raise LedgerError("no such top-up")
    return row


def confirm_topup(
    db: Database, *, topup_id: str, owner: str, result: FundingResult, now: dt.datetime
) -> dict[str, Any]:
    """Settle a top-up that waited for a confirmation code (once: a second answer changes nothing).

    The settling UPDATE is the condition of the credit: of two answers that race, only the
    one that finds the top-up still waiting decides it, and credits the wallet if approved.
    """
    row = pending_topup(db, topup_id, owner)
    status = result.status if result.status != "needs_confirmation" else "declined"
    settled = db.execute(
        "UPDATE topups SET status = ? WHERE id = ? AND status = 'needs_confirmation'", [status, topup_id]
    ).rowcount
    if settled:
        if status == "approved":
            transfer_id = _credit(db, owner, row["amount"], row["currency"], topup_id, now)
            db.execute("UPDATE topups SET transfer_id = ? WHERE id = ?", [transfer_id, topup_id])
        row = pending_topup(db, topup_id, owner)
    return {
        "topup_id": topup_id,
        "status": row["status"],
        "amount": row["amount"],
        "currency": row["currency"],
        "message": result.message if row["status"] != "approved" else None,
    }


def view(
    db: Database, owner: str, currency: str, before: int | None = None, limit: int = 10
) -> dict[str, Any]:
    """Balance and one page of the statement (newest first); read-only."""
    row = db.execute(
        "SELECT id, balance, held FROM accounts WHERE kind = 'wallet' AND owner = ? AND currency = ?",
        [owner, currency],
    ).fetchone()
    if row is None:
        return {
            "currency": currency,
            "balance": 0,
            "held": 0,
            "available": 0,
            "entries": [],
            "next_before": None,
        }
    entries = ledger.statement(db, row[0], before, limit)
    return {
        "currency": currency,
        "balance": row[1],
        "held": row[2],
        "available": row[1] - row[2],
        "entries": entries,
        "next_before": entries[-1]["id"] if len(entries) == limit else None,
    }
