"""A file that cannot be read is the uploader's mistake: refused with the line where reading stopped.

Each kind of unreadable file (a number of more than 4,300 digits, a CSV field
over 131,072 characters, JSON nested 5,000 deep, bytes that are not UTF-8, ...)
is an ``ImportRefused`` from the importer and a ``422 unreadable_file`` with
``details.line`` from the route, never ``502 app_failed`` and never a failure
the breaker counts.  Generated files, hostile and plain, go through the
importer (and fewer through the route): every one is read or refused, nothing
else.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hostile_json import embedded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shop_support import open_shop
from souk_shop import catalog, importer
from souk_shop.schema import migrations
from sqlite_utils import Database

STRESS = os.environ.get("SOUK_STRESS") == "1"
NOW = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
HEADER = "sku,name,price,stock"
GOOD_ROW = "OK-1,Fine product,5.00,1"
GOOD_ITEM = '{"sku": "OK-1", "name": "Fine product", "price": "5.00", "stock": 1}'

# Each unreadable file puts its flaw on line 3, after a good row: (kind, format, bytes, reason part).
UNREADABLE = [
    (
        "a number of 4,301 digits",
        "json",
        f'[\n{GOOD_ITEM},\n{{"sku": "N-1", "name": "n", "price": {"9" * 4301}, "stock": 1}}\n]',
        "number out of range",
    ),
    ("JSON nested 5,000 deep", "json", f"[\n{GOOD_ITEM},\n{'[' * 5000}{']' * 5000}\n]", "recursion limit"),
    ("NaN", "json", f'[\n{GOOD_ITEM},\n{{"sku": "N-1", "stock": NaN}}\n]', "not valid JSON"),
    ("a lone surrogate", "json", f'[\n{GOOD_ITEM},\n{{"sku": "\\ud800"}}\n]', "not valid JSON"),
    ("JSON that is not JSON", "json", f'[\n{GOOD_ITEM},\n{{"sku": "A-2",]', "not valid JSON"),
    ("JSON bytes that are not UTF-8", "json", f'[\n{GOOD_ITEM},\n{{"name": "Caf\udce9"}}]', "UTF-8"),
    (
        "a CSV field of 131,073 characters",
        "csv",
        f"{HEADER}\n{GOOD_ROW}\nBIG-1,{'x' * 131_073},5.00,1\n",
        "field larger than field limit (131072)",
    ),
]
UNREADABLE_HEAD = [
    ("a CSV header that is not UTF-8", "csv", "sku,n\udce9me,price,stock\nA-1,x,1.00,1\n", "UTF-8", 1),
    ("a JSON object, not a list", "json", '{"sku": "A-1"}', "a list of products", 1),
    ("an empty CSV", "csv", "", "empty", 1),
]
CASES = [(kind, fmt, text, reason, 3) for kind, fmt, text, reason in UNREADABLE] + UNREADABLE_HEAD


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def migrated_shop(path: Path) -> tuple[Database, dict[str, Any]]:
    db = Database(path)
    migrations.apply(db)
    shop = catalog.create_shop(db, "b_loja", "u_owner", "Loja Grande", "BR", NOW)
    return db, shop


@pytest.mark.parametrize(("kind", "fmt", "text", "reason", "line"), CASES, ids=[c[0] for c in CASES])
def test_an_unreadable_file_is_refused_with_its_line(
    tmp_path: Path, kind: str, fmt: importer.Format, text: str, reason: str, line: int
) -> None:
    db, shop = migrated_shop(tmp_path / "shop.db")
    with pytest.raises(importer.ImportRefused) as refused, db.atomic():
        importer.run(db, shop["id"], shop["currency"], _bytes(text), fmt, NOW)
    assert refused.value.line == line, refused.value
    assert reason in str(refused.value) and str(refused.value).startswith(f"line {line}: ")
    assert db["products"].count == 0  # the good row before it was not written either


def test_a_bad_row_is_still_a_bad_row_not_a_refused_file(tmp_path: Path) -> None:
    """What belongs to one row stays that row's problem: the rest of the file is imported."""
    db, shop = migrated_shop(tmp_path / "shop.db")
    rows = [
        HEADER,
        GOOD_ROW,
        f"N-1,Long price,{'9' * 5000},1",
        "C-1,Caf\udce9,5.00,1",
        f"OK-2,F,6.00,{'9' * 5000}",
    ]
    text = "\n".join(rows) + "\n"
    with db.atomic():
        report = importer.run(db, shop["id"], shop["currency"], _bytes(text), "csv", NOW).as_dict()
    assert (report["created"], report["rejected"]) == (1, 3)
    assert [e["line"] for e in report["errors"]] == [3, 4, 5]
    assert "not valid UTF-8 text" in report["errors"][1]["reason"]


