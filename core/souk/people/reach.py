"""Who may reach a person: add them to a group, or find them by their phone number.

Each is chosen by the person: ``everyone``, ``contacts`` (the people they have a direct
chat with) or ``nobody``.  Someone who may not find a person by number is told that
nobody with that number uses Souk, as if the number were unknown, so a refusal reveals
nothing.  A person without a row may be reached by everyone.
"""

from __future__ import annotations

from typing import Literal

from sqlite_utils import Database

from ..foundation.errors import Forbidden
from . import audiences
from .sharing import contacts_of

Way = Literal["groups", "phone"]
WAYS: tuple[Way, ...] = ("groups", "phone")


def settings_of(db: Database, user_id: str) -> dict[str, str]:
    return audiences.read(db, "reach", WAYS, user_id)


def update(db: Database, user_id: str, changes: dict[str, str | None]) -> dict[str, str]:
    """Store the changed audiences; the settings afterwards."""
    return audiences.write(db, "reach", WAYS, user_id, changes)


def allows(db: Database, person: str, other: str, way: Way) -> bool:
    """Whether ``other`` may reach ``person`` this way."""
    if person == other:
        return True
    audience = settings_of(db, person)[way]
    return audience == "everyone" or (audience == "contacts" and other in contacts_of(db, person))


def require_addable(db: Database, adder: str, people: dict[str, str]) -> None:
    """``403 cannot_add`` naming those of ``people`` (id to display name) who keep ``adder`` out."""
    refused = [name for person, name in people.items() if not allows(db, person, adder, "groups")]
    if refused:
        raise Forbidden(
            f"{', '.join(refused)} chose who may add them to groups; ask them to join, or to change it",
            code="cannot_add",
            details={"people": refused},
        )
