"""Signing in and out, and the signed-in user's own profile."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from typing import Any

from ..__about__ import __version__
from ..foundation.errors import Invalid, Unavailable
from ..operators.demo import DEMO_USERS
from ..people import users
from ..people.devices import device_name
from ..people.phones import InvalidPhone, Phone, parse_phone
from ..runtime import Runtime
from . import routes_sessions
from . import schemas as s
from .endpoints import Call, EndpointSet

api = EndpointSet("auth")
log = logging.getLogger(__name__)


def phone_or_422(text: str) -> Phone:
    try:
        return parse_phone(text)
    except InvalidPhone as exc:
        raise Invalid(f"phone: {exc}", code="invalid_phone") from None


def me(user: dict[str, Any]) -> dict[str, Any]:
    return users.public(user) | {
        "phone": user["phone"],
        "country": user["country"],
        "locale": user["locale"],
        "time_zone": user["time_zone"],
        "is_operator": bool(user["is_operator"]),
    }


async def send_code(runtime: Runtime, phone: str, code: str) -> None:
    """Hand the code to the senders (off the loop: a gateway may be slow); 503 if none sent it."""
    hook = runtime.registry.pm.hook.souk_send_code
    try:
        sent = await asyncio.to_thread(lambda: hook(phone=phone, code=code))
        while inspect.isawaitable(sent):
            sent = await sent
    except Exception:
        log.exception("the code sender failed for %s", phone[:-4] + "****")
        sent = False
    if sent is not True:
        raise Unavailable("the sign-in code could not be sent; try again in a minute", code="code_not_sent")


@api.route("GET", "/api/v1/health", summary="Is the server up", response=s.Health, auth="none")
async def health(call: Call) -> dict[str, Any]:
    bus = call.runtime.hub.describe()
    return {
        "status": "ok",
        "version": __version__,
        "bus": bus["bus"],
        "live": bus["live"],
        "bus_outages": bus.get("outages", 0),
        "worker": os.getpid(),
    }


@api.route(
    "GET",
    "/api/v1/demo",
    summary="On a demo server, the people to sign in as and the code",
    response=s.DemoInfo,
    auth="none",
)
async def demo_info(call: Call) -> dict[str, Any]:
    """What the sign-in page shows; nothing on a server not started with ``--demo``."""
    settings = call.runtime.settings
    if not settings.demo or settings.dev_code is None:
        return {"demo": False, "code": None, "people": []}
    return {
        "demo": True,
        "code": settings.dev_code,
        "people": [
            {
                "name": p.name,
                "handle": p.handle,
                "phone": p.phone,
                "country": parse_phone(p.phone).country,
                "operator": p.operator,
            }
            for p in DEMO_USERS
        ],
    }


@api.route(
    "POST",
    "/api/v1/auth/code",
    summary="Send a sign-in code to a phone number",
    body=s.CodeRequest,
    response=s.CodeSent,
    status=202,
    auth="none",
    errors=(422, 429, 503),
)
async def request_code(call: Call) -> dict[str, Any]:
    phone = phone_or_422(call.body.phone)
    client = call.request.client.host if call.request.client else "unknown"
    code = await call.runtime.auth.request_code(phone, client)
    await send_code(call.runtime, phone.e164, code)
    return {"sent": True, "expires_in": int(call.runtime.settings.code_ttl.total_seconds())}


@api.route(
    "POST",
    "/api/v1/auth/verify",
    summary="Exchange the code for an API token",
    body=s.VerifyRequest,
    response=s.SignedIn,
    auth="none",
    errors=(401, 403, 422, 429),
)
async def verify(call: Call) -> dict[str, Any]:
    phone = phone_or_422(call.body.phone)
    name = users.clean_display_name(call.body.display_name) if call.body.display_name else None
    device = device_name(call.request.headers.get("user-agent"))
    signed = await call.runtime.auth.verify(phone, call.body.code, name, device)
    return {"token": signed.token, "user": me(signed.user), "created": signed.created}


@api.route("POST", "/api/v1/auth/logout", summary="Revoke the token of this request", status=204)
async def logout(call: Call) -> None:
    assert call.token is not None and call.session_id is not None
    await call.runtime.auth.revoke(call.token)
    call.runtime.end_sessions(call.me["id"], [call.session_id])


@api.route("GET", "/api/v1/me", summary="Your own profile", response=s.Me)
async def get_me(call: Call) -> dict[str, Any]:
    return me(call.me)


@api.route(
    "PATCH",
    "/api/v1/me",
    summary="Change your display name, handle, locale, time zone or photo",
    body=s.ProfileChange,
    response=s.Me,
    errors=(409, 422),
)
async def patch_me(call: Call) -> dict[str, Any]:
    changes = call.body.model_dump()
    user = await call.runtime.core.write(lambda db: users.update_profile(db, call.me["id"], changes))
    if any(changes[key] is not None for key in ("display_name", "handle", "photo")):
        call.runtime.announce_profile(user)  # what the others see of them changed
    return me(user)


# Sessions and devices are declared in a module of their own and served with these.
api.endpoints.extend(routes_sessions.api.endpoints)
