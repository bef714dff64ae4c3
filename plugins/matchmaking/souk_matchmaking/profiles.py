"""A member's profile: who they are, whom they want to meet, where (as a cell), what they like.

The birth date is fixed the first time it is given (``birth_dates``): an
edit that carries another one is refused, and so is a profile made again, or
made with another date after the first was refused as under 18.  Everything a profile holds is written in one
transaction; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlite_utils import Database

from . import ages, places
from .refusals import Refused

Gender = Literal["woman", "man", "nonbinary"]
GENDERS: dict[str, str] = {"woman": "Woman", "man": "Man", "nonbinary": "Non-binary"}
MAX_TAGS = 10
MAX_BIO = 300
Tag = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=24)]


class Position(BaseModel):
    """A point the member shares once; it is snapped to its cell and dropped."""

    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class ProfileIn(BaseModel):
    """A profile as written by its member (the API's body; the chat form fills the same)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40)
    birth_date: dt.date
    gender: Gender
    seeks: list[Gender] = Field(min_length=1, max_length=3)
    age_min: int = Field(default=18, ge=18, le=99)
    age_max: int = Field(default=99, ge=18, le=99)
    city: str | None = Field(default=None, max_length=60)
    position: Position | None = None
    interests: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    bio: str = Field(default="", max_length=MAX_BIO)

    @field_validator("name", "bio")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


def profile_of(db: Database, member: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM profiles WHERE member = ?", [member]), None)


def interests_of(db: Database, member: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT tag FROM interests WHERE member = ? ORDER BY tag", [member])]


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _cell(data: ProfileIn, country: str, existing: dict[str, Any] | None) -> tuple[str | None, str]:
    if data.position is not None:
        return None, places.snap(data.position.lat, data.position.lng)
    if data.city:
        city = places.city_named(country, data.city)
        if city is None:
            known = ", ".join(c.name for c in places.cities_of(country)) or "none yet: share a position"
            raise Refused(422, "unknown_city", f"Choose a city of your country ({known}).", "city")
        return city.name, places.city_cell(city)
    if existing is not None:
        return existing["city"], existing["cell"]
    raise Refused(422, "place_required", "Choose your city, or share your position.", "city")


def _check_birth_date(db: Database, member: str, data: ProfileIn, today: dt.date, now: str) -> None:
    given = data.birth_date.isoformat()
    fixed = db.execute("SELECT birth_date FROM birth_dates WHERE member = ?", [member]).fetchone()
    if fixed is not None and given != fixed[0]:
        raise Refused(
            422, "birth_date_fixed", "Your date of birth was given once and cannot be changed.", "birth_date"
        )
    if data.birth_date < ages.anniversary(today, -ages.OLDEST) or data.birth_date > today:
        raise Refused(422, "invalid_birth_date", "Please give your real date of birth.", "birth_date")
    if fixed is None:
        db["birth_dates"].insert({"member": member, "birth_date": given, "at": now})
    if not ages.is_adult(data.birth_date, today):
        raise UnderAge()


class UnderAge(Refused):
    def __init__(self) -> None:
        super().__init__(
            422, "under_age", "Matchmaking is for adults only: you must be 18 or older.", "birth_date"
        )


def save(
    db: Database, member: str, country: str, data: ProfileIn, today: dt.date, now: str, time_zone: str = "UTC"
) -> bool:
    """Create or update the member's profile; True when it was created.

    ``today`` is the member's own date, in ``time_zone``, which is kept so that
    others' candidates count this member's age on this member's calendar.

    Call inside a write transaction.  A first birth date is remembered before
    an under-18 refusal is raised, so the caller commits that record (see
    :func:`save_or_refuse`).
    """
    if data.age_max < data.age_min:
        raise Refused(422, "invalid_age_range", "The oldest age must not be below the youngest.", "age_max")
    _check_birth_date(db, member, data, today, now)
    existing = profile_of(db, member)
    city, cell = _cell(data, country, existing)
    row = {
        "name": data.name,
        "birth_date": data.birth_date.isoformat(),
        "gender": data.gender,
        "seeks": ",".join(sorted(set(data.seeks))),
        "age_min": data.age_min,
        "age_max": data.age_max,
        "country": country,
        "city": city,
        "cell": cell,
        "bio": data.bio,
        "updated_at": now,
        "active_at": now,
        "time_zone": time_zone,
    }
    if existing is None:
        db["profiles"].insert(row | {"member": member, "card": secrets.token_urlsafe(9), "created_at": now})
    else:
        db["profiles"].update(member, row)
    db.execute("DELETE FROM interests WHERE member = ?", [member])
    db["interests"].insert_all({"member": member, "tag": tag} for tag in sorted(set(data.interests)))
    return existing is None


def save_or_refuse(
    db: Database, member: str, country: str, data: ProfileIn, today: dt.date, now: str, time_zone: str
) -> Any:
    """:func:`save`, with a refusal returned rather than raised, so its record of an age refusal commits."""
    try:
        return save(db, member, country, data, today, now, time_zone)
    except UnderAge as refusal:
        return refusal


def set_paused(db: Database, member: str, paused: bool, now: str) -> bool:
    return bool(
        db.execute(
            "UPDATE profiles SET paused = ?, updated_at = ? WHERE member = ?", [int(paused), now, member]
        ).rowcount
    )


def touch(db: Database, member: str, now: str) -> None:
    db.execute("UPDATE profiles SET active_at = ? WHERE member = ?", [now, member])
