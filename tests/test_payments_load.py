"""Payments under load on a real ``souk serve``: concurrent transfers lose and duplicate nothing.

N clients (default 50) each make M transfers (default 8; ``SOUK_STRESS=1``: 200)
among 10 accounts over the real HTTP API, all at once.  Afterwards:

- ``souk payments check --data DIR`` (a separate process) exits 0 and says clean;
- every acknowledged (201) transfer is in the payments database exactly once,
  with the amount it was acknowledged for, and there is no other transfer;
- every person's statement over the API shows each of their transfers once,
  with the right sign;
- the money is conserved: the wallets add up to what was topped up.

The transfers per second (acknowledged / wall time) are printed (``-s``).

The helpers here (a payments-enabled server, Indian users who allowed the
mini-app, the transfer clients and the checks) are shared with
``test_payments_crash.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import sqlite3
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import CHILD_ENV, DEV_CODE, SOUK, ServerProcess, User, run_cli
from stress import STRESS

pytestmark = pytest.mark.slow

CLIENTS = 50
TRANSFERS_EACH = 200 if STRESS else 8
ACCOUNTS = 10
TOP_UP = 1_000_000_00
"""What each account starts with, in paise (₹10 lakh): enough that no transfer is refused for money."""
TRANSFERS = "/api/v1/apps/payments/transfers"

# Indian mobile numbers of these tests only (the shared helpers hand out others).
_PHONES = (f"+91987660{i:04d}" for i in itertools.count(1))


# -- a server with payments enabled in India ------------------------------------------------


def payments_db_path(data_dir: Path) -> Path:
    return data_dir / "apps" / "payments.db"


def cli_ok(*args: str) -> str:
    done = run_cli(*args, timeout=60)
    assert done.returncode == 0, f"souk {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def check_ledger(data_dir: Path) -> str:
    """``souk payments check``, as an operator runs it: exit 0 and "clean", or the test fails."""
    out = cli_ok("payments", "check", "--data", str(data_dir))
    assert "clean" in out, out
    return out


@contextlib.contextmanager
def payments_server(data_dir: Path) -> Iterator[ServerProcess]:
    """A ``souk serve`` whose operator enabled payments in IN and raised the limits for a load test."""
    data = str(data_dir)
    data_dir.mkdir(parents=True)
    # The two commands touch different files (souk.db, apps/payments.db): run them side by side.
    commands = [
        ["plugins", "enable", "payments", "--country", "IN", "--data", data],
        ["payments", "limits", "IN", "--max-transfer", "100000", "--daily", "10000000", "--data", data],
    ]
    children = [
        subprocess.Popen([*SOUK, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=CHILD_ENV)
        for args in commands
    ]
    for args, child in zip(commands, children, strict=True):
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0, f"souk {' '.join(args)}: {out.decode(errors='replace')}"
    server = ServerProcess(data_dir)
    server.start()
    try:
        yield server
    finally:
        server.kill()
    log = server.log_tail(10**9)
    assert "Traceback" not in log, f"the server logged an error:\n{log[-6000:]}"
    assert not server.responses.problems, server.responses.report()


# -- people who allowed payments and topped up ----------------------------------------------


def sign_in_indian(server: ServerProcess, name: str) -> User:
    phone = next(_PHONES)
    with server.client() as http:
        assert http.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
        signed = http.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": DEV_CODE, "display_name": name}
        )
        assert signed.status_code == 200, signed.text
    user = User(signed.json())
    assert signed.json()["user"]["country"] == "IN"
    return user


def allow_payments(server: ServerProcess, user: User) -> None:
    """What a person does on first use: open the payments chat, type /wallet, press Allow."""
    with server.client(user.token) as http:
        chat = http.post("/api/v1/apps/payments/chat")
        assert chat.status_code in (200, 201), chat.text
        messages = f"/api/v1/conversations/{chat.json()['id']}/messages"
        sent = http.post(messages, json={"client_id": uuid.uuid4().hex, "text": "/wallet"})
        assert sent.status_code == 201, sent.text
        deadline = time.monotonic() + 10
        allow = None
        while allow is None:
            assert time.monotonic() < deadline, "no consent screen came"
            for message in http.get(messages, params={"limit": 200}).json()["messages"]:
                screen = message["screen"] or {}
                for part in screen.get("body", []):
                    if message["sender"]["kind"] == "system" and part.get("action") == "allow":
                        allow = (message["id"], part["id"])
            time.sleep(0.02)
        pressed = http.post(
            "/api/v1/actions", json={"message_id": allow[0], "component_id": allow[1], "values": {}}
        )
        assert pressed.status_code == 200 and pressed.json()["status"] == "ok", pressed.text
        assert http.get("/api/v1/apps/payments/wallet").status_code == 200


def top_up(server: ServerProcess, user: User, minor: int) -> None:
    with server.client(user.token) as http:
        response = http.post(
            "/api/v1/apps/payments/topups",
            json={
                "amount": f"{minor // 100}.{minor % 100:02d}",
                "card": "4242 4242 4242 4242",
                "idempotency_key": uuid.uuid4().hex,
            },
        )
    assert response.status_code == 201 and response.json()["status"] == "approved", response.text


def accounts(server: ServerProcess, count: int = ACCOUNTS) -> list[User]:
    people = [sign_in_indian(server, f"Payer {k}") for k in range(count)]
    for person in people:
        allow_payments(server, person)
        top_up(server, person, TOP_UP)
    return people


# -- concurrent transfers --------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    payer: int
    payee: int
    amount: int
    key: str

    def body(self, people: list[User]) -> dict[str, Any]:
        return {
            "to": f"@{people[self.payee].handle}",
            "amount": f"{self.amount // 100}.{self.amount % 100:02d}",
            "currency": "INR",
            "note": self.key[-12:],
            "idempotency_key": self.key,
        }


@dataclass
class Outcomes:
    acked: dict[str, Sent] = field(default_factory=dict)
    """transfer id -> the transfer the server acknowledged with 201."""
    unanswered: list[Sent] = field(default_factory=list)
    """Requests cut off without an answer (the server was killed): their fate is unknown."""
    refused: Counter[str] = field(default_factory=Counter)

    def record(self, sent: Sent, response: httpx.Response) -> None:
        if response.status_code != 201:
            self.refused[f"{response.status_code} {response.text[:200]}"] += 1
            return
        receipt = response.json()
        assert receipt["amount"] == sent.amount and receipt["status"] == "succeeded", receipt
        previous = self.acked.setdefault(receipt["transfer_id"], sent)
        assert previous == sent, f"two requests got one transfer id: {previous}, {sent}"


async def transfer_client(
    server: ServerProcess,
    people: list[User],
    client: int,
    count: int | None,
    outcomes: Outcomes,
    rng: random.Random,
    tag: str,
) -> None:
    """One client of one account sending ``count`` transfers (or until the server goes away)."""
    payer = client % len(people)
    async with server.async_client(people[payer].token) as http:
        for n in itertools.count() if count is None else range(count):
            payee = rng.choice([k for k in range(len(people)) if k != payer])
            sent = Sent(payer, payee, rng.randint(1, 99_99), f"{tag}-c{client}-{n}-{uuid.uuid4().hex[:8]}")
            try:
                response = await http.post(TRANSFERS, json=sent.body(people))
            except httpx.TransportError:
                outcomes.unanswered.append(sent)
                return
            outcomes.record(sent, response)


# -- what must hold afterwards ---------------------------------------------------------------


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def assert_exactly_the_acknowledged(
    data_dir: Path, acked: dict[str, Sent], cut_off: list[Sent] | None = None
) -> set[str]:
    """Every acknowledged transfer is stored once, as acknowledged, and no other transfer exists
    but those of requests ``cut_off`` without an answer; returns the keys of those that landed.
    """
    db = read_only(payments_db_path(data_dir))
    try:
        stored = dict(db.execute("SELECT id, amount FROM transfers WHERE kind = 'p2p'").fetchall())
        missing = [t for t in acked if t not in stored]
        assert not missing, f"{len(missing)} acknowledged transfers are lost, e.g. {missing[:3]}"
        assert all(stored[t] == sent.amount for t, sent in acked.items())
        key_of = {
            json.loads(response)["transfer_id"]: key
            for key, response in db.execute("SELECT key, response FROM idempotency WHERE scope LIKE 'p2p:%'")
        }
        assert len(key_of) == len(stored), "a transfer without its idempotency key, or a key twice"
        unknown = {t: key_of.get(t) for t in set(stored) - set(acked)}
        allowed = {sent.key: sent for sent in cut_off or []}
        phantoms = {t: key for t, key in unknown.items() if key not in allowed}
        assert not phantoms, f"{len(phantoms)} transfers nobody asked for, e.g. {sorted(phantoms)[:3]}"
        assert all(stored[t] == allowed[key].amount for t, key in unknown.items())
        legs = Counter(
            r[0]
            for r in db.execute(
                "SELECT e.transfer_id FROM entries e JOIN transfers t ON t.id = e.transfer_id "
                "WHERE t.kind = 'p2p'"
            )
        )
        assert set(legs.values()) <= {2} and len(legs) == len(stored)
    finally:
        db.close()
    return set(unknown.values())  # type: ignore[arg-type]


def assert_money_conserved(data_dir: Path, topped_up: int) -> None:
    db = read_only(payments_db_path(data_dir))
    try:
        wallets = db.execute("SELECT SUM(balance), SUM(held) FROM accounts WHERE kind = 'wallet'").fetchone()
        funding = db.execute("SELECT SUM(balance) FROM accounts WHERE kind = 'system'").fetchone()[0]
    finally:
        db.close()
    assert tuple(wallets) == (topped_up, 0)
    assert funding == -topped_up


def statement(server: ServerProcess, user: User) -> dict[str, int]:
    """transfer id -> signed amount, from the person's whole statement over the API."""
    seen: dict[str, int] = {}
    with server.client(user.token) as http:
        before = None
        while True:
            params = {"limit": 200, **({"before": before} if before is not None else {})}
            page = http.get("/api/v1/apps/payments/wallet", params=params)
            assert page.status_code == 200, page.text
            for entry in page.json()["entries"]:
                assert entry["transfer_id"] not in seen, "an entry is listed twice"
                seen[entry["transfer_id"]] = entry["amount"]
            before = page.json()["next_before"]
            if before is None:
                return seen


