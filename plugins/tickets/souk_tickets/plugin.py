"""The tickets mini-app, its table of contents (entry point ``souk.plugins: tickets``)."""

from __future__ import annotations

from typing import Any

from souk_sdk import Erasure, Manifest, MiniApp
from sqlite_utils import Database

app = MiniApp(
    Manifest(
        name="tickets",
        title="Tickets",
        version="1.0.0",
        description="Events near you: choose your seats, pay, and show your ticket at the door",
        countries=["*"],
        scopes=[],
        sdk=">=1.1,<2",
    )
)


@app.export
def export_user(db: Database, user_id: str) -> dict[str, Any]:
    return {}


@app.erase
def erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    return Erasure()
