"""Set-up steps shared by the matchmaking tests: profiles through the API, the database."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from PIL import Image

MM = "/api/v1/apps/matchmaking"


def born(world: Any, years: int, days: int = 40) -> str:
    """A birth date ``years`` (and ``days``) before the harness's today."""
    today = world.now().date()
    return (today.replace(year=today.year - years) - dt.timedelta(days=days)).isoformat()


def profile_body(world: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "name": "Ana Souza",
        "birth_date": born(world, 28),
        "gender": "woman",
        "seeks": ["man"],
        "age_min": 18,
        "age_max": 60,
        "city": "São Paulo",
        "interests": ["samba", "coffee"],
        "bio": "Hello!",
    }
    return body | changes


def make_profile(user: Any, **changes: Any) -> dict[str, Any]:
    return user.call(
        "PUT", f"{MM}/profile", profile_body(user.world, name=user.profile["display_name"], **changes)
    )


def consent(user: Any) -> None:
    """Allow matchmaking the profile scope, as a member does on first use of /match."""
    user.app_chat("matchmaking").send("/matches")


def member(world: Any, name: str, country: str = "BR", **changes: Any) -> Any:
    """A signed-in user with consent given and a profile made."""
    user = world.user(name, country)
    consent(user)
    make_profile(user, **changes)
    return user


def card_of(user: Any) -> str:
    return user.call("GET", f"{MM}/profile")["card"]


def candidates(user: Any) -> list[dict[str, Any]]:
    found, page = [], 0
    while True:
        answer = user.call("GET", f"{MM}/candidates?page={page}")
        found += answer["candidates"]
        if not answer["more"]:
            return found
        page += 1


def db(world: Any) -> Any:
    return world.core.runtime.app_store("matchmaking").db


def count(world: Any, sql: str, params: list[Any] | None = None) -> int:
    return db(world).execute(sql, params or []).fetchone()[0]


def picture(colour: str = "teal", size: int = 32, fmt: str = "PNG", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, fmt, **save)
    return out.getvalue()


def photo_body(data: bytes | None = None) -> dict[str, Any]:
    return {"data": base64.b64encode(data if data is not None else picture()).decode()}
