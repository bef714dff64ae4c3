"""Request and response bodies of the business routes (routes_business.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..business import links
from ..business.hours import DAYS
from ..business.profile import CATEGORIES, LIMITS
from .schemas import Strict, handle_field

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
HOURS_HELP = (
    f"Weekly opening hours in the business's time zone: days ({', '.join(DAYS)}) each with a list of "
    '["HH:MM", "HH:MM"] intervals, "24:00" for the end of the day; an absent day is closed '
    "(422 invalid_hours)"
)


class _Profile(Strict):
    name: str | None = Field(default=None, max_length=LIMITS["name"])
    description: str | None = Field(default=None, max_length=LIMITS["description"])
    category: Category | None = None
    address: str | None = Field(default=None, max_length=LIMITS["address"])
    website: str | None = Field(
        default=None,
        max_length=LIMITS["website"],
        description="http(s) address; '' removes it (422 invalid_website)",
    )
    country: str | None = Field(
        default=None, max_length=2, description="ISO 3166-1 alpha-2 (422 invalid_country)"
    )
    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="An IANA time zone, like America/Sao_Paulo (422 invalid_time_zone)",
    )
    hours: dict[str, list[list[str]]] | None = Field(default=None, description=HOURS_HELP)


class NewBusiness(_Profile):
    """A name, a handle and a category are needed; the country and time zone default to the owner's."""

    name: str = Field(min_length=1, max_length=LIMITS["name"])
    handle: str = Field(
        max_length=25, description="Shared with people's handles: one namespace (409 handle_taken)"
    )
    category: Category


class BusinessChange(_Profile):
    handle: str | None = handle_field()
    logo: str | None = Field(
        default=None,
        max_length=64,
        description="A picture you uploaded with purpose=profile, by id (422 invalid_logo); '' removes it",
    )


class Business(BaseModel):
    """A business's public profile; ``your_role`` is the caller's place on its staff (``null``: none)."""

    id: str
    handle: str
    name: str
    description: str
    category: str
    address: str
    website: str | None
    country: str
    time_zone: str
    hours: dict[str, list[list[str]]]
    open_now: bool
    logo: str | None = Field(description="The logo's address in the media store")
    verified: bool = Field(description="Set by the platform's operators only")
    link: str = Field(description="The click-to-chat link: /b/<handle>, with ?text= to prefill a message")
    your_role: Literal["owner", "admin", "agent"] | None


class YourBusiness(Business):
    waiting: int = Field(description="Threads of its inbox whose customer waits for an answer (open)")


class YourBusinesses(BaseModel):
    businesses: list[YourBusiness]


class NewStaff(Strict):
    handle: str = Field(max_length=25, description="The person's handle")
    role: Literal["admin", "agent"]


class StaffMember(BaseModel):
    user_id: str
    display_name: str
    handle: str
    role: Literal["owner", "admin", "agent"]
    added_at: str


class Staff(BaseModel):
    staff: list[StaffMember]


class LinkQuery(Strict):
    text: str | None = Field(default=None, max_length=links.MAX_TEXT, description="A message to prefill")


class Verification(Strict):
    verified: bool
