"""What payments holds about a person: exported on request, erased on request.

The export also lists the retry keys remembered for 48 hours (what makes a
retried payment move money once), by kind and date.

Kept after an erasure (documented in docs/payments.md): the ledger.  Entries
and transfers are immutable, and the law asks a payment service to keep its
books, so the user's accounts stay with their balances and movements, and so
do the payments, top-ups, requests and red packets they were part of: each one with the
user's id replaced by the erasure's random one (linked to nobody), and their
name replaced by "Former user" where the other side saw it.  Idempotency
keys (which name the user in their scope) are deleted.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import Erasure
from sqlite_utils import Database

FORMER_USER = "Former user"


def _rows(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return list(db.query(sql, params))


def export_user(db: Database, user_id: str) -> dict[str, Any]:
    """The person's wallets and movements, payments, top-ups and requests, without anyone's ids."""
    accounts = _rows(
        db,
        "SELECT id, currency, balance, held, created_at FROM accounts WHERE kind = 'wallet' AND owner = ?",
        [user_id],
    )
    wallets = []
    for account in accounts:
        movements = _rows(
            db,
            "SELECT e.amount, e.created_at, t.kind, t.memo FROM entries e JOIN transfers t "
            "ON t.id = e.transfer_id WHERE e.account_id = ? ORDER BY e.id",
            [account["id"]],
        )
        wallets.append({k: v for k, v in account.items() if k != "id"} | {"movements": movements})
    payments = _rows(
        db,
        "SELECT merchant_title AS paid_to, via, amount, currency, description, status, failure, captured, "
        "refunded, created_at, closed_at FROM payments WHERE payer = ? ORDER BY created_at",
        [user_id],
    )
    topups = _rows(
        db,
        "SELECT amount, currency, source, card_last4, status, created_at FROM topups WHERE owner = ? "
        "ORDER BY created_at",
        [user_id],
    )
    requests = [
        {
            "direction": "asked" if r["requester"] == user_id else "was asked",
            "other_person": r["payer_name"] if r["requester"] == user_id else r["requester_name"],
            "amount": r["amount"],
            "currency": r["currency"],
            "note": r["note"],
            "status": r["status"],
            "created_at": r["created_at"],
        }
        for r in _rows(
            db,
            "SELECT * FROM requests WHERE requester = ? OR payer = ? ORDER BY created_at",
            [user_id, user_id],
        )
    ]
    remembered = _rows(
        db,
        "SELECT substr(scope, 1, instr(scope, ':') - 1) AS kind, created_at FROM idempotency "
        "WHERE scope IN (?, ?) OR scope LIKE ? ORDER BY created_at",
        [f"p2p:{user_id}", f"topup:{user_id}", f"checkout:%:{user_id}"],
    )
    red_packets = _rows(
        db,
        "SELECT amount, currency, count, split, note, status, returned, created_at FROM red_packets "
        "WHERE sender = ? ORDER BY created_at",
        [user_id],
    )
    opened = _rows(
        db,
        "SELECT p.sender_name AS from_person, s.amount, p.currency, s.opened_at FROM red_packet_shares s "
        "JOIN red_packets p ON p.id = s.packet_id WHERE s.opener = ? ORDER BY s.opened_at",
        [user_id],
    )
    return {
        "wallets": wallets,
        "payments": payments,
        "topups": topups,
        "requests": requests,
        "red_packets_sent": red_packets,
        "red_packets_opened": opened,
        "retries_remembered": remembered,
    }


def erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    """Pseudonymise what the books must keep; delete the rest (see the module's docstring)."""
    done = Erasure(
        kept=[
            "wallet balances and movements: the ledger is kept, under an id linked to nobody",
            "payments, top-ups, requests and red packets you took part in, without your id or name",
        ]
    )

    def change(table: str, sql: str, params: list[Any], into: dict[str, int]) -> None:
        count = db.execute(sql, params).rowcount
        if count:
            into[table] = into.get(table, 0) + count

    pseudonymised = done.pseudonymised
    change(
        "accounts",
        "UPDATE accounts SET owner = ? WHERE kind = 'wallet' AND owner = ?",
        [replacement, user_id],
        pseudonymised,
    )
    change("payments", "UPDATE payments SET payer = ? WHERE payer = ?", [replacement, user_id], pseudonymised)
    change("topups", "UPDATE topups SET owner = ? WHERE owner = ?", [replacement, user_id], pseudonymised)
    change(
        "requests",
        "UPDATE requests SET requester = ?, requester_name = ? WHERE requester = ?",
        [replacement, FORMER_USER, user_id],
        pseudonymised,
    )
    change(
        "requests",
        "UPDATE requests SET payer = ?, payer_name = ? WHERE payer = ?",
        [replacement, FORMER_USER, user_id],
        pseudonymised,
    )
    change(
        "red_packets",
        "UPDATE red_packets SET sender = ?, sender_name = ? WHERE sender = ?",
        [replacement, FORMER_USER, user_id],
        pseudonymised,
    )
    change(
        "red_packet_shares",
        "UPDATE red_packet_shares SET opener = ?, opener_name = ? WHERE opener = ?",
        [replacement, FORMER_USER, user_id],
        pseudonymised,
    )
    scopes = [f"p2p:{user_id}", f"topup:{user_id}"]
    change(
        "idempotency",
        "DELETE FROM idempotency WHERE scope IN (?, ?) OR scope LIKE ?",
        [*scopes, f"checkout:%:{user_id}"],
        done.deleted,
    )
    return done
