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


def _fits(text: str, longest: int, *, shortest: int = 0) -> bool:
    """Within the lengths, and no control character but a line break."""
    return shortest <= len(text) <= longest and not any(
        (ord(c) < 32 and c != "\n") or c == "\x7f" for c in text
    )


def check_name(value: str) -> str:
    name = " ".join(value.split())
    if not _fits(name, LIMITS["name"], shortest=1):
        raise Invalid(f"name: 1 to {LIMITS['name']} characters", code="invalid_name")
    return name


def check_description(value: str) -> str:
    text = value.strip()
    if not _fits(text, LIMITS["description"]):
        raise Invalid(
            f"description: at most {LIMITS['description']} characters, no control characters",
            code="invalid_description",
        )
    return text


def check_address(value: str) -> str:
    text = " ".join(value.split())
    if not _fits(text, LIMITS["address"]):
        raise Invalid(
            f"address: at most {LIMITS['address']} characters, no control characters", code="invalid_address"
        )
    return text


def check_website(value: str) -> str | None:
    """An http(s) address with a host, or ``None`` for an empty one; 422 ``invalid_website``."""
    text = value.strip()
    if not text:
        return None
    if not _fits(text, LIMITS["website"]) or not WEBSITE.fullmatch(text) or not urlsplit(text).hostname:
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
        "name": check_name,
        "description": check_description,
        "address": check_address,
        "category": check_category,
        "website": check_website,
        "country": check_country,
        "time_zone": users.check_time_zone,
        "hours": check_hours,
    }
    return {field: check(changes[field]) for field, check in checks.items() if changes.get(field) is not None}
