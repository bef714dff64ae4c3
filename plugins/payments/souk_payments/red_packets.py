"""Red packets on the ledger: sent into escrow, opened share by share, the rest returned once.

Sending holds the total on the sender's wallet and captures it, in the same transaction,
into the red-packet escrow account (a ``merchant`` account owned by ``red-packets``), so
``souk payments check`` can prove that escrow holds exactly what is still unopened.
Opening takes the next undrawn share (they were drawn and shuffled at send time) with one
conditional ``UPDATE``; ``UNIQUE (packet_id, opener)`` makes a second share for the same
person impossible.  Expiry closes an open packet with ``UPDATE ... WHERE status = 'open'``:
the row count decides, so a timer that fires twice returns the rest once.  Each function
runs inside one write transaction (``ctx.transaction``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from souk_sdk import Transaction
from souk_sdk.money import exponent, format_money
from sqlite_utils import Database

from . import ledger
from .ledger import LedgerError
from .limits import OverLimit, PaymentSettings, day_start
from .red_packet_shares import Split, shares
from .wallets import CrossBorder, wallet_id

ESCROW = "red-packets"
EXPIRY_EVENT = "payments.red_packet_expired"


class BadPacket(LedgerError):
    code = "bad_red_packet"


def escrow(db: Database, currency: str, now: dt.datetime) -> str:
    return ledger.account(db, "merchant", ESCROW, currency, now.isoformat())


def packet(db: Database, packet_id: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM red_packets WHERE id = ?", [packet_id])), None)
    if row is None:
        raise BadPacket("this red packet no longer exists")
    return row


def opened(db: Database, packet_id: str) -> list[dict[str, Any]]:
    """The shares opened so far, in the order they were opened."""
    return list(
        db.query(
            "SELECT opener, opener_name, amount, opened_at FROM red_packet_shares "
            "WHERE packet_id = ? AND opener IS NOT NULL ORDER BY opened_at, position",
            [packet_id],
        )
    )


def check_request(
    db: Database,
    *,
    sender: str,
    amount: int,
    count: int,
    members: int,
    currency: str,
    settings: PaymentSettings,
    now: dt.datetime,
    locale: str | None,
) -> None:
    """Everything refused before any money moves; :class:`BadPacket` or :class:`OverLimit`."""
    if count < 1:
        raise BadPacket("a red packet is for at least 1 person")
    if count > members:
        raise BadPacket(f"this group has {members} members (you included): at most {members} shares")
    if amount < count:
        money = format_money(count, currency, locale)
        raise BadPacket(f"every share is at least one minor unit: {count} shares need at least {money}")
    unit = 10 ** exponent(currency)
    largest, per_day = settings.red_packet_max * unit, settings.red_packet_daily_total * unit
    if amount > largest:
        raise OverLimit(f"the largest red packet here is {format_money(largest, currency, locale)}")
    sent = db.execute(
        "SELECT COALESCE(SUM(amount), 0) FROM red_packets WHERE sender = ? AND created_at >= ?",
        [sender, day_start(now)],
    ).fetchone()[0]
    if sent + amount > per_day:
        left = format_money(max(per_day - sent, 0), currency, locale)
        raise OverLimit(
            f"this would pass today's red packet limit of {format_money(per_day, currency, locale)}; "
            f"you can still send {left}"
        )


def send(
    tx: Transaction,
    *,
    sender: str,
    sender_name: str,
    conversation_id: str,
    country: str,
    currency: str,
    amount: int,
    count: int,
    split: Split,
    note: str,
    settings: PaymentSettings,
    now: dt.datetime,
    rng: random.Random,
    user: Any,
    members: int,
    locale: str | None,
) -> dict[str, Any]:
    """Check, hold and capture the total into escrow, draw the shares, set the return timer.

    The checks run in the same transaction, so two packets sent at once cannot both
    pass a daily limit that has room for one.
    """
    db = tx.db
    check_request(
        db,
        sender=sender,
        amount=amount,
        count=count,
        members=members,
        currency=currency,
        settings=settings,
        now=now,
        locale=locale,
    )
    packet_id = ledger.new_id("rp")
    expires_at = now + dt.timedelta(hours=settings.red_packet_hours)
    source = wallet_id(db, sender, currency, now)
    hold_id = ledger.hold(db, source, amount, now.isoformat(), expires_at.isoformat(), reference=packet_id)
    memo = f"Red packet: {note}" if note else "Red packet"
    ledger.capture(db, hold_id, amount, escrow(db, currency, now), now.isoformat(), memo, packet_id)
    db["red_packets"].insert(
        {
            "id": packet_id,
            "sender": sender,
            "sender_name": sender_name,
            "conversation_id": conversation_id,
            "country": country,
            "currency": currency,
            "amount": amount,
            "count": count,
            "split": split,
            "note": note,
            "status": "open",
            "hold_id": hold_id,
            "expires_at": expires_at.isoformat(),
            "created_at": now.isoformat(),
        }
    )
    db["red_packet_shares"].insert_all(
        {"packet_id": packet_id, "position": i, "amount": share}
        for i, share in enumerate(shares(amount, count, split, rng))
    )
    tx.schedule(EXPIRY_EVENT, {"packet_id": packet_id}, at=expires_at, key=f"red:{packet_id}", user=user)
    return packet(db, packet_id)


def open_share(
    tx: Transaction, packet_id: str, *, opener: str, opener_name: str, country: str, now: dt.datetime
) -> dict[str, Any]:
    """``{"outcome": "opened" | "already" | "all_opened" | "expired", "amount": ...}``."""
    db = tx.db
    row = packet(db, packet_id)
    if country != row["country"]:
        raise CrossBorder(
            f"this red packet is in {row['currency']} for people in {row['country']}; "
            "money does not leave its country"
        )
    mine = db.execute(
        "SELECT amount FROM red_packet_shares WHERE packet_id = ? AND opener = ?", [packet_id, opener]
    ).fetchone()
    if mine:
        return {"outcome": "already", "amount": mine[0]}
    if row["status"] == "returned" or now.isoformat() >= row["expires_at"]:
        return {"outcome": "expired", "amount": 0}
    taken = db.execute(
        "UPDATE red_packet_shares SET opener = ?, opener_name = ?, opened_at = ? "
        "WHERE packet_id = ? AND position = (SELECT MIN(position) FROM red_packet_shares "
        "WHERE packet_id = ? AND opener IS NULL) RETURNING position, amount",
        [opener, opener_name, now.isoformat(), packet_id, packet_id],
    ).fetchone()
    if taken is None:
        return {"outcome": "all_opened", "amount": 0}
    position, amount = taken
    memo = f"Red packet from {row['sender_name']}"
    target = wallet_id(db, opener, row["currency"], now)
    transfer_id = ledger.move(
        db, "p2p", escrow(db, row["currency"], now), target, amount, now.isoformat(), memo, packet_id
    )
    db.execute(
        "UPDATE red_packet_shares SET transfer_id = ? WHERE packet_id = ? AND position = ?",
        [transfer_id, packet_id, position],
    )
    left = db.execute(
        "SELECT COUNT(*) FROM red_packet_shares WHERE packet_id = ? AND opener IS NULL", [packet_id]
    ).fetchone()[0]
    if left == 0:
        db.execute(
            "UPDATE red_packets SET status = 'emptied', closed_at = ? WHERE id = ?",
            [now.isoformat(), packet_id],
        )
        tx.cancel(f"red:{packet_id}")
    return {"outcome": "opened", "amount": amount}


def expire(db: Database, packet_id: str, now: dt.datetime) -> int | None:
    """Return the unopened rest to the sender; the sum returned, or None if it was closed already."""
    row = packet(db, packet_id)
    closed = db.execute(
        "UPDATE red_packets SET status = 'returned', closed_at = ? WHERE id = ? AND status = 'open'",
        [now.isoformat(), packet_id],
    ).rowcount
    if not closed:
        return None
    # An open that comes later sees status 'returned' and takes nothing.
    rest = db.execute(
        "SELECT COALESCE(SUM(amount), 0) FROM red_packet_shares WHERE packet_id = ? AND opener IS NULL",
        [packet_id],
    ).fetchone()[0]
    if rest:
        source, target = escrow(db, row["currency"], now), wallet_id(db, row["sender"], row["currency"], now)
        ledger.move(db, "refund", source, target, rest, now.isoformat(), "Red packet returned", packet_id)
    db.execute("UPDATE red_packets SET returned = ? WHERE id = ?", [rest, packet_id])
    return rest
