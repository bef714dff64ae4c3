"""The rules that keep the tree easy to change, checked rather than remembered.

- the dependency rule (plugins -> souk_sdk <- souk) holds: import-linter's contracts
  in the root ``pyproject.toml`` are all kept;
- every hook of ``souk_sdk.hookspecs`` is documented in ``docs/plugin-guide.md``
  under a ``### souk_xxx`` heading and named by at least one test;
- no module of ``core/``, ``sdk/`` or ``plugins/`` grows past 600 lines.
"""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from souk_sdk import hookspecs

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 600
TEST_DIRS = [ROOT / "core" / "tests", ROOT / "sdk" / "tests", ROOT / "tests"]
SKIP_DIRS = {".venv", "__pycache__", "build", "dist", ".git", "node_modules"}

HOOKS = sorted(
    name
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("souk_") and hasattr(function, f"{hookspecs.PROJECT}_spec")
)


def _python_files(*folders: Path) -> list[Path]:
    return sorted(
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*.py")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def _lint_imports() -> str:
    beside_python = Path(sys.executable).parent / "lint-imports"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is not installed: it comes with the dev group (uv sync)")
    return found


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [_lint_imports(), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout, result.stdout


def test_hooks_are_found() -> None:
    assert "souk_manifest" in HOOKS and len(HOOKS) >= 5, HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_in_the_plugin_guide(hook: str) -> None:
    guide = ROOT / "docs" / "plugin-guide.md"
    assert guide.is_file(), "docs/plugin-guide.md is missing"
    headings = re.findall(r"^###\s+`?(souk_\w+)", guide.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert hook in headings, f"docs/plugin-guide.md has no '### {hook}' section"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_named_by_a_test(hook: str) -> None:
    this = Path(__file__).resolve()
    naming = [
        path
        for path in _python_files(*TEST_DIRS)
        if path.resolve() != this and re.search(rf"\b{hook}\b", path.read_text(encoding="utf-8"))
    ]
    assert naming, f"no test in core/tests, sdk/tests or tests mentions {hook}"


def test_no_module_is_too_long() -> None:
    modules = _python_files(ROOT / "core", ROOT / "sdk", ROOT / "plugins")
    assert modules
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in modules
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these modules (at most {MAX_MODULE_LINES} lines each): {too_long}"


def test_every_mini_app_of_this_repository_exports_and_erases_what_it_holds() -> None:
    """The user's data rights are part of the contract: souk_export_user and souk_erase_user."""
    from souk.miniapps.registry import load

    registry = load()
    apps = [app for app in registry.apps.values() if not app.builtin]
    assert {app.name for app in apps} >= {"payments", "shop"}
    lacking = {
        app.name: [h for h in ("souk_export_user", "souk_erase_user") if not registry.implements(h, app)]
        for app in apps
    }
    assert {name: hooks for name, hooks in lacking.items() if hooks} == {}
