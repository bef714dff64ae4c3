"""Money requests (``/request``): open until the person asked pays or declines it, once.

The answer is the condition of the money.  Paying closes the request and moves
the money in one transaction, and closing is an ``UPDATE ... WHERE status =
'open'`` whose row count decides: a request someone already answered moves
nothing, whatever the caller read of it before.  Each function runs inside one
write transaction (``ctx.transaction``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from . import wallets
from .limits import PaymentSettings


def _close(db: Database, request_id: str, status: str) -> bool:
    """Close an open request (the first answer wins); False if it was already answered."""
    return bool(
        db.execute(
            "UPDATE requests SET status = ? WHERE id = ? AND status = 'open'", [status, request_id]
        ).rowcount
    )


def pay(
    db: Database,
    request: dict[str, Any],
    *,
    country: str,
    locale: str | None,
    now: dt.datetime,
    settings: PaymentSettings | None = None,
) -> dict[str, Any] | None:
    """Pay ``request`` from its payer's wallet to its requester: the receipt, or None if it was answered."""
    if not _close(db, request["id"], "paid"):
        return None
    receipt, _ = wallets.transfer(
        db,
        payer=request["payer"],
        payee=request["requester"],
        amount=request["amount"],
        currency=request["currency"],
        note=request["note"],
        key=f"request:{request['id']}",
        country=country,
        locale=locale,
        now=now,
        settings=settings,
    )
    db.execute("UPDATE requests SET transfer_id = ? WHERE id = ?", [receipt["transfer_id"], request["id"]])
    return receipt


def decline(db: Database, request_id: str) -> bool:
    """Decline an open request; False if it was already answered."""
    return _close(db, request_id, "declined")