def assert_statements(server: ServerProcess, people: list[User], acked: dict[str, Sent]) -> None:
    """Each person sees each of their transfers once: minus for the payer, plus for the payee."""
    for k, person in enumerate(people):
        seen = statement(server, person)
        transfers = {t: a for t, a in seen.items() if a != TOP_UP}
        expected = {t: -s.amount for t, s in acked.items() if s.payer == k}
        expected.update({t: s.amount for t, s in acked.items() if s.payee == k})
        assert transfers == expected, f"the statement of {person.name} differs"


# -- the test ----------------------------------------------------------------------------


def test_concurrent_transfers_over_http_keep_the_ledger_exact(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    rngs = [random.Random(seed + k) for k in range(CLIENTS)]
    with payments_server(tmp_path / "data") as server:
        people = accounts(server)
        outcomes = Outcomes()

        async def load() -> None:
            await asyncio.gather(
                *(
                    transfer_client(server, people, k, TRANSFERS_EACH, outcomes, rngs[k], "load")
                    for k in range(CLIENTS)
                )
            )

        started = time.perf_counter()
        asyncio.run(load())
        elapsed = time.perf_counter() - started
        rate = len(outcomes.acked) / elapsed
        print(
            f"\n{CLIENTS} clients x {TRANSFERS_EACH} transfers: {len(outcomes.acked)} acknowledged "
            f"in {elapsed:.2f} s = {rate:.0f} transfers/s (seed {seed})"
        )
        assert not outcomes.refused, f"seed {seed}: {outcomes.refused}"
        assert not outcomes.unanswered, f"seed {seed}"
        assert len(outcomes.acked) == CLIENTS * TRANSFERS_EACH, f"seed {seed}"

        check_ledger(server.data_dir)
        assert_exactly_the_acknowledged(server.data_dir, outcomes.acked)
        assert_money_conserved(server.data_dir, TOP_UP * ACCOUNTS)
        assert_statements(server, people, outcomes.acked)
