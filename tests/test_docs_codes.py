"""Every status and error code the docs name is one the server can answer.

The docs name errors as ``403 consent_required`` in the text and as rows of
tables (``| 409 | `sold_out` | ... |``).  Each such pair must be in the code's
error table: the pairs the source itself declares, read from it (an error
class's ``status`` and ``code``, a raise that gives a class another ``code=``,
an ``ApiError(409, "code", ...)``, an ``error_response(500, "code", ...)``).
Every status the docs name on its own (`` `404` ``) must be in the OpenAPI
document of a server with every mini-app installed, or in that table.  A
doc that promises ``422`` where the server answers ``403`` fails here.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from http import HTTPStatus
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "core" / "souk", ROOT / "sdk" / "souk_sdk", *sorted((ROOT / "plugins").glob("*/souk_*"))]
DOCS = sorted((ROOT / "docs").glob("*.md"))
PLUGINS = sorted(ep.name for ep in entry_points(group="souk.plugins"))

STATUS = r"[1-5][0-9]{2}"
CODE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]{3,}"
IN_TEXT = re.compile(rf"`({STATUS})\s+({CODE})`")
TABLE_ROW = re.compile(rf"^\|\s*({STATUS})\s*\|(.*)$", re.MULTILINE)
ALONE = re.compile(rf"`({STATUS})`")


# -- the code's error table ------------------------------------------------------------------


def _constant(node: ast.AST | None) -> Any:
    return node.value if isinstance(node, ast.Constant) else None


def _class_fields(node: ast.ClassDef) -> dict[str, Any]:
    """``status`` and ``code`` as a class body assigns them (alone or as ``code, status = ...``)."""
    fields: dict[str, Any] = {}
    for statement in node.body:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            continue
        target, value = statement.targets[0], statement.value
        if isinstance(target, ast.Name):
            fields[target.id] = _constant(value)
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
            for name, item in zip(target.elts, value.elts, strict=False):
                if isinstance(name, ast.Name):
                    fields[name.id] = _constant(item)
    return {k: v for k, v in fields.items() if k in ("status", "code") and v is not None}


def _trees() -> Iterator[ast.Module]:
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            yield ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def error_table() -> dict[int, set[str]]:
    """Status -> the error codes the source can answer with it."""
    trees = list(_trees())
    classes: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = [n for n in (_name(b) for b in node.bases) if n]
                classes[node.name].append((bases, _class_fields(node)))

    def resolved(name: str, field: str, seen: frozenset[str] = frozenset()) -> set[Any]:
        """A field of every class of that name, inherited from its bases when it sets none."""
        found: set[Any] = set()
        for bases, fields in classes.get(name, []):
            if field in fields:
                found.add(fields[field])
            else:
                for base in bases:
                    if base not in seen:
                        found |= resolved(base, field, seen | {name})
        return found

    def api_error(name: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether the class takes its status and code as its first arguments, as ApiError does."""
        if name == "ApiError":
            return True
        return any(
            api_error(base, seen | {name})
            for bases, _ in classes.get(name, [])
            for base in bases
            if base not in seen
        )

    table: dict[int, set[str]] = defaultdict(set)
    for name in classes:
        for status in resolved(name, "status"):
            table[status] |= resolved(name, "code")
    # A helper that raises with the code it is handed: ``_within(row, ..., "edit_window_closed")``.
    passed_on: dict[str, list[tuple[int, str, set[Any]]]] = defaultdict(list)
    for tree in trees:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = [a.arg for a in function.args.args]
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _name(node.func) in classes:
                    for keyword in node.keywords:
                        value = keyword.value
                        if keyword.arg == "code" and isinstance(value, ast.Name) and value.id in params:
                            statuses = resolved(_name(node.func) or "", "status")
                            passed_on[function.name].append((params.index(value.id), value.id, statuses))
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):  # a table of statuses: ``{404: "not_found", 405: ...}``
                pairs = [(_constant(k), _constant(v)) for k, v in zip(node.keys, node.values, strict=True)]
                if pairs and all(
                    isinstance(k, int) and 400 <= k < 600 and isinstance(v, str) for k, v in pairs
                ):
                    for status, code in pairs:
                        table[status].add(code)
            if not isinstance(node, ast.Call):
                continue
            called = _name(node.func)
            literal = [_constant(a) for a in node.args[:2]]
            takes_status = called == "error_response" or (called is not None and api_error(called))
            if takes_status and len(literal) == 2 and isinstance(literal[0], int) and literal[1]:
                table[literal[0]].add(literal[1])
            code = next((_constant(k.value) for k in node.keywords if k.arg == "code"), None)
            if called in classes and isinstance(code, str):
                for status in resolved(called, "status"):
                    table[status].add(code)
            for index, param, statuses in passed_on.get(called or "", []):
                given = [_constant(a) for a in node.args] + [None]
                value = given[index] if index < len(node.args) else None
                value = next((_constant(k.value) for k in node.keywords if k.arg == param), value)
                if isinstance(value, str):
                    for status in statuses:
                        table[status].add(value)
    return table


