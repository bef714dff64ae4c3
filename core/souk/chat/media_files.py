"""Files named by their content: ``DATA/media/ab/abcdef...`` (the SHA-256 of the bytes).

Two uploads of the same bytes are one file.  A file is written to ``tmp/`` first
(``stage``) and moved into place (``keep``) inside the transaction that records it,
so a file in place is one the database knows, or one whose transaction failed just
after (harmless: nothing points at it).  ``remove`` is called after the commit that
dropped the last reference.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Staged:
    digest: str
    size: int
    temp: Path


class MediaFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def stage(self, data: bytes) -> Staged:
        """Write ``data`` to a temporary file, flushed to the disk; its digest names it later."""
        temp = self._tmp / secrets.token_hex(16)
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return Staged(hashlib.sha256(data).hexdigest(), len(data), temp)

    def keep(self, staged: Staged) -> None:
        """Move a staged file into place (or drop it when the same bytes are there already)."""
        final = self.path(staged.digest)
        if final.exists():
            self.discard(staged)
            return
        final.parent.mkdir(exist_ok=True)
        os.replace(staged.temp, final)

    @staticmethod
    def discard(staged: Staged) -> None:
        with contextlib.suppress(FileNotFoundError):
            staged.temp.unlink()

    def remove(self, digests: list[str]) -> None:
        for digest in digests:
            with contextlib.suppress(FileNotFoundError):
                self.path(digest).unlink()
