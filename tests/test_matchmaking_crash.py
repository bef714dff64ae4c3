"""Mutual likes cut by ``kill -9`` leave no half-made match, and every match gets its one chat.

A real ``souk serve`` with matchmaking in Brazil: 30 pairs (100 with
``SOUK_STRESS=1``) of people with profiles send their two likes of each
other all at once; when a random number of matches have been made the
server is killed with SIGKILL, started again on the same data folder, and
every like sent again (a client retrying what it did not hear back).  Then:

- every match has both likes behind it, and every pair with both likes has
  exactly one match: none was half made;
- every like was counted once in its member's day, retried or not;
(The kill must come before everything is done: some match or some chat still
to be made.)

- every match got its chat after the restart (the timer that opens it was
  written with the match), one direct conversation per pair, told "It's a
  match" once (twice at most for the one pair whose chat may have been
  opened in the instant before the kill, before it was recorded).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from e2e_support import ServerProcess
from stress import count
from test_shop_oversell import Client
from tickets_e2e import crowd, enable

MM = "/api/v1/apps/matchmaking"
PAIRS = count(30, 100)

pytestmark = pytest.mark.slow


def matchmaking_db(server: ServerProcess) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{Path(server.data_dir) / 'apps' / 'matchmaking.db'}?mode=ro", uri=True, timeout=30
    )


def scalar(server: ServerProcess, sql: str) -> int:
    with matchmaking_db(server) as db:
        return db.execute(sql).fetchone()[0]


def profile(index: int) -> dict:
    woman = index % 2 == 0
    return {
        "name": f"{'Ana' if woman else 'Bruno'} {index:03d}",
        "birth_date": "1994-04-04",
        "gender": "woman" if woman else "man",
        "seeks": ["man" if woman else "woman"],
        "city": "São Paulo",
        "interests": [f"pair{index // 2}"],
    }


async def like(person: Client, card: str) -> int | str:
    try:
        response = await person.http.post(f"{MM}/candidates/{card}/like")
    except Exception as exc:  # the server went away mid-request: the client will send it again
        return type(exc).__name__
    return response.status_code


def test_likes_cut_by_kill_9_leave_no_half_made_match(fresh_server: ServerProcess) -> None:
    server = fresh_server
    enable(server, "matchmaking", country="BR")

    async def set_up() -> tuple[list[str], list[str]]:
        people = await crowd(server, PAIRS * 2, "+55119{:08d}", "Person")
        cards = []
        for index, person in enumerate(people):
            await person.allow("matchmaking", "/matches")
            cards.append((await person.call("PUT", f"{MM}/profile", profile(index)))["card"])
        tokens = [person.http.headers["Authorization"] for person in people]
        for person in people:
            await person.http.aclose()
        return tokens, cards

    def kill_when(matches: int) -> None:
        deadline = time.monotonic() + 60
        while scalar(server, "SELECT COUNT(*) FROM matches") < matches and time.monotonic() < deadline:
            time.sleep(0.001)
        server.kill()

    async def all_likes(tokens: list[str], cards: list[str], kill_at: int | None = None) -> list[int | str]:
        """Every like of every pair at once, each person on a client of this loop; with ``kill_at``,
        the server is killed once that many matches are made."""
        people = [Client(server.async_client()) for _ in tokens]
        for person, token in zip(people, tokens, strict=True):
            person.http.headers["Authorization"] = token
        pairs = [(people[i], cards[i + 1]) for i in range(0, len(people), 2)]
        pairs += [(people[i + 1], cards[i]) for i in range(0, len(people), 2)]
        random.shuffle(pairs)
        killer = None
        if kill_at is not None:  # watched from a thread of its own, so the likes go on meanwhile
            killer = threading.Thread(target=kill_when, args=(kill_at,))
            killer.start()
        answers = list(await asyncio.gather(*(like(p, c) for p, c in pairs)))
        if killer is not None:
            killer.join()
        for person in people:
            await person.http.aclose()
        return answers

    tokens, cards = asyncio.run(set_up())
    first = asyncio.run(all_likes(tokens, cards, kill_at=random.randint(1, PAIRS - 1)))
    at_kill = scalar(server, "SELECT COUNT(*) FROM matches")
    chats_at_kill = scalar(server, "SELECT COUNT(*) FROM matches WHERE conversation IS NOT NULL")
    print(f"answered before the kill: {Counter(first)}")
    assert at_kill > 0 and (at_kill, chats_at_kill) != (PAIRS, PAIRS), "the kill came after all was done"
    server.start()

    assert asyncio.run(all_likes(tokens, cards)) == [200] * (PAIRS * 2)
    deadline = time.monotonic() + 60
    while scalar(server, "SELECT COUNT(*) FROM matches WHERE conversation IS NULL"):
        assert time.monotonic() < deadline, "a match never got its chat"
        time.sleep(0.05)

    with matchmaking_db(server) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        half = db.execute(
            "SELECT COUNT(*) FROM matches m "
            "WHERE NOT EXISTS (SELECT 1 FROM likes WHERE liker = m.a AND liked = m.b) "
            "OR NOT EXISTS (SELECT 1 FROM likes WHERE liker = m.b AND liked = m.a)"
        ).fetchone()[0]
        mutual = db.execute(
            "SELECT COUNT(*) FROM likes l JOIN likes r ON r.liker = l.liked AND r.liked = l.liker "
            "WHERE l.liker < l.liked"
        ).fetchone()[0]
        counts = db.execute("SELECT COUNT(*), SUM(count), MAX(count) FROM daily_likes").fetchone()
        matches = db.execute("SELECT COUNT(*), COUNT(DISTINCT conversation) FROM matches").fetchone()
        conversations = [c for (c,) in db.execute("SELECT conversation FROM matches")]
    assert half == 0 and mutual == PAIRS and matches == (PAIRS, PAIRS)
    assert counts == (PAIRS * 2, PAIRS * 2, 1)
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True) as core:
        told = [
            core.execute(
                "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND text LIKE 'It''s a match!%'", [c]
            ).fetchone()[0]
            for c in conversations
        ]
        kinds = {
            k
            for (k,) in core.execute(
                f"SELECT kind FROM conversations WHERE id IN ({','.join('?' * len(conversations))})",
                conversations,
            )
        }
    assert kinds == {"direct"}
    assert sorted(told)[: PAIRS - 1] == [1] * (PAIRS - 1) and max(told) <= 2
    print(
        f"killed at {at_kill} of {PAIRS} matches ({chats_at_kill} chats open); "
        f"then {PAIRS} matches, {PAIRS} chats, told {sum(told)} times"
    )
