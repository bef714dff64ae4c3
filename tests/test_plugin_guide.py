"""The plugin author's guide works as written: its ``# file:`` blocks are a package whose tests pass.

Every fenced Python block of ``docs/plugin-guide.md`` that starts with a
``# file: PATH`` line is written to ``PATH`` in a fresh folder (packages get
an ``__init__.py``), and pytest runs the folder's ``tests/`` in a process of
its own, with the harness found through its entry point as an author's
project finds it.  Every test function the guide shows must run and pass.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "plugin-guide.md"
BLOCK = re.compile(r"^```python\n# file: (?P<path>\S+)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


def guide_files() -> dict[str, str]:
    files = {m["path"]: m["code"] for m in BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert files, "the guide has no # file: blocks"
    return files


def test_the_guide_shows_a_mini_app_and_its_tests() -> None:
    files = guide_files()
    assert {
        "souk_notes/plugin.py",
        "tests/test_notes.py",
        "souk_tips/plugin.py",
        "tests/test_tips.py",
    } <= set(files)


def test_the_guides_code_runs_and_its_tests_pass(tmp_path: Path) -> None:
    files = guide_files()
    for relative, code in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
        if path.parent.name != "tests":
            (path.parent / "__init__.py").touch()
    tests = sum(len(re.findall(r"^def test_", code, re.MULTILINE)) for code in files.values())
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"{tests} passed" in result.stdout, result.stdout[-2000:]
    assert tests >= 10
