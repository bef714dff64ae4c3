"""An idempotency key stands for its whole request: any other field under the same key is refused.

Every call that takes a key is tried field by field: the same key and body
answer the first result and move nothing more; the same key with one field
changed answers ``409 idempotency_conflict`` (or, in chat, an error on the
form) and moves nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from souk_payments.check import problems

CARD_OK = "4242 4242 4242 4242"
OTHER_CARD_OK = "5555 5555 5555 4444"  # passes Luhn: the sandbox declines it as unknown
TOPUPS = "/api/v1/apps/payments/topups"
TRANSFERS = "/api/v1/apps/payments/transfers"


def ledger(world: Any) -> Any:
    return world.core.runtime.app_store("payments").db


def count(world: Any, table: str) -> int:
    return ledger(world).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def allowed(user: Any) -> Any:
    """A person who has used Payments in chat once, and so allowed it."""
    user.app_chat("payments").send("/wallet")
    return user


def wallet(user: Any) -> int:
    return user.call("GET", "/api/v1/apps/payments/wallet")["balance"]


TOPUP = {"amount": "50.00", "card": CARD_OK, "idempotency_key": "t1"}


@pytest.mark.parametrize(
    ("field", "value"), [("card", "4000 0000 0000 3220"), ("card", OTHER_CARD_OK), ("amount", "51.00")]
)
def test_a_top_up_key_with_any_other_field_is_refused(souk_world: Any, field: str, value: str) -> None:
    world = souk_world(["payments"])
    bruna = allowed(world.user("Bruna", "BR"))
    first = bruna.call("POST", TOPUPS, TOPUP, expect=201)
    assert first["status"] == "approved"
    assert bruna.call("POST", TOPUPS, TOPUP, expect=201) == first
    refused = bruna.call("POST", TOPUPS, {**TOPUP, field: value}, expect=409)
    assert refused["error"]["code"] == "idempotency_conflict"
    assert wallet(bruna) == 5000
    assert count(world, "topups") == 1
    assert problems(ledger(world)) == []


@pytest.mark.parametrize(("field", "value"), [("amount", "2.00"), ("note", "dinner"), ("to", "other")])
def test_a_transfer_key_with_any_other_field_is_refused(souk_world: Any, field: str, value: str) -> None:
    world = souk_world(["payments"])
    asha, ravi, meera = allowed(world.user("Asha", "IN")), world.user("Ravi", "IN"), world.user("Meera", "IN")
    assert asha.call("POST", TOPUPS, {**TOPUP, "card": CARD_OK}, expect=201)["status"] == "approved"
    body = {
        "to": f"@{ravi.handle}",
        "amount": "1.00",
        "currency": "INR",
        "note": "lunch",
        "idempotency_key": "p1",
    }
    first = asha.call("POST", TRANSFERS, body, expect=201)
    assert asha.call("POST", TRANSFERS, body, expect=201)["transfer_id"] == first["transfer_id"]
    changed = {**body, field: f"@{meera.handle}" if field == "to" else value}
    refused = asha.call("POST", TRANSFERS, changed, expect=409)
    assert refused["error"]["code"] == "idempotency_conflict"
    assert wallet(asha) == 5000 - 100
    assert problems(ledger(world)) == []


def test_the_top_up_form_sent_again_with_another_card_is_refused(souk_world: Any) -> None:
    world = souk_world(["payments"])
    bruna = world.user("Bruna", "BR")
    chat = bruna.app_chat("payments")
    form = chat.send("/topup").messages[-1]
    declined = chat.submit({"amount": "50.00", "card": "4000 0000 0000 0002"}, message=form, expect=422)
    assert declined.errors == {"card": "the card was declined"}  # the form stays live
    refused = chat.submit({"amount": "50.00", "card": CARD_OK}, message=form, expect=422)
    assert "another card" in refused.errors["card"]  # its key already answered for the other card
    assert wallet(bruna) == 0
    form = chat.send("/topup").messages[-1]
    assert (
        "Top-up of R$\xa050,00 done." in chat.submit({"amount": "50.00", "card": CARD_OK}, message=form).text
    )
    again = chat.submit({"amount": "50.00", "card": "4000 0000 0000 3220"}, message=form, expect=409)
    assert again.error == "already_done"  # a form that did its work runs nothing, with any card
    assert wallet(bruna) == 5000
    assert count(world, "topups") == 2
