"""Sessions on a real server: "sign out everywhere else" ends the other sessions at once,
their tokens refused and their open WebSockets closed, while this one keeps working."""

from __future__ import annotations

import asyncio
import json

import websockets
from e2e_support import DEV_CODE, ServerProcess, User, next_phone, ws_connect

DEVICES = ("Mozilla/5.0 (Linux; Android 14) Chrome/131.0", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
SESSIONS = 5  # the five codes a number gets in an hour


def _sign_in_times(server: ServerProcess, phone: str, count: int) -> list[User]:
    signed = []
    for n in range(count):
        with server.client() as http:
            http.headers["user-agent"] = DEVICES[n % len(DEVICES)]
            assert http.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
            answer = http.post(
                "/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE, "display_name": "Sam"}
            )
            assert answer.status_code == 200, answer.text
            signed.append(User(answer.json()))
    return signed


async def _ended(ws: websockets.ClientConnection) -> tuple[list[str], int | None, str | None]:
    """The frames a socket receives until it is closed, and how it was closed."""
    frames = []
    try:
        while True:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
    except websockets.ConnectionClosed as closed:
        return frames, closed.rcvd.code if closed.rcvd else None, closed.rcvd.reason if closed.rcvd else None


def test_sign_out_everywhere_else_closes_the_other_sockets_and_refuses_their_tokens(
    server: ServerProcess,
) -> None:
    phone = next_phone()
    here, *others = _sign_in_times(server, phone, SESSIONS)
    with server.client(here.token) as http:
        listed = http.get("/api/v1/me/sessions").json()["sessions"]
    assert len(listed) == SESSIONS and [s["current"] for s in listed].count(True) == 1
    assert {s["device"] for s in listed} == {"Chrome on Android", "Firefox on Linux"}

    async def scenario() -> tuple[list, str, int]:
        sockets = [(await ws_connect(server, user, {}))[0] for user in (here, *others)]
        try:
            watching = [asyncio.create_task(_ended(ws)) for ws in sockets[1:]]
            with server.client(here.token) as http:
                ended = http.post("/api/v1/me/sessions/sign-out-others").json()["ended"]
            closes = await asyncio.gather(*watching)
            await sockets[0].send(json.dumps({"type": "ping"}))
            still = json.loads(await asyncio.wait_for(sockets[0].recv(), 10))["type"]
            return closes, still, ended
        finally:
            for ws in sockets:
                await ws.close()

    closes, still, ended = asyncio.run(scenario())
    assert ended == SESSIONS - 1
    assert closes.count((["session_ended"], 4401, "session_ended")) == SESSIONS - 1, closes
    assert still == "pong"

    refused = 0
    for user in others:
        with server.client(user.token) as http:
            answer = http.get("/api/v1/me")
            refused += (answer.status_code, answer.json()["error"]["code"]) == (401, "invalid_token")
    assert refused == SESSIONS - 1

    async def reconnect(user: User) -> tuple[int | None, str | None]:
        ws = await websockets.connect(server.ws_url)
        await ws.send(json.dumps({"type": "auth", "token": user.token}))
        return (await _ended(ws))[1:]

    assert [asyncio.run(reconnect(user)) for user in others] == [(4401, "invalid_token")] * (SESSIONS - 1)
    with server.client(here.token) as http:
        assert [s["id"] for s in http.get("/api/v1/me/sessions").json()["sessions"]] == [listed[0]["id"]]


def test_signing_out_one_session_ends_it_alone(server: ServerProcess) -> None:
    phone, stranger_phone = next_phone(), next_phone()
    here, other = _sign_in_times(server, phone, 2)
    [stranger] = _sign_in_times(server, stranger_phone, 1)
    with server.client(here.token) as http:
        other_id = next(
            s["id"] for s in http.get("/api/v1/me/sessions").json()["sessions"] if not s["current"]
        )
    with server.client(stranger.token) as http:  # another person's session is nobody's to them
        answer = http.delete(f"/api/v1/me/sessions/{other_id}")
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "session_not_found")

    async def scenario() -> tuple:
        ws, _ = await ws_connect(server, other, {})
        watching = asyncio.create_task(_ended(ws))
        with server.client(here.token) as http:
            assert http.delete(f"/api/v1/me/sessions/{other_id}").json() == {"ended": 1}
            again = http.delete(f"/api/v1/me/sessions/{other_id}")
        return await watching, again.status_code

    closed, again = asyncio.run(scenario())
    assert closed == (["session_ended"], 4401, "session_ended") and again == 404
    with server.client(other.token) as http:
        assert http.get("/api/v1/me").status_code == 401
    with server.client(here.token) as http:
        assert http.get("/api/v1/me").status_code == 200
