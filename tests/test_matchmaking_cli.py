"""Matchmaking's operator commands, run as an operator runs them: the daily like limit, members' reports."""

from __future__ import annotations

from e2e_support import run_cli


def test_the_like_limit_is_shown_set_per_country_and_checked(tmp_path) -> None:
    data = str(tmp_path / "data")
    assert (
        run_cli("matchmaking", "like-limit", "br", "--data", data).stdout == "BR: 50 likes a day per member\n"
    )
    assert (
        run_cli("matchmaking", "like-limit", "BR", "20", "--data", data).stdout
        == "BR: 20 likes a day per member\n"
    )
    assert (
        run_cli("matchmaking", "like-limit", "IN", "--data", data).stdout == "IN: 50 likes a day per member\n"
    )
    refused = [run_cli("matchmaking", "like-limit", "BR", n, "--data", data) for n in ("0", "1001")]
    assert [r.returncode for r in refused] == [1, 1]
    assert all("a daily like limit is from 1 to 1000" in r.stderr for r in refused)
    assert (
        run_cli("matchmaking", "like-limit", "BR", "--data", data).stdout == "BR: 20 likes a day per member\n"
    )
