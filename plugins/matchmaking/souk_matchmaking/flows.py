"""What a member does, once for chat and HTTP alike: each a transaction, then what follows it.

A change commits first; then the chat of any match it ended is ended, both
told there, through ``ctx.end_chat`` (the chat is the mini-app's own, opened
with ``ctx.open_chat``: nobody can write in it any more).  A refusal
raised inside a transaction rolls all of it back.
"""

from __future__ import annotations

import contextlib
from typing import Any

from souk_sdk import Context, NotFound, Transaction
from souk_sdk.country_settings import operator_set

from . import liking, photos, profiles, removal, safety
from .members import me
from .refusals import Refused
from .visibility import own_profile

DELETED = "This match has ended: the profile was deleted."


async def _tell(ctx: Context, ended: list[safety.Ended], text: str) -> None:
    """End the chat of each match that ended, telling both there (``ctx.end_chat``).

    A match made before SDK 1.2 has the pair's own direct chat, which is theirs, not the
    mini-app's: it stays open, and the match ends all the same.
    """
    for match in ended:
        if match.conversation is not None:
            with contextlib.suppress(NotFound):
                await ctx.end_chat(match.conversation, note=text)


async def save_profile(ctx: Context, data: profiles.ProfileIn) -> bool:
    """Create or update; True when created.  A refusal is raised after its record commits."""
    member, country, today, now = me(ctx), ctx.country or "", ctx.today(), ctx.now().isoformat()
    zone = ctx.time_zone
    outcome = await ctx.transaction(
        lambda tx: profiles.save_or_refuse(tx.db, member, country, data, today, now, zone)
    )
    if isinstance(outcome, Refused):
        raise outcome
    return outcome


async def like(ctx: Context, card: str) -> liking.Liked:
    member, local_now, now = me(ctx), ctx.local_now(), ctx.now()
    limit = operator_set(ctx.settings, "likes_per_day")
    return await ctx.transaction(lambda tx: liking.like(tx, member, card, local_now, now, limit))


async def pass_on(ctx: Context, card: str) -> str:
    member, now = me(ctx), ctx.now()
    return await ctx.transaction(lambda tx: liking.pass_on(tx, member, card, now))


async def block(ctx: Context, card: str) -> str:
    member, now = me(ctx), ctx.now()
    name, ended = await ctx.transaction(lambda tx: safety.block(tx.db, member, card, now))
    await _tell(ctx, ended, safety.ENDED)
    return name


async def report(ctx: Context, card: str, data: safety.ReportIn) -> str:
    member, now = me(ctx), ctx.now()
    name, ended, reported = await ctx.transaction(lambda tx: safety.report(tx.db, member, card, data, now))
    # After the commit: the block holds whatever the operators decide, and they decide on Souk's queue.
    await ctx.report(subject_user=reported, reason=safety.REASONS[data.reason], details=data.note.strip())
    await _tell(ctx, ended, safety.ENDED)
    return name


async def unmatch(ctx: Context, ref: str) -> None:
    member, now = me(ctx), ctx.now()
    ended = await ctx.transaction(lambda tx: safety.unmatch(tx.db, member, ref, now))
    await _tell(ctx, ended, safety.ENDED)


async def set_paused(ctx: Context, paused: bool) -> None:
    member, now = me(ctx), ctx.now().isoformat()

    def change(tx: Transaction) -> None:
        own_profile(tx.db, member)
        profiles.set_paused(tx.db, member, paused, now)

    await ctx.transaction(change)


async def delete_profile(ctx: Context) -> dict[str, int]:
    member, now = me(ctx), ctx.now().isoformat()

    def delete(tx: Transaction) -> tuple[dict[str, int], list[safety.Ended], list[str]]:
        own_profile(tx.db, member)
        urls = photos.photos_of(tx.db, member)
        chats = tx.db.execute(
            "SELECT CASE WHEN a = ? THEN b ELSE a END, conversation FROM matches "
            "WHERE (a = ? OR b = ?) AND status = 'open'",
            [member, member, member],
        ).fetchall()
        counts = removal.delete_profile(tx.db, member, now)
        ended = [safety.Ended(other, conversation) for other, conversation in chats]
        return counts, ended, photos.unshown(tx.db, urls)

    counts, ended, gone = await ctx.transaction(delete)
    await photos.delete_pictures(ctx, gone)
    await _tell(ctx, ended, DELETED)
    return counts


def own_or_none(ctx: Context) -> dict[str, Any] | None:
    return profiles.profile_of(ctx.db, me(ctx))
