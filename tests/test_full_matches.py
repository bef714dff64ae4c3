"""Every pattern that validates input matches the whole input, never a prefix.

With Python's ``re``, ``^[a-z]+$`` used through ``.match`` accepts ``"asha\\n"``:
``$`` matches before a trailing newline.  Two checks keep the whole class out:

- the source of ``core/``, ``sdk/`` and ``plugins/`` is read (with ``ast``): a
  compiled pattern is used through ``fullmatch``, never ``match`` (nor an
  anchored ``search``); a pydantic ``pattern=`` (or a published
  ``json_schema_extra`` pattern, which JSON Schema reads as a search) is
  anchored with ``^`` and ``$`` and runs on pydantic's default engine, where
  ``$`` is the end of the text; every pattern of the OpenAPI document is anchored;
- each validator people's input reaches is given a valid value and the same
  value with a trailing newline: the first is accepted, the second refused.
  (Amounts and catalogue rows are stripped of surrounding spaces on purpose,
  before their full match: the scan covers them.)
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from souk.api import schemas
from souk.foundation.errors import CoreError
from souk.people import phones, users
from souk_sdk import Manifest, SoukError, api_route, command, ui
from souk_sdk.payments import PaymentRequest
from souk_sdk.subscriptions import check_event_type

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"core": ROOT / "core" / "souk", "sdk": ROOT / "sdk" / "souk_sdk"} | {
    p.parent.name: p for p in sorted((ROOT / "plugins").glob("*/souk_*"))
}
MODULES = sorted(
    path for folder in SOURCES.values() for path in folder.rglob("*.py") if "__pycache__" not in path.parts
)
KNOWN_PREFIX_MATCHES: dict[str, str] = {}
"""Modules known to match a pattern at the start only, with the reason: none today."""


def _module_name(path: Path) -> str:
    relative = path.relative_to(next(f.parent for f in SOURCES.values() if f in path.parents))
    return ".".join(relative.with_suffix("").parts)


def _anchored(pattern: str) -> bool:
    return pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")


class PatternUse(ast.NodeVisitor):
    """Collects the ways one module validates with patterns, and what is wrong with each."""

    def __init__(self, module: Any, tree: ast.Module) -> None:
        self.module = module
        self.problems: list[str] = []
        self.compiled: dict[str, str | None] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and self._is_compile(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.compiled[target.id] = self._text(node.value.args[0])  # type: ignore[attr-defined]

    @staticmethod
    def _is_compile(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "compile"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
        )

    def _text(self, node: ast.AST) -> str | None:
        """A pattern's text: a literal, a module constant, or an f-string's fixed ends."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and isinstance(getattr(self.module, node.id, None), str):
            return getattr(self.module, node.id)
        if isinstance(node, ast.JoinedStr):
            ends = [
                v.value if isinstance(v, ast.Constant) else "\0" for v in (node.values[0], node.values[-1])
            ]
            return ends[0] + "\0" + ends[1]
        return None

    def visit_Call(self, node: ast.Call) -> None:
        where = f"line {node.lineno}"
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner, method = func.value.id, func.attr
            if owner == "re" and method == "match":
                self.problems.append(f"{where}: re.match accepts a prefix; use re.fullmatch")
            if owner in self.compiled and method == "match":
                self.problems.append(f"{where}: {owner}.match accepts a prefix; use {owner}.fullmatch")
            source = self.compiled.get(owner) or ""
            if owner in self.compiled and method == "search" and (source.startswith("^") or "$" in source):
                self.problems.append(f"{where}: an anchored {owner}.search; use {owner}.fullmatch")
        for keyword in node.keywords:
            if keyword.arg == "pattern":
                self._check_published(keyword.value, where)
            if keyword.arg == "json_schema_extra" and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "pattern":
                        self._check_published(value, where)
            if keyword.arg == "regex_engine":
                self.problems.append(f"{where}: regex_engine: Python's engine lets $ match before a newline")
        self.generic_visit(node)

    def _check_published(self, node: ast.AST, where: str) -> None:
        text = self._text(node)
        if text is None:
            self.problems.append(f"{where}: a pattern this test cannot read; use a literal or a constant")
        elif not _anchored(text):
            self.problems.append(f"{where}: pattern {text!r} is a search; anchor it with ^ and $")


