"""A business's public profile: what each field may hold, checked before it is stored."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from ..foundation.errors import Invalid
from ..people import users
from .hours import check_hours

CATEGORIES = (
    "shop",
    "food",
    "travel",
    "transport",
    "health",
    "beauty",
    "education",
    "finance",
    "entertainment",
    "services",
    "other",
)
LIMITS = {"name": 80, "description": 500, "address": 200, "website": 200}
WEBSITE = re.compile(r"https?://[^\s/?#@]+(/[^\s]*)?", re.IGNORECASE)
COUNTRY = re.compile(r"[A-Z]{2}")


def _text(field: str, value: str, *, required: bool = False) -> str:
    """Whitespace runs folded to one space; at most the field's length; control characters refused."""
    text = " ".join(value.split()) if field != "description" else value.strip()
    if any(ord(c) < 32 and c not in "\n" for c in text) or "\x7f" in text:
        raise Invalid(f"{field}: no control characters", code=f"invalid_{field}")
    if len(text) > LIMITS[field] or (required and not text):
        least = 1 if required else 0
        raise Invalid(f"{field}: {least} to {LIMITS[field]} characters", code=f"invalid_{field}")
    return text


def check_website(value: str) -> str | None:
    """An http(s) address with a host, or ``None`` for an empty one; 422 ``invalid_website``."""
    text = value.strip()
    if not text:
        return None
    if len(text) > LIMITS["website"] or not WEBSITE.fullmatch(text) or not urlsplit(text).hostname:
        raise Invalid(
            "website: an http:// or https:// address, such as https://loja.example", code="invalid_website"
        )
    return text


def check_country(value: str) -> str:
    country = value.strip().upper()
    if not COUNTRY.fullmatch(country) or country not in phonenumbers.SUPPORTED_REGIONS:
        raise Invalid("country: an ISO 3166-1 alpha-2 code, such as BR", code="invalid_country")
    return country


def check_category(value: str) -> str:
    if value not in CATEGORIES:
        raise Invalid(f"category: one of {', '.join(CATEGORIES)}", code="invalid_category")
    return value


def checked_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """The stored form of each profile field given (``None``: not given); each bad one is a 422."""
    checks = {
        "name": lambda v: _text("name", v, required=True),
        "description": lambda v: _text("description", v),
        "address": lambda v: _text("address", v),
        "category": check_category,
        "website": check_website,
        "country": check_country,
        "time_zone": users.check_time_zone,
        "hours": check_hours,
    }
    return {field: check(changes[field]) for field, check in checks.items() if changes.get(field) is not None}
