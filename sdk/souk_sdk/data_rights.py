"""User data rights: what a mini-app holds about a user, exported and erased on request.

Every mini-app implements two hooks (``souk_export_user`` and
``souk_erase_user``; the declarative :class:`souk_sdk.MiniApp` takes them as
``@app.export`` and ``@app.erase``).  The core runs them when a user asks for
their data or for its erasure, and gathers the answers with its own part in
one archive, or in one receipt.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Erasure(BaseModel):
    """What a mini-app did when it erased a user: the receipt's part of it.

    ``deleted`` and ``pseudonymised`` count rows by table; ``kept`` says, in a
    sentence each, what stays and why (a ledger entry the law requires, an
    order the business must keep), never the data itself.
    """

    model_config = ConfigDict(extra="forbid")

    deleted: dict[str, int] = Field(default_factory=dict)
    pseudonymised: dict[str, int] = Field(default_factory=dict)
    kept: list[str] = Field(default_factory=list)
    images: list[str] = Field(
        default_factory=list,
        description="Addresses of pictures this mini-app stored (store_image) that were the user's "
        "and that nothing else of the mini-app shows: the core deletes them once the erasure has "
        "committed, as ctx.delete_image does.",
    )
