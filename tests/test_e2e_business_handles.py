"""One handle, one holder, under contention and across kill -9 of a real server.

People and businesses share the handle namespace; a claim is checked and written in one
transaction of the store's single writer, so of many concurrent claims to one handle exactly
one wins and the others get ``409 handle_taken``.  A business and its owner's place on its
staff are written together: after a SIGKILL in the middle of concurrent creations, every
acknowledged business is there with exactly one owner, and no handle is held twice.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
from e2e_support import ServerProcess, User, sign_in
from stress import STRESS

CLAIMANTS = 16 if STRESS else 8
ROUNDS = 3 if STRESS else 1


def _claims(server: ServerProcess, people: list[User], handle: str) -> list[tuple[int, str | None]]:
    """Each person claims ``handle`` twice at once: as their own, and for a new business."""

    async def claim(http: httpx.AsyncClient, as_business: bool) -> tuple[int, str | None]:
        if as_business:
            body = {"name": "Contested", "handle": handle, "category": "shop"}
            response = await http.post("/api/v1/businesses", json=body)
        else:
            response = await http.patch("/api/v1/me", json={"handle": handle})
        code = response.json()["error"]["code"] if response.status_code >= 400 else None
        return response.status_code, code

    async def scenario() -> list[tuple[int, str | None]]:
        clients = [server.async_client(p.token) for p in people]
        try:
            return await asyncio.gather(*(claim(c, kind) for c in clients for kind in (True, False)))
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))

    return asyncio.run(scenario())


def _holders(server: ServerProcess, handle: str) -> int:
    conn = sqlite3.connect(server.db_path, timeout=30)
    try:
        users = conn.execute("SELECT COUNT(*) FROM users WHERE handle = ?", [handle]).fetchone()[0]
        businesses = conn.execute("SELECT COUNT(*) FROM businesses WHERE handle = ?", [handle]).fetchone()[0]
    finally:
        conn.close()
    return users + businesses


def test_of_many_concurrent_claims_to_one_handle_exactly_one_wins(fresh_server: ServerProcess) -> None:
    people = [sign_in(fresh_server, f"Claimant {i:02d}") for i in range(CLAIMANTS)]
    for n in range(ROUNDS):
        handle = f"contested_{n}"
        answers = _claims(fresh_server, people, handle)
        won = [status for status, _ in answers if status in (200, 201)]
        lost = [code for status, code in answers if status == 409]
        assert len(won) == 1 and len(lost) == 2 * CLAIMANTS - 1, answers
        assert set(lost) == {"handle_taken"}
        assert _holders(fresh_server, handle) == 1


async def _create_until_killed(server: ServerProcess, owner: User, tag: str, acked: dict[str, str]) -> None:
    async with server.async_client(owner.token) as http:
        n = 0
        while True:
            handle = f"{tag}_{n}"
            try:
                response = await http.post(
                    "/api/v1/businesses",
                    json={"name": f"Shop {handle}", "handle": handle, "category": "shop"},
                )
            except httpx.TransportError:
                return
            assert response.status_code == 201, response.text
            acked[handle] = response.json()["id"]
            n += 1


def test_businesses_acknowledged_before_a_kill_are_there_with_one_owner_each(
    fresh_server: ServerProcess,
) -> None:
    owners = [sign_in(fresh_server, f"Owner {i}") for i in range(6)]
    acked: dict[str, str] = {}

    async def scenario() -> None:
        tasks = [
            asyncio.create_task(_create_until_killed(fresh_server, owner, f"shop{k}", acked))
            for k, owner in enumerate(owners)
        ]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while len(acked) < 30:  # about 5 each, well within the 20 one person may own
            assert loop.time() < deadline, f"only {len(acked)} businesses acknowledged"
            assert not any(t.done() for t in tasks), [t.exception() for t in tasks if t.done()]
            await asyncio.sleep(0.005)
        fresh_server.kill()  # SIGKILL, with creations in flight
        await asyncio.wait_for(asyncio.gather(*tasks), 20)

    asyncio.run(scenario())
    fresh_server.start()
    conn = sqlite3.connect(fresh_server.db_path, timeout=30)
    try:
        assert [row[0] for row in conn.execute("PRAGMA integrity_check")] == ["ok"]
        stored = dict(conn.execute("SELECT handle, id FROM businesses").fetchall())
        owners_of = conn.execute(
            "SELECT b.id, COUNT(s.user_id), SUM(s.user_id = b.owner_id) FROM businesses b "
            "LEFT JOIN business_staff s ON s.business_id = b.id AND s.role = 'owner' GROUP BY b.id"
        ).fetchall()
        doubled = conn.execute(
            "SELECT handle FROM users WHERE handle IN (SELECT handle FROM businesses)"
        ).fetchall()
    finally:
        conn.close()
    assert {handle: stored.get(handle) for handle in acked} == acked, "an acknowledged business was lost"
    assert len(stored) >= len(acked) >= 30 and len(stored) <= len(acked) + len(owners)
    assert all(count == 1 and matches == 1 for _, count, matches in owners_of), owners_of
    assert doubled == []
    with fresh_server.client() as http:
        some = next(iter(acked))
        assert http.get(f"/api/v1/businesses/{some}").json()["id"] == acked[some]
