"""A user's data rights across Souk and every mini-app: see it all, take it away, erase it.

The export is one ZIP archive: ``souk.json`` (the core's part: profile,
sessions, consents, the access log, conversations with what the user wrote,
the payments the core brokered for them and the events about them), one
``apps/<name>.json`` per mini-app (its ``souk_export_user`` answer), and a
``README.txt`` saying what is where.

Erasure runs every mini-app's ``souk_erase_user`` (each in one transaction of
its own database, with a random replacement id made for it and kept nowhere),
then scrubs the core's tables inside the mini-apps' databases (outbox and
timers keep running, under the replacement), then the core's own part, and
finally empties every write-ahead log, so nothing erased lingers on disk.  The
receipt says, part by part, what was deleted, what was pseudonymised, and
what was kept and why.
"""

from __future__ import annotations

import asyncio
import io
import json
import secrets
import zipfile
from typing import TYPE_CHECKING, Any

from souk_sdk import Erasure
from sqlite_utils import Database

from ..business.personal_data import erase_inbox, erase_staffing, export_controls, export_staffing
from ..chat import media
from ..chat.personal_data import erase_messages, export_messages
from ..foundation.clock import iso
from ..foundation.ids import app_user_id
from ..people.personal_data import erase_person, export_person
from ..people.suspensions import erase_suspensions, export_suspensions
from ..storage.store import select
from .registry import InstalledApp
from .reports import erase_reports, export_reports

if TYPE_CHECKING:
    from .host import Host

README = """Your data in Souk, exported {at}.

souk.json        what Souk itself holds: your profile, your sessions (never their
                 secrets), what you allowed each mini-app, the access log of every
                 field of yours a mini-app was given, your conversations with what
                 you wrote in them and what was shown only to you, the payments
                 Souk arranged for you, the events mini-apps sent about you, the
                 reports you made or that were made about you, and any suspension.
apps/NAME.json   what each mini-app holds about you, in its own words.
media/           the photos and files you sent, as Souk keeps them (pictures without
                 their metadata); souk.json's "media" lists them.
"""

CORE_KEPT = [
    "messages you wrote to others stay in their conversations as 'This message was deleted.'",
    "what others wrote to you stays with them, as on every messenger",
    "reports you made or about you stay for the operators, under a random id that leads to nobody",
]


def _replacement() -> str:
    return "x_" + secrets.token_hex(12)


def _encode(part: Any) -> bytes:
    return json.dumps(part, indent=2, ensure_ascii=False, default=str).encode()


