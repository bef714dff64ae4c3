"""Images a screen names on another server: fetched once by Souk through the outbound guard, or refused.

A test server on 127.0.0.1 counts what it is asked.  The guard lets it through only
because these tests name it in ``outbound_allow`` (empty on a real server); a second
counting server is left out of it, to show that nothing is ever sent to an address
the guard refused.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from media_samples import photo_with_gps, png
from pydantic import BaseModel
from souk_sdk import Context, Manifest, MiniApp, ui
from souk_sdk.testing import race


class CountingServer:
    """Answers /photo.jpg, /logo.png, /page.html, /big.png and /redirect?to=URL, counting each request."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                owner.requests[path] += 1
                if path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", query.removeprefix("to="))
                    self.end_headers()
                    return
                bodies = {
                    "/photo.jpg": ("image/jpeg", photo_with_gps((400, 300))),
                    "/logo.png": ("image/png", png()),
                    "/page.html": ("image/png", b"<html><script>alert(1)</script></html>"),
                    "/big.png": ("image/png", b"\x89PNG" + bytes(300_000)),
                }
                kind, body = bodies.get(path, ("text/plain", b""))
                self.send_response(200 if path in bodies else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def total(self) -> int:
        return sum(self.requests.values())


@pytest.fixture
def servers() -> Iterator[tuple[CountingServer, CountingServer]]:
    """(the allowed server, one the guard does not let through)."""
    pair = (CountingServer(), CountingServer())
    for server in pair:
        server.thread.start()
    yield pair
    for server in pair:
        server.server.shutdown()
        server.server.server_close()


class ShowArgs(BaseModel):
    url: str


def _viewer_app() -> MiniApp:
    app = MiniApp(Manifest(name="viewer", title="Viewer", version="1.0.0", scopes=[], sdk=">=1.1,<2"))

    @app.command("show", help="Show a picture from anywhere", args=ShowArgs)
    async def show(ctx: Context, args: ShowArgs) -> ui.Screen:
        return ui.Screen(
            title="Picture",
            body=[
                ui.Image(url=args.url, alt="the picture"),
                ui.Card(title="As a card", image_url=args.url),
            ],
        )

    return app


def _world(souk_world: Any, allowed: CountingServer) -> Any:
    return souk_world([_viewer_app()], settings={"outbound_allow": (f"127.0.0.1:{allowed.port}",)})


def _screen(chat: Any, url: str) -> dict[str, Any]:
    return chat.send(f"/show {url}").messages[-1]["screen"]


def test_an_outside_image_is_fetched_once_however_many_people_view_it(souk_world: Any, servers: Any) -> None:
    allowed, _ = servers
    world = _world(souk_world, allowed)
    people = [world.user(f"Viewer {i}") for i in range(6)]
    url = allowed.url("/photo.jpg")
    first = _screen(people[0].app_chat("viewer"), url)
    image, card = first["body"]
    assert image["url"].startswith("/api/v1/media/f_") and card["image_url"] == image["url"]
    later = race(*(lambda p=p: _screen(p.app_chat("viewer"), url) for p in people[1:]))
    assert [s["body"][0]["url"] for s in later] == [image["url"]] * 5
    fetched = [p.fetch(image["url"]) for p in people]
    assert [status for status, _ in fetched] == [200] * 6
    assert all(b"GPS" not in data and b"Exif" not in data for _, data in fetched)
    assert allowed.requests == {"/photo.jpg": 1}


def test_concurrent_screens_naming_a_new_image_wait_on_one_fetch(souk_world: Any, servers: Any) -> None:
    allowed, _ = servers
    world = _world(souk_world, allowed)
    people = [world.user(f"Viewer {i}") for i in range(8)]
    chats = [p.app_chat("viewer") for p in people]
    url = allowed.url("/logo.png")
    screens = race(*(lambda c=c: _screen(c, url) for c in chats))
    assert len({s["body"][0]["url"] for s in screens}) == 1
    assert allowed.requests == {"/logo.png": 1}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{other}/photo.jpg",
        "http://localhost:{other}/photo.jpg",
        "http://[::ffff:127.0.0.1]:{other}/photo.jpg",
        "http://10.0.0.1/photo.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/photo.jpg",
        "http://0.0.0.0:{other}/photo.jpg",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_unasked(
    souk_world: Any, servers: Any, url: str
) -> None:
    allowed, other = servers
    world = _world(souk_world, allowed)
    url = url.format(other=other.port)
    screen = _screen(world.user("Ana").app_chat("viewer"), url)
    assert screen["body"][0] == {"type": "text", "text": "[image: the picture]", "style": "muted"}
    assert "image_url" not in screen["body"][1]
    # The URL as the screen keeps it (pydantic writes an IPv6 address its own way): the only one.
    refused = world.core.runtime.core.db.execute("SELECT media_id, refused FROM outside_images").fetchall()
    assert refused == [(None, "address_not_allowed")]
    assert (allowed.total(), other.total()) == (0, 0)


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1:{other}/photo.jpg", "http://10.0.0.1/photo.jpg", "http://169.254.169.254/latest/"],
)
def test_a_redirect_is_never_followed(souk_world: Any, servers: Any, target: str) -> None:
    allowed, other = servers
    world = _world(souk_world, allowed)
    url = allowed.url("/redirect?to=" + target.format(other=other.port))
    screen = _screen(world.user("Ana").app_chat("viewer"), url)
    assert screen["body"][0]["type"] == "text"
    assert world.core.runtime.core.db.execute(
        "SELECT refused FROM outside_images WHERE url = ?", [url]
    ).fetchone() == ("redirect",)
    assert (allowed.requests, other.total()) == ({"/redirect": 1}, 0)


@pytest.mark.parametrize(("path", "why"), [("/page.html", "unsupported_type"), ("/missing.png", "status")])
def test_what_is_not_a_picture_is_refused(souk_world: Any, servers: Any, path: str, why: str) -> None:
    allowed, _ = servers
    world = _world(souk_world, allowed)
    url = allowed.url(path)
    screen = _screen(world.user("Ana").app_chat("viewer"), url)
    assert screen["body"][0]["type"] == "text"
    assert world.core.runtime.core.db.execute(
        "SELECT refused FROM outside_images WHERE url = ?", [url]
    ).fetchone() == (why,)


def test_an_answer_over_the_size_limit_is_refused(souk_world: Any, servers: Any) -> None:
    allowed, _ = servers
    world = souk_world(
        [_viewer_app()],
        settings={"outbound_allow": (f"127.0.0.1:{allowed.port}",), "outbound_max_bytes": 100_000},
    )
    url = allowed.url("/big.png")
    _screen(world.user("Ana").app_chat("viewer"), url)
    assert world.core.runtime.core.db.execute(
        "SELECT refused FROM outside_images WHERE url = ?", [url]
    ).fetchone() == ("too_large",)
