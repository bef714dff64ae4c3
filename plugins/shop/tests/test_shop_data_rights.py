"""Every user can see all Souk and its mini-apps hold about them, and have it erased.

Zeno chats, pays a friend, asks for money, shops and pays; Oona, Pia and
Bruna (who runs the shop) do the same around him.  Then:

- every row of every database that names Zeno (his core id, his phone
  number, the id each mini-app knows him by) is found by a scan of the files,
  table by table, and the export holds each of them; it holds no identifier
  of anyone else;
- after the erasure, a scan of every database file and write-ahead log, byte
  by byte, finds none of his identifiers; what the documented rules keep
  (ledger, orders, tombstones) stays, under other ids; the ledger is clean;
  his token no longer works; the others go on as before.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from shop_support import buyer_with_money, checkout, open_shop, order_first_product_in_chat
from souk.foundation.ids import app_user_id
from souk_payments.check import problems
from souk_sdk.testing import User, World

APPS = ("payments", "shop")


def identifiers(world: World, user: User) -> set[str]:
    """What names a person in the files: the core's id, the phone, each mini-app's id for them."""
    core_id, phone = user.profile["id"], user.profile["phone"]
    secret = world.core.runtime.secret
    return {core_id, phone, phone.lstrip("+")} | {app_user_id(secret, app, core_id) for app in APPS}


def databases(world: World) -> dict[str, Path]:
    data = world.core.runtime.settings.data_dir
    return {"souk": data / "souk.db"} | {app: data / "apps" / f"{app}.db" for app in APPS}


def rows_naming(world: World, names: set[str]) -> Counter[tuple[str, str]]:
    """How many rows of each table, in every database, hold one of ``names`` in a column."""
    found: Counter[tuple[str, str]] = Counter()
    for db_name, path in databases(world).items():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                if table.startswith("sqlite_") or "_fts" in table:
                    continue
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    if any(isinstance(v, str) and any(n in v for n in names) for v in row):
                        found[(db_name, table)] += 1
        finally:
            conn.close()
    return found


def exported_rows(archive: dict[str, Any]) -> Counter[tuple[str, str]]:
    """The same count, read from the archive: how many records of each table it holds."""
    souk, payments, shop = archive["souk.json"], archive["apps/payments.json"], archive["apps/shop.json"]
    counts = {
        ("souk", "users"): 1,
        ("souk", "tokens"): len(souk["sessions"]),
        ("souk", "consents"): len(souk["consents"]),
        ("souk", "app_users"): len(souk["mini_apps_known_to"]),
        ("souk", "access_log"): len(souk["access_log"]),
        ("souk", "members"): len(souk["conversations"]),
        ("souk", "messages"): sum(len(c["messages"]) for c in souk["conversations"]),
        ("souk", "brokered_payments"): len(souk["payments_arranged"]),
        ("payments", "accounts"): len(payments["wallets"]),
        ("payments", "payments"): len(payments["payments"]),
        ("payments", "topups"): len(payments["topups"]),
        ("payments", "requests"): len(payments["requests"]),
        ("payments", "idempotency"): len(payments["retries_remembered"]),
        ("shop", "carts"): len(shop["cart"]),
        ("shop", "orders"): len(shop["orders"]),
        ("shop", "staff"): len(shop["staff_of"]),
        ("shop", "shops"): len(shop["shops_owned"]),
    }
    for app in APPS:
        counts[(app, "_souk_outbox")] = len(souk["events_about_you"][app]["events"])
        counts[(app, "_souk_timers")] = len(souk["events_about_you"][app]["timers"])
    return Counter({k: v for k, v in counts.items() if v})


def busy_world(souk_world) -> tuple[World, dict[str, User]]:
    world = souk_world(["payments", "shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, _ = open_shop(world, bruna)
    zeno, oona, pia = (buyer_with_money(world, name) for name in ("Zeno", "Oona", "Pia"))
    direct = zeno.direct_chat(oona)
    direct.send("hello Oona")
    direct.send(f"/pay @{oona.handle} 12 lunch")
    direct.press("Confirm")
    group = zeno.group_chat("Trip", [oona, pia])
    group.send("who is in?")
    group.send(f"/request @{pia.handle} 30 fuel")
    pia.chat(group.conversation_id).press("Pay")
    oona.chat(group.conversation_id).send(f"/request @{zeno.handle} 5 snacks")
    order_first_product_in_chat(zeno.app_chat("shop"))
    zeno.app_chat("shop").press("Confirm")
    checkout(zeno, shop_id, "SOCK-1", 1)  # reserved, not paid yet: a timer runs for it
    for person in (oona, pia):
        order_first_product_in_chat(person.app_chat("shop"))
        person.app_chat("shop").press("Confirm")
    world.settle()
    return world, {"zeno": zeno, "oona": oona, "pia": pia, "bruna": bruna}


def test_the_archive_holds_every_row_about_the_user_and_nothing_of_anyone_else(souk_world) -> None:
    world, people = busy_world(souk_world)
    zeno = people["zeno"]
    archive = zeno.export()
    assert sorted(archive) == ["apps/payments.json", "apps/shop.json", "souk.json"]
    names = identifiers(world, zeno)
    in_files = rows_naming(world, names)
    # A conversation names him when he started it (or it is a direct chat): each is in the archive.
    started = {
        r[0]
        for r in world.core.runtime.core.db.execute("SELECT id, created_by, unique_key FROM conversations")
        if any(n in (r[1] or "") or n in (r[2] or "") for n in names)
    }
    assert started <= {c["id"] for c in archive["souk.json"]["conversations"]}
    in_files.pop(("souk", "conversations"))
    assert in_files == exported_rows(archive), (in_files, exported_rows(archive))
    assert sum(in_files.values()) >= 40  # a real life: messages, money, orders, events
    text = json.dumps(archive)
    for other in ("oona", "pia", "bruna"):
        leaked = [n for n in identifiers(world, people[other]) if n in text]
        assert leaked == [], (other, leaked)
    assert archive["souk.json"]["profile"]["phone"] == zeno.profile["phone"]


def test_erasure_leaves_no_identifier_of_the_user_on_disk(souk_world) -> None:
    world, people = busy_world(souk_world)
    zeno = people["zeno"]
    names = identifiers(world, zeno)
    others_before = {p: rows_naming(world, identifiers(world, people[p])) for p in ("oona", "pia", "bruna")}
    pay_db = world.core.runtime.app_store("payments").db
    balance_before = pay_db.execute("SELECT SUM(balance) FROM accounts").fetchone()[0]

    receipt = zeno.erase()

    assert set(receipt["parts"]) == {"souk", "payments", "shop"}
    assert receipt["parts"]["souk"]["deleted"]["users"] == 1
    assert receipt["parts"]["payments"]["pseudonymised"]["accounts"] == 1
    assert receipt["parts"]["shop"]["pseudonymised"]["orders"] == 2
    assert all(part["kept"] for part in receipt["parts"].values())
    assert rows_naming(world, names) == Counter()
    files = [f for p in databases(world).values() for f in (p, Path(f"{p}-wal")) if f.exists()]
    assert len(files) >= 3
    for path in files:
        content = path.read_bytes()
        found = [n for n in names if n.encode() in content]
        assert found == [], (path.name, found)
    # What the rules keep stays, balanced; the others keep all they had of their own.
    assert problems(pay_db) == []
    assert pay_db.execute("SELECT SUM(balance) FROM accounts").fetchone()[0] == balance_before
    for person, before in others_before.items():
        assert rows_naming(world, identifiers(world, people[person])) == before, person
    status, _ = world.core.request("GET", "/api/v1/me", zeno.token)
    assert status == 401
    # In Oona's chat with him, what he wrote is a tombstone; what she was sent stays hers.
    oona = people["oona"]
    direct = next(
        c for c in oona.call("GET", "/api/v1/conversations")["conversations"] if c["kind"] == "direct"
    )
    texts = [(m["sender"]["name"], m["text"]) for m in oona.chat(direct["id"]).history()]
    assert ("Deleted account", "This message was deleted.") in texts
    assert not [t for t in texts if t[1] == "hello Oona"]
    assert len([m for m in oona.chat(direct["id"]).history()]) == len(texts)
    group = oona.group_chat("After", [people["pia"]])
    group.send("still here")
    assert [m["text"] for m in group.history()] == ["Oona created the group “After”", "still here"]
