"""kill -9 of a real server in the middle of concurrent sends loses no acknowledged message.

A write is acknowledged only after the commit that holds it, so after a
SIGKILL and a restart on the same data folder every message that got its 201
is there exactly once, sequence numbers have no gap, and the database passes
``PRAGMA integrity_check``.  A send that was in flight at the kill may or may
not have landed; retrying it with the same client id stores it at most once.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from dataclasses import dataclass, field

import httpx
import pytest
from e2e_support import ServerProcess, User, create_group, history, seqs, sign_in
from stress import STRESS

ITERATIONS = 5 if STRESS else 2
SENDERS = 8 if STRESS else 5


@dataclass
class Round:
    acked: dict[tuple[str, str], dict] = field(default_factory=dict)
    """(sender id, client id) -> the message the server acknowledged."""
    in_flight: dict[tuple[str, str], tuple[User, str]] = field(default_factory=dict)
    """Sends cut by the kill: their fate is unknown."""


async def _sender(server: ServerProcess, user: User, conversation_id: str, tag: str, result: Round) -> None:
    url = f"/api/v1/conversations/{conversation_id}/messages"
    async with server.async_client(user.token) as http:
        n = 0
        while True:
            client_id = f"{tag}-{n}"
            text = f"{user.name} {tag} #{n}"
            try:
                response = await http.post(url, json={"client_id": client_id, "text": text})
            except httpx.TransportError:
                result.in_flight[(user.id, client_id)] = (user, text)
                return
            assert response.status_code == 201, response.text
            message = response.json()
            assert message["client_id"] == client_id and message["text"] == text
            result.acked[(user.id, client_id)] = message
            n += 1


async def _send_then_kill(
    server: ServerProcess, senders: list[User], conversation_id: str, iteration: int, rng: random.Random
) -> Round:
    result = Round()
    tasks = [
        asyncio.create_task(_sender(server, user, conversation_id, f"i{iteration}u{k}", result))
        for k, user in enumerate(senders)
    ]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    wanted = rng.randint(20, 80)
    while len(result.acked) < wanted:
        assert loop.time() < deadline, f"only {len(result.acked)} sends acknowledged"
        assert not any(t.done() for t in tasks), [t.exception() for t in tasks if t.done()]
        await asyncio.sleep(0.005)
    await asyncio.sleep(rng.uniform(0, 0.05))
    server.kill()  # SIGKILL, with sends in flight
    await asyncio.wait_for(asyncio.gather(*tasks), 20)
    return result


def _integrity(server: ServerProcess) -> list[str]:
    problems = []
    for path in sorted(server.data_dir.rglob("*.db")):
        conn = sqlite3.connect(path, timeout=30)
        try:
            answer = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
        if answer != ["ok"]:
            problems.append(f"{path.name}: {answer}")
    return problems


def _check_stored(stored: list[dict], acked: dict[tuple[str, str], dict], exact: bool = False) -> None:
    last = stored[-1]["seq"] if stored else 0
    assert seqs(stored) == list(range(1, last + 1)), "sequence numbers have a gap or a duplicate"
    stored = [m for m in stored if m["sender"]["kind"] == "user"]  # not the group's creation line
    keys = [(m["sender"]["id"], m["client_id"]) for m in stored]
    assert len(keys) == len(set(keys)), "a (sender, client id) is stored twice"
    by_key = {(m["sender"]["id"], m["client_id"]): m for m in stored}
    missing = [key for key in acked if key not in by_key]
    assert not missing, f"{len(missing)} acknowledged messages lost, e.g. {missing[:3]}"
    for key, message in acked.items():
        assert by_key[key] == message, f"{key} changed after the crash"
    if exact:
        phantoms = set(by_key) - set(acked)
        assert not phantoms, f"stored but never sent: {sorted(phantoms)[:3]}"


@pytest.mark.stress
def test_kill_9_during_concurrent_sends_keeps_every_acknowledged_message(fresh_server: ServerProcess) -> None:
    server = fresh_server
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    people = [sign_in(server, f"Crash Sender {k}") for k in range(SENDERS)]
    group = create_group(server, people[0], people[1:], title="crash")
    conversation_id = group["id"]
    acked: dict[tuple[str, str], dict] = {}

    for iteration in range(ITERATIONS):
        result = asyncio.run(_send_then_kill(server, people, conversation_id, iteration, rng))
        assert len(result.acked) >= 20, f"seed {seed}"
        # Every sender was cut mid-stream: its last send has no answer.
        assert len(result.in_flight) == SENDERS, f"seed {seed}"
        acked.update(result.acked)

        server.start()  # the same data folder, after a SIGKILL
        assert _integrity(server) == [], f"seed {seed}"
        _check_stored(history(server, people[0], conversation_id), acked)

        # Sends whose answer the kill cut off: a retry lands at most once.
        for (user_id, client_id), (user, text) in result.in_flight.items():
            with server.client(user.token) as http:
                response = http.post(
                    f"/api/v1/conversations/{conversation_id}/messages",
                    json={"client_id": client_id, "text": text},
                )
            assert response.status_code in (200, 201), response.text
            acked[(user_id, client_id)] = response.json()
        # Now every stored message is one that was acknowledged, once.
        _check_stored(history(server, people[1], conversation_id), acked, exact=True)

    stored = history(server, people[0], conversation_id)
    with server.client(people[0].token) as http:
        described = http.get(f"/api/v1/conversations/{conversation_id}").json()
    assert described["last_seq"] == stored[-1]["seq"] == len(acked) + 1  # and the group's creation line
