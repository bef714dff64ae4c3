"""What tickets holds about a person is in their archive, and gone (or kept without them) after erasure.

Zeno buys two seats, holds a third at another event, organises a festival,
keeps Asha's door and checks Oona in; Oona and Asha do their own part.  Every
row of the tickets database that names Zeno (the id Tickets knows him by) is
in his export, nothing of anyone else is; after erasure no byte of the file or
its write-ahead log names him, his tickets and the check-in stay for the
organisers' accounts, under another id, and his open hold ended.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from souk.foundation.ids import app_user_id
from tickets_support import TICKETS, claims, create_event, general_body, hold, open_map, seated_body


def tickets_id(world, user) -> str:
    return app_user_id(world.core.runtime.secret, "tickets", user.profile["id"])


def database(world) -> Path:
    return world.core.runtime.settings.data_dir / "apps" / "tickets.db"


def rows_naming(world, name: str) -> Counter[str]:
    found: Counter[str] = Counter()
    conn = sqlite3.connect(f"file:{database(world)}?mode=ro", uri=True)
    try:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            if table.startswith("sqlite_"):
                continue
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                found[table] += any(isinstance(v, str) and name in v for v in row)
    finally:
        conn.close()
    return Counter({k: v for k, v in found.items() if v})


def exported(archive: dict[str, Any]) -> Counter[str]:
    mine, events = archive["apps/tickets.json"], archive["souk.json"]["events_about_you"]["tickets"]
    counts = {
        "bookings": len(mine["bookings"]),
        "tickets": len(mine["tickets"]),
        "events": len(mine["events_organised"]),
        "staff": len(mine["door_staff_of"]),
        "checkins": len(mine["check_ins_made"]),
        "map_views": len(mine["seat_maps_kept_up_to_date"]),
        "_souk_outbox": len(events["events"]),
        "_souk_timers": len(events["timers"]),
    }
    return Counter({k: v for k, v in counts.items() if v})


def busy(souk_world, souk_fake_payments):
    world = souk_world(["tickets", souk_fake_payments])
    asha, zeno, oona = world.user("Asha", "IN"), world.user("Zeno", "IN"), world.user("Oona", "IN")
    concert = create_event(asha, seated_body(world))["ref"]
    other = create_event(asha, seated_body(world, title="Pune Live", city="Pune"))["ref"]
    for person, event, seats in ((zeno, concert, ["B1", "B2"]), (oona, concert, ["C1"])):
        booking = hold(person, event, seats=seats)
        person.call("POST", f"{TICKETS}/bookings/{booking['ref']}/payment", expect=201)
    world.settle()
    hold(zeno, other, seats=["A5"])  # open: its timer runs
    create_event(zeno, general_body(world, country="IN", time_zone="Asia/Kolkata", city="Goa"))
    asha.call("POST", f"{TICKETS}/events/{concert}/staff", {"person": f"@{zeno.handle}"})
    (oona_ticket,) = oona.call("GET", f"{TICKETS}/tickets")["tickets"]
    zeno.call("POST", f"{TICKETS}/events/{concert}/checkins", {"code": oona_ticket["code"]})
    open_map(zeno.app_chat("tickets"))
    world.settle()
    return world, {"asha": asha, "zeno": zeno, "oona": oona}, other


def test_the_archive_holds_every_row_about_the_user_and_nothing_of_anyone_else(
    souk_world, souk_fake_payments
) -> None:
    world, people, _ = busy(souk_world, souk_fake_payments)
    zeno = people["zeno"]
    archive = zeno.export()
    in_file = rows_naming(world, tickets_id(world, zeno))
    assert in_file == exported(archive)
    assert sum(in_file.values()) >= 9
    mine = archive["apps/tickets.json"]
    assert sorted(t["seat"] for t in mine["tickets"]) == ["B1", "B2"]
    assert [b["seats"] for b in mine["bookings"]] == [["B1", "B2"], ["A5"]]
    assert mine["door_staff_of"][0]["event"] == "Mumbai Live"
    text = json.dumps(archive)
    assert tickets_id(world, people["oona"]) not in text and tickets_id(world, people["asha"]) not in text
    assert "private_key" not in text


def test_erasure_keeps_the_organisers_accounts_without_the_user(souk_world, souk_fake_payments) -> None:
    world, people, other = busy(souk_world, souk_fake_payments)
    zeno, name = people["zeno"], tickets_id(world, people["zeno"])
    oona_before = rows_naming(world, tickets_id(world, people["oona"]))
    receipt = zeno.erase()["parts"]["tickets"]
    assert receipt["deleted"] == {"bookings": 1, "booking_seats": 1, "staff": 1, "map_views": 1}
    assert receipt["pseudonymised"] == {
        "bookings": 1,
        "tickets": 2,
        "events": 1,
        "checkins": 1,
        "_souk_timers": 1,
    }
    assert len(receipt["kept"]) == 2
    assert claims(world, other) == []  # his open hold ended with him
    assert rows_naming(world, name) == Counter()
    files = [p for p in (database(world), Path(f"{database(world)}-wal")) if p.exists()]
    assert [p.name for p in files if name.encode() in p.read_bytes()] == []
    assert rows_naming(world, tickets_id(world, people["oona"])) == oona_before
    checkin = world.core.runtime.app_store("tickets").db.execute("SELECT by_name FROM checkins").fetchall()
    assert checkin == [("door staff",)]
    world.advance(minutes=15)  # his hold's timer finds nothing left to end, and fails nothing
    pending = (
        world.core.runtime.app_store("tickets")
        .db.execute("SELECT COUNT(*) FROM _souk_outbox WHERE delivered_at IS NULL")
        .fetchone()
    )
    assert pending == (0,)