def _problems(path: Path) -> list[str]:
    module = importlib.import_module(_module_name(path))
    visitor = PatternUse(module, ast.parse(path.read_text(encoding="utf-8")))
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.problems


def _param(path: Path) -> Any:
    name = str(path.relative_to(ROOT))
    marks = (
        [pytest.mark.xfail(strict=True, reason=KNOWN_PREFIX_MATCHES[name])]
        if name in KNOWN_PREFIX_MATCHES
        else []
    )
    return pytest.param(path, id=name, marks=marks)


def test_the_scan_reads_every_package() -> None:
    assert set(SOURCES) >= {"core", "sdk", "payments", "shop"}
    assert len(MODULES) >= 60, len(MODULES)


def test_the_scan_finds_a_prefix_match() -> None:
    """The checker itself: a module with each mistake is caught."""
    tree = ast.parse(
        "import re\nA = re.compile(r'^[a-z]+$')\nA.match(x)\nA.search(x)\nre.match('a', x)\n"
        "Field(pattern=r'[0-9]{6}')\nField(json_schema_extra={'pattern': '^a'})\n"
    )
    visitor = PatternUse(object(), tree)
    visitor.visit(tree)
    assert len(visitor.problems) == 5, visitor.problems


@pytest.mark.parametrize("path", [_param(p) for p in MODULES])
def test_patterns_are_full_matches(path: Path) -> None:
    problems = _problems(path)
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def _patterns(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
        return own + [p for value in schema.values() for p in _patterns(value)]
    if isinstance(schema, list):
        return [p for value in schema for p in _patterns(value)]
    return []


def test_every_published_pattern_is_anchored(souk_world: Any) -> None:
    plugins = [ep.load() for ep in entry_points(group="souk.plugins")]
    world = souk_world(plugins)
    published = [
        *_patterns(world.call("GET", "/api/v1/openapi.json")),
        *_patterns(world.call("GET", "/api/v1/screen.schema.json")),
    ]
    assert len(published) >= 8, published
    assert [p for p in published if not _anchored(p)] == []


# -- each validator, with a trailing newline ---------------------------------------------------


def _model(model: type[BaseModel], **fields: Any) -> Callable[[str], Any]:
    (name,) = [k for k, v in fields.items() if v is None]
    return lambda value: model.model_validate({**fields, name: value})


def _route(path: str) -> Any:
    return api_route("GET", path, summary="x")(lambda ctx, request: None)


def _command(name: str) -> Any:
    async def handler(ctx: Any, args: Any) -> None:
        return None

    return command(name, help="x")(handler)


PAYMENT = {"merchant": "shop", "merchant_title": "Loja", "amount": 100, "description": "d"}
PAYMENT |= {"reference": "r", "idempotency_key": "k"}

VALIDATORS: list[tuple[str, Callable[[str], Any], str]] = [
    ("handle", users.check_handle, "asha"),
    ("phone", phones.parse_phone, "+5511987650001"),
    ("manifest name", lambda v: Manifest(name=v, title="T", version="1.0.0"), "shop"),
    ("manifest country", lambda v: Manifest(name="shop", title="T", version="1.0.0", countries=[v]), "BR"),
    ("command name", _command, "shop"),
    ("route path", _route, "/transfers"),
    ("event type", check_event_type, "payment.succeeded"),
    ("sign-in code", _model(schemas.VerifyRequest, phone="+5511987650001", code=None), "123456"),
    ("locale", _model(schemas.ProfileChange, locale=None), "pt-BR"),
    ("currency", _model(PaymentRequest, currency=None, **PAYMENT), "BRL"),
    ("screen action", lambda v: ui.Button(label="Go", action=v), "buy"),
]


@pytest.mark.parametrize(("what", "validate", "valid"), VALIDATORS, ids=[v[0] for v in VALIDATORS])
def test_a_trailing_newline_is_refused(what: str, validate: Callable[[str], Any], valid: str) -> None:
    validate(valid)
    with pytest.raises((ValueError, ValidationError, SoukError, CoreError)):
        validate(valid + "\n")
