"""The WebSocket's bad input over the real server: who may connect, and frames of every kind.

- The token comes in the first frame, ``{"type": "auth", "token": ...}``; a wrong,
  expired or revoked one, a first frame that is something else, or none in time,
  closes the socket with 4401 and the error code as the reason.  The deprecated
  ``?token=`` form still works.
- Property-based: hostile JSON (``hostile_json``: huge numbers, deep nesting,
  invalid UTF-8, lone surrogates) inside every frame type, ``auth``, ``resume``,
  ``ping`` and unknown ones, and as the whole frame.  Before sign-in every one
  closes with 4401; after it, every one is answered with a ``bad_frame`` error
  and the socket stays usable.  Never a dropped connection (1006) or a 1011.

Examples: 6 per frame type by default, 100 with ``SOUK_STRESS=1``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import websockets
from e2e_support import ServerProcess, User, create_group, sign_in
from hostile_json import Raw, embedded, invalid_utf8
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stress import STRESS

EXAMPLES = 100 if STRESS else 6
BIG = 10**30


@dataclass
class World:
    server: ServerProcess
    ana: User
    group: str
    stranger_group: str
    expired: str
    revoked: str


@pytest.fixture(scope="module")
def world(server: ServerProcess) -> Iterator[World]:
    ana, bia, carl = (sign_in(server, name) for name in ("Ws Ana", "Ws Bia", "Ws Carl"))
    group = create_group(server, ana, [bia], title="ws members")
    stranger_group = create_group(server, carl, [], title="ws carl's")
    with server.client(ana.token) as http:
        sent = http.post(
            f"/api/v1/conversations/{group['id']}/messages", json={"client_id": "m", "text": "hi"}
        )
        assert sent.status_code == 201
    dora = sign_in(server, "Ws Dora")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    with sqlite3.connect(server.db_path, timeout=30) as conn:
        conn.execute("UPDATE tokens SET expires_at = ? WHERE user_id = ?", [past, dora.id])
    eve = sign_in(server, "Ws Eve")
    with server.client(eve.token) as http:
        assert http.post("/api/v1/auth/logout").status_code == 204
    log_before = len(server.log_tail(10**9))
    yield World(server, ana, group["id"], stranger_group["id"], dora.token, eve.token)
    new_log = server.log_tail(10**9)[log_before:]
    assert "Traceback" not in new_log and "Exception in ASGI" not in new_log, new_log


async def _recv(ws: Any, timeout: float = 5) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def closed_with(url: str, *frames: str | bytes, text: bool | None = None) -> tuple[Any, str, list]:
    """Send ``frames``, read until the server closes: (close code, reason, frames received)."""
    seen: list[dict[str, Any]] = []
    async with websockets.connect(url, open_timeout=10) as ws:
        try:
            for frame in frames:
                await ws.send(frame, text=text)
            while True:
                seen.append(await _recv(ws, 15))
        except websockets.ConnectionClosed:
            pass
        return ws.close_code, ws.close_reason, seen


def auth(token: str) -> str:
    return json.dumps({"type": "auth", "token": token})


def test_the_token_comes_in_the_first_frame(world: World) -> None:
    server = world.server

    async def scenario() -> None:
        async with websockets.connect(server.ws_url, open_timeout=10) as ws:
            await ws.send(auth(world.ana.token))
            assert await _recv(ws) == {"type": "hello", "user_id": world.ana.id}
            await ws.send(json.dumps({"type": "resume", "since": {world.group: 1}}))  # after its creation
            frames = [await _recv(ws) for _ in range(2)]
            assert [f["type"] for f in frames] == ["message", "resumed"]
            assert frames[0]["message"]["text"] == "hi"

    asyncio.run(scenario())


def test_the_token_in_the_url_still_works_deprecated(world: World) -> None:
    async def scenario() -> None:
        async with websockets.connect(
            f"{world.server.ws_url}?token={world.ana.token}", open_timeout=10
        ) as ws:
            assert await _recv(ws) == {"type": "hello", "user_id": world.ana.id}

    asyncio.run(scenario())


def test_bad_tokens_and_first_frames_close_with_4401(world: World) -> None:
    url = world.server.ws_url

    async def scenario() -> None:
        for first, reason in [
            (auth("forged-token"), "invalid_token"),
            (auth(""), "unauthorized"),
            (auth(world.expired), "token_expired"),
            (auth(world.revoked), "invalid_token"),
            (auth("x" * 5000), "unauthorized"),
            ('{"type": "ping"}', "unauthorized"),
            (json.dumps({"type": "resume", "since": {}}), "unauthorized"),
            (json.dumps({"type": "auth", "token": world.ana.token, "extra": 1}), "unauthorized"),
            ('{"type": "auth", "token": 5}', "unauthorized"),
            ("not json", "unauthorized"),
            (b"\x00binary", "unauthorized"),
        ]:
            assert await closed_with(url, first) == (4401, reason, []), first
        for token, reason in [
            ("forged-token", "invalid_token"),
            ("", "unauthorized"),
            (world.expired, "token_expired"),
            (world.revoked, "invalid_token"),
        ]:
            assert await closed_with(f"{url}?token={token}") == (4401, reason, []), token

    asyncio.run(scenario())


def test_bad_frames_after_sign_in(world: World) -> None:
    url = world.server.ws_url

    async def scenario() -> None:
        for since in ['{"c_x": -1}', '{"c_x": "3"}', f'{{"c_x": {BIG}}}', '"all"', '{"c_x": true}', "[1]"]:
            code, _, seen = await closed_with(
                url, auth(world.ana.token), f'{{"type": "resume", "since": {since}}}'
            )
            assert code == 4400, since
            assert [f["type"] for f in seen] == ["hello"]

        # Garbage frames get an error frame each, and the connection stays usable.
        async with websockets.connect(url, open_timeout=10) as ws:
            await ws.send(auth(world.ana.token))
            assert (await _recv(ws))["type"] == "hello"
            for garbage in [
                "not json",
                "[1, 2]",
                "null",
                '{"type": 5}',
                b"\x00\x01binary",
                "[" * 5000,
                '{"type": "read", "conversation_id": 5, "seq": 1}',
                '{"type": "read", "conversation_id": "c_x", "seq": -1}',
                '{"type": "typing"}',
            ]:
                await ws.send(garbage)
                frame = await _recv(ws)
                assert frame["type"] == "error" and frame["error"]["code"] == "bad_frame", garbage
            # Someone else's conversation in 'since' yields nothing from it.
            await ws.send(json.dumps({"type": "resume", "since": {world.stranger_group: 0, world.group: 1}}))
            frames = [await _recv(ws) for _ in range(2)]
            assert [f["type"] for f in frames] == ["message", "resumed"]
            assert frames[0]["message"]["conversation_id"] == world.group
            await ws.send('{"type": "ping"}')
            assert await _recv(ws) == {"type": "pong"}

    asyncio.run(scenario())


# -- hostile JSON in every frame type --------------------------------------------------------

FRAME_TYPES = {
    "auth": {"type": "auth", "token": "t"},
    "resume": {"type": "resume", "since": {"c_x": 0, "c_y": 3}},
    "ping": {"type": "ping"},
    "unknown": {"type": "subscribe", "to": ["c_x", {"seq": 1}]},
}
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def hostile_frames(frame_type: str) -> st.SearchStrategy[str | bytes]:
    """The frame with a hostile part: a text frame where it is UTF-8, else a binary frame."""
    return st.one_of(embedded(FRAME_TYPES[frame_type]), invalid_utf8.map(Raw)).map(_as_sent)


def _as_sent(raw: Raw) -> str | bytes:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return bytes(raw)


@pytest.mark.parametrize("frame_type", sorted(FRAME_TYPES))
def test_hostile_first_frames_close_with_4401(world: World, frame_type: str) -> None:
    @HYPOTHESIS
    @given(frame=hostile_frames(frame_type))
    def attack(frame: str | bytes) -> None:
        assert asyncio.run(closed_with(world.server.ws_url, frame)) == (4401, "unauthorized", [])

    attack()


@pytest.mark.parametrize("frame_type", sorted(FRAME_TYPES))
def test_hostile_frames_after_sign_in_answer_bad_frame(world: World, frame_type: str) -> None:
    @HYPOTHESIS
    @given(frame=hostile_frames(frame_type))
    def attack(frame: str | bytes) -> None:
        asyncio.run(_answered_bad_frame(world, frame))

    attack()


def test_a_text_frame_that_is_not_utf8_is_refused_by_the_protocol(world: World) -> None:
    """The WebSocket layer closes with 1007 before the app reads such a frame, signed in or not."""

    async def scenario() -> None:
        bad = b'{"type": "ping", "x": "\xff"}'
        code, _, seen = await closed_with(world.server.ws_url, bad, text=True)
        assert (code, seen) == (1007, [])
        async with websockets.connect(world.server.ws_url, open_timeout=10) as ws:
            await ws.send(auth(world.ana.token))
            assert (await _recv(ws))["type"] == "hello"
            await ws.send(bad, text=True)
            with pytest.raises(websockets.ConnectionClosed):
                await _recv(ws)
            assert ws.close_code == 1007

    asyncio.run(scenario())


async def _answered_bad_frame(world: World, frame: str | bytes) -> None:
    async with websockets.connect(world.server.ws_url, open_timeout=10, max_size=2**22) as ws:
        await ws.send(auth(world.ana.token))
        assert (await _recv(ws))["type"] == "hello"
        await ws.send(frame)
        answer = await _recv(ws)
        assert answer["type"] == "error" and answer["error"]["code"] == "bad_frame", answer
        await ws.send('{"type": "ping"}')
        assert await _recv(ws) == {"type": "pong"}
