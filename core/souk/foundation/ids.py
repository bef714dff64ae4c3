"""Identifiers: random ones for rows and tokens, derived ones for what a mini-app sees."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time


def new_id(prefix: str) -> str:
    """A time-ordered random id such as ``m_01hx...``: sortable, unguessable."""
    millis = int(time.time() * 1000).to_bytes(6, "big")
    raw = millis + secrets.token_bytes(10)
    return f"{prefix}_{base64.b32encode(raw).decode().lower().rstrip('=')}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens and codes are stored only as hashes."""
    return hashlib.sha256(token.encode()).hexdigest()


def app_user_id(secret: bytes, app: str, user_id: str) -> str:
    """The pseudonymous id one mini-app sees for one user: stable, unlinkable across apps."""
    digest = hmac.new(secret, f"{app}\0{user_id}".encode(), hashlib.sha256).digest()
    return "u_" + base64.b32encode(digest[:15]).decode().lower()
