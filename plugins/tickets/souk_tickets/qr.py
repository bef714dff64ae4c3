"""A ticket's QR code, as a PNG a door scanner reads: the code itself, nothing else."""

from __future__ import annotations

import io

import segno


def png(code: str, scale: int = 6) -> bytes:
    """The code as a QR symbol (error correction M, byte mode), ``scale`` pixels per module."""
    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
