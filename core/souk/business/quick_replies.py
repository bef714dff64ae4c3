"""Quick replies: a business's saved answers, which an agent inserts by typing ``/name``.

Their text may hold variables, filled in for the thread at hand: ``{customer.first_name}``,
``{business.name}``, and ``{order.number}`` when there is an order to speak of.  A variable with
nothing to fill it (no order yet) stays as written, so the agent sees it and fills it in.
"""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid, NotFound
from ..storage.store import select
from . import staff

NAME = re.compile(r"[a-z0-9_\-]{1,30}")
MAX_TEXT = 2000
MAX_PER_BUSINESS = 200
VARIABLE = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")


def check_name(value: str) -> str:
    name = value.strip().lstrip("/").lower()
    if not NAME.fullmatch(name):
        raise Invalid("a quick reply's name has 1 to 30 of a-z, 0-9, _ and -", code="invalid_quick_reply")
    return name


def listing(db: Database, business_id: str) -> list[dict[str, Any]]:
    return select(
        db,
        "SELECT name, text, updated_at FROM quick_replies WHERE business_id = ? ORDER BY name",
        [business_id],
    )


def put(db: Database, business_id: str, by: str, name: str, text: str, now: str) -> dict[str, Any]:
    """Save a quick reply under ``name`` (an admin's doing), replacing one of that name."""
    staff.require_admin(db, business_id, by)
    name, text = check_name(name), text.strip()
    if not 1 <= len(text) <= MAX_TEXT:
        raise Invalid(f"a quick reply has 1 to {MAX_TEXT} characters", code="invalid_quick_reply")
    known = {row["name"] for row in listing(db, business_id)}
    if name not in known and len(known) >= MAX_PER_BUSINESS:
        raise Invalid(
            f"a business keeps at most {MAX_PER_BUSINESS} quick replies", code="invalid_quick_reply"
        )
    db.execute(
        "INSERT INTO quick_replies (business_id, name, text, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (business_id, name) DO UPDATE SET text = excluded.text, "
        "updated_at = excluded.updated_at",
        [business_id, name, text, now],
    )
    return {"name": name, "text": text, "updated_at": now}


def remove(db: Database, business_id: str, by: str, name: str) -> None:
    staff.require_admin(db, business_id, by)
    gone = db.execute(
        "DELETE FROM quick_replies WHERE business_id = ? AND name = ?", [business_id, check_name(name)]
    ).rowcount
    if not gone:
        raise NotFound("no quick reply by that name", code="quick_reply_not_found")


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each variable that has a value replaced; the others left as written."""
    return VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def variables(business: dict[str, Any], customer_first_name: str, order_number: str | None = None) -> dict:
    values = {"customer.first_name": customer_first_name, "business.name": business["name"]}
    return values | ({"order.number": order_number} if order_number else {})