class DataRights:
    def __init__(self, host: Host) -> None:
        self.host = host

    def _apps(self) -> list[InstalledApp]:
        return [a for a in self.host.registry.apps.values() if a.name in self.host.app_stores]

    def _pseudonym(self, app: InstalledApp, user_id: str) -> str:
        return app_user_id(self.host.secret, app.name, user_id)

    # -- export ------------------------------------------------------------------------------

    async def archive(self, user_id: str) -> bytes:
        """The user's archive (ZIP bytes)."""
        core_part = await self._core_part(user_id)
        parts = {"souk.json": core_part}
        for app in self._apps():
            parts[f"apps/{app.name}.json"] = await self._app_part(app, user_id)
        files = await asyncio.to_thread(self._media_files, core_part["media"])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", README.format(at=iso(self.host.settings.clock.now())))
            for name, part in parts.items():
                archive.writestr(name, _encode(part))
            for name, data in files:
                archive.writestr(name, data)
        return buffer.getvalue()

    def _media_files(self, listed: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
        """(name in the archive, bytes) of each of the person's uploads whose file is there."""
        found = []
        for item in listed:
            path = self.host.media.files.path(item.pop("blob"))
            if path.is_file():
                found.append((item["file"], path.read_bytes()))
        return found

    async def _core_part(self, user_id: str) -> dict[str, Any]:
        def read(db: Database) -> dict[str, Any]:
            return export_person(db, user_id) | {
                "conversations": export_messages(db, user_id),
                "businesses": export_staffing(db, user_id),
                "reports": export_reports(db, user_id),
                "suspensions": export_suspensions(db, user_id),
                "business_messages": export_controls(db, user_id),
                "media": [
                    media.describe(row)
                    | {
                        "blob": row["blob"],
                        "file": f"media/{row['id']}-{row['name']}",
                        "sent_at": row["created_at"],
                    }
                    for row in media.owned_by(db, user_id)
                ],
                "payments_arranged": select(
                    db,
                    "SELECT merchant AS asked_by, provider AS paid_through, reference, amount, currency, "
                    "created_at FROM brokered_payments WHERE user_id = ? ORDER BY id",
                    [user_id],
                ),
            }

        part = await self.host.core.read(read)
        part["events_about_you"] = {app.name: await self._events(app, user_id) for app in self._apps()}
        return part

    async def _events(self, app: InstalledApp, user_id: str) -> dict[str, Any]:
        pseudonym = self._pseudonym(app, user_id)

        def read(db: Database) -> dict[str, Any]:
            return {
                "events": select(
                    db,
                    "SELECT type, target AS sent_to, created_at, delivered_at FROM _souk_outbox "
                    "WHERE user_id = ? ORDER BY seq",
                    [pseudonym],
                ),
                "timers": select(
                    db, "SELECT type, due_at FROM _souk_timers WHERE user_id = ? ORDER BY due_at", [pseudonym]
                ),
            }

        return await self.host.app_store(app.name).read(read)

    async def _app_part(self, app: InstalledApp, user_id: str) -> Any:
        registry = self.host.registry
        if not registry.implements("souk_export_user", app):
            return {"note": f"{app.title} does not say what it holds (it has no souk_export_user hook)"}
        pseudonym = self._pseudonym(app, user_id)
        answers = await self.host.app_store(app.name).read(
            lambda db: registry.call_one("souk_export_user", app, db=db, user_id=pseudonym)
        )
        return answers[0] if answers else {}

    # -- erasure -----------------------------------------------------------------------------

    async def erase(self, user: dict[str, Any]) -> dict[str, Any]:
        """Erase the user everywhere; the receipt."""
        user_id = user["id"]
        receipt: dict[str, Any] = {}
        for app in self._apps():
            receipt[app.name] = await self._erase_in(app, user_id)
        receipt["souk"] = await self._erase_core(user)
        await asyncio.gather(
            *(
                asyncio.to_thread(store.checkpoint)
                for store in [self.host.core, *self.host.app_stores.values()]
            )
        )
        return {"erased_at": iso(self.host.settings.clock.now()), "parts": receipt}

    async def _erase_in(self, app: InstalledApp, user_id: str) -> dict[str, Any]:
        registry = self.host.registry
        pseudonym, replacement = self._pseudonym(app, user_id), _replacement()
        erases = registry.implements("souk_erase_user", app)

        def erase(db: Database) -> Erasure:
            answers = (
                registry.call_one("souk_erase_user", app, db=db, user_id=pseudonym, replacement=replacement)
                if erases
                else []
            )
            done = Erasure.model_validate(answers[0]) if answers else Erasure()
            for table in ("_souk_outbox", "_souk_timers"):
                changed = db.execute(
                    f"UPDATE {table} SET user_id = ? WHERE user_id = ?", [replacement, pseudonym]
                ).rowcount
                if changed:
                    done.pseudonymised[table] = changed
            if not erases:
                done.kept.append(f"{app.title} has no souk_erase_user hook: ask it to erase what it holds")
            return done

        done = await self.host.app_store(app.name).write(erase)
        # The pictures it named go once its rows are gone for good; the receipt counts them.
        pictures = [await self.host.media.forget_app_picture(app.name, url) for url in done.images]
        if any(pictures):
            done.deleted["images"] = sum(pictures)
        return done.model_dump(exclude={"images"})

    async def _erase_core(self, user: dict[str, Any]) -> dict[str, Any]:
        user_id, replacement = user["id"], _replacement()

        orphans: list[str] = []

        def erase(db: Database) -> dict[str, Any]:
            uploads = len(media.owned_by(db, user_id))
            orphans.extend(media.release(db, "owner_kind = 'user' AND owner_id = ?", [user_id]))
            inbox = erase_inbox(db, user_id, replacement)
            chat = erase_messages(db, user_id, replacement)
            if uploads:
                chat["deleted"]["media"] = uploads
            brokered = db.execute(
                "UPDATE brokered_payments SET user_id = ? WHERE user_id = ?", [replacement, user_id]
            ).rowcount
            pseudonymised = (
                chat["pseudonymised"]
                | inbox["pseudonymised"]
                | {k: v for k, v in {"brokered_payments": brokered}.items() if v}
            )
            staffing = erase_staffing(db, user_id, replacement)
            pseudonymised |= staffing["pseudonymised"] | erase_reports(db, user_id, replacement)
            deleted = chat["deleted"] | inbox["deleted"] | staffing["deleted"]
            if suspended := erase_suspensions(db, user_id):
                deleted["user_suspensions"] = suspended
            deleted |= erase_person(db, user_id)
            return {"deleted": deleted, "pseudonymised": pseudonymised, "kept": CORE_KEPT}

        receipt = await self.host.core.write(erase)
        self.host.media.files.remove(orphans)  # once the rows are gone for good
        return receipt
