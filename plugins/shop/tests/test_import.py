"""Bulk catalogue import: every bad row is named by line with its reason, good rows land, twice is once.

The same generated files go through the importer on a migrated SQLite
database (10,000 CSV rows, fast), through ``souk shop import`` in a child
process (a smaller file, checking what it prints), and through the HTTP route
``POST /api/v1/apps/shop/imports`` with ``content_base64`` in the harness.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from shop_support import open_shop
from souk_shop import catalog, importer
from souk_shop.schema import migrations
from sqlite_utils import Database

NOW = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
HEADER = "sku,name,description,price,stock,category,tags,currency"

# Each kind of bad row: how it is written (from a row number and the SKU of the row before it),
# and a part of the reason the report must give for it.
BAD_CSV = [
    ("negative price", lambda i, prev: f"BAD-{i},Bad {i},,-5.00,1,x,,BRL", "price: "),
    ("missing SKU", lambda i, prev: f",No sku {i},,5.00,1,x,,BRL", "sku: Field required"),
    ("wrong currency", lambda i, prev: f"BAD-{i},Dollar {i},,5.00,1,x,,USD", "sells in BRL, not USD"),
    ("non-numeric stock", lambda i, prev: f"BAD-{i},Lots {i},,5.00,lots,x,,", "stock is a whole number"),
    ("duplicate SKU", lambda i, prev: f"{prev},Again {i},,5.00,1,x,,BRL", "is already on line {line}"),
    ("broken UTF-8", lambda i, prev: f"BAD-{i},Caf\udce9 {i},,5.00,1,x,,BRL", "not valid UTF-8 text"),
    ("zero price", lambda i, prev: f"BAD-{i},Free {i},,0.00,1,x,,BRL", "more than zero"),
    ("extra values", lambda i, prev: f"BAD-{i},Extra {i},,5.00,1,x,,BRL,oops", "more values than columns"),
]


def good_row(i: int) -> str:
    tags = '"red, Sale"' if i % 3 == 0 else "blue"
    return (
        f"SKU-{i:05d},Product {i},Thing number {i},{i % 500 + 1}.{i % 100:02d},{i % 40},cat{i % 12},{tags},"
    )


def generate_csv(rows: int, every: int) -> tuple[bytes, dict[int, str], int]:
    """A CSV file of ``rows`` data rows, one bad row in ``every``: (bytes, {line: reason part}, good rows).

    Line 1 is the header, so data row ``i`` (from 0) is on line ``i + 2``.  A bad row is
    written as text with a lone surrogate where its bytes are not UTF-8, then encoded back
    with ``surrogateescape``, so that line really holds the byte 0xE9 (Latin-1 "é").
    """
    lines, bad, good = [HEADER], {}, 0
    for i in range(rows):
        line = i + 2
        if i % every == every // 2:
            _kind, make, reason = BAD_CSV[(i // every) % len(BAD_CSV)]
            lines.append(make(i, f"SKU-{i - 1:05d}"))
            bad[line] = reason.format(line=line - 1)
        else:
            lines.append(good_row(i))
            good += 1
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogateescape"), bad, good


def migrated_shop(path: Path) -> tuple[Database, dict]:
    db = Database(path)
    migrations.apply(db)
    shop = catalog.create_shop(db, "b_loja", "u_owner", "Loja Grande", "BR", NOW)
    return db, shop


def run_import(db: Database, shop: dict, data: bytes, fmt: importer.Format) -> dict:
    with db.atomic():
        return importer.run(db, shop["id"], shop["currency"], data, fmt, NOW).as_dict()


def assert_reported(report: dict, bad: dict[int, str]) -> None:
    assert {e["line"] for e in report["errors"]} == set(bad)
    assert report["rejected"] == len(bad) == len(report["errors"])
    for error in report["errors"]:
        assert bad[error["line"]] in error["reason"], error


def test_ten_thousand_csv_rows_with_bad_ones_mixed_in(tmp_path: Path) -> None:
    data, bad, good = generate_csv(10_000, every=97)
    assert len(data.splitlines()) == 10_001 and b"Caf\xe9" in data
    assert (good, len(bad)) == (9_897, 103)
    assert {BAD_CSV[(line - 2) // 97 % len(BAD_CSV)][0] for line in bad} == {k for k, *_ in BAD_CSV}
    db, shop = migrated_shop(tmp_path / "shop.db")

    first = run_import(db, shop, data, "csv")
    assert (first["created"], first["updated"], first["unchanged"]) == (good, 0, 0)
    assert_reported(first, bad)
    assert db["products"].count == good
    # A bad row writes nothing, and the first row of a duplicated SKU is the one kept.
    assert db.execute("SELECT COUNT(*) FROM products WHERE sku LIKE 'BAD-%'").fetchone() == (0,)
    dup_line = next(line for line, reason in bad.items() if "already on line" in reason)
    kept = db.execute("SELECT name FROM products WHERE sku = ?", [f"SKU-{dup_line - 3:05d}"]).fetchone()
    assert kept == (f"Product {dup_line - 3}",)
    assert [e["sku"] for e in first["errors"] if "Field required" in e["reason"]] == [None] * sum(
        "Field required" in r for r in bad.values()
    )
    # Prices in minor units, tags normalised, searchable at once.
    row = db.execute("SELECT price, stock, tags FROM products WHERE sku = 'SKU-00003'").fetchone()
    assert row == (403, 3, "red,sale")
    assert catalog.browse(db, shop["id"], query="Product 4242")[0]["sku"] == "SKU-04242"

    second = run_import(db, shop, data, "csv")
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, good)
    assert second["errors"] == first["errors"]
    assert db["products"].count == good


def test_a_json_catalogue_with_bad_items(tmp_path: Path) -> None:
    items: list = []
    bad: dict[int, str] = {}
    for i in range(300):
        items.append(
            {
                "sku": f"J-{i:03d}",
                "name": f"Json product {i}",
                "price": f"{i + 1}.90",
                "stock": i % 7,
                "tags": ["green", "sale"],
                "active": i % 10 != 0,
            }
        )
    broken = {
        11: ({"price": "-1.00"}, "price: "),
        42: ({"sku": None}, "sku: "),
        77: ({"currency": "EUR"}, "sells in BRL, not EUR"),
        100: ({"stock": "many"}, "stock is a whole number"),
        150: ({"sku": "J-020"}, "SKU J-020 is already on line 21"),
        200: ({"price": 12.5}, "write the price as text"),
        250: ({"colour": "red"}, "colour: Extra inputs are not permitted"),
    }
    for line, (change, reason) in broken.items():
        items[line - 1] |= change
        bad[line] = reason
    items.append("not an object")
    bad[301] = "each item is an object"
    good = 300 - len(broken)
    db, shop = migrated_shop(tmp_path / "shop.db")
    data = json.dumps(items, ensure_ascii=False).encode()

    first = run_import(db, shop, data, "json")
    assert (first["created"], first["updated"], first["unchanged"]) == (good, 0, 0)
    assert_reported(first, bad)
    assert db.execute("SELECT tags, active FROM products WHERE sku = 'J-001'").fetchone() == ("green,sale", 1)
    assert db.execute("SELECT COUNT(*) FROM products WHERE active = 0").fetchone() == (29,)

    second = run_import(db, shop, data, "json")
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, good)
    assert second["errors"] == first["errors"]

    # Upsert by SKU: one changed price updates one product.
    items[0]["price"] = "999.00"
    third = run_import(db, shop, json.dumps(items).encode(), "json")
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, good - 1)
    assert db.execute("SELECT price FROM products WHERE sku = 'J-000'").fetchone() == (99900,)

    # A JSON file cannot be read item by item when its bytes are not UTF-8: refused whole.
    with pytest.raises(importer.ImportRefused, match="not valid UTF-8"):
        run_import(db, shop, data.replace(b"Json product 5", b"Json product \xe95"), "json")
    assert db["products"].count == good


def souk_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-c", "from souk.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


def test_the_souk_shop_import_command(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "apps").mkdir(parents=True)
    db, shop = migrated_shop(data_dir / "apps" / "shop.db")
    db.close()
    data, bad, good = generate_csv(300, every=37)
    assert (good, len(bad)) == (292, 8)
    file = tmp_path / "catalogue.csv"
    file.write_bytes(data)

    first = souk_cli("shop", "import", shop["id"], str(file), "--data", str(data_dir))
    assert first.returncode == 0, first.stderr
    assert f"{good} created, 0 updated, 0 unchanged, {len(bad)} rejected" in first.stdout
    reported = [line.strip() for line in first.stdout.splitlines() if line.startswith("  line ")]
    assert {int(line.split()[1].rstrip(":")) for line in reported} == set(bad)
    for line in reported:
        number = int(line.split()[1].rstrip(":"))
        assert bad[number] in line, line
    assert "line 57: (no SKU): sku: Field required" in first.stdout

    again = souk_cli("shop", "import", shop["id"], str(file), "--data", str(data_dir))
    assert again.returncode == 0, again.stderr
    assert f"0 created, 0 updated, {good} unchanged, {len(bad)} rejected" in again.stdout

    check = Database(data_dir / "apps" / "shop.db")
    assert check["products"].count == good
    check.close()


def test_the_import_route_with_base64_content(souk_world) -> None:
    # The server's handler timeout (10 s) rather than the harness's 2 s: the machine may be busy.
    world = souk_world(["shop"], handler_timeout=10)
    bruna = world.user("Bruna", "BR")
    shop_id, _chat = open_shop(world, bruna, products=())
    data, bad, good = generate_csv(1_000, every=53)
    body = {"shop_id": shop_id, "format": "csv", "content_base64": base64.b64encode(data).decode()}

    first = bruna.call("POST", "/api/v1/apps/shop/imports", body)
    assert (first["created"], first["updated"], first["unchanged"]) == (good, 0, 0)
    assert_reported(first, bad)
    second = bruna.call("POST", "/api/v1/apps/shop/imports", body)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, good)
    assert second["errors"] == first["errors"]
    assert world.core.runtime.app_store("shop").db["products"].count == good

    # Someone who does not work at the shop cannot import into it; bad base64 is a 422.
    tiago = world.user("Tiago", "BR")
    tiago.app_chat("shop").send("/orders")
    refused = tiago.call("POST", "/api/v1/apps/shop/imports", body, expect=404)
    assert refused["error"]["code"] == "not_found"
    garbled = bruna.call("POST", "/api/v1/apps/shop/imports", body | {"content_base64": "@@@"}, expect=422)
    assert garbled["error"]["code"] == "invalid_base64"
