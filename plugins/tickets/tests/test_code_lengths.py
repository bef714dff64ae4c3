"""A code no longer than its signature is cut short, whatever its bytes: nothing is left to sign."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from souk_tickets import codes


@pytest.mark.parametrize("length", [1, codes.SIGNATURE - 1, codes.SIGNATURE])
def test_a_code_of_at_most_the_signature_s_length_is_cut_short(length: int) -> None:
    key = Ed25519PrivateKey.generate()
    code = base64.urlsafe_b64encode(key.sign(codes.DOMAIN)[:length]).decode("ascii").rstrip("=")
    with pytest.raises(codes.BadCode) as refused:
        codes.verify(code, key.public_key())
    assert refused.value.reason == "this code is cut short"