def test_over_http_an_unreadable_file_is_422_with_its_line_and_never_a_failure(souk_world) -> None:
    world = souk_world(["shop"], handler_timeout=10)
    bruna = world.user("Bruna", "BR")
    shop_id, _chat = open_shop(world, bruna, products=())
    breaker = world.core.runtime.breaker
    before = breaker.verdict("shop").requests
    for _kind, fmt, text, reason, line in CASES:
        data = base64.b64encode(_bytes(text)).decode()
        body = {"shop_id": shop_id, "format": fmt, "content_base64": data}
        answer = bruna.call("POST", "/api/v1/apps/shop/imports", body, expect=422)
        assert answer["error"]["code"] == "unreadable_file"
        assert answer["error"]["details"] == {"line": line}
        assert (
            answer["error"]["message"].startswith(f"line {line}: ") and reason in answer["error"]["message"]
        )
    verdict = breaker.verdict("shop")
    assert (verdict.requests - before, verdict.failures) == (len(CASES), 0)
    assert next(a for a in world.core.operations.describe() if a["name"] == "shop")["state"] == "running"
    assert world.core.runtime.app_store("shop").db["products"].count == 0


# -- generated files ---------------------------------------------------------------------------

CATALOGUE = [
    {"sku": "G-1", "name": "Generated", "price": "3.50", "stock": 2, "tags": ["a", "b"]},
    {"sku": "G-2", "name": "Other", "price": 7, "stock": 0, "active": "no"},
]
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["5.00", "-1", "0.001", "9" * 5000, "x" * 131_073, "Caf\udce9", '"', "\x00", "\r\n"]),
)
csv_files = st.builds(
    lambda header, rows: _csv(header, rows),
    st.lists(st.sampled_from([*catalog.FIELDS, "currency", "colour", "n\udce9me", ""]), max_size=6),
    st.lists(st.lists(cells, max_size=7), max_size=8),
)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = []
    for row in [header, *rows]:
        out.append(",".join(f'"{c}"' if "," in c else c for c in row))
    return _bytes("\n".join(out))


files = st.one_of(
    st.tuples(st.just("csv"), csv_files),
    st.tuples(st.just("json"), embedded(CATALOGUE)),
    st.tuples(
        st.just("json"),
        st.builds(
            lambda v: json.dumps(v).encode(),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                lambda inner: (
                    st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
                ),
                max_leaves=12,
            ),
        ),
    ),
    st.tuples(st.sampled_from(["csv", "json"]), st.binary(max_size=300)),
)


def _lines(data: bytes) -> int:
    return data.count(b"\n") + data.count(b"\r") + 1


@settings(
    max_examples=3000 if STRESS else 500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(file=files)
def test_any_file_is_read_or_refused_with_a_line_nothing_else(
    scratch_shop: tuple[Database, dict[str, Any]], file: tuple[str, bytes]
) -> None:
    db, shop = scratch_shop
    fmt, data = file
    db.execute("BEGIN")
    try:
        report = importer.run(db, shop["id"], shop["currency"], data, fmt, NOW)  # type: ignore[arg-type]
    except importer.ImportRefused as refused:
        assert 1 <= refused.line <= _lines(data), refused
    else:
        assert all(e["line"] >= 1 for e in report.errors)
        assert db["products"].count == report.created
    finally:
        db.execute("ROLLBACK")  # each file on the same empty shop


@pytest.fixture(scope="module")
def scratch_shop(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db, shop = migrated_shop(tmp_path_factory.mktemp("scratch") / "shop.db")
    yield db, shop
    db.close()


@settings(
    max_examples=300 if STRESS else 60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(file=files)
def test_any_file_over_http_is_200_or_422_never_a_failure(shop_world: Any, file: tuple[str, bytes]) -> None:
    world, owner, shop_id = shop_world
    fmt, data = file
    body = {"shop_id": shop_id, "format": fmt, "content_base64": base64.b64encode(data).decode()}
    status, answer = world.core.request("POST", "/api/v1/apps/shop/imports", owner.token, body)
    assert status in (200, 422), (status, answer)
    if status == 422:
        assert answer["error"]["code"] == "unreadable_file" and answer["error"]["details"]["line"] >= 1
    assert world.core.runtime.breaker.verdict("shop").failures == 0


@pytest.fixture(scope="module")
def shop_world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One world for every generated file over HTTP: a world per example would take most of the time."""
    from souk_sdk.testing import World

    world = World(["shop"], tmp_path_factory.mktemp("imports"), handler_timeout=10)
    owner = world.user("Bruna", "BR")
    shop_id, _chat = open_shop(world, owner, products=())
    yield world, owner, shop_id
    world.close()
