"""A mini-app gets no more than its manifest declares, whatever it asks for at run time.

A command, button or route that names a scope its manifest does not list is refused
before anything runs or is handed over (no consent is asked for it, no field reaches
the mini-app), and the attempt is audited (action ``scope_refused``), as Rocket.Chat's
Apps-Engine refuses an app's undeclared permission.  A consent the user gave earlier for
a scope the manifest no longer lists hands over nothing either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..foundation.clock import iso
from .availability import audit
from .registry import InstalledApp

if TYPE_CHECKING:
    from .host import Host

log = logging.getLogger(__name__)

ACTION = "scope_refused"
ACTOR = "core"


def undeclared(app: InstalledApp, asked: Iterable[str] | None) -> list[str]:
    """The scopes in ``asked`` that the manifest does not list (``None`` asks for the manifest's)."""
    return sorted(set(asked or ()) - set(app.manifest.scopes))


def within_manifest(app: InstalledApp, granted: Iterable[str]) -> set[str]:
    """What a user granted that the manifest still lists: all that may be handed over."""
    return set(granted) & set(app.manifest.scopes)


def refusal(app: InstalledApp, what: str) -> str:
    """What the user reads: the mini-app overreached, not them."""
    return f"{app.title} asked for more than it declares, so {what} cannot be used."


async def refused(
    host: Host, app: InstalledApp, user: dict[str, Any] | None, asked: Iterable[str] | None, purpose: str
) -> bool:
    """True (and the attempt audited) when ``asked`` goes beyond the manifest."""
    beyond = undeclared(app, asked)
    if not beyond:
        return False
    await record(host, app, user, beyond, purpose)
    return True


async def record(
    host: Host, app: InstalledApp, user: dict[str, Any] | None, beyond: list[str], purpose: str
) -> None:
    """One audit entry: which scopes, for what (``/command``, ``button name``, a route); the
    user's country, never who they are."""
    now = iso(host.settings.clock.now())
    country = user["country"] if user else None
    declared, asked = {"scopes": sorted(app.manifest.scopes)}, {"scopes": beyond}
    detail = purpose[:120]
    await host.core.write(
        lambda db: audit(db, now, ACTOR, ACTION, app.name, country, detail, before=declared, after=asked)
    )
    log.warning("%s asked for %s beyond its manifest (%s): refused", app.name, ", ".join(beyond), purpose)
