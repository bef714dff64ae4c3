"""Fixtures of the payments tests that work on the ledger's database directly."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from souk_payments.schema import migrations
from sqlite_utils import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh payments database with every migration applied, outside any core."""
    database = Database(sqlite3.connect(tmp_path / "ledger.db", isolation_level=None))
    migrations.apply(database)
    yield database
    database.close()
