"""HTTP endpoints: the profile and its photos, candidates, like, pass, block, report, matches.

The same rules and transactions as the chat (:mod:`.flows`); a refusal is a
4xx with a stable code (:class:`.refusals.Refused`), and a card that is
unknown, blocked either way or someone the asker unmatched answers the same
``404 not_found``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from souk_sdk import ApiError, ApiRequest, Context, api_route

from . import ages, discovery, flows, photos, profiles, safety
from .members import me, own
from .visibility import own_profile


class ProfileOut(BaseModel):
    """Your own profile, as only you see it (your birth date and city are for you alone)."""

    card: str
    name: str
    birth_date: dt.date
    age: int
    gender: str
    seeks: list[str]
    age_min: int
    age_max: int
    city: str | None
    interests: list[str]
    bio: str
    paused: bool
    photos: list[str]
    """Addresses in Souk's media store (``/api/v1/media/...``), in the order shown."""


class CardOut(BaseModel):
    """A candidate, as others see them: no number, handle, birth date or place."""

    card: str
    first_name: str
    age: int
    distance: str
    shared_interests: list[str]
    bio: str
    photos: list[str]


class CandidatesOut(BaseModel):
    candidates: list[CardOut]
    more: bool


class LikeOut(BaseModel):
    liked: str
    matched: bool
    match: str | None


class DoneOut(BaseModel):
    name: str


class MatchOut(BaseModel):
    ref: str
    name: str
    status: str
    at: str
    ended_at: str | None
    conversation: str | None
    card: str | None


class MatchesOut(BaseModel):
    matches: list[MatchOut]


class DeletedOut(BaseModel):
    deleted: bool


def _profile_out(ctx: Context) -> ProfileOut:
    row = own(ctx)
    if row is None:
        own_profile(ctx.db, me(ctx))  # raises no_profile
        raise AssertionError("unreachable")
    born = dt.date.fromisoformat(row["birth_date"])
    return ProfileOut(
        **{
            k: row[k]
            for k in ("card", "name", "gender", "age_min", "age_max", "city", "interests", "bio", "photos")
        },
        birth_date=born,
        age=ages.age_on(born, ctx.today()),
        seeks=row["seeks"].split(","),
        paused=bool(row["paused"]),
    )


@api_route("GET", "/profile", summary="Your profile", response=ProfileOut)
async def get_profile(ctx: Context, request: ApiRequest) -> ProfileOut:
    return _profile_out(ctx)


@api_route(
    "PUT",
    "/profile",
    summary="Make or edit your profile (the birth date is given once, adults only)",
    body=profiles.ProfileIn,
    response=ProfileOut,
)
async def put_profile(ctx: Context, request: ApiRequest) -> ProfileOut:
    await flows.save_profile(ctx, request.body)
    return _profile_out(ctx)


@api_route("POST", "/profile/pause", summary="Pause your profile: nobody sees it", response=ProfileOut)
async def pause_profile(ctx: Context, request: ApiRequest) -> ProfileOut:
    await flows.set_paused(ctx, True)
    return _profile_out(ctx)


@api_route("POST", "/profile/resume", summary="Show your profile again", response=ProfileOut)
async def resume_profile(ctx: Context, request: ApiRequest) -> ProfileOut:
    await flows.set_paused(ctx, False)
    return _profile_out(ctx)


@api_route(
    "DELETE",
    "/profile",
    summary="Delete your profile, from everyone's candidates and likes",
    response=DeletedOut,
)
async def delete_profile(ctx: Context, request: ApiRequest) -> DeletedOut:
    await flows.delete_profile(ctx)
    return DeletedOut(deleted=True)


@api_route(
    "POST",
    "/profile/photos",
    summary="Add a photo to your profile (up to 6; kept in Souk's media store, without its metadata)",
    body=photos.PhotoIn,
    response=ProfileOut,
    max_body_bytes=photos.BODY_BYTES,
)
async def add_photo(ctx: Context, request: ApiRequest) -> ProfileOut:
    await photos.add(ctx, photos.decoded(request.body), request.body.name)
    return _profile_out(ctx)


@api_route(
    "DELETE",
    "/profile/photos/{number}",
    summary="Remove your photo number N (1 is shown first)",
    response=ProfileOut,
)
async def remove_photo(ctx: Context, request: ApiRequest) -> ProfileOut:
    await photos.remove(ctx, request.path["number"])
    return _profile_out(ctx)


def _page(request: ApiRequest) -> int:
    raw = request.query.get("page", "0")
    if not raw.isdigit() or int(raw) > 1000:
        raise ApiError(422, "invalid_page", "page is a whole number from 0 to 1000")
    return int(raw)


@api_route(
    "GET", "/candidates", summary="People you may like, best first, a page at a time", response=CandidatesOut
)
async def get_candidates(ctx: Context, request: ApiRequest) -> CandidatesOut:
    mine = own_profile(ctx.db, me(ctx))
    page = _page(request)
    if mine["paused"]:
        return CandidatesOut(candidates=[], more=False)
    found, more = discovery.candidates(ctx.db, mine, ctx.today(), ctx.now(), page=page)
    cards = [
        CardOut(
            card=c.card,
            first_name=c.first_name,
            age=c.age,
            distance=c.band,
            shared_interests=c.shared,
            bio=c.profile["bio"],
            photos=c.photos,
        )
        for c in found
    ]
    return CandidatesOut(candidates=cards, more=more)


@api_route(
    "POST", "/candidates/{card}/like", summary="Like someone; a like back makes a match", response=LikeOut
)
async def like(ctx: Context, request: ApiRequest) -> LikeOut:
    liked = await flows.like(ctx, request.path["card"])
    return LikeOut(liked=liked.name, matched=liked.match is not None, match=liked.match)


@api_route("POST", "/candidates/{card}/pass", summary="Pass on someone (for 30 days)", response=DoneOut)
async def pass_on(ctx: Context, request: ApiRequest) -> DoneOut:
    return DoneOut(name=await flows.pass_on(ctx, request.path["card"]))


@api_route(
    "POST",
    "/candidates/{card}/block",
    summary="Block someone: neither sees the other again",
    response=DoneOut,
)
async def block(ctx: Context, request: ApiRequest) -> DoneOut:
    return DoneOut(name=await flows.block(ctx, request.path["card"]))


@api_route(
    "POST",
    "/candidates/{card}/report",
    summary="Report someone to the operators, and block them",
    body=safety.ReportIn,
    response=DoneOut,
)
async def report(ctx: Context, request: ApiRequest) -> DoneOut:
    return DoneOut(name=await flows.report(ctx, request.path["card"], request.body))


@api_route("GET", "/matches", summary="Your matches, newest first", response=MatchesOut)
async def get_matches(ctx: Context, request: ApiRequest) -> MatchesOut:
    return MatchesOut(matches=[MatchOut(**row) for row in safety.matches_of(ctx.db, me(ctx))])


@api_route(
    "DELETE", "/matches/{match}", summary="Unmatch: the match ends for both, for good", response=DeletedOut
)
async def unmatch(ctx: Context, request: ApiRequest) -> DeletedOut:
    await flows.unmatch(ctx, request.path["match"])
    return DeletedOut(deleted=True)


ROUTES = [
    get_profile,
    put_profile,
    pause_profile,
    resume_profile,
    delete_profile,
    add_photo,
    remove_photo,
    get_candidates,
    like,
    pass_on,
    block,
    report,
    get_matches,
    unmatch,
]
