"""The bare baseline: a minimal Starlette app of the same shape as Souk, doing the same storage work.

``python -m bench.baseline_app --data DIR --port PORT`` serves, on 127.0.0.1 with
the same uvicorn options as Souk (uvloop, httptools, no access log):

- ``POST /api/v1/conversations/{id}/messages``: validates the same body as Souk
  (``client_id``, ``text``) with pydantic and inserts one row with sqlite-utils,
  one transaction per request, on a SQLite file in WAL mode with
  ``synchronous=FULL`` (Souk's durability), then answers ``201`` with the row.
  The insert runs on the event loop: with one transaction per request, that is
  the fastest shape (writers on a thread pool only queue for the same lock).
  Followers of the conversation get the message over WebSocket after the answer
  (a Starlette background task that sends to each socket in turn).
- ``POST /api/v1/apps/tickets/events/{event}/holds``: validates ``{"seats": [...]}`` with
  pydantic and claims each seat with one conditional insert (``INSERT ... ON CONFLICT DO
  NOTHING`` on a primary key of event and seat), all in one transaction: ``201`` with the
  booking, or ``409 seat_taken`` and nothing claimed; ``DELETE
  /api/v1/apps/tickets/bookings/{booking}`` lets a booking's seats go (scenario 5).
- ``GET /api/v1/ws?follow=ID,ID``: a WebSocket that follows those conversations.
- ``GET /api/v1/health``: the durability settings it runs with.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import secrets
import sqlite3
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlite_utils import Database
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


class NewMessage(BaseModel):
    """The same body Souk validates for a send."""

    model_config = ConfigDict(extra="forbid")
    client_id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=4000)


class Hold(BaseModel):
    """The body of a hold: the seats of a seat map, as the tickets mini-app takes it."""

    model_config = ConfigDict(extra="forbid")
    seats: list[str] = Field(min_length=1, max_length=20)


def open_database(path: Path, synchronous: str = "FULL") -> Database:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    db = Database(conn)
    if "messages" not in db.table_names():
        db["messages"].create(
            {
                "id": str,
                "conversation_id": str,
                "sender_id": str,
                "client_id": str,
                "text": str,
                "created_at": str,
            },
            pk="id",
        )
    db.execute(
        "CREATE TABLE IF NOT EXISTS claims "
        "(event TEXT, seat TEXT, booking TEXT NOT NULL, PRIMARY KEY (event, seat))"
    )
    return db


def claim(db: Database, event: str, seats: list[str], booking: str) -> bool:
    """Every seat or none, in one transaction: one conditional insert each."""
    db.conn.execute("BEGIN IMMEDIATE")
    for seat in seats:
        taken = db.conn.execute(
            "INSERT INTO claims (event, seat, booking) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [event, seat, booking],
        ).rowcount
        if not taken:
            db.conn.execute("ROLLBACK")
            return False
    db.conn.execute("COMMIT")
    return True


def new_id(prefix: str) -> str:
    raw = int(time.time() * 1000).to_bytes(6, "big") + secrets.token_bytes(10)
    return f"{prefix}_{base64.b32encode(raw).decode().lower().rstrip('=')}"


def create_app(data_dir: Path) -> Starlette:
    data_dir.mkdir(parents=True, exist_ok=True)
    db = open_database(data_dir / "baseline.db")
    followers: dict[str, set[WebSocket]] = defaultdict(set)

    async def health(request: Request) -> JSONResponse:
        conn = db.conn
        return JSONResponse(
            {
                "status": "ok",
                "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
                "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[
                    conn.execute("PRAGMA synchronous").fetchone()[0]
                ],
            }
        )

    async def broadcast(sockets: list[WebSocket], frame: str) -> None:
        for socket in sockets:
            try:
                await socket.send_text(frame)
            except Exception:  # a socket that went away
                followers_discard(socket)

    def followers_discard(socket: WebSocket) -> None:
        for sockets in followers.values():
            sockets.discard(socket)

    async def send(request: Request) -> JSONResponse:
        try:
            body = NewMessage.model_validate(json.loads(await request.body()))
        except (ValidationError, ValueError):
            return JSONResponse({"error": {"code": "invalid_request"}}, status_code=422)
        conversation_id = request.path_params["conversation_id"]
        row = {
            "id": new_id("m"),
            "conversation_id": conversation_id,
            "sender_id": "u_bench",
            "client_id": body.client_id,
            "text": body.text,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        }
        db["messages"].insert(row)  # autocommit: one transaction, fsynced at FULL
        sockets = followers.get(conversation_id)
        task = None
        if sockets:
            frame = json.dumps({"type": "message", "message": row}, separators=(",", ":"))
            task = BackgroundTask(broadcast, list(sockets), frame)
        return JSONResponse(row, status_code=201, background=task)

    async def hold(request: Request) -> JSONResponse:
        try:
            body = Hold.model_validate(json.loads(await request.body()))
        except (ValidationError, ValueError):
            return JSONResponse({"error": {"code": "invalid_request"}}, status_code=422)
        booking = new_id("B")
        if not claim(db, request.path_params["event"], body.seats, booking):
            return JSONResponse({"error": {"code": "seat_taken", "message": "seat taken"}}, status_code=409)
        return JSONResponse({"ref": booking, "seats": body.seats, "status": "held"}, status_code=201)

    async def release(request: Request) -> JSONResponse:
        db.conn.execute("DELETE FROM claims WHERE booking = ?", [request.path_params["booking"]])
        return JSONResponse({"ref": request.path_params["booking"], "status": "released"})

    async def websocket(socket: WebSocket) -> None:
        await socket.accept()
        follow = [c for c in socket.query_params.get("follow", "").split(",") if c]
        for conversation_id in follow:
            followers[conversation_id].add(socket)
        await socket.send_text(json.dumps({"type": "hello"}))
        try:
            while True:
                message = await socket.receive_text()
                if message == '{"type":"ping"}':
                    await socket.send_text('{"type":"pong"}')
        except WebSocketDisconnect:
            pass
        finally:
            for conversation_id in follow:
                followers[conversation_id].discard(socket)

    routes: list[Any] = [
        Route("/api/v1/health", health),
        Route("/api/v1/conversations/{conversation_id}/messages", send, methods=["POST"]),
        Route("/api/v1/apps/tickets/events/{event}/holds", hold, methods=["POST"]),
        Route("/api/v1/apps/tickets/bookings/{booking}", release, methods=["DELETE"]),
        WebSocketRoute("/api/v1/ws", websocket),
    ]
    return Starlette(routes=routes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    from bench.souk_server import raise_file_limit

    raise_file_limit()
    import uvicorn

    uvicorn.run(
        create_app(args.data),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        ws_max_size=256 * 1024,
    )


if __name__ == "__main__":
    main()
