"""A person's choices of audience (everyone, contacts or nobody), one table of columns each.

``sharing`` (who sees my receipts, typing, presence) and ``reach`` (who may add me to groups,
find me by number) are kept the same way: a row per person who changed something, with a
column per choice; a person without a row has chosen ``everyone`` for all.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..foundation.errors import Invalid
from ..storage.store import select

AUDIENCES = ("everyone", "contacts", "nobody")


def read(db: Database, table: str, columns: tuple[str, ...], user_id: str) -> dict[str, str]:
    rows = select(db, f"SELECT {', '.join(columns)} FROM {table} WHERE user_id = ?", [user_id])
    return rows[0] if rows else dict.fromkeys(columns, "everyone")


def write(
    db: Database, table: str, columns: tuple[str, ...], user_id: str, changes: dict[str, str | None]
) -> dict[str, str]:
    """Store the changed choices (each one of :data:`AUDIENCES`); the choices afterwards."""
    current = read(db, table, columns, user_id)
    for column, audience in changes.items():
        if audience is None:
            continue
        if column not in columns or audience not in AUDIENCES:
            raise Invalid(f"{column}: everyone, contacts or nobody", code="invalid_request")
        current[column] = audience
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    updates = ", ".join(f"{c} = :{c}" for c in columns)
    db.execute(
        f"INSERT INTO {table} (user_id, {names}) VALUES (:user_id, {values}) "
        f"ON CONFLICT (user_id) DO UPDATE SET {updates}",
        {"user_id": user_id, **current},
    )
    return current
