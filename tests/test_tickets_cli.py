"""The tickets' operator commands, run as an operator runs them: the hold time per country, the key."""

from __future__ import annotations

import base64
from pathlib import Path

from e2e_support import run_cli


def test_the_hold_time_is_shown_set_per_country_and_checked(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    shown = run_cli("tickets", "hold-time", "in", "--data", data)
    assert (shown.returncode, shown.stdout) == (
        0,
        "IN: seats are held for 10 minutes while their buyer pays\n",
    )
    changed = run_cli("tickets", "hold-time", "IN", "15", "--data", data)
    assert changed.stdout == "IN: seats are held for 15 minutes while their buyer pays\n"
    assert run_cli("tickets", "hold-time", "BR", "--data", data).stdout.startswith(
        "BR: seats are held for 10 "
    )
    refused = [run_cli("tickets", "hold-time", "IN", minutes, "--data", data) for minutes in ("0", "121")]
    assert [r.returncode for r in refused] == [1, 1]
    assert all("a hold lasts 1 to 120 minutes" in r.stderr for r in refused)
    assert run_cli("tickets", "hold-time", "IN", "--data", data).stdout.startswith(
        "IN: seats are held for 15 "
    )


def test_the_public_key_is_the_same_each_time_and_32_bytes(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    first, again = (run_cli("tickets", "public-key", "--data", data) for _ in range(2))
    assert first.returncode == 0 and first.stdout == again.stdout
    head = first.stdout.splitlines()[0]
    key = head.rsplit(" ", 1)[1]
    assert head.startswith("Ed25519 key ") and len(base64.urlsafe_b64decode(key + "=")) == 32
    assert "-----BEGIN PUBLIC KEY-----" in first.stdout
