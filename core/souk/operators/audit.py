"""Reading the audit log: filtered, a page at a time, or whole as CSV.

Entries are written by :func:`souk.miniapps.availability.audit` in the same
transaction as the change they record, and never changed afterwards (the
table's triggers refuse updates and deletes).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

CSV_COLUMNS = ("id", "at", "actor", "action", "app", "country", "detail", "before", "after")


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    app: str | None = None
    country: str | None = None
    since: str | None = None
    """ISO time: entries at or after it."""
    until: str | None = None
    """ISO time: entries before it."""

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for column in ("actor", "action", "app", "country"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ?")
                params.append(value.upper() if column == "country" else value)
        if self.since:
            clauses.append("at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("at < ?")
            params.append(self.until)
        return (" AND ".join(clauses) or "1"), params


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (a reason can be anyone's)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    before, after = row.pop("before_state", None), row.pop("after_state", None)
    return row | {
        "before": None if before is None else json.loads(before),
        "after": None if after is None else json.loads(after),
    }


def entries(
    db: Database, where: AuditFilter, limit: int = 100, before: int | None = None
) -> list[dict[str, Any]]:
    """Newest first; ``before`` an entry id, for the next page."""
    sql, params = where.where()
    rows = db.query(
        f"SELECT * FROM audit_log WHERE {sql} AND id < ? ORDER BY id DESC LIMIT ?",
        [*params, before if before is not None else 2**62, limit],
    )
    return [_entry(dict(r)) for r in rows]


def as_csv(db: Database, where: AuditFilter) -> Iterator[str]:
    """Every entry that matches, oldest first, as CSV lines (states as JSON text)."""
    sql, params = where.where()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for row in db.query(f"SELECT * FROM audit_log WHERE {sql} ORDER BY id", params):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                row["id"],
                *(
                    _cell(row[c])
                    for c in (
                        "at",
                        "actor",
                        "action",
                        "app",
                        "country",
                        "detail",
                        "before_state",
                        "after_state",
                    )
                ),
            ]
        )
        yield buffer.getvalue()
