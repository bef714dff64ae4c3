"""The server's signing key, kept in the tickets database (made by migration ``m002_signing_key``).

It belongs to the server, not to an organiser: every ticket of this server is
signed with it, and its public half is published so a door scanner can check
codes offline.  The private half never leaves the database (not in exports,
not in any answer).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlite_utils import Database

from .codes import public_key_from


def private_key(db: Database) -> Ed25519PrivateKey:
    row = db.execute("SELECT private_key FROM signing_key WHERE id = 1").fetchone()
    return Ed25519PrivateKey.from_private_bytes(row[0])


def public_key(db: Database) -> Ed25519PublicKey:
    row = db.execute("SELECT public_key FROM signing_key WHERE id = 1").fetchone()
    return public_key_from(row[0])


def published(db: Database) -> dict[str, str]:
    """The public key as the API publishes it: raw base64url, PEM, and a short id to compare."""
    key = public_key(db)
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "algorithm": "Ed25519",
        "key_id": hashlib.sha256(raw).hexdigest()[:16],
        "public_key": base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="),
        "pem": key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii"),
    }
