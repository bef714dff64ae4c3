"""A profile's photos: up to 6, each kept in Souk's media store, never a link to another server.

A photo arrives as its bytes (base64 in JSON, or a form's file field), is read by Pillow (what is not
a JPEG, PNG, WebP or GIF is refused before anything is kept), is handed to ``ctx.store_image``
(which refuses what is not a picture and re-encodes it without its metadata,
so a phone's GPS position in a photo goes), and the address it answers is
all the mini-app keeps.  A photo removed, a profile deleted or erased deletes
its picture from the media store too (``ctx.delete_image``, or the erasure's
``images``), once no other photo row names the same address.  Six is checked
again in the transaction that keeps it, so photos added at the same moment
cannot pass it.
"""

from __future__ import annotations

import base64
import binascii
import io

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field
from souk_sdk import Context, SoukError, Transaction
from sqlite_utils import Database

from .refusals import Refused
from .visibility import own_profile

MAX_PHOTOS = 6
MAX_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
BODY_BYTES = 8 * 1024 * 1024
"""The largest request: a photo of 5 MiB is about 6.7 MiB in base64."""


class PhotoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: str = Field(min_length=1, description="The picture's bytes (JPEG, PNG, WebP or GIF), in base64")
    name: str | None = Field(default=None, max_length=100)


def photos_of(db: Database, member: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT url FROM photos WHERE member = ? ORDER BY slot", [member])]


def unshown(db: Database, urls: list[str]) -> list[str]:
    """Of these addresses, those no photo row names any more: the pictures to delete from the media
    store (the same bytes from two members are one picture at one address)."""
    return [
        url
        for url in dict.fromkeys(urls)
        if not db.execute("SELECT 1 FROM photos WHERE url = ?", [url]).fetchone()
    ]


async def delete_pictures(ctx: Context, urls: list[str]) -> int:
    """Delete the pictures of removed photos from the media store; how many went."""
    return sum([await ctx.delete_image(url) for url in urls])


def decoded(photo: PhotoIn) -> bytes:
    try:
        return base64.b64decode(photo.data, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(422, "invalid_photo", "A photo is sent as its bytes in base64.", "data") from None


def _checked(data: bytes) -> bytes:
    if len(data) > MAX_BYTES:
        raise Refused(413, "photo_too_large", "A photo is at most 5 MB.", "data")
    if not _is_picture(data):
        raise Refused(422, "not_an_image", "That is not a photo: send a JPEG, PNG, WebP or GIF.", "data")
    return data


def _is_picture(data: bytes) -> bool:
    """Whether Pillow reads ``data`` as a picture of a kind we show, checked before anything is stored
    (the media store would keep other bytes as a file)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except Exception:  # Pillow's many ways of saying "not a picture": unidentified, truncated, a bomb
        return False
    return kind in FORMATS


def _full(db: Database, member: str) -> Refused | None:
    if len(photos_of(db, member)) >= MAX_PHOTOS:
        return Refused(
            409, "too_many_photos", f"A profile has at most {MAX_PHOTOS} photos: remove one first."
        )
    return None


async def add(ctx: Context, data: bytes, name: str | None) -> str:
    """Keep one more photo (its bytes) on the member's profile; its address."""
    assert ctx.user is not None
    member = ctx.user.id
    own_profile(ctx.db, member)
    data = _checked(data)
    full = _full(ctx.db, member)
    if full:
        raise full
    try:
        url = await ctx.store_image(data, name=name)
    except SoukError as exc:
        raise Refused(422, "not_an_image", f"That is not a photo we can show ({exc}).", "data") from None
    now = ctx.now().isoformat()

    def keep(tx: Transaction) -> None:
        own_profile(tx.db, member)
        full = _full(tx.db, member)
        if full:
            raise full
        taken = {r[0] for r in tx.db.execute("SELECT slot FROM photos WHERE member = ?", [member])}
        slot = min(set(range(1, MAX_PHOTOS + 1)) - taken)
        tx.db["photos"].insert({"member": member, "slot": slot, "url": url, "added_at": now})

    await ctx.transaction(keep)
    return url


async def remove(ctx: Context, number: str) -> None:
    """Remove the member's photo at ``number`` (1 for the first shown); the others move up."""
    assert ctx.user is not None
    member = ctx.user.id

    def drop(tx: Transaction) -> list[str]:
        own_profile(tx.db, member)
        slots = [
            r[0] for r in tx.db.execute("SELECT slot FROM photos WHERE member = ? ORDER BY slot", [member])
        ]
        if not number.isdigit() or not 1 <= int(number) <= len(slots):
            raise Refused(404, "not_found", "There is no such photo.")
        slot = slots[int(number) - 1]
        url = tx.db.execute(
            "SELECT url FROM photos WHERE member = ? AND slot = ?", [member, slot]
        ).fetchone()[0]
        tx.db.execute("DELETE FROM photos WHERE member = ? AND slot = ?", [member, slot])
        return unshown(tx.db, [url])

    await delete_pictures(ctx, await ctx.transaction(drop))
