"""Ticket codes: what a ticket says (event, ticket, seat), signed with the server's Ed25519 key.

A code is the base64url text (no padding) of ``payload || signature``:

- ``payload``: a version byte (1), then three fields, each a length byte and
  UTF-8 text: the event's reference (``E-4F9KQ``), the ticket's
  (``T-8F3K2MQ9``) and the seat (``B12``; empty for general admission);
- ``signature``: 64 bytes, Ed25519 over ``DOMAIN || payload``.

A door scanner verifies a code with :func:`verify` and the public key alone
(``GET /api/v1/apps/tickets/public-key``): no database, no secret.  Only the
canonical encoding is accepted, so no two texts are the same ticket.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = 1
DOMAIN = b"souk-tickets/1\x00"
"""Signed before the payload, so a signature made for anything else never passes for a ticket."""
SIGNATURE = 64
MAX_CODE = 400


class BadCode(ValueError):
    """A code that is no ticket of this server: ``reason`` says why, for the person at the door."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TicketClaim:
    """What a code says: the event, the ticket, and the seat (``None`` for general admission)."""

    event: str
    ticket: str
    seat: str | None


def _field(text: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) > 255:
        raise ValueError("a field of a ticket code is at most 255 bytes")
    return bytes([len(raw)]) + raw


def encode_payload(claim: TicketClaim) -> bytes:
    return bytes([VERSION]) + _field(claim.event) + _field(claim.ticket) + _field(claim.seat or "")


def decode_payload(payload: bytes) -> TicketClaim:
    if not payload or payload[0] != VERSION:
        raise BadCode("this is not a ticket code of this version")
    fields: list[str] = []
    at = 1
    for _ in range(3):
        if at >= len(payload) or at + 1 + payload[at] > len(payload):
            raise BadCode("this code is cut short")
        size = payload[at]
        try:
            fields.append(payload[at + 1 : at + 1 + size].decode("utf-8"))
        except UnicodeDecodeError:
            raise BadCode("this code is not readable") from None
        at += 1 + size
    if at != len(payload) or not fields[0] or not fields[1]:
        raise BadCode("this code is not readable")
    return TicketClaim(fields[0], fields[1], fields[2] or None)


def _to_text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _from_text(code: str) -> bytes:
    text = code.strip()
    if not text or len(text) > MAX_CODE:
        raise BadCode("this is not a ticket code")
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise BadCode("this is not a ticket code") from None
    if _to_text(raw) != text:  # a changed padding bit decodes to the same bytes: not the code issued
        raise BadCode("this code was altered")
    return raw


def sign(claim: TicketClaim, key: Ed25519PrivateKey) -> str:
    payload = encode_payload(claim)
    return _to_text(payload + key.sign(DOMAIN + payload))


def public_key_from(raw: bytes | str) -> Ed25519PublicKey:
    """The key from its 32 raw bytes, or from their base64url text (as the API publishes it)."""
    if isinstance(raw, str):
        raw = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    return Ed25519PublicKey.from_public_bytes(raw)


def verify(code: str, key: Ed25519PublicKey | bytes | str) -> TicketClaim:
    """What the code says, if the key's owner signed it; :class:`BadCode` otherwise."""
    public = key if isinstance(key, Ed25519PublicKey) else public_key_from(key)
    raw = _from_text(code)
    if len(raw) <= SIGNATURE:
        raise BadCode("this code is cut short")
    payload, signature = raw[:-SIGNATURE], raw[-SIGNATURE:]
    try:
        public.verify(signature, DOMAIN + payload)
    except InvalidSignature:
        raise BadCode("this ticket is forged or altered: its signature does not match") from None
    return decode_payload(payload)
