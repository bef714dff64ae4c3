"""Organisers: an event stored from its plan, the door staff they name, who may run the door."""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import BusinessInfo, NotFound, SoukError
from sqlite_utils import Database

from .eventspec import GeneralIn, Plan
from .refs import new_ref


class NotAllowed(SoukError):
    code, status = "not_allowed", 403


def create_event(
    db: Database, organiser: str, plan: Plan, now: dt.datetime, business: BusinessInfo | None = None
) -> str:
    """Store the event, its categories and seats; its reference (``E-4F9KQ``).  An event of a
    ``business`` keeps its id, and buyers pay the business by its name."""
    data = plan.data
    ref = new_ref(db, "E")
    general = data.seating if isinstance(data.seating, GeneralIn) else None
    db["events"].insert(
        {
            "ref": ref,
            "organiser": organiser,
            "organiser_name": business.name if business else (data.organiser_name or data.title).strip(),
            "business_id": business.id if business else None,
            "title": data.title.strip(),
            "description": data.description.strip(),
            "venue": data.venue.strip(),
            "city": data.city.strip(),
            "country": data.country,
            "currency": plan.currency,
            "time_zone": data.time_zone,
            "starts_at": plan.starts_at.isoformat(),
            "ends_at": plan.ends_at.isoformat(),
            "sales_start": plan.sales_start.isoformat(),
            "sales_end": plan.sales_end.isoformat(),
            "seating": "general" if general else "seated",
            "capacity": plan.capacity,
            "general_category": general.category if general else None,
            "max_per_order": data.max_per_order,
            "return_cutoff_hours": data.return_cutoff_hours,
            "status": "on_sale",
            "created_at": now.isoformat(),
        }
    )
    db["categories"].insert_all(
        {"event": ref, "code": c.code, "name": c.name.strip(), "price": plan.prices[c.code], "position": i}
        for i, c in enumerate(data.categories)
    )
    db["seats"].insert_all(
        {
            "event": ref,
            "seat": s.seat,
            "section": s.section,
            "row": s.row,
            "number": s.number,
            "position": i,
            "category": s.category,
            "blocked": int(s.blocked),
        }
        for i, s in enumerate(plan.seats)
    )
    return ref


def event(db: Database, ref: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM events WHERE ref = ?", [ref.strip().upper()])), None)
    if row is None:
        raise NotFound(f"there is no event {ref}")
    return row


def visible_event(db: Database, ref: str, country: str | None, viewer: str) -> dict[str, Any]:
    """The event, for a person of ``country``: events are on sale in their own country only
    (their organiser sees theirs from anywhere); another's is "no such event"."""
    found = event(db, ref)
    if found["country"] != country and found["organiser"] != viewer:
        raise NotFound(f"there is no event {ref}")
    return found


def runs_door(db: Database, ref: str, user: str) -> bool:
    """The organiser, or door staff named, of this event (a business's staff: :mod:`.organisers`)."""
    found = db.execute(
        "SELECT 1 FROM events WHERE ref = ? AND organiser = ? AND business_id IS NULL UNION ALL "
        "SELECT 1 FROM staff WHERE event = ? AND user_id = ?",
        [ref, user, ref, user],
    ).fetchone()
    return found is not None


def require_organiser(db: Database, ref: str, user: str) -> dict[str, Any]:
    """The event, if ``user`` organises it themselves (a business's event: :mod:`.organisers`)."""
    found = event(db, ref)
    if found["organiser"] != user or found["business_id"]:
        raise NotAllowed(f"only the organiser of {found['title']} can do that")
    return found


def add_staff(db: Database, ref: str, user_id: str, name: str, now: dt.datetime) -> bool:
    """Name someone door staff of the event; False if they already were."""
    added = db.execute(
        "INSERT OR IGNORE INTO staff (event, user_id, name, added_at) VALUES (?, ?, ?, ?)",
        [ref, user_id, name, now.isoformat()],
    ).rowcount
    return bool(added)


def staff_names(db: Database, ref: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM staff WHERE event = ? ORDER BY name", [ref])]


def events_of(db: Database, organiser: str, businesses: list[str] | None = None) -> list[dict[str, Any]]:
    """The events ``organiser`` runs themselves, and those of the ``businesses`` (ids) they manage."""
    ids = businesses or []
    marks = ",".join("?" * len(ids))
    return list(
        db.query(
            f"SELECT * FROM events WHERE (organiser = ? AND business_id IS NULL) OR business_id IN ({marks}) "
            "ORDER BY starts_at",
            [organiser, *ids],
        )
    )


def categories(db: Database, ref: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT code, name, price FROM categories WHERE event = ? ORDER BY position", [ref]))


def on_sale(row: dict[str, Any], now: dt.datetime) -> str | None:
    """Why tickets cannot be had now, or None when they can."""
    if row["status"] == "cancelled":
        return f"{row['title']} was cancelled"
    if now < dt.datetime.fromisoformat(row["sales_start"]):
        return f"sales for {row['title']} have not opened yet"
    if now >= dt.datetime.fromisoformat(row["sales_end"]):
        return f"sales for {row['title']} have closed"
    return None
