"""Like and pass; a like that meets a like is a match, and its chat is opened through the outbox.

A like, the day's count, the match it may complete and the timer that opens
the chat are one transaction.  Likes are written one after another by the
database's single writer, so of two people liking each other at the same
moment, the second to commit finds the first's like and makes the match, and
``matches``' ``UNIQUE (a, b)`` keeps it to one.  The chat is opened after the
commit by the ``matchmaking.match_made`` timer, delivered at least once: a
crash after the commit opens it when the server is back, and a second
delivery finds the match's conversation recorded (or ``ctx.open_chat`` finds
the mini-app's open chat of the pair) rather than opening another.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from souk_sdk import Context, Event, Transaction

from . import limits, profiles
from .refusals import Refused
from .visibility import own_profile, seen_profile

MATCH_MADE = "matchmaking.match_made"
PASS_FOR = dt.timedelta(days=30)


@dataclass(frozen=True)
class Liked:
    name: str
    """The first name of the one liked."""
    match: str | None
    """The match's reference when this like made (or had made) one."""


def _match_between(tx: Transaction, me: str, other: str) -> str | None:
    row = tx.db.execute(
        "SELECT ref FROM matches WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)", [me, other, other, me]
    ).fetchone()
    return row[0] if row else None


def like(
    tx: Transaction, me: str, card: str, local_now: dt.datetime, now: dt.datetime, limit: int | None = None
) -> Liked:
    """Like the member behind ``card``; ``local_now`` is the liker's own time (their day counts),
    ``limit`` the operator's daily like limit for the member's country, where one was set."""
    db = tx.db
    mine = own_profile(db, me)
    if mine["paused"]:
        raise Refused(409, "profile_paused", "Your profile is paused: resume it to like someone.")
    target = seen_profile(db, me, card)
    other = target["member"]
    name = profiles.first_name(target["name"])
    if db.execute("SELECT 1 FROM likes WHERE liker = ? AND liked = ?", [me, other]).fetchone():
        return Liked(name, _match_between(tx, me, other))
    if not limits.take_one(db, me, mine["country"], local_now.date(), limit):
        raise limits.used_up(db, mine["country"], local_now, limit)
    at = now.isoformat()
    db["likes"].insert({"liker": me, "liked": other, "at": at})
    db.execute("DELETE FROM passes WHERE passer = ? AND passed = ?", [me, other])
    profiles.touch(db, me, at)
    liked_back = db.execute("SELECT 1 FROM likes WHERE liker = ? AND liked = ?", [other, me]).fetchone()
    if not liked_back or _match_between(tx, me, other):
        return Liked(name, _match_between(tx, me, other))
    ref = "M-" + secrets.token_hex(5).upper()
    a, b = sorted((me, other))
    db["matches"].insert({"ref": ref, "a": a, "b": b, "at": at})
    tx.schedule(MATCH_MADE, {"match": ref}, after=dt.timedelta(0), key=f"match-{ref}", user=me)
    return Liked(name, ref)


def pass_on(tx: Transaction, me: str, card: str, now: dt.datetime) -> str:
    own_profile(tx.db, me)
    target = seen_profile(tx.db, me, card)
    tx.db["passes"].upsert(
        {"passer": me, "passed": target["member"], "at": now.isoformat()}, pk=("passer", "passed")
    )
    profiles.touch(tx.db, me, now.isoformat())
    return profiles.first_name(target["name"])


def _pending_chat(db: Any, ref: str) -> dict[str, Any] | None:
    return next(
        db.query("SELECT * FROM matches WHERE ref = ? AND status = 'open' AND conversation IS NULL", [ref]),
        None,
    )


def hello(db: Any, match: dict[str, Any]) -> str:
    names = []
    for member in (match["a"], match["b"]):
        row = profiles.profile_of(db, member)
        names.append(profiles.first_name(row["name"]) if row else "someone")
    names.sort(key=str.casefold)  # the pair's ids are pseudonyms in no meaningful order
    return (
        f"It's a match! {names[0]} and {names[1]} liked each other on Matchmaking. Say hello: "
        "neither of you sees the other's phone number here, so share only what you want to."
    )


async def on_match_made(ctx: Context, event: Event) -> None:
    """Open the pair's chat (the timer set with the match); at most once per match."""
    match = _pending_chat(ctx.db, event.data["match"])
    if match is None or ctx.user is None:
        return
    other = match["b"] if match["a"] == ctx.user.id else match["a"]
    conversation = await ctx.open_chat(other, hello(ctx.db, match))

    def record(tx: Transaction) -> None:
        tx.db.execute(
            "UPDATE matches SET conversation = ? WHERE ref = ? AND conversation IS NULL",
            [conversation.id, match["ref"]],
        )

    await ctx.transaction(record)
