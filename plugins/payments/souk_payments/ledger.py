"""The double-entry ledger: balanced transfers of immutable entries, and holds.

Every function takes the :class:`sqlite_utils.Database` of one write
transaction (``ctx.transaction``), so each movement is all or nothing and
movements never interleave.  The database itself refuses what must never
happen: an entry changed or deleted (triggers), a wallet or merchant account
below zero, a negative hold (CHECK constraints).
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from typing import Literal

from souk_sdk import SoukError
from sqlite_utils import Database

AccountKind = Literal["wallet", "merchant", "system"]
TransferKind = Literal["topup", "p2p", "capture", "refund", "reversal"]
FUNDING = "funding"


class LedgerError(SoukError):
    """A movement the ledger refuses; the message is for the user, ``code`` for programs."""

    code = "refused"
    status = 422


class InsufficientFunds(LedgerError):
    code, status = "insufficient_funds", 409


class HoldClosed(LedgerError):
    """The hold was already captured, voided or expired: another party won."""

    code, status = "already_closed", 409


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


@dataclass(frozen=True)
class Leg:
    account_id: str
    amount: int


def account(db: Database, kind: AccountKind, owner: str, currency: str, now: str) -> str:
    """The id of an account, opened on first use."""
    row = db.execute(
        "SELECT id FROM accounts WHERE kind = ? AND owner = ? AND currency = ?", [kind, owner, currency]
    ).fetchone()
    if row:
        return row[0]
    account_id = new_id("a")
    db["accounts"].insert(
        {"id": account_id, "kind": kind, "owner": owner, "currency": currency, "created_at": now}
    )
    return account_id


def balances(db: Database, account_id: str) -> tuple[int, int]:
    """(balance, held) of an account; available is their difference."""
    row = db.execute("SELECT balance, held FROM accounts WHERE id = ?", [account_id]).fetchone()
    return (row[0], row[1]) if row else (0, 0)


def post(
    db: Database, kind: TransferKind, legs: list[Leg], now: str, memo: str = "", reference: str | None = None
) -> str:
    """Record one balanced transfer; raise :class:`InsufficientFunds` if it would overdraw."""
    if len(legs) < 2 or sum(leg.amount for leg in legs) != 0 or any(leg.amount == 0 for leg in legs):
        raise ValueError(f"an unbalanced transfer: {legs}")
    placeholders = ",".join("?" * len(legs))
    currencies = {
        r[0]
        for r in db.execute(
            f"SELECT currency FROM accounts WHERE id IN ({placeholders})", [leg.account_id for leg in legs]
        )
    }
    if len(currencies) != 1:
        raise ValueError(f"a transfer moves one currency, not {sorted(currencies)}")
    transfer_id = new_id("tr")
    amount = sum(leg.amount for leg in legs if leg.amount > 0)
    try:
        with db.atomic():
            db["transfers"].insert(
                {
                    "id": transfer_id,
                    "kind": kind,
                    "currency": currencies.pop(),
                    "amount": amount,
                    "memo": memo,
                    "reference": reference,
                    "created_at": now,
                }
            )
            for leg in legs:
                db.execute(
                    "INSERT INTO entries (transfer_id, account_id, amount, created_at) VALUES (?, ?, ?, ?)",
                    [transfer_id, leg.account_id, leg.amount, now],
                )
    except sqlite3.IntegrityError as exc:
        if "CHECK constraint failed" in str(exc):
            raise InsufficientFunds("not enough money available") from None
        raise
    return transfer_id


def move(
    db: Database,
    kind: TransferKind,
    source: str,
    target: str,
    amount: int,
    now: str,
    memo: str = "",
    reference: str | None = None,
) -> str:
    """The common two-legged transfer."""
    return post(db, kind, [Leg(source, -amount), Leg(target, amount)], now, memo, reference)


def hold(
    db: Database, account_id: str, amount: int, now: str, expires_at: str, reference: str | None = None
) -> str:
    """Reserve ``amount`` of the account's available funds until captured, voided or expired."""
    if amount <= 0:
        raise ValueError("a hold is more than zero")
    cursor = db.execute(
        "UPDATE accounts SET held = held + ? WHERE id = ? AND balance - held >= ?",
        [amount, account_id, amount],
    )
    if cursor.rowcount != 1:
        raise InsufficientFunds("not enough money available")
    hold_id = new_id("h")
    db["holds"].insert(
        {
            "id": hold_id,
            "account_id": account_id,
            "amount": amount,
            "status": "open",
            "reference": reference,
            "expires_at": expires_at,
            "created_at": now,
        }
    )
    return hold_id


def _close(db: Database, hold_id: str, status: str, now: str, captured: int = 0) -> dict:
    """Close an open hold (exactly once: the first to close it wins) and release its reservation."""
    row = db.execute(
        "UPDATE holds SET status = ?, captured = ?, closed_at = ? WHERE id = ? AND status = 'open' "
        "RETURNING account_id, amount",
        [status, captured, now, hold_id],
    ).fetchone()
    if row is None:
        raise HoldClosed("this payment was already completed, cancelled or expired")
    db.execute("UPDATE accounts SET held = held - ? WHERE id = ?", [row[1], row[0]])
    return {"account_id": row[0], "amount": row[1]}


def capture(
    db: Database,
    hold_id: str,
    amount: int,
    target: str,
    now: str,
    memo: str = "",
    reference: str | None = None,
) -> str:
    """Take ``amount`` (at most the held sum) to ``target``; the rest is released."""
    row = db.execute("SELECT amount FROM holds WHERE id = ?", [hold_id]).fetchone()
    if row is None:
        raise HoldClosed("no such hold")
    if not 0 < amount <= row[0]:
        raise LedgerError(f"a capture takes between 1 and {row[0]}")
    closed = _close(db, hold_id, "captured", now, captured=amount)
    return move(db, "capture", closed["account_id"], target, amount, now, memo, reference)


def void(db: Database, hold_id: str, now: str) -> None:
    _close(db, hold_id, "voided", now)


def expire(db: Database, hold_id: str, now: str) -> None:
    _close(db, hold_id, "expired", now)


def statement(db: Database, account_id: str, before: int | None = None, limit: int = 10) -> list[dict]:
    """The account's entries, newest first, with their transfer's kind and memo."""
    return list(
        db.query(
            "SELECT e.id, e.amount, e.created_at, t.kind, t.memo, t.id AS transfer_id FROM entries e "
            "JOIN transfers t ON t.id = e.transfer_id WHERE e.account_id = ? AND e.id < ? "
            "ORDER BY e.id DESC LIMIT ?",
            [account_id, before if before is not None else 2**62, limit],
        )
    )
