"""Screens update in place: a card that was answered says so, and its buttons run nothing any more.

Twenty presses of Confirm at the same moment on one checkout card: one
payment, one "Paid ✓" version of the card (replaced, not a new message),
nineteen "already done" answers, and no other message in that chat.  The
shop's thank-you comes once, by its event, where the buyer paid.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from shop_support import buyer_with_money, open_shop, order_first_product_in_chat
from souk_payments.check import problems
from souk_sdk.testing import race

PRESSES = 20


def card_to_confirm(souk_world: Any) -> tuple[Any, Any, dict[str, Any]]:
    """A buyer who checked out from the shop's chat, and the "Pay ..." card waiting there."""
    world = souk_world(["payments", "shop"])
    open_shop(world, world.user("Bruna", "BR"))
    chat = buyer_with_money(world, "Tiago").app_chat("shop")
    order_first_product_in_chat(chat)
    card = next(m for m in reversed(chat.history()) if m["screen"] and m["text"].startswith("Pay "))
    return world, chat, card


def test_twenty_confirms_at_once_pay_once_and_replace_the_card_once(souk_world) -> None:
    world, chat, card = card_to_confirm(souk_world)
    before = {m["id"]: m["revision"] for m in chat.history()}

    answers = race(lambda: chat.act("Confirm", message=card), times=PRESSES)
    world.settle()

    statuses = Counter(a.status for a in answers)
    assert statuses == Counter({200: 1, 409: PRESSES - 1}), statuses
    assert {a.error for a in answers if a.status == 409} == {"already_done"}
    pay_db = world.core.runtime.app_store("payments").db
    assert pay_db.execute("SELECT COUNT(*) FROM payments WHERE status = 'succeeded'").fetchone() == (1,)
    assert pay_db.execute("SELECT COUNT(*) FROM transfers WHERE kind = 'capture'").fetchone() == (1,)
    after = chat.history()
    updated = [m for m in after if m["id"] in before and m["revision"] != before[m["id"]]]
    assert [(m["id"], m["revision"]) for m in updated] == [(card["id"], 2)]
    assert updated[0]["text"].startswith("Pay Loja da Bruna\n*Paid ✓ R$")
    assert updated[0]["screen"]["body"] and not any(
        c["type"] == "button" for c in updated[0]["screen"]["body"]
    )
    new = [m for m in after if m["id"] not in before]
    assert [m["sender"]["name"] for m in new] == ["Shop"]  # only the shop's thank-you, by its event
    assert new[0]["text"].startswith("Thank you!\nOrder #1001") and new[0]["private"]
    assert problems(pay_db) == []


def test_a_press_on_an_earlier_version_of_a_card_is_already_done(souk_world) -> None:
    world, chat, card = card_to_confirm(souk_world)
    assert chat.act("Cancel", message=card).status == 200
    for label in ("Confirm", "Cancel"):
        late = chat.act(label, message=card)
        assert (late.status, late.error) == (409, "already_done"), late
    world.settle()
    pay_db = world.core.runtime.app_store("payments").db
    assert pay_db.execute("SELECT status, failure FROM payments").fetchall() == [
        ("failed", "cancelled by the payer")
    ]
