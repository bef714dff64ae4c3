"""Several ``souk serve`` processes on one data folder, with one Redis between them.

Each worker here is its own ``souk serve`` on its own port, so a test chooses which
worker a person talks to (``souk serve --workers N`` shares one port, and the kernel
chooses; ``test_e2e_workers.py`` runs that too).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from e2e_support import NO_RATE_LIMITS, PLAIN_HTTP, ServerProcess, User, serving
from websockets.asyncio.client import ClientConnection

PHONE_PREFIX = "+551198766"
"""Numbers of these tests' own (``e2e_support.next_phone`` has fewer than 200 for the session)."""


class Worker(ServerProcess):
    """A ``souk serve`` on a data folder that other workers share; its log is its own."""

    def __init__(self, data_dir: Path, index: int, args: tuple[str, ...]) -> None:
        super().__init__(data_dir, args=args)
        self.index = index
        self.log_path = data_dir.parent / f"worker-{index}.log"

    def health(self) -> dict[str, Any]:
        return httpx.get(f"{self.base_url}/api/v1/health", timeout=5.0, **PLAIN_HTTP).json()


@contextlib.contextmanager
def workers(
    folder: Path, count: int, redis_url: str | None, *, limits: tuple[str, ...] | None = None
) -> Iterator[list[Worker]]:
    """``count`` workers on ``folder / "data"``, started one after another, killed at the end.

    ``limits``: ``souk serve --limit`` options (by default, the limits on sends are off)."""
    args = NO_RATE_LIMITS if limits is None else limits
    if redis_url:
        args = (*args, "--redis", redis_url)
    data_dir = folder / "data"
    with contextlib.ExitStack() as stack:
        started = [stack.enter_context(serving(Worker(data_dir, i + 1, args))) for i in range(count)]
        if redis_url:  # each worker subscribes once it serves: wait until every one listens
            for worker in started:
                wait_for(lambda w=worker: w.health()["live"], f"worker {worker.index} listening to Redis")
        yield started


def phone(index: int) -> str:
    return f"{PHONE_PREFIX}{index:04d}"


def wait_for(condition: Any, what: str, bound: float = 60.0) -> None:
    """Wait until ``condition()`` holds; the bound only keeps a broken run from hanging."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {bound:g} s")
        time.sleep(0.05)


def direct_chat(worker: ServerProcess, owner: User, other: User) -> dict[str, Any]:
    with worker.client(owner.token) as http:
        response = http.post("/api/v1/conversations", json={"kind": "direct", "with": {"user_id": other.id}})
        assert response.status_code in (200, 201), response.text
        return response.json()


async def post_all(
    worker: ServerProcess, user: User, conversation_id: str, texts: list[str], pause: float = 0.0
) -> list[int]:
    """Send ``texts`` one after another (each acknowledged before the next); their seqs."""
    acked: list[int] = []
    async with worker.async_client(user.token) as http:
        for text in texts:
            response = await http.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"client_id": f"{user.id}-{text}", "text": text},
            )
            assert response.status_code == 201, response.text
            acked.append(response.json()["seq"])
            if pause:
                await asyncio.sleep(pause)
    return acked


async def frames_until(
    ws: ClientConnection, conversation_id: str, count: int, bound: float = 60.0
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The next ``count`` messages of a conversation, and the ``resync`` notices met on the way."""
    messages: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + bound
    while len(messages) < count:
        remaining = deadline - loop.time()
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), max(remaining, 0.001)))
        except TimeoutError:
            raise AssertionError(f"{len(messages)} of {count} messages after {bound:g} s") from None
        if frame["type"] == "message" and frame["message"]["conversation_id"] == conversation_id:
            messages.append(frame["message"])
        elif frame["type"] == "resync":
            notices.append(frame)
    return messages, notices
