"""Businesses as a mini-app sees them (SDK 1.3): what it attaches its own things to.

A shop's catalogue, an organiser's events, a rental agency's cars belong to a business of
Souk's, not to a private table of merchants: the mini-app keeps the business's ``id`` beside
its rows, shows the business's ``name`` to buyers, asks for payments with it as the ``payee``,
and knows its staff by this mini-app's own ids for them, as it knows every user.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Role = Literal["owner", "admin", "agent"]


class BusinessInfo(BaseModel):
    """A business, from :meth:`Context.business`: never its staff's names, phones or handles."""

    model_config = ConfigDict(frozen=True)

    id: str
    """Stable for the business's life (its handle can change): what to store beside your rows."""
    handle: str
    name: str
    """As customers know it: for screens, receipts and a payment's ``payee``."""
    country: str
    verified: bool
    """Checked by the platform's operators."""
    logo: str | None = None
    """The address of its logo, for screens (``ui.Image``, a card's ``image_url``), or ``None``."""
    staff: dict[str, Role]
    """This mini-app's ids for the people who work there (as ``ctx.user.id``), with their role."""

    def role_of(self, user_id: str) -> Role | None:
        """The role of a user (by this mini-app's id for them) in the business, or ``None``."""
        return self.staff.get(user_id)

    def is_staff(self, user_id: str) -> bool:
        return user_id in self.staff

    def is_admin(self, user_id: str) -> bool:
        """Whether the user may manage the business: its owner or one of its admins."""
        return self.staff.get(user_id) in ("owner", "admin")


class BusinessClaim(BaseModel):
    """Something a mini-app kept before businesses existed, to become a business of its own.

    Answered by a mini-app's ``souk_business_claims`` hook (``app.businesses(...)``): the core
    creates the business (``souk business adopt APP``), owned by ``owner`` and with ``staff``,
    then tells the mini-app its id through ``souk_business_adopted`` with this ``key``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    """The mini-app's own id for the thing (a shop's id): handed back with the business's id."""
    name: str
    handle: str
    """The handle wanted; a free variant of it (``lojadabruna2``) when another has it."""
    category: str = "other"
    description: str = ""
    owner: str
    """This mini-app's id for who owns it: the business's owner."""
    staff: dict[str, Literal["admin", "agent"]] = {}
    """This mini-app's ids for the others who work there, with the role each gets."""
