"""Shops kept before businesses become businesses: the schema's migration, then ``adopt``.

``adopt`` asks the shop's ``souk_business_claims`` hook what to move, and tells it each
business made through ``souk_business_adopted``.

Real old-schema data: shops, their staff rows (owners and helpers), products and orders,
written as the shop wrote them before a shop had a business.  After ``souk business adopt
shop`` each is a business's catalogue with the same people (the owner its owner, the
helpers its agents) and nothing else changed; a second run changes nothing; a run cut
between the two databases is finished, not doubled.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from souk.cli import main
from souk.miniapps.adoption import adopt
from souk_sdk.testing import World
from souk_shop.schema import migrations
from sqlite_utils import Database

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC).isoformat()
SHOP_TABLES = ("shops", "products", "orders", "order_items")


def _old_shop(db: Database, owner: str, name: str, helpers: list[str], products: int) -> str:
    """One shop as the shop mini-app kept it before businesses (no ``business_id``)."""
    shop_id = f"s_{secrets.token_hex(8)}"
    db["shops"].insert(
        {"id": shop_id, "owner": owner, "name": name, "description": f"{name}, since 2020",
         "country": "BR", "currency": "BRL", "opening_hours": "9-18", "created_at": NOW}
    )  # fmt: skip
    db["staff"].insert_all(
        [{"shop_id": shop_id, "user_id": owner, "name": "Owner", "role": "owner", "added_at": NOW}]
        + [
            {"shop_id": shop_id, "user_id": h, "name": "Helper", "role": "staff", "added_at": NOW}
            for h in helpers
        ]
    )
    for n in range(products):
        db["products"].insert(
            {"id": f"p_{secrets.token_hex(8)}", "shop_id": shop_id, "sku": f"SKU-{n}", "name": f"Thing {n}",
             "price": 1000 + n, "stock": 5, "updated_at": NOW, "code": secrets.token_hex(4).upper()}
        )  # fmt: skip
    return shop_id


def _snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in SHOP_TABLES}


def test_the_migration_keeps_every_old_row_and_leaves_shops_without_a_business(tmp_path: Path) -> None:
    db = Database(tmp_path / "shop.db")
    migrations.apply(db, stop_before="m003_shops_on_businesses")
    assert "business_id" not in db["shops"].columns_dict
    for n in range(5):
        _old_shop(db, f"u_owner{n}", f"Loja {n}", [f"u_helper{n}a", f"u_helper{n}b"], products=3)
    before = {
        t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("shops", "staff", "products")
    }
    migrations.apply(db)
    migrations.apply(db)
    assert [row[:-1] for row in db.execute("SELECT * FROM shops ORDER BY rowid")] == before["shops"]
    assert db.execute("SELECT COUNT(*) FROM shops WHERE business_id IS NULL").fetchone()[0] == 5
    assert db.execute("SELECT * FROM staff ORDER BY rowid").fetchall() == before["staff"]
    assert len(before["staff"]) == 15
    assert db.execute("SELECT * FROM products ORDER BY rowid").fetchall() == before["products"]
    assert len(before["products"]) == 15


def _people(world: World, count: int) -> list[Any]:
    people = [world.user(f"Person {n}", "BR") for n in range(count)]
    for person in people:
        person.app_chat("shop").send("/orders")  # uses the shop, so it has an id for them
    return people


def _pseudonym(world: World, person: Any) -> str:
    return world.core.runtime.identities.expose_sync("shop", person.profile["id"])


def test_old_shops_become_businesses_with_their_staff_once(tmp_path: Path) -> None:
    world = World(["payments", "shop"], tmp_path)
    try:
        people = _people(world, 9)
        ids = [_pseudonym(world, p) for p in people]
        store = world.core.runtime.app_store("shop")
        # 4 shops of 3 owners (one owns two), with 0, 1, 2 and 3 helpers; and one whose owner
        # Souk never knew (left as it was, and said so).
        plan = [
            (0, "Loja da Bruna", [3]),
            (0, "Loja da Bruna Centro", [4, 5]),
            (1, "Casa Carla", []),
            (2, "Person_8", [6, 7, 8]),  # a name that is also a person's handle: another is found
        ]
        shops = store.write_sync(
            lambda db: (
                [_old_shop(db, ids[o], name, [ids[h] for h in hs], products=4) for o, name, hs in plan]
                + [_old_shop(db, "u_nobody", "Ghost shop", [], products=2)]
            )
        )
        helper = people[3]
        assert helper.call("GET", f"/api/v1/apps/shop/shops/{shops[0]}/orders")["orders"] == []
        before = _snapshot(store.db)

        done = adopt(world.core.runtime, "shop")
        assert (len(done.created), len(done.resumed), list(done.refused)) == (4, 0, [shops[4]])

        core = world.core.runtime.core.db
        assert core.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == 4
        for shop_id, (owner, name, helpers) in zip(shops, plan, strict=False):
            row = store.db.execute("SELECT business_id, name FROM shops WHERE id = ?", [shop_id]).fetchone()
            business = core.execute(
                "SELECT name, owner_id, handle FROM businesses WHERE id = ?", [row[0]]
            ).fetchone()
            assert (business[0], business[1]) == (name, people[owner].profile["id"])
            staff = dict(
                core.execute("SELECT user_id, role FROM business_staff WHERE business_id = ?", [row[0]])
            )
            expected = {people[owner].profile["id"]: "owner"} | {
                people[h].profile["id"]: "agent" for h in helpers
            }
            assert staff == expected
            assert (
                store.db.execute("SELECT COUNT(*) FROM staff WHERE shop_id = ?", [shop_id]).fetchone()[0] == 0
            )
            assert (
                store.db.execute("SELECT COUNT(*) FROM products WHERE shop_id = ?", [shop_id]).fetchone()[0]
                == 4
            )
        handles = dict(core.execute("SELECT name, handle FROM businesses"))
        assert handles == {
            "Loja da Bruna": "lojadabruna",
            "Loja da Bruna Centro": "lojadabrunacentro",
            "Casa Carla": "casacarla",
            "Person_8": "person_82",  # person_8 is a person's
        }
        assert people[8].handle == "person_8"
        after = _snapshot(store.db)
        assert [r[:-1] for r in after["shops"]] == [r[:-1] for r in before["shops"]]
        assert {k: v for k, v in after.items() if k != "shops"} == {
            k: v for k, v in before.items() if k != "shops"
        }
        # The business's staff run the shop now: the helper (an agent) answers orders, the
        # owner manages the catalogue, under the business's name.
        assert helper.call("GET", f"/api/v1/apps/shop/shops/{shops[0]}/orders")["orders"] == []
        office = people[0].app_chat("shop").send("/myshop").screen
        assert [c.title for c in office.body if getattr(c, "title", None)] == [
            "Loja da Bruna",
            "Loja da Bruna Centro",
        ]

        again = adopt(world.core.runtime, "shop")
        assert (len(again.created), len(again.resumed), list(again.refused)) == (0, 0, [shops[4]])
        assert core.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == 4
        assert _snapshot(store.db) == after
    finally:
        world.close()


def test_a_run_cut_between_the_two_databases_is_finished_without_a_second_business(tmp_path: Path) -> None:
    world = World(["payments", "shop"], tmp_path)
    try:
        owner, agent = _people(world, 2)
        store = world.core.runtime.app_store("shop")
        shop_id = store.write_sync(
            lambda db: _old_shop(db, _pseudonym(world, owner), "Loja Cortada", [_pseudonym(world, agent)], 1)
        )
        first = adopt(world.core.runtime, "shop")
        # As if the run had stopped after the business was made, before the shop heard of it.
        store.write_sync(lambda db: db.execute("UPDATE shops SET business_id = NULL WHERE id = ?", [shop_id]))
        row = {"shop_id": shop_id, "user_id": _pseudonym(world, agent), "name": "A", "role": "staff"}
        store.write_sync(lambda db: db["staff"].insert(row | {"added_at": NOW}))
        second = adopt(world.core.runtime, "shop")
        assert (len(first.created), len(second.created), second.resumed) == (1, 0, first.created)
        assert world.core.runtime.core.db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == 1
        business_id = store.db.execute("SELECT business_id FROM shops WHERE id = ?", [shop_id]).fetchone()[0]
        assert business_id == first.created[0]
    finally:
        world.close()


def test_the_operator_command_says_what_it_did(tmp_path: Path) -> None:
    world = World(["payments", "shop"], tmp_path)
    try:
        (owner,) = _people(world, 1)
        store = world.core.runtime.app_store("shop")
        store.write_sync(lambda db: _old_shop(db, _pseudonym(world, owner), "Loja CLI", [], 1))
    finally:
        world.close()
    runner = CliRunner()
    listed = runner.invoke(main, ["shop", "list", "--data", str(tmp_path)])
    assert listed.output.count("(not on a business yet: souk business adopt shop)") == 1, listed.output
    first = runner.invoke(main, ["business", "adopt", "shop", "--data", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "1 businesses created, 0 finished from a run cut short" in first.output
    listed = runner.invoke(main, ["shop", "list", "--data", str(tmp_path)])
    assert "Loja CLI" in listed.output and "not on a business yet" not in listed.output
    second = runner.invoke(main, ["business", "adopt", "shop", "--data", str(tmp_path)])
    assert "0 businesses created, 0 finished from a run cut short" in second.output
    unknown = runner.invoke(main, ["business", "adopt", "nothere", "--data", str(tmp_path)])
    assert unknown.exit_code == 1 and "no mini-app is called nothere" in unknown.output
