"""The mutation targets name files, functions and tests that exist: a rename breaks this, not the run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from mutation.targets import TARGETS

ROOT = Path(__file__).resolve().parents[1]


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_each_target_names_what_exists(target) -> None:
    defined: set[str] = set()
    for source in target.sources:
        assert (ROOT / source).is_file(), source
        defined |= _functions(ROOT / source)
    assert set(target.functions) <= defined, set(target.functions) - defined
    for test in target.tests:
        path, _, name = test.partition("::")
        assert (ROOT / path).is_file(), path
        if name:
            assert name.split("[")[0] in _functions(ROOT / path), test
