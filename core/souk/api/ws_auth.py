"""Who is at the other end of a WebSocket: the token comes in the first frame, not in the URL.

A URL is written to access logs (the server's, a proxy's, a browser's history),
so a token in it leaks.  The client connects to ``/api/v1/ws`` and says
``{"type": "auth", "token": "..."}`` first; the server answers ``hello`` once
the token is good.  ``/api/v1/ws?token=...`` still works, deprecated: the
server redacts it from its own log lines (``souk.foundation.server_logs``),
but cannot do so for a proxy in front of it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..foundation.errors import CoreError, Unauthorized
from ..people.auth import Session
from ..runtime import Runtime
from .json_input import BadJson, parse

log = logging.getLogger(__name__)

AUTH_WAIT = 10.0
"""Seconds a new socket has to send its ``auth`` frame."""
CLOSE_UNAUTHORIZED = 4401


class AuthFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["auth"]
    token: str = Field(max_length=200)


async def authenticate(websocket: WebSocket, runtime: Runtime) -> Session | None:
    """Accept the socket and return its session; ``None`` after closing it with 4401 and the error code.

    The socket is accepted first: a close before accepting would answer the handshake
    with a bare 403, and the client would learn neither code nor reason.
    """
    await websocket.accept()
    try:
        if "token" in websocket.query_params:
            log.info("a client sent its token in the WebSocket URL (deprecated: send an auth frame)")
            token = websocket.query_params["token"]
        else:
            token = await _first_frame_token(websocket)
        session = runtime.auth.session(token)
        if session.renewal_due:  # a connection is a use, as a request is
            await runtime.auth.renew(session.id)
        return session
    except CoreError as exc:
        await websocket.close(code=CLOSE_UNAUTHORIZED, reason=exc.code)
        return None


async def _first_frame_token(websocket: WebSocket) -> str:
    try:
        message = await asyncio.wait_for(websocket.receive(), AUTH_WAIT)
    except TimeoutError:
        raise Unauthorized("say who you are first", code="unauthorized") from None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    try:
        return AuthFrame.model_validate(parse(message.get("text") or "")).token
    except (BadJson, ValidationError):
        raise Unauthorized(
            'the first frame must be {"type": "auth", "token": "..."}', code="unauthorized"
        ) from None
