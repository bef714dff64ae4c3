"""Build a Souk world over its public HTTP API: users signed in, conversations made.

Every benchmark user has an Indian number (``+91 98765 NNNNN``) and signs in
with the development code, as a client would.  This is set-up, never timed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bench.httpclient import Connection

DEV_CODE = "000000"
MAX_MEMBERS_PER_CALL = 255
T = TypeVar("T")


@dataclass
class User:
    index: int
    id: str
    token: str
    handle: str


def phone(index: int) -> str:
    return f"+9198765{index:05d}"


async def in_parallel(port: int, count: int, work: Callable[[Connection, int], Awaitable[T]]) -> list[T]:
    """Run ``work(connection, i)`` for i in range(count) over a few keep-alive connections."""
    results: list[T | None] = [None] * count
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(count):
        queue.put_nowait(index)

    async def worker() -> None:
        connection = await Connection(port).open()
        try:
            while not queue.empty():
                index = queue.get_nowait()
                results[index] = await work(connection, index)
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(min(32, max(1, count)))))
    return results  # type: ignore[return-value]


async def sign_in_many(port: int, count: int) -> list[User]:
    async def sign_in(connection: Connection, index: int) -> User:
        await connection.json("POST", "/api/v1/auth/code", {"phone": phone(index)}, expect=(202,))
        signed = await connection.json(
            "POST",
            "/api/v1/auth/verify",
            {"phone": phone(index), "code": DEV_CODE, "display_name": f"Bench {index}"},
        )
        return User(index, signed["user"]["id"], signed["token"], signed["user"]["handle"])

    return await in_parallel(port, count, sign_in)


async def post_as(
    port: int, user: User, path: str, data: object, expect: tuple[int, ...] = (200, 201)
) -> dict:
    connection = Connection(port, user.token)
    try:
        return await connection.json("POST", path, data, expect=expect)
    finally:
        await connection.close()


async def direct_pairs(port: int, users: list[User]) -> list[str]:
    """A direct chat for each pair (0, 1), (2, 3), ...; returns each user's conversation id."""
    pairs = len(users) // 2

    async def open_pair(connection: Connection, pair: int) -> str:
        first, second = users[2 * pair], users[2 * pair + 1]
        row = await post_as(
            port, first, "/api/v1/conversations", {"kind": "direct", "with": {"user_id": second.id}}
        )
        return row["id"]

    ids = await in_parallel(port, pairs, open_pair)
    return [ids[min(i // 2, pairs - 1)] for i in range(len(users))]


async def solo_groups(port: int, users: list[User]) -> list[str]:
    """A group of one for each user, where their commands and the answers go."""

    async def open_group(connection: Connection, index: int) -> str:
        row = await post_as(
            port, users[index], "/api/v1/conversations", {"kind": "group", "title": "Commands", "members": []}
        )
        return row["id"]

    return await in_parallel(port, len(users), open_group)


async def group_of(port: int, users: list[User], title: str = "Everyone") -> str:
    owner, others = users[0], users[1:]
    first, rest = others[:MAX_MEMBERS_PER_CALL], others[MAX_MEMBERS_PER_CALL:]
    row = await post_as(
        port,
        owner,
        "/api/v1/conversations",
        {"kind": "group", "title": title, "members": [{"user_id": u.id} for u in first]},
    )
    for start in range(0, len(rest), MAX_MEMBERS_PER_CALL):
        batch = rest[start : start + MAX_MEMBERS_PER_CALL]
        await post_as(
            port,
            owner,
            f"/api/v1/conversations/{row['id']}/members",
            {"members": [{"user_id": u.id} for u in batch]},
        )
    return row["id"]
