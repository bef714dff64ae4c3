"""The kill switch pulled while people use the shop, on a real server, and then restored.

N buyers (20 by default, 50 with ``SOUK_STRESS=1``, or ``SOUK_CLIENTS``) each check out
one item (orders awaiting payment).  While all N keep sending /shop and reading their
orders, an operator kills the shop through the admin API, the buyers confirm their
payments (payments keeps running, so the ``payment.succeeded`` events meant for the shop
must wait), and then restores it:

- no answer is a 5xx, and every send is stored (201);
- every /shop sent gets its one answer: the shop's screen, or, once killed,
  "Shop is not available right now", never nothing;
- while killed, no order is paid and the N events wait in the payments outbox;
- after the restore, all N are delivered (0 lost): N orders paid, the stock
  down by exactly N with nothing left reserved, and the ledger clean.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
import uuid
from typing import Any

import pytest
from e2e_support import ServerProcess, run_cli, sign_in
from stress import count
from test_shop_oversell import Client, confirm_all, new_buyer, open_shop, rush

CLIENTS = int(os.environ.get("SOUK_CLIENTS", count(20, 50)))  # buyers at once
STOCK = 200
LOAD_CSV = f"sku,name,price,stock,category\nLOAD-1,Load shirt,10.00,{STOCK},load\n"
WAIT = 40.0
KILLED = "Shop is not available right now"
SHOP_SCREEN = "Shops"

pytestmark = pytest.mark.stress


def _rows(server: ServerProcess, db: str, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{server.data_dir / 'apps' / db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def _paid(server: ServerProcess) -> int:
    return _rows(server, "shop.db", "SELECT COUNT(*) FROM orders WHERE status = 'paid'")[0][0]


def _waiting_for_shop(server: ServerProcess) -> int:
    return _rows(
        server,
        "payments.db",
        "SELECT COUNT(*) FROM _souk_outbox WHERE delivered_at IS NULL AND dead_at IS NULL "
        "AND type = 'payment.succeeded'",
    )[0][0]


async def _until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for ``check()`` (a function, or one answering an awaitable) to be true."""
    deadline = time.monotonic() + WAIT
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, f"not within {WAIT} s: {what}"
        await asyncio.sleep(0.05)


class Load:
    """Each buyer sends /shop and reads their orders, over and over, until stopped."""

    def __init__(self, buyers: list[Client]) -> None:
        self.buyers = buyers
        self.statuses: list[int] = []
        self.sent = {id(b): 0 for b in buyers}
        self.first_seq: dict[int, int] = {}
        self.stop = asyncio.Event()

    async def run(self, buyer: Client) -> None:
        chat = await buyer.app_chat("shop")
        while not self.stop.is_set():
            sent = await buyer.http.post(
                f"/api/v1/conversations/{chat}/messages",
                json={"client_id": uuid.uuid4().hex, "text": "/shop"},
            )
            self.statuses.append(sent.status_code)
            if sent.status_code == 201:
                self.sent[id(buyer)] += 1
                self.first_seq.setdefault(id(buyer), sent.json()["seq"])
            orders = await buyer.http.get("/api/v1/apps/shop/orders")
            self.statuses.append(orders.status_code)  # 200, or 404 while the shop is killed
            await asyncio.sleep(0.02)


async def _answers(buyer: Client, after: int = 0) -> list[dict[str, Any]]:
    """What the buyer's shop chat answered them (after seq ``after``), read through its cached id."""
    everything, seen = [], after
    while True:
        page = await buyer.messages("shop", seen)
        if not page:
            return [m for m in everything if m["sender"]["kind"] != "user"]
        everything += page
        seen = page[-1]["seq"]


