"""Take docs/screenshot.png: the README's demo, in the browser, as a newcomer first sees it.

    uv run python tests/browser/demo_screenshot.py [OUTPUT]

Runs ``souk serve --demo`` (with the mini-apps installed in this checkout) on a fresh data
folder and signs in as Asha in the demo group: Ravi asks something, she replies with a quote
of it, the others read it (blue ticks) and react, and Ravi is typing.  Run it again when the
client or the installed mini-apps change, and commit the picture.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for e2e_support

from browser_support import ASHA, BRUNA, CAMILLE, CHROMIUM, CHROMIUM_ARGS, JORDAN, RAVI, ROOT, TIAGO
from e2e_support import CHILD_ENV, DEV_CODE, HOST, PLAIN_HTTP, SOUK, free_port
from websockets.sync.client import connect


@contextlib.contextmanager
def demo_server() -> Iterator[str]:
    """``souk serve --demo`` on a fresh data folder; its address."""
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        url = f"http://{HOST}:{port}"
        server = subprocess.Popen(
            [*SOUK, "serve", "--demo", "--data", data, "--host", HOST, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=CHILD_ENV,
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/api/v1/health", **PLAIN_HTTP).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield url
        finally:
            server.kill()
            server.wait()


def main(output: Path) -> None:
    with demo_server() as url:
        shoot(url, output)


class Person:
    """A demo person, signed in over the API, as the others in the picture are."""

    def __init__(self, url: str, phone: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=10, **PLAIN_HTTP)
        self.http.post("/api/v1/auth/code", json={"phone": phone})
        signed = self.http.post("/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE}).json()
        self.token = signed["token"]
        self.http.headers["authorization"] = f"Bearer {self.token}"
        groups = self.http.get("/api/v1/conversations").json()["conversations"]
        self.group = next(c["id"] for c in groups if c["title"] == "Souk demo")

    def say(self, text: str) -> dict:
        body = {"client_id": f"shot-{time.monotonic_ns()}", "text": text}
        return self.http.post(f"/api/v1/conversations/{self.group}/messages", json=body).json()

    def read_all(self) -> None:
        last = self.http.get(f"/api/v1/conversations/{self.group}").json()["last_seq"]
        self.http.post(f"/api/v1/conversations/{self.group}/read", json={"seq": last})

    def react(self, message: dict, emoji: str) -> None:
        path = f"/api/v1/conversations/{self.group}/messages/{message['id']}/reaction"
        self.http.put(path, json={"emoji": emoji})


def shoot(url: str, output: Path) -> None:
    ravi = Person(url, RAVI)
    others = [Person(url, phone) for phone in (BRUNA, TIAGO, CAMILLE, JORDAN)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 760}, device_scale_factor=1)
        page.goto(url + "/")
        page.get_by_role("button", name=f"Sign in as Asha Rao, {ASHA}").click()
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.locator(".conversation-button", has_text="Souk demo").click()
        question = "Shall we book a table for Friday? 🍕"
        ravi.say(question)
        asked = page.locator(".msg-theirs", has=page.locator(".msg-text", has_text=question))
        asked.locator(".bubble").hover()
        asked.get_by_role("button", name="Message actions").click()
        page.get_by_role("menuitem", name="Reply").click()
        box = page.locator("#composer-input")
        box.fill("Yes! Friday at one. I'll ask the shop about the cake 🎂")
        box.press("Enter")
        mine = page.locator(".msg-mine", has_text="Friday at one")
        expect(mine.locator(".quote")).to_be_visible()
        reply = ravi.http.get(f"/api/v1/conversations/{ravi.group}/messages?limit=1").json()["messages"][-1]
        for person, emoji in zip([ravi, *others], ["👍", "🎉", "👍", "❤️", "👍"], strict=True):
            person.read_all()
            person.react(reply, emoji)
        expect(mine.locator(".ticks-read")).to_be_visible()
        with connect(url.replace("http", "ws") + "/api/v1/ws") as ws:
            ws.send(json.dumps({"type": "auth", "token": ravi.token}))
            ws.recv()
            ws.send(json.dumps({"type": "resume", "since": {}}))
            ws.send(json.dumps({"type": "typing", "conversation_id": ravi.group}))
            expect(page.locator(".chat-subtitle")).to_have_text("Ravi is typing…")
            page.mouse.move(5, 740)
            page.wait_for_timeout(300)
            page.screenshot(path=str(output))
        browser.close()
    print(f"saved {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
