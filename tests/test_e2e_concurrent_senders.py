"""Many senders at once: gapless sequence numbers, and every live receiver sees the same order."""

from __future__ import annotations

import asyncio
import contextlib

from e2e_support import (
    ServerProcess,
    User,
    create_group,
    history,
    seqs,
    sign_in,
    ws_connect,
    ws_messages,
    ws_quiet,
)

SENDERS = 20
PER_SENDER = 10
RECEIVERS = 3


def test_twenty_concurrent_senders_get_gapless_seqs_and_receivers_see_one_order(
    server: ServerProcess,
) -> None:
    people = [sign_in(server, f"Sender {i:02d}") for i in range(SENDERS)]
    owner, others = people[0], people[1:]
    group = create_group(server, owner, others, title="rush hour")
    conversation_id = group["id"]
    total = SENDERS * PER_SENDER
    first = group["last_seq"] + 1  # after the group's creation line

    async def send_all(http_clients: list, user: User, index: int) -> list[int]:
        http = http_clients[index]
        got = []
        for n in range(PER_SENDER):
            response = await http.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"client_id": f"{user.id}-{n}", "text": f"{user.name} says {n}"},
            )
            assert response.status_code == 201, response.text
            got.append(response.json()["seq"])
        return got

    async def scenario() -> tuple[list[list[int]], list[list[dict]], list[list[dict]]]:
        receivers = people[:RECEIVERS]
        sockets = []
        async with contextlib.AsyncExitStack() as stack:
            for receiver in receivers:
                ws, backlog = await ws_connect(server, receiver, {conversation_id: first - 1})
                stack.push_async_callback(ws.close)
                assert backlog == []
                sockets.append(ws)
            clients = [await stack.enter_async_context(server.async_client(p.token)) for p in people]
            listeners = [
                asyncio.create_task(ws_messages(ws, conversation_id, total, timeout=40)) for ws in sockets
            ]
            acked = await asyncio.gather(*(send_all(clients, p, i) for i, p in enumerate(people)))
            seen = await asyncio.gather(*listeners)
            extra = await asyncio.gather(*(ws_quiet(ws, conversation_id) for ws in sockets))
        return acked, seen, extra

    acked, seen, extra = asyncio.run(scenario())

    # Each sender's own messages are acknowledged in increasing order, and together they are 1..N.
    for mine in acked:
        assert mine == sorted(mine)
    all_acked = sorted(s for mine in acked for s in mine)
    assert all_acked == list(range(first, first + total))

    # Every receiver saw all N, in seq order, each once, and nothing after.
    for messages in seen:
        assert seqs(messages) == list(range(first, first + total))
    assert all(m == seen[0] for m in seen[1:])
    assert extra == [[]] * RECEIVERS

    stored = [m for m in history(server, owner, conversation_id) if m["seq"] >= first]
    assert seqs(stored) == list(range(first, first + total))
    assert [m["id"] for m in stored] == [m["id"] for m in seen[0]]
    by_sender: dict[str, list[str]] = {}
    for message in stored:
        by_sender.setdefault(message["sender"]["id"], []).append(message["text"])
    assert len(by_sender) == SENDERS
    for person in people:
        assert by_sender[person.id] == [f"{person.name} says {n}" for n in range(PER_SENDER)]
