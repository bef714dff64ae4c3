"""Reports that mini-apps raise about a person (``ctx.report``), kept for operators to decide.

The mini-app names the subject by its own pseudonym for them; the core stores both people by
their core ids, so a report never hands a phone number or a handle to anyone, and a person's
export and erasure find the reports about them and by them.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import NotFound, SoukError
from sqlite_utils import Database

from ..foundation.ids import new_id
from ..storage.store import select

MAX_REASON = 200
MAX_DETAILS = 2000


def checked(reason: str, details: str) -> tuple[str, str]:
    """The reason and details as stored; :class:`SoukError` for what a mini-app may not send."""
    if not isinstance(reason, str) or not isinstance(details, str):
        raise SoukError("a report's reason and details are text")
    reason, details = reason.strip(), details.strip()
    if not reason:
        raise SoukError("a report needs a reason")
    if len(reason) > MAX_REASON or len(details) > MAX_DETAILS:
        raise SoukError(f"a report's reason is at most {MAX_REASON} characters, its details {MAX_DETAILS}")
    return reason, details


def add(
    db: Database,
    app: str,
    reporter_id: str | None,
    subject: dict[str, Any] | None,
    reason: str,
    details: str,
    now: str,
) -> str:
    """Queue one open report about ``subject`` (a core user row); its id."""
    if subject is None:
        raise NotFound(f"{app} knows no such user to report")
    if subject["id"] == reporter_id:
        raise SoukError("a person cannot report themselves")
    report_id = new_id("r")
    db.execute(
        "INSERT INTO reports (id, app, reporter_id, subject_id, reason, details, country, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [report_id, app, reporter_id, subject["id"], reason, details, subject["country"], now],
    )
    return report_id


def export_reports(db: Database, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """The reports a person made, and those about them (without who made them)."""
    columns = "app, reason, country, created_at, state, outcome, resolved_at"
    return {
        "made": select(
            db,
            f"SELECT {columns}, details FROM reports WHERE reporter_id = ? ORDER BY created_at",
            [user_id],
        ),
        "about_you": select(
            db, f"SELECT {columns} FROM reports WHERE subject_id = ? ORDER BY created_at", [user_id]
        ),
    }


def erase_reports(db: Database, user_id: str, replacement: str) -> dict[str, int]:
    """Reports stay for the operators' record, naming the erased person by ``replacement`` only;
    the details a person wrote go with them."""
    made = db.execute(
        "UPDATE reports SET reporter_id = ?, details = '' WHERE reporter_id = ?", [replacement, user_id]
    ).rowcount
    about = db.execute(
        "UPDATE reports SET subject_id = ? WHERE subject_id = ?", [replacement, user_id]
    ).rowcount
    return {"reports": made + about} if made + about else {}
