"""Moving what a mini-app kept before businesses onto businesses: ``souk business adopt APP``.

The mini-app claims its things (``souk_business_claims``: the shop's shops with their owner
and staff); for each, the core creates a business owned by the owner, adds the staff, then
hands the business's id back (``souk_business_adopted``) in the mini-app's own transaction.
Two databases cannot commit as one, so a run cut between the two is finished by the next:
a business of the wanted handle, owned by the same person and of the same name, is taken
as the one made before instead of a second.  A thing adopted is no longer claimed, so a
second run changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from souk_sdk import BusinessClaim
from sqlite_utils import Database

from ..business import accounts, staff
from ..foundation.clock import iso
from ..foundation.errors import CoreError
from ..people import users
from ..storage.store import select

if TYPE_CHECKING:
    from .host import Host


@dataclass
class Adoption:
    """What one run did: businesses created, ones found from a run cut short, claims refused."""

    created: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    """A claim's key, and why it stays where it is (its owner unknown, too many businesses)."""


def _candidates(wanted: str, fallback: str) -> list[str]:
    """``wanted`` made a handle (``Loja da Bruna`` as ``lojadabruna``), then numbered variants."""
    base = re.sub(r"[^a-z0-9_]", "", users.normalise_handle(wanted))
    base = base if base[:1].isalpha() else fallback + base
    base = base[:20].ljust(3, "x")
    return [base] + [f"{base}{n}" for n in range(2, 100)]


def _business_for(db: Database, claim: BusinessClaim, owner_id: str, app: str, now: str) -> tuple[str, bool]:
    """The business of a claim: the one a cut-short run made, or a new one; (id, whether new)."""
    owner = users.by_id(db, owner_id)
    for handle in _candidates(claim.handle, app):
        held = select(db, "SELECT * FROM businesses WHERE handle = ?", [handle])
        if held:
            if held[0]["owner_id"] == owner_id and held[0]["name"] == claim.name[:80]:
                return held[0]["id"], False
            continue
        if users.by_handle(db, handle) is not None:
            continue
        fields = {
            "name": claim.name[:80],
            "handle": handle,
            "category": claim.category,
            "description": claim.description[:500],
        }
        return accounts.create(db, owner, fields, now)["id"], True
    raise CoreError("no free handle near " + claim.handle)


def _exists(db: Database, user_id: str) -> bool:
    return bool(select(db, "SELECT 1 FROM users WHERE id = ?", [user_id]))


def _adopt_one(host: Host, app: str, claim: BusinessClaim, now: str) -> tuple[str, bool]:
    identities = host.identities
    owner_id = identities.user_id_for(app, claim.owner)
    if owner_id is None:
        raise CoreError("its owner is nobody Souk knows")
    people = {identities.user_id_for(app, who): role for who, role in claim.staff.items()}

    def write(db: Database) -> tuple[str, bool]:
        business_id, made = _business_for(db, claim, owner_id, app, now)
        for user_id, role in people.items():
            if user_id is not None and user_id != owner_id and _exists(db, user_id):
                staff.put(db, business_id, owner_id, user_id, role, now)
        return business_id, made

    return host.core.write_sync(write)


def adopt(host: Host, app_name: str) -> Adoption:
    """Create a business for each thing ``app_name`` claims, and attach it there."""
    app = host.registry.apps[app_name]
    done = Adoption()
    if not host.registry.implements("souk_business_claims", app):
        return done
    store = host.app_store(app_name)
    claims: list[Any] = host.registry.call_one("souk_business_claims", app, db=store.db)
    now = iso(host.settings.clock.now())
    for claim in (BusinessClaim.model_validate(c) for found in claims for c in found):
        try:
            business_id, made = _adopt_one(host, app_name, claim, now)
        except CoreError as exc:
            done.refused[claim.key] = str(exc)
            continue
        store.write_sync(
            lambda db, key=claim.key, business_id=business_id: host.registry.call_one(
                "souk_business_adopted", app, db=db, key=key, business_id=business_id
            )
        )
        (done.created if made else done.resumed).append(business_id)
    return done
