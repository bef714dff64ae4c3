"""Matchmaking's part of the demo world: adult profiles in India and Brazil, and one like waiting.

Asha and Ravi (India), Bruna and Tiago (Brazil) have profiles, each with a
drawn portrait kept in Souk's media store, beside a few
people who exist only in the demo's candidate lists (they never like back).
Tiago has already liked Bruna, so when Bruna types /match he comes first
(they share the most interests) and her like makes a match at once: a chat
opens between them, without either number shown.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from PIL import Image, ImageDraw
from souk_sdk import DemoWorld, Transaction

from . import ages, places, profiles

PEOPLE: list[dict[str, Any]] = [
    # (the demo's users, by handle)
    {
        "handle": "asha",
        "gender": "woman",
        "seeks": ["man"],
        "age": 29,
        "city": "Mumbai",
        "interests": ["jazz", "books", "running"],
        "bio": "Weekend runner, weekday reader. Jazz on rainy evenings.",
    },
    {
        "handle": "ravi",
        "gender": "man",
        "seeks": ["woman"],
        "age": 31,
        "city": "Mumbai",
        "interests": ["cricket", "books", "cooking"],
        "bio": "I cook a mean biryani and lose at chess.",
    },
    {
        "handle": "bruna",
        "gender": "woman",
        "seeks": ["man"],
        "age": 27,
        "city": "São Paulo",
        "interests": ["samba", "coffee", "cycling", "photography"],
        "bio": "Café, bicicleta e samba de roda.",
    },
    {
        "handle": "tiago",
        "gender": "man",
        "seeks": ["woman"],
        "age": 28,
        "city": "São Paulo",
        "interests": ["samba", "coffee", "cycling", "football"],
        "bio": "Pedalo no Ibirapuera aos domingos.",
    },
    # (people of the demo's candidate lists only)
    {
        "member": "demo-priya",
        "name": "Priya Shah",
        "gender": "woman",
        "seeks": ["man"],
        "age": 26,
        "city": "Pune",
        "interests": ["books", "hiking"],
        "bio": "Mountains over beaches, always.",
    },
    {
        "member": "demo-arjun",
        "name": "Arjun Mehta",
        "gender": "man",
        "seeks": ["woman"],
        "age": 33,
        "city": "Mumbai",
        "interests": ["jazz", "photography"],
        "bio": "Street photographer. Coffee first.",
    },
    {
        "member": "demo-kabir",
        "name": "Kabir Singh",
        "gender": "man",
        "seeks": ["woman"],
        "age": 30,
        "city": "Pune",
        "interests": ["running", "cooking"],
        "bio": "Half-marathons and home-made pasta.",
    },
    {
        "member": "demo-lucas",
        "name": "Lucas Almeida",
        "gender": "man",
        "seeks": ["woman"],
        "age": 30,
        "city": "Campinas",
        "interests": ["coffee", "books"],
        "bio": "Barista e leitor de ficção científica.",
    },
    {
        "member": "demo-rafael",
        "name": "Rafael Souza",
        "gender": "man",
        "seeks": ["woman"],
        "age": 34,
        "city": "São Paulo",
        "interests": ["football", "photography"],
        "bio": "Fotógrafo de fim de semana.",
    },
    {
        "member": "demo-marina",
        "name": "Marina Lopes",
        "gender": "woman",
        "seeks": ["man"],
        "age": 25,
        "city": "São Paulo",
        "interests": ["samba", "cycling"],
        "bio": "Bike, praia e roda de samba.",
    },
]
PENDING_LIKE = ("tiago", "bruna")
BACKDROPS = ["#f4a261", "#2a9d8f", "#e76f51", "#264653", "#8ab17d", "#b56576", "#6d597a", "#457b9d"]


def portrait(backdrop: str) -> bytes:
    """A drawn stand-in for a photo: a head and shoulders on a coloured backdrop (PNG)."""
    image = Image.new("RGB", (240, 300), backdrop)
    draw = ImageDraw.Draw(image)
    draw.ellipse((80, 60, 160, 150), fill="#f1dcc9")
    draw.ellipse((40, 170, 200, 360), fill="#fefae0")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _country(city: str) -> str:
    return next(c.country for c in places.CITIES if c.name == city)


def build(demo: DemoWorld) -> None:
    now = demo.now()
    members: dict[str, str] = {}
    for person in PEOPLE:
        handle = person.get("handle")
        if handle is not None and handle not in demo.handles:
            continue
        user = demo.user(handle) if handle else None
        member = user.id if user else person["member"]
        name = (user.display_name if user else None) or person.get("name") or handle or member
        members[handle or member] = member
        country = _country(person["city"])
        today = now.date()
        data = profiles.ProfileIn(
            name=name,
            birth_date=ages.anniversary(today, -person["age"]) - dt.timedelta(days=40),
            gender=person["gender"],
            seeks=person["seeks"],
            age_min=22,
            age_max=40,
            city=person["city"],
            interests=person["interests"],
            bio=person["bio"],
        )
        url = demo.store_image(portrait(BACKDROPS[len(members) % len(BACKDROPS)]), name="portrait.png")
        demo.transaction(
            lambda tx, m=member, c=country, d=data, t=today, u=url: _profile(tx, m, c, d, t, u, now)
        )
    liker, liked = (members.get(h) for h in PENDING_LIKE)
    if liker and liked:
        demo.transaction(lambda tx: _like(tx, liker, liked, now))


def _profile(
    tx: Transaction, member: str, country: str, data: Any, today: dt.date, url: str, now: dt.datetime
) -> None:
    profiles.save(tx.db, member, country, data, today, now.isoformat())
    tx.db["photos"].insert({"member": member, "slot": 1, "url": url, "added_at": now.isoformat()})


def _like(tx: Transaction, liker: str, liked: str, now: dt.datetime) -> None:
    tx.db["likes"].insert({"liker": liker, "liked": liked, "at": now.isoformat()}, ignore=True)
