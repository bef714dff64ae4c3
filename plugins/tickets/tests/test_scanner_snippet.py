"""The door scanner of docs/tickets.md, run as written: it agrees with the mini-app's own verifier."""

from __future__ import annotations

import base64
import random
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from souk_tickets import codes

DOC = Path(__file__).resolve().parents[3] / "docs" / "tickets.md"


def scanner():
    found = re.search(r"```python\n(# a door scanner.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert found, "docs/tickets.md has no door scanner snippet"
    space: dict = {}
    exec(compile(found.group(1), str(DOC), "exec"), space)
    return space["read_ticket"]


def test_the_documented_scanner_reads_what_the_server_signs_and_nothing_else() -> None:
    read_ticket = scanner()
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    public = base64.urlsafe_b64encode(raw).decode().rstrip("=")  # as GET /public-key gives it
    rng = random.Random(5)
    agreed = genuine = 0
    for i in range(300):
        claim = codes.TicketClaim(f"E-{i:05d}", f"T-{rng.randrange(10**8):08d}", rng.choice(["D5", None]))
        code = codes.sign(claim, key if i % 3 else other)
        if i % 5 == 0:
            at = rng.randrange(len(code))
            code = code[:at] + ("A" if code[at] != "A" else "B") + code[at + 1 :]
        try:
            expected = vars(codes.verify(code, public))
        except codes.BadCode:
            expected = None
        agreed += read_ticket(code, public) == expected
        genuine += expected is not None
    assert agreed == 300
    assert 150 <= genuine <= 170
