"""No token ever reaches the server's log: a whole end-to-end run, then every line is scanned.

One ``souk serve`` at ``--log-level debug`` (the most it ever writes, uvicorn's
access and connection lines included) is driven the way clients use it:
sign-ins, HTTP calls with the token in the header, WebSockets that sign in
with their first frame, the deprecated ``?token=`` form, wrong and revoked
tokens, a logout.  After a clean stop, the log is searched for every token
issued, whole and in any 12-character piece: none may appear.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import websockets
from e2e_support import ServerProcess, User, create_group, serving, sign_in, ws_connect

PIECE = 12  # 72 random bits: a piece this long of a token is the token's, not a coincidence


def _pieces(token: str) -> set[str]:
    return {token[i : i + PIECE] for i in range(len(token) - PIECE + 1)}


def _drive(server: ServerProcess, people: list[User]) -> None:
    """Everything a client does with a token, over HTTP and WebSocket."""
    ana, bia, *others = people
    group = create_group(server, ana, [bia, *others], title="log check")
    with server.client(ana.token) as http:
        assert http.get("/api/v1/me").status_code == 200
        for n, text in enumerate(["hello", "/help", "/nope"]):
            sent = http.post(
                f"/api/v1/conversations/{group['id']}/messages", json={"client_id": f"l{n}", "text": text}
            )
            assert sent.status_code == 201, sent.text
        assert http.get(f"/api/v1/conversations/{group['id']}/messages").status_code == 200
        assert http.post(f"/api/v1/conversations/{group['id']}/read", json={"seq": 1}).status_code == 204
        assert http.get("/api/v1/nothing-here").status_code == 404
    with server.client() as http:  # the token as a query parameter of an HTTP call: refused, and not logged
        assert http.get(f"/api/v1/me?token={bia.token}").status_code == 401

    async def sockets() -> None:
        for person in people:
            ws, _ = await ws_connect(server, person, {group["id"]: 0})
            await ws.send('{"type": "ping"}')
            await ws.close()
        # The deprecated form.
        async with websockets.connect(f"{server.ws_url}?token={bia.token}", open_timeout=10) as ws:
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "hello"

    async def revoked_socket() -> None:
        async with websockets.connect(server.ws_url, open_timeout=10) as ws:
            await ws.send(json.dumps({"type": "auth", "token": others[-1].token}))
            await asyncio.wait_for(ws.wait_closed(), 10)
            assert ws.close_code == 4401

    asyncio.run(sockets())
    with server.client(others[-1].token) as http:
        assert http.post("/api/v1/auth/logout").status_code == 204
        assert http.get("/api/v1/me").status_code == 401
    asyncio.run(revoked_socket())


def test_no_token_issued_appears_in_the_server_log(tmp_path: Path) -> None:
    with serving(ServerProcess(tmp_path / "data", log_level="debug")) as server:
        people = [sign_in(server, f"Logged {n}") for n in range(6)]
        people.append(sign_in(server, "Logged again", phone=people[0].phone))  # a second token of ana's
        _drive(server, people)
        server.stop()  # a clean stop: every buffered line is written
    log = server.log_tail(10**9)
    lines = log.splitlines()
    tokens = [p.token for p in people]

    leaks = {t[:6] + "...": sum(piece in log for piece in _pieces(t)) for t in tokens}
    assert set(leaks.values()) == {0}, f"tokens in the server log: {leaks}"
    # The run went through every place a token could be logged, and the log shows it.
    assert sum('"GET /api/v1/me' in line for line in lines) >= 2, log[-3000:]
    assert sum('"WebSocket /api/v1/ws"' in line for line in lines) >= len(people), log[-3000:]
    assert sum("WebSocket /api/v1/ws?token=[redacted]" in line for line in lines) == 1, log[-3000:]
    assert sum("/api/v1/me?token=[redacted]" in line for line in lines) == 1, log[-3000:]
    assert len(tokens) == 7 and len(lines) >= 80, len(lines)
    print(f"scanned {len(lines)} log lines for {len(tokens)} tokens: none found")
