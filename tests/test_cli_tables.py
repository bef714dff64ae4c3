"""What the operator's commands print: tables whose columns stay aligned, with a header row, and
a demo restart that says it found its world instead of building it again."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from souk import cli
from souk.foundation.settings import DEV_CODE, Settings
from souk.runtime import Runtime

REASON = "refund storm in BR: every checkout since 09:00 failed (ticket OPS-1234)"


def _cli(*args: str) -> list[str]:
    result = CliRunner().invoke(cli.main, list(args))
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_plugins_list_keeps_its_columns_with_a_suspension_reason(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _cli("plugins", "enable", "shop", "--country", "BR", "--data", data)
    _cli("plugins", "suspend", "shop", "--reason", REASON, "--data", data)
    header, *rows = _cli("plugins", "list", "--data", data)
    assert header.split() == ["NAME", "VERSION", "STATE", "ENABLED", "IN", "ALLOWED"]
    enabled_at, allowed_at = header.index("ENABLED IN"), header.index("ALLOWED")
    shop = next(row for row in rows if row.startswith("shop "))
    assert f"killed ({REASON})" in shop  # suspend is the kill switch
    aligned = [row for row in rows if row[enabled_at - 1] == " " and row[allowed_at - 1] == " "]
    assert len(aligned) == len(rows) >= 4  # every row, the suspended one too
    assert shop[enabled_at:].split()[0] == "BR"


def test_audit_has_a_header_row(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert _cli("audit", "--data", data) == ["The audit log has no entries yet."]
    _cli("plugins", "enable", "shop", "--country", "BR", "--data", data)
    _cli("plugins", "suspend", "shop", "--reason", REASON, "--data", data)
    header, *rows = _cli("audit", "--data", data)
    assert header.split() == ["AT", "ACTOR", "ACTION", "APP", "COUNTRY", "DETAIL"]
    assert len(rows) == 2
    app_at = header.index("APP")
    assert [row[app_at:].split()[0] for row in rows] == ["shop", "shop"]
    assert REASON in rows[0]


def test_a_demo_restart_finds_its_world_without_building_it_again(tmp_path: Path, capsys) -> None:
    outputs = []
    for _ in range(2):
        runtime = Runtime.open(Settings(tmp_path / "data", dev_code=DEV_CODE, demo=True), plugins=[])
        try:
            cli._demo_world(runtime)
        finally:
            runtime.close()
        outputs.append(capsys.readouterr().out)
    assert "Building the demo world" in outputs[0] and outputs[0].rstrip().endswith("Demo world ready.")
    assert outputs[1] == "Using the demo world already built in this data folder.\n"


def test_a_country_disabled_before_a_suspension_stays_disabled_after_resume(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    for country in ("BR", "IN"):
        _cli("plugins", "enable", "shop", "--country", country, "--data", data)
    _cli("plugins", "disable", "shop", "--country", "IN", "--data", data)
    _cli("plugins", "suspend", "shop", "--reason", "checking", "--data", data)
    _cli("plugins", "resume", "shop", "--data", data)
    header, *rows = _cli("plugins", "list", "--data", data)
    shop = next(row for row in rows if row.startswith("shop "))
    state_at, enabled_at = header.index("STATE"), header.index("ENABLED IN")
    assert (shop[state_at:].split()[0], shop[enabled_at:].split()[0]) == ("running", "BR")