# -- what the docs name -------------------------------------------------------------------------


def _without_asides(cell: str) -> str:
    """A table cell without its parenthesised remarks (where headers and fields are named)."""
    return re.sub(r"\([^)]*\)", "", cell)


def named_pairs() -> dict[tuple[int, str], set[str]]:
    """(status, code) -> the docs that name it."""
    pairs: dict[tuple[int, str], set[str]] = defaultdict(set)
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for status, code in IN_TEXT.findall(text):
            pairs[(int(status), code)].add(doc.name)
        for status, rest in TABLE_ROW.findall(text):
            codes_cell = _without_asides(rest.split("|")[0])
            for code in re.findall(rf"`({CODE})`", codes_cell):
                pairs[(int(status), code)].add(doc.name)
    return pairs


def named_statuses() -> dict[int, set[str]]:
    statuses: dict[int, set[str]] = defaultdict(set)
    for doc in DOCS:
        for status in ALONE.findall(doc.read_text(encoding="utf-8")):
            if int(status) in HTTPStatus._value2member_map_:
                statuses[int(status)].add(doc.name)
    for status, _code in named_pairs():
        statuses[status].add("(with a code)")
    return statuses


# -- the tests ----------------------------------------------------------------------------------


def test_the_docs_name_many_codes_and_the_source_declares_them() -> None:
    """The readers see something: both sides are large, so an empty match cannot pass."""
    table = error_table()
    assert len(named_pairs()) >= 60
    assert sum(len(codes) for codes in table.values()) >= 80
    assert "consent_required" in table[403] and "sold_out" in table[409] and "refused" in table[422]
    assert "internal_error" in table[500]


def test_every_status_and_code_pair_in_the_docs_is_one_the_code_answers() -> None:
    table = error_table()
    wrong = {
        f"{status} {code} ({', '.join(sorted(docs))}): the code answers it with "
        f"{sorted(s for s, codes in table.items() if code in codes) or 'no status at all'}"
        for (status, code), docs in named_pairs().items()
        if code not in table.get(status, set())
    }
    assert not wrong, "\n".join(sorted(wrong))


def test_every_status_the_docs_name_is_in_the_openapi_document_or_the_error_table(souk_world: Any) -> None:
    document = souk_world(PLUGINS).call("GET", "/api/v1/openapi.json")
    published = {
        int(s)
        for methods in document["paths"].values()
        for op in methods.values()
        for s in op.get("responses", {})
        if s.isdigit()
    }
    assert {200, 201, 204, 404, 422} <= published
    known = published | set(error_table())
    unknown = {
        f"{status} ({', '.join(sorted(docs))})"
        for status, docs in named_statuses().items()
        if status not in known
    }
    assert not unknown, "\n".join(sorted(unknown))
