"""Two browsers on two workers of one server (``souk serve --demo --redis URL``, each worker on its
own port over one data folder), chatting live; Redis killed and started again meanwhile."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from browser_support import ASHA, RAVI, WebServer, open_chat, send, unique
from e2e_support import CHILD_ENV, HOST, PLAIN_HTTP, serving
from playwright.sync_api import expect
from redis_support import running_redis

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CATCH_UP_MS = 30_000
"""A generous bound: while Redis is away, the server catches the page up every second."""


class DemoWorker(WebServer):
    """``souk serve --demo`` on a data folder another worker shares, through Redis."""

    def __init__(self, data_dir: Path, redis_url: str, index: int) -> None:
        super().__init__(data_dir)
        self.redis_url = redis_url
        self.log_path = data_dir.parent / f"worker-{index}.log"

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from souk.cli import main; main()",
                    "serve",
                    "--demo",
                    "--data",
                    str(self.data_dir),
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--redis",
                    self.redis_url,
                    "--log-level",
                    "warning",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=CHILD_ENV,
            )
        self.wait_for_health(lambda health: True)

    def wait_for_health(self, condition, bound: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log_tail()
            try:
                health = httpx.get(f"{self.url}/api/v1/health", timeout=1.0, **PLAIN_HTTP).json()
                if condition(health):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"worker not ready after {bound:g} s:\n{self.log_tail()}")


def test_two_browsers_on_two_workers_chat_live_and_lose_nothing_to_redis(tmp_path: Path, open_page) -> None:
    with (
        running_redis(tmp_path / "redis") as redis,
        serving(DemoWorker(tmp_path / "data", redis.url, 1)) as one,
        serving(DemoWorker(tmp_path / "data", redis.url, 2)) as two,
    ):
        asha = open_page(one, ASHA)
        ravi = open_page(two, RAVI)
        for page in (asha, ravi):
            expect(page.locator(".app")).to_have_attribute("data-live", "live")
        open_chat(asha, "Ravi Kumar")
        open_chat(ravi, "Asha Rao")

        hello = unique("From worker 1")
        send(asha, hello)
        expect(ravi.locator(".msg-theirs", has_text=hello)).to_have_count(1)
        answer = unique("From worker 2")
        send(ravi, answer)
        expect(asha.locator(".msg-theirs", has_text=answer)).to_have_count(1)

        redis.kill()
        for worker in (one, two):
            worker.wait_for_health(lambda health: health["live"] is False)
        during = unique("While Redis is away")
        send(asha, during)
        expect(asha.locator(".msg-mine", has_text=during)).to_have_count(1)
        expect(ravi.locator(".msg-theirs", has_text=during)).to_have_count(1, timeout=CATCH_UP_MS)

        redis.start()
        for worker in (one, two):
            worker.wait_for_health(lambda health: health["live"] is True)
        back = unique("Redis is back")
        send(ravi, back)
        expect(asha.locator(".msg-theirs", has_text=back)).to_have_count(1)
        for text in (hello, answer, during, back):  # each once, on both pages
            expect(asha.locator(".msg", has_text=text)).to_have_count(1)
            expect(ravi.locator(".msg", has_text=text)).to_have_count(1)
