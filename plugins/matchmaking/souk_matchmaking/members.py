"""The member a handler acts for, and the screens that follow from where they are."""

from __future__ import annotations

from typing import Any

from souk_sdk import Context, ui

from . import discovery, profiles, screens
from .photos import photos_of


def me(ctx: Context) -> str:
    assert ctx.user is not None
    return ctx.user.id


def own(ctx: Context) -> dict[str, Any] | None:
    row = profiles.profile_of(ctx.db, me(ctx))
    if row is None:
        return None
    return row | {
        "interests": profiles.interests_of(ctx.db, row["member"]),
        "photos": photos_of(ctx.db, row["member"]),
    }


def next_screen(ctx: Context, note: str | None = None) -> ui.Screen:
    """What /match shows now: the profile form, a paused notice, or the best candidate."""
    profile = own(ctx)
    if profile is None:
        return screens.welcome(ctx.country or "", ctx.user.display_name if ctx.user else None)
    if profile["paused"]:
        return screens.paused(note)
    found, _ = discovery.candidates(ctx.db, profile, ctx.today(), ctx.now(), size=1)
    return screens.next_card(found, note)


def profile_screen(ctx: Context, note: str | None = None) -> ui.Screen:
    profile = own(ctx)
    if profile is None:
        return screens.welcome(ctx.country or "", ctx.user.display_name if ctx.user else None)
    return screens.my_profile(profile, ctx.today(), note)
