"""What matchmaking holds about a person is in their archive, and gone (or kept without them) after erasure.

Zeno makes a profile with a photo, likes Ana (waiting) and Bruna (who likes him back: a
match and its chat), passes on Carla, blocks Dora and reports Eva; Oona likes
him.  Every row of the matchmaking database that names Zeno (the id
Matchmaking knows him by) is in his export, nothing of anyone else is; after
erasure no byte of the file or its write-ahead log names him or carries his
bio, nobody's candidates or likes hold him, Bruna's match reads "Deleted
profile", and Eva's report stays for operators under another id.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

from matchmaking_support import MM, candidates, card_of, count, db, member, photo_body

BIO = "Zeno plays the theremin on Tuesdays"


def database(world) -> Path:
    return world.core.runtime.settings.data_dir / "apps" / "matchmaking.db"


def rows_naming(world, name: str) -> Counter[str]:
    found: Counter[str] = Counter()
    conn = sqlite3.connect(f"file:{database(world)}?mode=ro", uri=True)
    try:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            if not table.startswith("sqlite_"):
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    found[table] += any(isinstance(v, str) and name in v for v in row)
    finally:
        conn.close()
    return Counter({k: v for k, v in found.items() if v})


def member_id(world, user) -> str:
    return db(world).execute("SELECT member FROM profiles WHERE card = ?", [card_of(user)]).fetchone()[0]


def busy(souk_world):
    world = souk_world(["matchmaking"])
    zeno = member(world, "Zeno Quartz", gender="man", seeks=["woman"], interests=["theremin"], bio=BIO)
    zeno.call("POST", f"{MM}/profile/photos", photo_body())
    others = {n: member(world, f"{n} Silva") for n in ("Ana", "Bruna", "Carla", "Dora", "Eva", "Oona")}
    like = lambda a, b: a.call("POST", f"{MM}/candidates/{card_of(b)}/like")  # noqa: E731
    (
        like(zeno, others["Ana"]),
        like(zeno, others["Bruna"]),
        like(others["Bruna"], zeno),
        like(others["Oona"], zeno),
    )
    zeno.call("POST", f"{MM}/candidates/{card_of(others['Carla'])}/pass")
    zeno.call("POST", f"{MM}/candidates/{card_of(others['Dora'])}/block")
    zeno.call(
        "POST",
        f"{MM}/candidates/{card_of(others['Eva'])}/report",
        {"reason": "scam", "note": "asked for money"},
    )
    world.settle()
    return world, zeno, others


def exported(archive) -> Counter[str]:
    mine, events = archive["apps/matchmaking.json"], archive["souk.json"]["events_about_you"]["matchmaking"]
    counts = {
        "profiles": int(mine["profile"] is not None),
        "interests": len(mine["profile"]["interests"]),
        "photos": len(mine["profile"]["photos"]),
        "birth_dates": int(mine["birth_date_given"] is not None),
        "likes": len(mine["likes_given"]) + mine["likes_received"],
        "passes": len(mine["passes"]),
        "daily_likes": len(mine["likes_today"]),
        "matches": len(mine["matches"]),
        "blocks": len(mine["blocked"]),
        "reports": len(mine["reports_made"]),
        "_souk_outbox": len(events["events"]),
        "_souk_timers": len(events["timers"]),
    }
    return Counter({k: v for k, v in counts.items() if v})


def test_the_archive_holds_every_row_about_the_user_and_nothing_of_anyone_else(souk_world):
    world, zeno, others = busy(souk_world)
    archive = zeno.export()
    in_file = rows_naming(world, member_id(world, zeno))
    assert in_file == exported(archive)
    assert sum(in_file.values()) >= 12
    mine = archive["apps/matchmaking.json"]
    assert [like["name"] for like in mine["likes_given"]] == ["Ana", "Bruna"]
    assert mine["likes_received"] == 2
    assert [(m["name"], m["status"]) for m in mine["matches"]] == [("Bruna", "open")]
    assert mine["reports_made"][0]["reason"] == "scam"
    text = json.dumps(archive, ensure_ascii=False)
    for other in others.values():
        assert member_id(world, other) not in text and card_of(other) not in text


def test_erasure_removes_the_profile_everywhere_and_keeps_the_report_without_him(souk_world):
    world, zeno, others = busy(souk_world)
    name = member_id(world, zeno)
    receipt = zeno.erase()["parts"]["matchmaking"]
    assert receipt["deleted"] == {
        "profiles": 1,
        "interests": 1,
        "photos": 1,
        "likes": 4,
        "passes": 1,
        "daily_likes": 1,
        "birth_dates": 1,
        "blocks": 2,
        "images": 1,  # the photo's picture, from the media store
    }
    assert receipt["pseudonymised"]["matches"] >= 1 and receipt["pseudonymised"]["reports"] == 1
    assert rows_naming(world, name) == Counter()
    files = [p for p in (database(world), Path(f"{database(world)}-wal")) if p.exists()]
    for needle in (name.encode(), BIO.encode()):
        assert [p.name for p in files if needle in p.read_bytes()] == []
    for other in others.values():
        assert all(c["first_name"] != "Zeno" for c in candidates(other))
    (gone,) = others["Bruna"].call("GET", f"{MM}/matches")["matches"]
    assert (gone["name"], gone["status"]) == ("Deleted profile", "deleted")
    assert count(world, "SELECT COUNT(*) FROM reports WHERE reason = 'scam' AND note = ''") == 1
    assert count(world, "SELECT COUNT(*) FROM likes") == 0
