"""Bad input to the payments HTTP API: a 4xx with the right code, and not a paisa moves.

Through the in-process harness (the real core and its HTTP API, no server
process): every malformed or refused transfer and top-up answers a 4xx with
a stable error code, and afterwards the transfer count, the top-up count, the
idempotency keys and every balance are exactly what they were.  Then one good
transfer goes through, so the refusals were not a broken route.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from souk_payments.check import problems

TRANSFERS = "/api/v1/apps/payments/transfers"
TOPUPS = "/api/v1/apps/payments/topups"

# (what is wrong, the body's changes, expected status, expected code)
TRANSFER_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("zero", {"amount": "0"}, 422, "invalid_amount"),
    ("zero with decimals", {"amount": "0.00"}, 422, "invalid_amount"),
    ("negative", {"amount": "-5"}, 422, "invalid_amount"),
    ("negative with decimals", {"amount": "-12.50"}, 422, "invalid_amount"),
    ("a plus sign", {"amount": "+5"}, 422, "invalid_amount"),
    ("three decimals in INR", {"amount": "12.505"}, 422, "invalid_amount"),
    ("a thousandth", {"amount": "0.001"}, 422, "invalid_amount"),
    ("comma and dot", {"amount": "12,50.3"}, 422, "invalid_amount"),
    ("a decimal comma", {"amount": "12,50"}, 422, "invalid_amount"),
    ("an exponent", {"amount": "1e9"}, 422, "invalid_amount"),
    ("two dots", {"amount": "1.2.3"}, 422, "invalid_amount"),
    ("a trailing dot", {"amount": "12."}, 422, "invalid_amount"),
    ("no whole part", {"amount": ".5"}, 422, "invalid_amount"),
    ("a leading zero", {"amount": "012"}, 422, "invalid_amount"),
    ("hexadecimal", {"amount": "0x10"}, 422, "invalid_amount"),
    ("not a number", {"amount": "NaN"}, 422, "invalid_amount"),
    ("infinity", {"amount": "Infinity"}, 422, "invalid_amount"),
    ("empty", {"amount": ""}, 422, "invalid_amount"),
    ("blank", {"amount": "   "}, 422, "invalid_amount"),
    ("Devanagari digits", {"amount": "\u0967\u0968"}, 422, "invalid_amount"),
    ("full-width digits", {"amount": "\uff11\uff12"}, 422, "invalid_amount"),
    ("thirteen digits", {"amount": "1234567890123"}, 422, "invalid_amount"),
    ("longer than 20 characters", {"amount": "1" * 21}, 422, "invalid_request"),
    ("a number, not a string", {"amount": 12.5}, 422, "invalid_request"),
    ("an integer, not a string", {"amount": 1250}, 422, "invalid_request"),
    ("null amount", {"amount": None}, 422, "invalid_request"),
    ("a boolean amount", {"amount": True}, 422, "invalid_request"),
    ("a list amount", {"amount": ["12.50"]}, 422, "invalid_request"),
    ("an object amount", {"amount": {"value": "12.50"}}, 422, "invalid_request"),
    ("the wrong currency", {"currency": "BRL"}, 422, "wrong_currency"),
    ("a currency that does not exist", {"currency": "XYZ"}, 422, "wrong_currency"),
    ("a lower-case currency", {"currency": "inr"}, 422, "invalid_request"),
    ("a currency of four letters", {"currency": "INRR"}, 422, "invalid_request"),
    ("an unknown recipient", {"to": "@nobody_here"}, 404, "user_not_found"),
    ("a recipient without @", {"to": "ravi"}, 422, "invalid_request"),
    ("a phone number as recipient", {"to": "+919876543210"}, 422, "invalid_request"),
    ("paying oneself", {"to": "@self"}, 422, "self_payment"),
    ("over the single-transfer limit", {"amount": "10000.01"}, 422, "over_limit"),
    ("more than the wallet has", {"amount": "6000.00"}, 409, "insufficient_funds"),
    ("a note of 141 characters", {"note": "n" * 141}, 422, "invalid_request"),
    ("an unknown field", {"memo": "lunch"}, 422, "invalid_request"),
    ("no idempotency key", {"idempotency_key": None}, 422, "invalid_request"),
    ("an empty idempotency key", {"idempotency_key": ""}, 422, "invalid_request"),
    ("an idempotency key of 101 characters", {"idempotency_key": "k" * 101}, 422, "invalid_request"),
    ("a number as idempotency key", {"idempotency_key": 42}, 422, "invalid_request"),
    ("no amount", {"amount": None, "_drop": "amount"}, 422, "invalid_request"),
    ("no recipient", {"_drop": "to"}, 422, "invalid_request"),
    ("no currency", {"_drop": "currency"}, 422, "invalid_request"),
]

TOPUP_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("zero", {"amount": "0"}, 422, "invalid_amount"),
    ("negative", {"amount": "-100"}, 422, "invalid_amount"),
    ("three decimals", {"amount": "10.001"}, 422, "invalid_amount"),
    ("an exponent", {"amount": "1e3"}, 422, "invalid_amount"),
    ("a number, not a string", {"amount": 100}, 422, "invalid_request"),
    ("no idempotency key", {"_drop": "idempotency_key"}, 422, "invalid_request"),
    ("no card", {"_drop": "card"}, 422, "invalid_request"),
]


def body_with(good: dict[str, Any], changes: dict[str, Any], me: str) -> dict[str, Any]:
    body = {**good, **{k: v for k, v in changes.items() if k != "_drop"}}
    if changes.get("to") == "@self":
        body["to"] = f"@{me}"
    for name in [changes.get("_drop")] + [k for k, v in changes.items() if v is None]:
        body.pop(name, None)
    return body


@pytest.fixture
def people(souk_world) -> Any:
    world = souk_world(["payments"])
    asha, ravi = world.user("Asha", "IN"), world.user("Ravi", "IN")
    for person in (asha, ravi):
        person.app_chat("payments").send("/wallet")  # allows payments
    asha.call(
        "POST",
        TOPUPS,
        {"amount": "5000.00", "card": "4242 4242 4242 4242", "idempotency_key": "start"},
        expect=201,
    )
    return world, asha, ravi


def ledger_state(world: Any) -> tuple[Any, ...]:
    db = world.core.runtime.app_store("payments").db
    return (
        db.execute("SELECT COUNT(*) FROM transfers").fetchone()[0],
        db.execute("SELECT COUNT(*) FROM topups").fetchone()[0],
        db.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0],
        db.execute("SELECT id, balance, held FROM accounts ORDER BY id").fetchall(),
    )


def test_bad_transfers_are_refused_with_their_code_and_move_nothing(people) -> None:
    world, asha, ravi = people
    good = {"to": f"@{ravi.handle}", "amount": "12.50", "currency": "INR", "note": "", "idempotency_key": ""}
    before = ledger_state(world)
    refused = 0
    for what, changes, status, code in TRANSFER_CASES:
        body = body_with({**good, "idempotency_key": uuid.uuid4().hex}, changes, asha.handle)
        answer = asha.call("POST", TRANSFERS, body, expect=status)  # any other status fails here
        assert answer["error"]["code"] == code, f"{what}: {answer}"
        assert ledger_state(world) == before, f"{what} changed the ledger"
        refused += 1
    assert refused == len(TRANSFER_CASES) == 48
    assert asha.call("GET", "/api/v1/apps/payments/wallet")["balance"] == 500_000
    # The route itself works: a good transfer moves money once.
    assert asha.call("POST", TRANSFERS, {**good, "idempotency_key": "ok"}, expect=201)["amount"] == 1_250
    assert ledger_state(world)[0] == before[0] + 1
    assert problems(world.core.runtime.app_store("payments").db) == []


def test_the_daily_limit_refuses_the_transfer_that_would_pass_it(people) -> None:
    world, asha, ravi = people
    # Asha tops up to ₹60,000 and sends the daily ₹50,000 in five transfers of ₹10,000.
    asha.call(
        "POST",
        TOPUPS,
        {"amount": "55000.00", "card": "4242 4242 4242 4242", "idempotency_key": "more"},
        expect=201,
    )
    base = {"to": f"@{ravi.handle}", "currency": "INR"}
    for n in range(5):
        asha.call("POST", TRANSFERS, {**base, "amount": "10000.00", "idempotency_key": f"d{n}"}, expect=201)
    before = ledger_state(world)
    refused = asha.call("POST", TRANSFERS, {**base, "amount": "0.01", "idempotency_key": "d6"}, expect=422)
    assert refused["error"]["code"] == "over_limit"
    assert "you can still send ₹0.00" in refused["error"]["message"]
    assert ledger_state(world) == before
    # Ravi, who received it all, may still send.
    ravi.call(
        "POST",
        TRANSFERS,
        {**base, "to": f"@{asha.handle}", "amount": "1.00", "idempotency_key": "r"},
        expect=201,
    )


def test_bad_top_ups_are_refused_with_their_code_and_credit_nothing(people) -> None:
    world, asha, _ = people
    good = {"amount": "100.00", "card": "4242 4242 4242 4242", "idempotency_key": ""}
    before = ledger_state(world)
    for what, changes, status, code in TOPUP_CASES:
        body = body_with({**good, "idempotency_key": uuid.uuid4().hex}, changes, asha.handle)
        answer = asha.call("POST", TOPUPS, body, expect=status)
        assert answer["error"]["code"] == code, f"{what}: {answer}"
        assert ledger_state(world) == before, f"{what} changed the ledger"
