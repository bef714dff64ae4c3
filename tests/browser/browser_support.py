"""Helpers of the browser tests: a real server process on a fixed port, API shortcuts, page checks."""

from __future__ import annotations

import contextlib
import itertools
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from e2e_support import CHILD_ENV, DEV_CODE, HOST, PLAIN_HTTP, free_port
from playwright.sync_api import Locator, Page, expect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
START_TIMEOUT = 30.0

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The demo's people (souk.operators.demo.DEMO_USERS): India, India, Brazil, Brazil, France, USA.
ASHA = "+919876500001"
RAVI = "+919876500002"
BRUNA = "+5511987650001"
TIAGO = "+5511987650002"
CAMILLE = "+33612345001"
JORDAN = "+12025550101"

_unique = itertools.count(1)


def unique(prefix: str) -> str:
    """A text no other test of the session uses (the shared server keeps every message)."""
    return f"{prefix} {next(_unique)}-{time.monotonic_ns() % 100_000}"


class WebServer:
    """launch_server.py in a child process: the demo world with payments, Kiosk and Lodge (or the
    world another launcher ``script`` of this folder builds, such as tickets_server.py).

    A restart keeps the port, as a real restart does: the page at that address reconnects.
    """

    def __init__(self, data_dir: Path, script: str = "launch_server.py") -> None:
        self.script = HERE / script
        self.data_dir = data_dir
        self.log_path = data_dir.parent / f"{data_dir.name}-server.log"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(self.script), str(self.data_dir), str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=CHILD_ENV,
                cwd=HERE,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/v1/health", timeout=1.0, **PLAIN_HTTP).status_code == 200:
                    return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the test server did not start:\n{self.log_tail()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    # -- the API, for what a test does outside the browser ----------------------------------

    def http(self, token: str | None = None) -> httpx.Client:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10.0, **PLAIN_HTTP)

    def sign_in(self, phone: str) -> dict[str, Any]:
        """{"token", "user"} for a demo person."""
        with self.http() as http:
            assert http.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
            signed = http.post("/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE})
            assert signed.status_code == 200, signed.text
            return signed.json()

    def direct_chat(self, token: str, phone: str) -> dict[str, Any]:
        with self.http(token) as http:
            response = http.post("/api/v1/conversations", json={"kind": "direct", "with": {"phone": phone}})
            assert response.status_code in (200, 201), response.text
            return response.json()

    def group(self, token: str, title: str, handles: list[str]) -> dict[str, Any]:
        """A new group of the person with ``token``, with the people of these handles."""
        members = [{"handle": handle} for handle in handles]
        with self.http(token) as http:
            response = http.post(
                "/api/v1/conversations", json={"kind": "group", "title": title, "members": members}
            )
            assert response.status_code == 201, response.text
            return response.json()

    def conversations(self, token: str) -> list[dict[str, Any]]:
        with self.http(token) as http:
            response = http.get("/api/v1/conversations")
            assert response.status_code == 200, response.text
            return response.json()["conversations"]

    def send(self, token: str, conversation_id: str, text: str) -> dict[str, Any]:
        with self.http(token) as http:
            response = http.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"client_id": unique("api"), "text": text},
            )
            assert response.status_code == 201, response.text
            return response.json()

    def history(self, token: str, conversation_id: str, after: int = 0) -> list[dict[str, Any]]:
        """What was posted or replaced after ``after`` (a changed_seq), each message in its latest version."""
        with self.http(token) as http:
            response = http.get(
                f"/api/v1/conversations/{conversation_id}/messages", params={"after": after, "limit": 200}
            )
            assert response.status_code == 200, response.text
            return response.json()["messages"]

    def cursor(self, token: str, conversation_id: str) -> int:
        """The conversation's latest changed_seq: wait_for(after=...) then sees only what comes next."""
        with self.http(token) as http:
            response = http.get(f"/api/v1/conversations/{conversation_id}")
            assert response.status_code == 200, response.text
            return response.json()["last_seq"]

    def wait_for(
        self, token: str, conversation_id: str, found: Callable[[dict[str, Any]], bool], after: int = 0
    ) -> dict[str, Any]:
        """The first message posted or replaced after ``after`` that ``found`` accepts (10 s at most)."""
        deadline = time.monotonic() + 10
        while True:
            seen = self.history(token, conversation_id, after)
            match = next((m for m in seen if found(m)), None)
            if match is not None:
                return match
            assert time.monotonic() < deadline, f"no such message; got {[m['text'] for m in seen]}"
            time.sleep(0.05)

    def open_app(self, token: str, app: str) -> str:
        """The id of the person's own conversation with a mini-app."""
        with self.http(token) as http:
            response = http.post(f"/api/v1/apps/{app}/chat")
            assert response.status_code in (200, 201), response.text
            return response.json()["id"]

    def press(
        self, token: str, message: dict[str, Any], label: str, values: dict[str, Any] | None = None
    ) -> httpx.Response:
        """Press the button labelled ``label`` on a screen message (or submit the form it submits)."""
        component = find_component(message["screen"], label)
        with self.http(token) as http:
            return http.post(
                "/api/v1/actions",
                json={"message_id": message["id"], "component_id": component["id"], "values": values or {}},
            )


