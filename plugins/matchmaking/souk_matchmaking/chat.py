"""The chat side of matchmaking: /match, /profile, /matches, and the buttons on their screens.

Every answer replaces the screen it was pressed on, so a card that was liked
or passed shows the next candidate in its place, and its buttons stop working.
A refusal (:class:`.refusals.Refused`, a ``SoukError``) is shown to the member
privately and leaves the screen as it was, its buttons live.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from souk_sdk import Context, FormErrors, NoArgs, Press, action, command

from . import flows, photos, safety, screens
from .members import me, next_screen, own, profile_screen
from .profiles import ProfileIn
from .refusals import Refused
from .visibility import seen_profile


@command("match", help="Meet people: make your profile, then like or pass")
async def match(ctx: Context, args: NoArgs) -> Any:
    return next_screen(ctx)


@command("profile", help="Your matchmaking profile: edit, pause or delete it")
async def profile(ctx: Context, args: NoArgs) -> Any:
    return profile_screen(ctx)


@command("matches", help="The people you matched with")
async def matches(ctx: Context, args: NoArgs) -> Any:
    return screens.matches(safety.matches_of(ctx.db, me(ctx)))


def _as_form_errors(exc: ValidationError | Refused) -> FormErrors:
    if isinstance(exc, Refused):
        return FormErrors({exc.field or "name": str(exc)}, str(exc))
    fields: dict[str, str] = {}
    for problem in exc.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "name"
        fields.setdefault({"seeks": "seeking"}.get(name, name), problem["msg"])
    return FormErrors(fields)


def _profile_in(values: dict[str, Any], existing: dict[str, Any] | None) -> ProfileIn:
    interests = [t for t in (values.get("interests") or "").split(",") if t.strip()]
    return ProfileIn(
        name=values["name"],
        birth_date=existing["birth_date"] if existing else values["birth_date"],
        gender=values["gender"],
        seeks=screens.SEEKING[values["seeking"]],
        age_min=values["age_min"],
        age_max=values["age_max"],
        city=values.get("city"),
        interests=interests,
        bio=values.get("bio") or "",
    )


@action("save_profile")
async def save_profile(ctx: Context, press: Press) -> None:
    existing = own(ctx)
    try:
        created = await flows.save_profile(ctx, _profile_in(press.values, existing))
    except (ValidationError, Refused) as exc:
        raise _as_form_errors(exc) from None
    if created:
        await ctx.replace(press.message_id, next_screen(ctx, "Your profile is live."))
    else:
        await ctx.replace(press.message_id, profile_screen(ctx, "Saved."))


class CardRef(BaseModel):
    card: str


class MatchRef(BaseModel):
    match: str


@action("like", payload=CardRef, once=True)
async def like(ctx: Context, press: Press) -> None:
    liked = await flows.like(ctx, press.payload.card)
    note = (
        f"It's a match with {liked.name}! Your chat with them is open in your chats."
        if liked.match
        else f"You liked {liked.name}."
    )
    await ctx.replace(press.message_id, next_screen(ctx, note))


@action("pass", payload=CardRef, once=True)
async def pass_(ctx: Context, press: Press) -> None:
    name = await flows.pass_on(ctx, press.payload.card)
    await ctx.replace(press.message_id, next_screen(ctx, f"You passed on {name}."))


@action("block", payload=CardRef, once=True)
async def block(ctx: Context, press: Press) -> None:
    name = await flows.block(ctx, press.payload.card)
    await ctx.replace(
        press.message_id, next_screen(ctx, f"You blocked {name}: you will not see each other again.")
    )


@action("report_form", payload=CardRef)
async def report_form(ctx: Context, press: Press) -> None:
    target = seen_profile(ctx.db, me(ctx), press.payload.card)
    await ctx.replace(press.message_id, screens.report_form(target["card"], target["name"].split()[0]))


@action("report", payload=CardRef, once=True)
async def report(ctx: Context, press: Press) -> None:
    try:
        data = safety.ReportIn(reason=press.values["reason"], note=press.values.get("note") or "")
    except ValidationError as exc:
        raise _as_form_errors(exc) from None
    name = await flows.report(ctx, press.payload.card, data)
    note = f"Thank you: operators will read your report. You blocked {name}."
    await ctx.replace(press.message_id, next_screen(ctx, note))


@action("unmatch", payload=MatchRef, once=True)
async def unmatch(ctx: Context, press: Press) -> None:
    await flows.unmatch(ctx, press.payload.match)
    rows = safety.matches_of(ctx.db, me(ctx))
    await ctx.replace(press.message_id, screens.matches(rows, "The match has ended for both of you."))


@action("pause", once=True)
async def pause(ctx: Context, press: Press) -> None:
    await _paused(ctx, press, True)


@action("resume", once=True)
async def resume(ctx: Context, press: Press) -> None:
    await _paused(ctx, press, False)


async def _paused(ctx: Context, press: Press, paused: bool) -> None:
    await flows.set_paused(ctx, paused)
    if paused:
        await ctx.replace(press.message_id, screens.paused("Paused: nobody sees your profile now."))
    else:
        await ctx.replace(press.message_id, next_screen(ctx, "Welcome back: your profile is live again."))


@action("add_photo")
async def add_photo(ctx: Context, press: Press) -> None:
    upload = press.values["photo"]
    try:
        await photos.add(ctx, upload.data, upload.name)
    except Refused as exc:
        raise FormErrors({"photo": str(exc)}, str(exc)) from None
    await ctx.replace(press.message_id, profile_screen(ctx, "Photo added."))


class PhotoRef(BaseModel):
    number: int


@action("remove_photo", payload=PhotoRef, once=True)
async def remove_photo(ctx: Context, press: Press) -> None:
    await photos.remove(ctx, str(press.payload.number))
    await ctx.replace(press.message_id, profile_screen(ctx, "Photo removed."))


@action("delete_ask")
async def delete_ask(ctx: Context, press: Press) -> None:
    await ctx.replace(press.message_id, screens.delete_ask())


@action("delete", once=True)
async def delete(ctx: Context, press: Press) -> None:
    await flows.delete_profile(ctx)
    await ctx.replace(press.message_id, "Your matchmaking profile is deleted. Type /match to start again.")


@action("show_profile")
async def show_profile(ctx: Context, press: Press) -> None:
    await ctx.replace(press.message_id, profile_screen(ctx))


@action("show_matches")
async def show_matches(ctx: Context, press: Press) -> None:
    await ctx.replace(press.message_id, screens.matches(safety.matches_of(ctx.db, me(ctx))))


COMMANDS = [match, profile, matches]
ACTIONS = [
    save_profile,
    like,
    pass_,
    block,
    report_form,
    report,
    unmatch,
    pause,
    resume,
    add_photo,
    remove_photo,
    delete_ask,
    delete,
    show_profile,
    show_matches,
]
