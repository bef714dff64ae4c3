"""Keyword rules: when a customer's message holds one of a rule's keywords, the business replies
with its text, assigns the thread to its agent and adds its label, and counts the hit.

A keyword matches whole words, without regard to case or accents' case (``Entrega`` matches
``entrega``); a rule's actions may be any of the three.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid, NotFound
from ..foundation.ids import new_id
from ..storage.store import select
from . import notes, staff

MAX_RULES = 100
MAX_KEYWORDS = 20
MAX_REPLY = 1000


def _refuse(message: str) -> Invalid:
    return Invalid(message, code="invalid_rule")


def view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "keywords": json.loads(row["keywords"]),
        "reply": row["reply"],
        "assign_to": row["assign_to"],
        "label": row["label"],
        "hits": row["hits"],
        "created_at": row["created_at"],
    }


def listing(db: Database, business_id: str) -> list[dict[str, Any]]:
    rows = select(
        db, "SELECT * FROM keyword_rules WHERE business_id = ? ORDER BY created_at, rowid", [business_id]
    )
    return [view(row) for row in rows]


def create(db: Database, business_id: str, by: str, fields: dict[str, Any], now: str) -> dict[str, Any]:
    """A new rule (an admin's doing); 422 ``invalid_rule`` when it is empty or malformed."""
    staff.require_admin(db, business_id, by)
    keywords = list(dict.fromkeys(" ".join(k.split()).casefold() for k in fields.get("keywords") or []))
    if not keywords or len(keywords) > MAX_KEYWORDS or not all(1 <= len(k) <= 60 for k in keywords):
        raise _refuse(f"keywords: 1 to {MAX_KEYWORDS}, each 1 to 60 characters")
    reply = (fields.get("reply") or "").strip()
    if len(reply) > MAX_REPLY:
        raise _refuse(f"reply: at most {MAX_REPLY} characters")
    assign_to = fields.get("assign_to") or None
    if assign_to is not None and staff.role_of(db, business_id, assign_to) is None:
        raise _refuse("assign_to: someone on the business's staff, by user id")
    label = notes.check_label(fields["label"]) if fields.get("label") else None
    if not (reply or assign_to or label):
        raise _refuse("a rule does something: a reply, an assignee or a label")
    if len(listing(db, business_id)) >= MAX_RULES:
        raise _refuse(f"a business has at most {MAX_RULES} rules")
    row = {
        "id": new_id("r"),
        "business_id": business_id,
        "keywords": json.dumps(keywords),
        "reply": reply,
        "assign_to": assign_to,
        "label": label,
        "hits": 0,
        "created_at": now,
    }
    db["keyword_rules"].insert(row)
    return view(row)


def remove(db: Database, business_id: str, by: str, rule_id: str) -> None:
    staff.require_admin(db, business_id, by)
    gone = db.execute("DELETE FROM keyword_rules WHERE business_id = ? AND id = ?", [business_id, rule_id])
    if not gone.rowcount:
        raise NotFound("no such rule", code="rule_not_found")


def matches(keyword: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text.casefold()) is not None


def matching(db: Database, business_id: str, text: str) -> list[dict[str, Any]]:
    """The rules a message matches, in the order they were made; each one's hit is counted."""
    hit = [rule for rule in listing(db, business_id) if any(matches(k, text) for k in rule["keywords"])]
    for rule in hit:
        db.execute("UPDATE keyword_rules SET hits = hits + 1 WHERE id = ?", [rule["id"]])
    return hit
