"""Photos and files: uploaded, kept content-addressed in the data folder, and served to whom may see them.

Who may fetch a media item (anyone else gets 404, as for an id that does not exist):

- a photo or file sent in a conversation: its uploader, and the people who may read
  the message that carries it (members of the conversation within their periods there;
  the addressee of a private message), until it is deleted for everyone;
- a profile photo, and an image a mini-app stored for its screens: anyone signed in
  (they are shown to whoever sees the profile or the screen).

Ids are random (80 bits), so they cannot be guessed.  Each person's uploads count
against their quota (what is kept, after sanitising); the check and the record are
one write of the store's single writer, so concurrent uploads cannot pass it
together.  A mini-app storing the same picture again gets the same item back.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from ..foundation.clock import Clock, iso
from ..foundation.errors import NotFound, TooLarge
from ..foundation.ids import new_id
from ..storage.store import Store, select
from . import windows
from .media_files import MediaFiles, Staged
from .media_types import MAX_PIXELS, Sanitised, safe_name, sanitise

Purpose = Literal["message", "profile", "screen"]
URL = "/api/v1/media/{id}"


@dataclass(frozen=True)
class Owner:
    kind: Literal["user", "app"]
    id: str


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int = 10 * 1024 * 1024
    """The largest upload (what is sent, before sanitising)."""
    quota_bytes: int = 200 * 1024 * 1024
    """What one person may keep in all (their uploads, after sanitising)."""
    max_pixels: int = MAX_PIXELS


def describe(row: dict[str, Any]) -> dict[str, Any]:
    """A media item as the API shows it (and as a message carries it)."""
    url = URL.format(id=row["id"])
    return {
        "id": row["id"],
        "kind": row["kind"],
        "content_type": row["content_type"],
        "name": row["name"],
        "size": row["size"],
        "width": row["width"],
        "height": row["height"],
        "url": url,
        "thumbnail_url": f"{url}/thumbnail" if row["thumbnail"] else None,
    }


def claim_for_message(
    db: Database, media_id: str, sender_id: str, conversation_id: str, message_id: str
) -> str:
    """Attach one's upload to the message being stored; its description (JSON) for the message.

    Only an upload of the sender's own, made for this conversation and not sent yet: any
    other id is 404, as if it did not exist.
    """
    rows = select(
        db,
        "SELECT * FROM media WHERE id = ? AND owner_kind = 'user' AND owner_id = ? AND purpose = 'message' "
        "AND conversation_id = ? AND message_id IS NULL",
        [media_id, sender_id, conversation_id],
    )
    if not rows:
        raise NotFound("no such upload of yours for this conversation", code="media_not_found")
    db.execute("UPDATE media SET message_id = ? WHERE id = ?", [message_id, media_id])
    return json.dumps(describe(rows[0]), separators=(",", ":"))


def viewable(db: Database, media_id: str, viewer_id: str) -> dict[str, Any] | None:
    """The media row if ``viewer_id`` may fetch it (see the module's docstring), else ``None``."""
    rows = select(db, "SELECT * FROM media WHERE id = ?", [media_id])
    if not rows:
        return None
    row = rows[0]
    if row["purpose"] != "message" or (row["owner_kind"], row["owner_id"]) == ("user", viewer_id):
        return row
    if row["message_id"] is None:
        return None
    message = select(
        db, "SELECT conversation_id, seq, visible_to, media FROM messages WHERE id = ?", [row["message_id"]]
    )
    if not message or message[0]["media"] is None or message[0]["visible_to"] not in (None, viewer_id):
        return None
    window = windows.window(db, message[0]["conversation_id"], viewer_id)
    return row if window is not None and window.covers(message[0]["seq"]) else None


def release(db: Database, where: str, params: list[Any]) -> list[str]:
    """Delete the media rows ``where`` selects, and the blobs nobody points at any more: their
    digests, for :meth:`MediaFiles.remove` once this has committed."""
    rows = select(db, f"SELECT id, blob, thumbnail FROM media WHERE {where}", params)
    if not rows:
        return []
    db.conn.executemany("DELETE FROM media WHERE id = ?", [[r["id"]] for r in rows])
    digests = {d for r in rows for d in (r["blob"], r["thumbnail"]) if d}
    orphans = [
        d
        for d in sorted(digests)
        if not db.execute("SELECT 1 FROM media WHERE blob = ? OR thumbnail = ? LIMIT 1", [d, d]).fetchone()
    ]
    db.conn.executemany("DELETE FROM media_blobs WHERE hash = ?", [[d] for d in orphans])
    return orphans


def owned_by(db: Database, user_id: str) -> list[dict[str, Any]]:
    """A person's uploads, oldest first (for their export)."""
    return select(
        db,
        "SELECT * FROM media WHERE owner_kind = 'user' AND owner_id = ? ORDER BY created_at, id",
        [user_id],
    )


class Media:
    """Uploads and what is served of them, over the core's store and the media folder."""

    def __init__(self, store: Store, root: Path, clock: Clock, limits: MediaLimits | None = None) -> None:
        self.store = store
        self.files = MediaFiles(root)
        self.clock = clock
        self.limits = limits or MediaLimits()

    async def upload(
        self,
        owner: Owner,
        data: bytes,
        name: str | None,
        *,
        purpose: Purpose,
        conversation_id: str | None = None,
    ) -> dict[str, Any]:
        """Sanitise and keep ``data``; its description.  A person's upload for a message must be
        made in a conversation they are in (404 otherwise), and fit in their quota (413)."""
        prepared = await asyncio.to_thread(self._prepare, data, name)
        now = iso(self.clock.now())
        try:
            row = await self.store.write(
                lambda db: self._record(db, owner, *prepared, purpose, conversation_id, now)
            )
        finally:
            self._tidy(prepared[1])
        return describe(row)

    def upload_sync(self, owner: Owner, data: bytes, name: str | None, *, purpose: Purpose) -> dict[str, Any]:
        """The same, blocking, for code outside the event loop (building the demo)."""
        prepared = self._prepare(data, name)
        now = iso(self.clock.now())
        try:
            row = self.store.write_sync(lambda db: self._record(db, owner, *prepared, purpose, None, now))
        finally:
            self._tidy(prepared[1])
        return describe(row)

    def _prepare(self, data: bytes, name: str | None) -> tuple[Sanitised, list[Staged], str]:
        if len(data) > self.limits.max_bytes:
            raise TooLarge(f"a file may have at most {self.limits.max_bytes:,} bytes", code="file_too_large")
        kept = sanitise(data, max_pixels=self.limits.max_pixels)
        return kept, self._stage(kept), safe_name(name, kept)

    def _tidy(self, staged: list[Staged]) -> None:
        for file in staged:
            self.files.discard(file)  # those moved into place are gone from tmp/ already

    def _stage(self, kept: Sanitised) -> list[Staged]:
        return [self.files.stage(data) for data in (kept.data, kept.thumbnail) if data is not None]

    def _record(
        self,
        db: Database,
        owner: Owner,
        kept: Sanitised,
        staged: list[Staged],
        name: str,
        purpose: Purpose,
        conversation_id: str | None,
        now: str,
    ) -> dict[str, Any]:
        blob = staged[0]
        thumbnail = staged[1] if len(staged) > 1 else None
        if owner.kind == "app":
            same = select(
                db,
                "SELECT * FROM media WHERE owner_kind = 'app' AND owner_id = ? AND blob = ?",
                [owner.id, blob.digest],
            )
            if same:
                return same[0]
        else:
            if (
                purpose == "message"
                and not db.execute(
                    "SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ? AND left_seq IS NULL",
                    [conversation_id, owner.id],
                ).fetchone()
            ):
                raise NotFound("no such conversation", code="conversation_not_found")
            used = db.execute(
                "SELECT COALESCE(SUM(size), 0) FROM media WHERE owner_kind = 'user' AND owner_id = ?",
                [owner.id],
            ).fetchone()[0]
            if used + blob.size > self.limits.quota_bytes:
                raise TooLarge(
                    f"your files would pass your quota of {self.limits.quota_bytes:,} bytes "
                    f"({used:,} used): delete some messages with files first",
                    code="quota_exceeded",
                )
        row = {
            "id": new_id("f"),
            "owner_kind": owner.kind,
            "owner_id": owner.id,
            "purpose": purpose,
            "conversation_id": conversation_id if purpose == "message" else None,
            "message_id": None,
            "kind": kept.kind,
            "content_type": kept.content_type,
            "name": name,
            "size": blob.size,
            "width": kept.width,
            "height": kept.height,
            "blob": blob.digest,
            "thumbnail": thumbnail.digest if thumbnail else None,
            "created_at": now,
        }
        for file in staged:
            db.execute(
                "INSERT OR IGNORE INTO media_blobs (hash, size, created_at) VALUES (?, ?, ?)",
                [file.digest, file.size, now],
            )
        db["media"].insert(row)
        for file in staged:  # last: a refusal above leaves nothing in place
            self.files.keep(file)
        return row

    def open_for(
        self, media_id: str, viewer_id: str, *, thumbnail: bool = False
    ) -> tuple[dict[str, Any], Path]:
        """The row and the file to serve ``viewer_id``; 404 when they may not see it (or it has none)."""
        row = viewable(self.store.db, media_id, viewer_id)
        digest = row and (row["thumbnail"] if thumbnail else row["blob"])
        path = self.files.path(digest) if digest else None
        if row is None or path is None or not path.is_file():
            raise NotFound("no such media", code="media_not_found")
        return row, path

    async def forget_app_picture(self, app: str, url: str) -> bool:
        """Delete a picture ``app`` stored (``ctx.store_image``), by its address; whether one went.

        Never another's, nor one standing for an outside image a screen named (``outside_images``
        points at it).  Its bytes go when no other row refers to them (:func:`release`).
        """
        prefix = URL.format(id="")
        media_id = url.removeprefix(prefix) if url.startswith(prefix) else ""
        if not media_id or "/" in media_id:
            return False
        where = (
            "id = ? AND owner_kind = 'app' AND owner_id = ? AND purpose = 'screen' "
            "AND id NOT IN (SELECT media_id FROM outside_images WHERE media_id IS NOT NULL)"
        )
        return bool(await self.forget(where, [media_id, app]))

    async def forget(self, where: str, params: list[Any]) -> int:
        """Delete the media rows ``where`` selects and the files nobody else points at; how many rows."""
        counted: list[int] = []

        def drop(db: Database) -> list[str]:
            counted.append(db.execute(f"SELECT COUNT(*) FROM media WHERE {where}", params).fetchone()[0])
            return release(db, where, params)

        self.files.remove(await self.store.write(drop))
        return counted[0]
