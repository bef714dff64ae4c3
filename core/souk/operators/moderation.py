"""The moderation queue: reports mini-apps raised, read a page at a time, dismissed or acted on.

Acting suspends the reported person in the reporting mini-app or everywhere
(:mod:`souk.people.suspensions`).  Each decision closes the report and writes one audit entry
in the same transaction; a closed report cannot be decided again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.errors import Conflict, NotFound
from ..miniapps import availability
from ..people import suspensions
from ..storage.store import select

Decision = Literal["dismiss", "suspend_in_app", "suspend_everywhere"]
AUDIT_ACTION: dict[str, str] = {
    "dismiss": "report_dismissed",
    "suspend_in_app": "user_suspended_in_app",
    "suspend_everywhere": "user_suspended_everywhere",
}


@dataclass(frozen=True)
class ReportFilter:
    state: str | None = None
    app: str | None = None
    country: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for column in ("state", "app", "country"):
            value = getattr(self, column)
            if value:
                clauses.append(f"r.{column} = ?")
                params.append(value.upper() if column == "country" else value)
        return (" AND ".join(clauses) or "1"), params


_PEOPLE = (
    "SELECT r.*, s.display_name AS subject_name, s.handle AS subject_handle, "
    "p.display_name AS reporter_name FROM reports r "
    "LEFT JOIN users s ON s.id = r.subject_id LEFT JOIN users p ON p.id = r.reporter_id"
)


def _shown(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """A report as operators read it: both people by core id and name (never a phone number)."""
    barred = sorted(suspensions.suspended_apps(db, row["subject_id"]))
    return {
        "id": row["id"],
        "app": row["app"],
        "reason": row["reason"],
        "details": row["details"],
        "country": row["country"],
        "created_at": row["created_at"],
        "state": row["state"],
        "outcome": row["outcome"],
        "note": row["note"],
        "resolved_by": row["resolved_by"],
        "resolved_at": row["resolved_at"],
        "suspension_in_force": bool(
            db.execute("SELECT 1 FROM user_suspensions WHERE report_id = ?", [row["id"]]).fetchone()
        ),
        "subject": {
            "id": row["subject_id"],
            "display_name": row["subject_name"],
            "handle": row["subject_handle"],
            "suspended_from": barred,
        },
        "reporter": None
        if row["reporter_id"] is None
        else {"id": row["reporter_id"], "display_name": row["reporter_name"]},
    }


def page(
    db: Database, where: ReportFilter, limit: int = 50, before: str | None = None
) -> list[dict[str, Any]]:
    """Newest first; ``before`` a report id (ids sort by time), for the next page."""
    sql, params = where.where()
    if before:
        sql, params = f"{sql} AND r.id < ?", [*params, before]
    rows = select(db, f"{_PEOPLE} WHERE {sql} ORDER BY r.id DESC LIMIT ?", [*params, limit])
    return [_shown(db, row) for row in rows]


def one(db: Database, report_id: str) -> dict[str, Any]:
    rows = select(db, f"{_PEOPLE} WHERE r.id = ?", [report_id])
    if not rows:
        raise NotFound(f"there is no report {report_id}", code="report_not_found")
    return _shown(db, rows[0])


def decide(
    db: Database, report_id: str, decision: Decision, note: str, actor: str, now: str
) -> dict[str, Any]:
    """Dismiss the open report, or suspend its subject in its mini-app or everywhere; audited once."""
    report = one(db, report_id)
    if report["state"] != "open":
        raise Conflict(
            f"report {report_id} was already decided ({report['outcome']})", code="report_already_decided"
        )
    after: dict[str, Any] = {
        "state": "dismissed" if decision == "dismiss" else "actioned",
        "outcome": decision,
    }
    if decision != "dismiss":
        where = report["app"] if decision == "suspend_in_app" else suspensions.EVERYWHERE
        why = f"report {report_id}: {report['reason']}"
        suspensions.suspend(db, report["subject"]["id"], where, report_id, why, actor, now)
        after |= {"user": report["subject"]["id"], "suspended_from": where}
    db.execute(
        "UPDATE reports SET state = ?, outcome = ?, note = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
        [after["state"], decision, note, actor, now, report_id],
    )
    detail = f"report {report_id}: {report['reason']}" + (f" ({note})" if note else "")
    availability.audit(
        db, now, actor, AUDIT_ACTION[decision], report["app"], report["country"], detail,
        before={"state": "open", "user": report["subject"]["id"]}, after=after,
    )  # fmt: skip
    return one(db, report_id)


def lift(db: Database, report_id: str, actor: str, now: str) -> dict[str, Any]:
    """End the suspension decided on this report (the report stays decided); audited once."""
    report = one(db, report_id)
    lifted = suspensions.lift(db, report_id)
    if lifted is None:
        raise NotFound(f"report {report_id} has no suspension in force", code="no_suspension")
    availability.audit(
        db, now, actor, "user_suspension_lifted", report["app"], report["country"], f"report {report_id}",
        before={"user": lifted["user_id"], "suspended_from": lifted["app"]}, after=None,
    )  # fmt: skip
    return one(db, report_id)
