"""A page's live connection, passed through the test: frames from the server can be held back and
let through later (a slow link), the link cut and refused until it is back (a lost network), and
what the page says to the server is kept to read."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, WebSocketRoute

CLOSE_LOST = 4000  # what the page sees when the link is cut: not a refusal, so it reconnects

Frame = dict[str, Any]


class LiveLink:
    def __init__(self, page: Page) -> None:
        """Route ``page``'s WebSocket through this link; the page loads again to connect through it."""
        self.sent: list[Frame] = []  # by the page, in order
        self.held: list[str] = []
        self.hold: Callable[[Frame], bool] = lambda frame: False
        self.up = True
        self.route: WebSocketRoute | None = None
        self.server: WebSocketRoute | None = None
        page.route_web_socket("**/api/v1/ws", self._connect)
        page.reload()

    def _connect(self, route: WebSocketRoute) -> None:
        if not self.up:
            route.close(code=CLOSE_LOST, reason="no network")
            return
        server = route.connect_to_server()
        route.on_message(lambda text: self._from_page(server, text))
        server.on_message(lambda text: self._from_server(route, text))
        self.route, self.server = route, server

    def _from_page(self, server: WebSocketRoute, text: str | bytes) -> None:
        self.sent.append(json.loads(text))
        server.send(text)

    def _from_server(self, route: WebSocketRoute, text: str | bytes) -> None:
        if self.hold(json.loads(text)):
            self.held.append(str(text))
        else:
            route.send(text)

    def release(self) -> None:
        """Deliver what was held back, in order, and hold nothing more."""
        self.hold = lambda frame: False
        assert self.route is not None
        for text in self.held:
            self.route.send(text)
        self.held.clear()

    def cut(self) -> None:
        """Lose the connection; every reconnection fails until ``restore``."""
        self.up = False
        if self.route is not None:
            self.route.close(code=CLOSE_LOST, reason="no network")
            self.route = self.server = None

    def restore(self) -> None:
        self.up = True

    def resumes(self) -> list[Frame]:
        """The resume frames the page sent, one per connection."""
        return [frame for frame in self.sent if frame.get("type") == "resume"]
