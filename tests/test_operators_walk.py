"""docs/operators.md's first walk through, run as it is written: the shell block under "A first
walk through" against a fresh server, with ``SOUK`` and ``SOUK_DATA`` pointing at it.

Each step must land in the audit log exactly once, and the CSV the block saves must hold the
same rows; the outputs the block shows in comments must be what the commands print.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import subprocess
from pathlib import Path

from e2e_support import CHILD_ENV, ServerProcess, serving

ROOT = Path(__file__).resolve().parents[1]
SECTION = re.compile(r"^## A first walk through\n(.*?)^## ", re.MULTILINE | re.DOTALL)


def _block() -> str:
    section = SECTION.search((ROOT / "docs" / "operators.md").read_text())
    assert section is not None, "docs/operators.md has no 'A first walk through' section"
    (block,) = re.findall(r"```sh\n(.*?)```", section.group(1), re.DOTALL)
    return block


def _shown_outputs(block: str) -> list[str]:
    """The outputs the block shows: a comment line right after a command, that looks like output."""
    return [line[2:] for line in block.splitlines() if line.startswith(("# {", '# ["', "# souk_"))]


def test_the_first_walk_through_runs_as_written_and_every_step_is_audited_once(tmp_path) -> None:
    block = _block()
    work = tmp_path / "walk"
    work.mkdir()
    with serving(ServerProcess(tmp_path / "data", mode="--dev-code")) as server:
        env = CHILD_ENV | {"SOUK": server.base_url, "SOUK_DATA": str(server.data_dir)}
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert ran.returncode == 0, ran.stderr[-3000:]
        printed = ran.stdout.splitlines()
        assert _shown_outputs(block) == [
            '{"changed":true}',
            '["tickets","BR",50]',
            'souk_miniapp_rollout_percent{app="tickets",country="BR"} 50.0',
            '{"changed":true}',
            '{"changed":true}',
            '{"changed":true}',
        ]
        at = 0  # each shown output, in order (curl ends its JSON without a newline)
        for shown in _shown_outputs(block):
            found = ran.stdout.find(shown, at)
            assert found >= 0, (shown, ran.stdout[at:])
            at = found + len(shown)
        rows = list(csv.DictReader((work / "audit.csv").read_text().splitlines()))
        assert [(r["actor"], r["action"]) for r in rows] == [
            ("operator:maria", "rollout"),
            ("operator:maria", "setting_change"),
            ("operator:maria", "suspend"),
            ("operator:maria", "resume"),
        ]
        assert (rows[0]["before"], rows[0]["after"]) == ('{"percent": 0}', '{"percent": 50}')
        assert (rows[1]["before"], rows[1]["after"]) == ('{"hold_minutes": 10}', '{"hold_minutes": 15}')
        assert rows[2]["detail"] == "checking a report"
        # The CLI's listing, newest first, shows the same four steps.
        listed = [line.split()[2] for line in printed if "  tickets  " in line and line[:2] == "20"]
        assert listed == ["resume", "suspend", "setting_change", "rollout"]
        with sqlite3.connect(server.db_path) as db:
            others = db.execute(
                "SELECT action, app FROM audit_log WHERE actor LIKE 'cli:%' ORDER BY id"
            ).fetchall()
        assert others == [("operator_add", None), ("metrics_token", None)]
