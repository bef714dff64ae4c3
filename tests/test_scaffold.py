"""``souk new-plugin`` writes a package whose own tests pass in a fresh environment.

The package is installed the way an author would: a new virtual environment with
the SDK, the core (its test dependency) and the package itself, then its tests
run with that environment's Python.  It needs ``uv`` and the package registry
(or a warm uv cache).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.fail("this test needs uv on PATH (https://docs.astral.sh/uv/)")
    return found


def _run(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_new_plugin_package_passes_its_own_tests(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    _run(
        [
            sys.executable,
            "-c",
            "from souk.cli import main; main()",
            "new-plugin",
            "hello",
            "--dir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=os.environ.copy(),
    )
    package = tmp_path / "souk-hello"
    assert (package / "pyproject.toml").is_file()
    assert (package / "souk_hello" / "plugin.py").is_file()
    assert sorted(p.name for p in (package / "tests").glob("test_*.py")) == ["test_hello.py"]

    uv = _uv()
    venv = tmp_path / "venv"
    _run([uv, "venv", "--python", sys.executable, str(venv)], cwd=tmp_path, env=env)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run(
        [
            uv,
            "pip",
            "install",
            "-p",
            str(python),
            "-e",
            str(ROOT / "sdk"),
            "-e",
            str(ROOT / "core"),
            "-e",
            str(package),
            "pytest",
        ],
        cwd=tmp_path,
        env=env,
        timeout=600,
    )

    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = tests.stdout + tests.stderr
    assert tests.returncode == 0, output
    assert "3 passed" in output, output


def test_the_next_steps_are_the_readmes_inside_the_workspace_and_their_own_outside(tmp_path: Path) -> None:
    from souk.miniapps import scaffold

    inside = scaffold.next_steps(ROOT / "plugins" / "souk-hello")
    assert inside == f"Next: uv sync --all-packages && uv run pytest {ROOT / 'plugins' / 'souk-hello'}"
    readme = (ROOT / "README.md").read_text()
    assert "uv sync --all-packages\nuv run pytest plugins/souk-hello" in readme  # the tour says the same
    elsewhere = scaffold.next_steps(tmp_path / "souk-hello")
    assert elsewhere == f"Next: cd {tmp_path / 'souk-hello'} && uv sync && uv run pytest"
