"""A business's inbox settings: whether customers see the agent's first name, the per-agent cap of
automatic assignment, and the texts of its greeting and away message (empty: none is sent)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import select
from . import staff

DEFAULTS: dict[str, Any] = {
    "show_agent_name": False,
    "auto_assign": True,
    "agent_cap": 10,
    "greeting": "",
    "away_message": "",
}
MAX_CAP = 500
MAX_TEXT = 1000


def of(db: Database, business_id: str) -> dict[str, Any]:
    rows = select(db, "SELECT * FROM inbox_settings WHERE business_id = ?", [business_id])
    if not rows:
        return dict(DEFAULTS)
    row = rows[0]
    return {
        "show_agent_name": bool(row["show_agent_name"]),
        "auto_assign": bool(row["auto_assign"]),
        "agent_cap": row["agent_cap"],
        "greeting": row["greeting"],
        "away_message": row["away_message"],
    }


def change(db: Database, business_id: str, by: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some settings (an admin's doing); 422 ``invalid_inbox_settings`` for a bad value."""
    staff.require_admin(db, business_id, by)
    given = {key: value for key, value in changes.items() if key in DEFAULTS and value is not None}
    cap = given.get("agent_cap")
    if cap is not None and not 1 <= cap <= MAX_CAP:
        raise Invalid(f"agent_cap: from 1 to {MAX_CAP}", code="invalid_inbox_settings")
    for key in ("greeting", "away_message"):
        if key in given:
            given[key] = given[key].strip()
            if len(given[key]) > MAX_TEXT:
                raise Invalid(f"{key}: at most {MAX_TEXT} characters", code="invalid_inbox_settings")
    merged = of(db, business_id) | given
    db.execute(
        "INSERT INTO inbox_settings (business_id, show_agent_name, auto_assign, agent_cap, greeting, "
        "away_message) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (business_id) DO UPDATE SET "
        "show_agent_name = excluded.show_agent_name, auto_assign = excluded.auto_assign, "
        "agent_cap = excluded.agent_cap, greeting = excluded.greeting, away_message = excluded.away_message",
        [
            business_id,
            int(merged["show_agent_name"]),
            int(merged["auto_assign"]),
            merged["agent_cap"],
            merged["greeting"],
            merged["away_message"],
        ],
    )
    return merged
