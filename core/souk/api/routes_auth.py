"""Signing in and out, and the signed-in user's own profile."""

from __future__ import annotations

import asyncio
from typing import Any

from .. import users
from ..__about__ import __version__
from ..errors import Invalid
from ..phones import InvalidPhone, Phone, parse_phone
from . import schemas as s
from .endpoints import Call, EndpointSet

api = EndpointSet("auth")


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
        "is_operator": bool(user["is_operator"]),
    }


@api.route("GET", "/api/v1/health", summary="Is the server up", response=s.Health, auth="none")
async def health(call: Call) -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@api.route(
    "POST",
    "/api/v1/auth/code",
    summary="Send a sign-in code to a phone number",
    body=s.CodeRequest,
    response=s.CodeSent,
    status=202,
    auth="none",
    errors=(422, 429),
)
async def request_code(call: Call) -> dict[str, Any]:
    phone = phone_or_422(call.body.phone)
    client = call.request.client.host if call.request.client else "unknown"
    code = await call.runtime.auth.request_code(phone, client)
    hook = call.runtime.registry.pm.hook.souk_send_code
    await asyncio.to_thread(lambda: hook(phone=phone.e164, code=code))
    return {"sent": True, "expires_in": int(call.runtime.settings.code_ttl.total_seconds())}


@api.route(
    "POST",
    "/api/v1/auth/verify",
    summary="Exchange the code for an API token",
    body=s.VerifyRequest,
    response=s.SignedIn,
    auth="none",
    errors=(401, 422, 429),
)
async def verify(call: Call) -> dict[str, Any]:
    phone = phone_or_422(call.body.phone)
    name = users.clean_display_name(call.body.display_name) if call.body.display_name else None
    signed = await call.runtime.auth.verify(phone, call.body.code, name)
    return {"token": signed.token, "user": me(signed.user), "created": signed.created}


@api.route("POST", "/api/v1/auth/logout", summary="Revoke the token of this request", status=204)
async def logout(call: Call) -> None:
    assert call.token is not None
    await call.runtime.auth.revoke(call.token)


@api.route("GET", "/api/v1/me", summary="Your own profile", response=s.Me)
async def get_me(call: Call) -> dict[str, Any]:
    return me(call.me)


@api.route(
    "PATCH",
    "/api/v1/me",
    summary="Change your display name, handle or locale",
    body=s.ProfileChange,
    response=s.Me,
    errors=(409, 422),
)
async def patch_me(call: Call) -> dict[str, Any]:
    changes = call.body.model_dump()
    user = await call.runtime.core.write(lambda db: users.update_profile(db, call.me["id"], changes))
    return me(user)