def test_kill_switch_under_load_loses_nothing(fresh_server: ServerProcess) -> None:
    server = fresh_server
    data = str(server.data_dir)
    for app in ("shop", "payments"):
        assert run_cli("plugins", "enable", app, "--country", "BR", "--data", data).returncode == 0
    made = run_cli("operators", "add", "ops", "--role", "owner", "--data", data)
    assert made.returncode == 0, made.stderr
    key = made.stdout.rsplit(": ", 1)[1].strip()
    owner = sign_in(server, "Rosa Owner", "+5511987299999")
    shop_id = open_shop(server, owner)
    server.restart()  # the sign-in count (100 codes an hour from one address) starts again

    async def scenario() -> None:
        async with server.async_client() as http:
            session = await Client(http).call("POST", "/api/v1/admin/session", {"name": "ops", "key": key})
            http.headers["Authorization"] = f"Bearer {session['token']}"
            operator = Client(http)
            async with server.async_client(owner.token) as owner_http:
                report = await Client(owner_http).call(
                    "POST",
                    "/api/v1/apps/shop/imports",
                    {"shop_id": shop_id, "format": "csv", "content": LOAD_CSV},
                )
                assert report["created"] == 1, report
            buyers = await asyncio.gather(*(new_buyer(server, i) for i in range(CLIENTS)))
            winners, refusals = await rush(buyers, shop_id, "LOAD-1", 0)
            assert (len(winners), refusals) == (CLIENTS, [])

            load = Load(buyers)
            runners = [asyncio.create_task(load.run(b)) for b in buyers]
            await _until(lambda: all(n >= 2 for n in load.sent.values()), "every buyer sent /shop twice")

            killed = await operator.call("POST", "/api/v1/admin/apps/shop/suspend", {"reason": "load test"})
            assert killed == {"changed": True}
            await confirm_all(winners)  # payments runs on; its events to the shop wait
            await _until(lambda: _waiting_for_shop(server) == CLIENTS, f"{CLIENTS} payment events waiting")
            assert _paid(server) == 0
            # After the kill, each buyer's next /shop is answered "not available".
            for buyer in buyers:
                sent_before = load.sent[id(buyer)]
                await _until(lambda b=buyer, n=sent_before: load.sent[id(b)] > n + 1, "a send after the kill")

                async def refused(b: Client = buyer) -> bool:
                    return any(KILLED in (m["text"] or "") for m in await _answers(b))

                await _until(refused, "a 'not available' answer")
            matrix = await operator.call("GET", "/api/v1/admin/matrix?countries=BR")
            assert next(a for a in matrix["apps"] if a["name"] == "shop")["cells"]["BR"]["state"] == "killed"

            assert await operator.call("POST", "/api/v1/admin/apps/shop/resume") == {"changed": True}
            await _until(lambda: _paid(server) == CLIENTS, f"all {CLIENTS} orders paid after the restore")
            # An event is marked delivered after its handler's own commit: wait for the marks too.
            await _until(lambda: _waiting_for_shop(server) == 0, "no payment event left waiting")
            assert _paid(server) == CLIENTS
            load.stop.set()
            await asyncio.gather(*runners)

            assert [s for s in load.statuses if s >= 500] == []
            assert set(load.statuses) <= {200, 201, 404}, set(load.statuses)
            # Every /shop got exactly one answer, the shop's screen or the refusal.
            for buyer in buyers:

                async def answered(b: Client = buyer) -> bool:
                    answers = await _answers(b, load.first_seq[id(b)])
                    return len([m for m in answers if _answers_shop(m)]) == load.sent[id(b)]

                try:
                    await _until(answered, "one answer per /shop")
                except AssertionError as missing:
                    raise AssertionError(await _unanswered(server, buyer, load)) from missing
            back = await buyers[0].call("GET", "/api/v1/apps/shop/orders")
            assert [o["status"] for o in back["orders"]] == ["paid"]
            for buyer in buyers:
                await buyer.http.aclose()

    asyncio.run(scenario())
    assert _rows(server, "shop.db", "SELECT stock, reserved FROM products WHERE sku = 'LOAD-1'") == [
        (STOCK - CLIENTS, 0)
    ]
    checked = run_cli("payments", "check", "--data", data)
    assert checked.returncode == 0, checked.stdout + checked.stderr


async def _unanswered(server: ServerProcess, buyer: Client, load: Load) -> str:
    """What a buyer whose /shop answers do not add up was told, and what the server warned of."""
    answers = await _answers(buyer, load.first_seq[id(buyer)])
    others = [(m["text"] or "")[:120] for m in answers if not _answers_shop(m)]
    log = server.log_tail(10**9).splitlines()
    warnings = [line for line in log if " WARNING " in line and "souk.codes" not in line][-10:]
    shop_answers = len([m for m in answers if _answers_shop(m)])
    return (
        f"sent {load.sent[id(buyer)]}, answered {shop_answers}; other answers {others}; warnings {warnings}"
    )


def _answers_shop(message: dict[str, Any]) -> bool:
    """An answer to /shop: the shop's screen of shops, or the kill switch's refusal."""
    screen = message["screen"] or {}
    return KILLED in (message["text"] or "") or screen.get("title") == SHOP_SCREEN
