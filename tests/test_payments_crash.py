"""kill -9 of a real server in the middle of concurrent transfers: no money lost, none moved twice.

The load of ``test_payments_load.py`` (50 clients sending transfers among 10
accounts) runs until the server is killed with SIGKILL at a random moment,
several times (default 2 kills, ``SOUK_STRESS=1``: 5).  After each restart on
the same data folder:

- ``souk payments check`` exits 0 and says clean, and the wallets still add up
  to what was topped up;
- every acknowledged (201) transfer is there exactly once;
- every request that got no answer is retried with its same idempotency key:
  the retry answers 201 (``replayed`` exactly when the cut-off request had
  landed), a second retry answers the same receipt, and the transfer exists
  exactly once, never twice.  The stored transfers are then exactly the
  acknowledged ones, and each person's statement shows each of theirs once.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest
from e2e_support import ServerProcess, User
from stress import STRESS
from test_payments_load import (
    ACCOUNTS,
    CLIENTS,
    TOP_UP,
    TRANSFERS,
    Outcomes,
    Sent,
    accounts,
    assert_exactly_the_acknowledged,
    assert_money_conserved,
    assert_statements,
    check_ledger,
    payments_server,
    transfer_client,
)

pytestmark = pytest.mark.slow

KILLS = 5 if STRESS else 2


async def _load_then_kill(
    server: ServerProcess, people: list[User], kill: int, rng: random.Random
) -> Outcomes:
    """Clients send transfers until the server dies; it is killed once a random number is acknowledged."""
    outcomes = Outcomes()
    rngs = [random.Random(rng.random()) for _ in range(CLIENTS)]
    tasks = [
        asyncio.create_task(transfer_client(server, people, k, None, outcomes, rngs[k], f"kill{kill}"))
        for k in range(CLIENTS)
    ]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    wanted = rng.randint(40, 400 if STRESS else 120)
    while len(outcomes.acked) < wanted:
        assert loop.time() < deadline, f"only {len(outcomes.acked)} transfers acknowledged"
        assert not any(t.done() for t in tasks), [t.exception() for t in tasks if t.done()]
        await asyncio.sleep(0.002)
    await asyncio.sleep(rng.uniform(0, 0.05))
    server.kill()  # SIGKILL, with transfers in flight
    await asyncio.wait_for(asyncio.gather(*tasks), 30)
    return outcomes


@pytest.mark.stress
def test_kill_9_during_transfers_loses_nothing_and_a_retry_never_pays_twice(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    acked: dict[str, Sent] = {}
    retried: Counter[str] = Counter()
    with payments_server(tmp_path / "data") as server:
        people = accounts(server)
        for kill in range(KILLS):
            outcomes = asyncio.run(_load_then_kill(server, people, kill, rng))
            assert not outcomes.refused, f"seed {seed}: {outcomes.refused}"
            # Every client was cut mid-stream: its last request has no answer.
            assert len(outcomes.unanswered) == CLIENTS, f"seed {seed}"
            acked.update(outcomes.acked)

            server.start()  # the same data folder, after a SIGKILL
            check_ledger(server.data_dir)
            assert_money_conserved(server.data_dir, TOP_UP * ACCOUNTS)
            # Every acknowledged transfer is there once; of the cut-off ones, some may have landed.
            landed = assert_exactly_the_acknowledged(server.data_dir, acked, outcomes.unanswered)
            # Requests that got no answer: retried with the same key, each lands exactly once.
            for sent in outcomes.unanswered:
                with server.client(people[sent.payer].token) as http:
                    response = http.post(TRANSFERS, json=sent.body(people))
                    again = http.post(TRANSFERS, json=sent.body(people))  # and once more
                assert response.status_code == 201, f"seed {seed}: {response.text}"
                receipt = response.json()
                assert receipt["amount"] == sent.amount
                # Replayed exactly when the cut-off request had landed before the kill.
                assert receipt["replayed"] == (sent.key in landed), f"seed {seed}: {sent}"
                assert again.status_code == 201 and again.json() == {**receipt, "replayed": True}
                retried["had landed: replayed" if receipt["replayed"] else "had not: moved on retry"] += 1
                assert receipt["transfer_id"] not in acked, "a retry answered another transfer"
                acked[receipt["transfer_id"]] = sent
            # Now the stored transfers are exactly the acknowledged ones, each once.
            assert_exactly_the_acknowledged(server.data_dir, acked)
            print(
                f"\nkill {kill + 1}: {len(outcomes.acked)} acknowledged before the kill, "
                f"{len(outcomes.unanswered)} cut off; retries so far {dict(retried)} (seed {seed})"
            )
        assert_statements(server, people, acked)
    assert sum(retried.values()) == KILLS * CLIENTS
