"""Idempotency keys: the same key with the same request answers the first result again.

The key's record is written in the same transaction as the movement it
protects, so a retry after a crash either finds both or neither.  Keys are
kept for 48 hours (``KEEP``, twice the 24 promised) and then cleared as new ones arrive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from souk_sdk import SoukError
from sqlite_utils import Database

KEEP = dt.timedelta(hours=48)


class IdempotencyConflict(SoukError):
    """The key was used before for a different request."""

    code, status = "idempotency_conflict", 409


def request_hash(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def answered(db: Database, scope: str, key: str, request: dict[str, Any]) -> dict[str, Any] | None:
    """The first answer given under this key, or ``None`` for a new key.

    The whole request is compared (through its hash), never a part of it: the
    same key with any other field refused as :class:`IdempotencyConflict`.
    This is the only place keys are checked, before the work and inside it.
    """
    row = db.execute(
        "SELECT request_hash, response FROM idempotency WHERE scope = ? AND key = ?", [scope, key]
    ).fetchone()
    if row is None:
        return None
    if row[0] != request_hash(request):
        raise IdempotencyConflict("this idempotency key was already used for a different request")
    return json.loads(row[1])


def once(
    db: Database,
    scope: str,
    key: str,
    request: dict[str, Any],
    now: dt.datetime,
    work: Callable[[], dict[str, Any]],
) -> tuple[dict[str, Any], bool]:
    """Run ``work`` the first time; return (its result, whether it ran now)."""
    first = answered(db, scope, key, request)
    if first is not None:
        return first, False
    digest = request_hash(request)
    result = work()
    db["idempotency"].insert(
        {
            "scope": scope,
            "key": key,
            "request_hash": digest,
            "response": json.dumps(result, default=str),
            "created_at": now.isoformat(),
        }
    )
    db.execute(
        "DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency "
        "WHERE created_at < ? LIMIT 100)",
        [(now - KEEP).isoformat()],
    )
    return result, True
