"""Images in mini-apps' screens come from Souk's media store, never from another server.

A screen may name an outside image (``ui.Image(url="https://...")``, a card's
``image_url``).  Before the screen is stored, each such URL is fetched once by the
server, through the outbound-HTTP guard, sanitised like an upload, stored, and the
screen names the stored copy (``/api/v1/media/f_...``) instead.  What cannot be fetched
(a private address, a redirect, too large, too slow, not a picture) is refused: an
image becomes its alt text, a card loses its picture.  Either way no viewer's browser
ever asks a third party for anything, so no shop owner learns who looked at a product.

Each URL is fetched once however many screens and viewers name it: the outcome is kept
(``outside_images``), and concurrent screens naming the same new URL wait on one fetch.
A refusal is tried again after :data:`RETRY_REFUSED`, in case the server was only down.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from ..chat.media import URL, Media, Owner
from ..foundation.clock import Clock, iso
from ..foundation.errors import CoreError
from ..foundation.outbound import OutboundRules, Refused, fetch
from ..storage.store import Store, select

log = logging.getLogger(__name__)

RETRY_REFUSED = dt.timedelta(hours=1)


def _outside(url: Any) -> bool:
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


class OutsideImages:
    def __init__(self, store: Store, media: Media, rules: OutboundRules, clock: Clock) -> None:
        self.store = store
        self.media = media
        self.rules = rules
        self.clock = clock
        self._fetching: dict[str, asyncio.Future[str | None]] = {}

    async def localise(self, app: str, screen: dict[str, Any] | None) -> dict[str, Any] | None:
        """The screen with every outside image replaced by Souk's copy, or refused (see above)."""
        if screen is None:
            return None
        urls = sorted(set(_image_urls(screen)))
        if not urls:
            return screen
        local = dict(zip(urls, await asyncio.gather(*(self.local_url(app, u) for u in urls)), strict=True))
        return _rewrite(screen, local)

    async def local_url(self, app: str, url: str) -> str | None:
        """Souk's address for the image at ``url`` (fetched now, or earlier); ``None`` if refused."""
        known = select(self.store.db, "SELECT * FROM outside_images WHERE url = ?", [url])
        if known and known[0]["media_id"]:
            return URL.format(id=known[0]["media_id"])
        if known and dt.datetime.fromisoformat(known[0]["fetched_at"]) > self.clock.now() - RETRY_REFUSED:
            return None
        pending = self._fetching.get(url)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch(app, url))
            self._fetching[url] = pending
            pending.add_done_callback(lambda _: self._fetching.pop(url, None))
        return await asyncio.shield(pending)

    async def _fetch(self, app: str, url: str) -> str | None:
        media_id = refused = None
        try:
            _, body = await fetch(url, self.rules)
            stored = await self.media.upload(Owner("app", app), body, url, purpose="screen")
            if stored["kind"] != "image":
                raise Refused("not_an_image", f"it is a {stored['content_type']}, not a picture")
            media_id = stored["id"]
        except Refused as exc:
            refused = exc.code
        except CoreError as exc:  # the media store refused it: not a picture Souk keeps
            refused = exc.code
        if refused:
            log.info("an image of %s was refused (%s)", app, refused)
        now = iso(self.clock.now())
        await self.store.write(
            lambda db: db.execute(
                "INSERT INTO outside_images (url, media_id, refused, fetched_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET media_id = excluded.media_id, refused = excluded.refused, "
                "fetched_at = excluded.fetched_at",
                [url, media_id, refused, now],
            )
        )
        return URL.format(id=media_id) if media_id else None


def _image_urls(node: Any) -> list[str]:
    if isinstance(node, list):
        return [url for item in node for url in _image_urls(item)]
    if not isinstance(node, dict):
        return []
    found = []
    if node.get("type") == "image" and _outside(node.get("url")):
        found.append(node["url"])
    if _outside(node.get("image_url")):
        found.append(node["image_url"])
    return found + [
        url for key, value in node.items() if isinstance(value, list | dict) for url in _image_urls(value)
    ]


def _rewrite(node: Any, local: dict[str, str | None]) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, local) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _rewrite(value, local) for key, value in node.items()}
    if node.get("type") == "image" and _outside(node.get("url")):
        if local.get(node["url"]) is None:
            refused = {"type": "text", "text": f"[image: {node.get('alt') or 'not shown'}]", "style": "muted"}
            return refused | ({"id": node["id"]} if "id" in node else {})
        node["url"] = local[node["url"]]
    if _outside(node.get("image_url")):
        if local.get(node["image_url"]) is None:
            del node["image_url"]
        else:
            node["image_url"] = local[node["image_url"]]
    return node