# -- matchmaking ---


def waited(what: str, find: Any) -> Any:
    deadline = time.monotonic() + 10
    while (found := find()) is None:
        assert time.monotonic() < deadline, f"no {what}"
        time.sleep(0.05)
    return found


def allow_matchmaking(http: Any) -> None:
    """The person of ``http`` types /match and allows matchmaking their profile, as on first use."""
    chat = http.post("/api/v1/apps/matchmaking/chat").json()["id"]
    sent = http.post(
        f"/api/v1/conversations/{chat}/messages", json={"client_id": unique("m"), "text": "/match"}
    )
    assert sent.status_code == 201, sent.text

    def consent() -> Any:
        messages = http.get(f"/api/v1/conversations/{chat}/messages").json()["messages"]
        return next((m for m in messages if is_consent(m)), None)

    asked = waited("consent request", consent)
    allow = find_component(asked["screen"], "Allow")
    pressed = http.post("/api/v1/actions", json={"message_id": asked["id"], "component_id": allow["id"]})
    assert pressed.status_code == 200, pressed.text


# -- pages ----------------------------------------------------------------------------------


def send(page: Page, text: str) -> None:
    """Type ``text`` in the open chat's composer and send it."""
    box = page.locator("#composer-input")
    box.fill(text)
    box.press("Enter")


def send_for_screen(page: Page, text: str, has_text: str, within: str = ".msg-app.msg-screen") -> Locator:
    """Send ``text`` and give the new screen it brings that shows ``has_text`` (once it is shown).

    The screen is pinned by its place among the matching ones, not taken as ``.last``: a
    locator is resolved at each use, and ``.last`` resolves to an earlier screen of the same
    kind until the new one arrives, so a test could fill half an old form and half the new.
    """
    expect(page.locator(".chat-scroll")).to_have_attribute("aria-busy", "false")
    screens = page.locator(within, has_text=has_text)
    before = screens.count()
    send(page, text)
    expect(screens).to_have_count(before + 1)
    return screens.nth(before)


def chat_entry(page: Page, title: str) -> Locator:
    """The conversation list's entry of the chat titled ``title`` (not one whose preview names it)."""
    named = page.locator(".conversation-title", has_text=re.compile(f"^{re.escape(title)}$"))
    return page.locator(".conversation", has=named)


def open_chat(page: Page, title: str) -> None:
    """Open the chat titled ``title`` and wait until its latest messages are shown.

    Until then a count of what the chat shows (as ``send_for_screen`` takes) would miss the
    history still on its way.
    """
    chat_entry(page, title).locator(".conversation-button").click()
    expect(page.locator(".chat-title")).to_have_text(title)
    expect(page.locator(".chat-scroll")).to_have_attribute("aria-busy", "false")


def shown_seqs(page: Page) -> list[int]:
    """The seq of each message the open chat shows, top to bottom."""
    return page.locator(".msg[data-seq]").evaluate_all("els => els.map(e => Number(e.dataset.seq))")


# -- screens, as the API gives them ---------------------------------------------------------


def find_component(node: Any, label: str) -> dict[str, Any]:
    """The button labelled ``label``, or the form whose submit label it is, anywhere in a screen."""
    if isinstance(node, dict):
        if node.get("type") == "button" and node.get("label") == label:
            return node
        if node.get("type") == "form" and node.get("submit_label") == label:
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        raise LookupError(label)
    for child in children:
        with contextlib.suppress(LookupError):
            return find_component(child, label)
    raise LookupError(label)


def is_consent(message: dict[str, Any]) -> bool:
    """A permission request of the core's, still unanswered (an answered one is a text)."""
    return message["sender"]["kind"] == "system" and message["kind"] == "screen"
