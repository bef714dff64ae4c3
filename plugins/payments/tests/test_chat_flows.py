"""Payments as people use it in chat: top up, pay, request, wallet, per-country availability."""

from __future__ import annotations

from souk_payments.check import problems

CARD_OK = "4242 4242 4242 4242"


def ledger(world):
    return world.core.runtime.app_store("payments").db


def topped_up(world, name, country="IN", amount="100.00"):
    user = world.user(name, country)
    chat = user.app_chat("payments")
    chat.send("/topup")
    assert "done" in chat.submit({"amount": amount, "card": CARD_OK}).text
    return user


def test_pay_in_a_direct_chat_moves_money_once_and_both_see_the_receipt(souk_world) -> None:
    world = souk_world(["payments"])
    asha = topped_up(world, "Asha")
    ravi = world.user("Ravi", "IN")
    chat = asha.direct_chat(ravi)
    confirm = chat.send("/pay @ravi 12.50 lunch")
    assert confirm.screen.title == "Pay Ravi?"
    assert "₹12.50 to Ravi" in confirm.text
    assert confirm.messages[-1]["private"] is True
    receipt = chat.press("Confirm")
    assert [m["text"] for m in receipt.messages] == [
        "Pay Ravi?\n*Paid ✓ ₹12.50 to Ravi*",
        "Asha paid Ravi ₹12.50 · lunch",
    ]
    assert receipt.messages[0]["id"] == confirm.messages[-1]["id"]  # the card itself, replaced
    assert receipt.messages[0]["private"] and not receipt.messages[1]["private"]
    ravis_view = [m["text"] for m in ravi.chat(chat.conversation_id).history()]
    assert "Asha paid Ravi ₹12.50 · lunch" in ravis_view
    again = chat.press("Confirm", message=confirm.messages[-1], expect=409)
    assert again.error == "already_done" and again.messages == []
    balances = dict(
        ledger(world).execute("SELECT owner, balance FROM accounts WHERE kind = 'wallet'").fetchall()
    )
    assert sorted(balances.values()) == [1250, 8750]
    assert problems(ledger(world)) == []


def test_request_card_only_the_asked_person_can_pay_it(souk_world) -> None:
    world = souk_world(["payments"])
    ravi = topped_up(world, "Ravi")
    asha = world.user("Asha", "IN")
    meera = world.user("Meera", "IN")
    group = asha.group_chat("Flat", [ravi, meera])
    card = group.send("/request @ravi 10 rent")
    assert "Asha asks Ravi for ₹10.00" in card.text
    meeras = meera.chat(group.conversation_id)
    assert "This request is for Ravi." in meeras.press("Pay").text
    ravis = ravi.chat(group.conversation_id)
    paid = ravis.press("Pay")
    assert "Ravi paid Asha ₹10.00 · rent" in paid.text
    assert "Paid ✓ by Ravi" in paid.text  # the card, replaced for everyone
    assert "Paid ✓ by Ravi" in group.history()[-2]["text"]
    assert ravis.press("Pay", message=card.messages[-1], expect=409).error == "already_done"
    assert ledger(world).execute("SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'").fetchone()[0] == 1


def test_wallet_statement_pages_backwards(souk_world) -> None:
    world = souk_world(["payments"])
    asha = topped_up(world, "Asha", amount="500.00")
    ravi = world.user("Ravi", "IN")
    chat = asha.direct_chat(ravi)
    for n in range(12):
        chat.send(f"/pay @ravi 1 n{n}")
        chat.press("Confirm")
    first = asha.app_chat("payments").send("/wallet")
    assert "Available: ₹488.00" in first.text
    assert first.text.count("Transfer: ₹1.00 out") == 10
    older = asha.app_chat("payments").press("Older")
    assert older.text.count("Transfer: ₹1.00 out") == 2
    assert "Top-up: ₹500.00 in" in older.text


def test_bad_amounts_and_people_get_clear_replies_and_move_nothing(souk_world) -> None:
    world = souk_world(["payments"])
    asha = topped_up(world, "Asha")
    ravi = world.user("Ravi", "IN")
    chat = asha.direct_chat(ravi)
    replies = {
        text: chat.send(text).text
        for text in [
            "/pay @ravi 0",
            "/pay @ravi -5",
            "/pay @ravi 12.505",
            "/pay @ravi 12,50.3",
            "/pay @ravi 1e9",
            "/pay @nobody 5",
            "/pay ravi 5",
            "/pay @asha 5",
            "/pay @ravi",
            "/pay @ravi 20000.00",
        ]
    }
    assert "more than zero" in replies["/pay @ravi 0"]
    assert "not an amount" in replies["/pay @ravi -5"]
    assert "INR has 2 decimals" in replies["/pay @ravi 12.505"]
    assert "not an amount" in replies["/pay @ravi 12,50.3"]
    assert "not an amount" in replies["/pay @ravi 1e9"]
    assert "Nobody called @nobody" in replies["/pay @nobody 5"]
    assert "is not a person" in replies["/pay ravi 5"]
    assert "cannot pay yourself" in replies["/pay @asha 5"]
    assert "amount is missing" in replies["/pay @ravi"]
    assert replies["/pay @ravi 20000.00"].startswith("Pay Ravi?")
    assert "largest single transfer in IN is ₹10,000.00" in chat.press("Confirm").text
    assert ledger(world).execute("SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'").fetchone()[0] == 0
    assert problems(ledger(world)) == []


def test_not_enough_money_offers_a_top_up(souk_world) -> None:
    world = souk_world(["payments"])
    asha, ravi = world.user("Asha", "IN"), world.user("Ravi", "IN")
    chat = asha.direct_chat(ravi)
    chat.send("/pay @ravi 5")
    assert "Not enough money" in chat.press("Confirm").screen.title


def test_top_up_cards_declined_and_confirmed(souk_world) -> None:
    world = souk_world(["payments"])
    bruna = world.user("Bruna", "BR")
    chat = bruna.app_chat("payments")
    chat.send("/topup")
    declined = chat.submit({"amount": "50.00", "card": "4000 0000 0000 0002"}, expect=422)
    assert declined.errors == {"card": "the card was declined"}
    chat.send("/topup")
    asked = chat.submit({"amount": "50.00", "card": "4000 0000 0000 3220"})
    assert asked.screen.title == "Confirm your top-up"
    assert chat.submit({"code": "000000"}, expect=422).errors == {"code": "wrong confirmation code"}
    assert bruna.call("GET", "/api/v1/apps/payments/wallet")["available"] == 0
    chat.send("/topup")
    asked = chat.submit({"amount": "50.00", "card": "4000 0000 0000 3220"})
    assert "Top-up of R$\xa050,00 done." in chat.submit({"code": "123456"}, message=asked.messages[-1]).text
    # The same form again (its version with the code field) runs nothing and credits nothing more.
    again = chat.submit({"code": "123456"}, message=asked.messages[-1], expect=409)
    assert again.error == "already_done"
    assert bruna.call("GET", "/api/v1/apps/payments/wallet")["available"] == 5000
    assert problems(ledger(world)) == []


def test_payments_are_told_unavailable_where_not_enabled(souk_world) -> None:
    world = souk_world(["payments"], enable=False)
    world.enable("payments", "IN")
    world.enable("payments", "BR")
    camille = world.user("Camille", "FR")
    other = world.user("Jules", "FR")
    reply = camille.direct_chat(other).send("/pay @jules 5")
    assert "Payments is not available in your country" in reply.text
    assert "pay" not in camille.commands()
    assert "pay" in world.user("Asha", "IN").commands()


def test_money_stays_within_one_country(souk_world) -> None:
    world = souk_world(["payments"])
    asha = topped_up(world, "Asha")
    bruna = world.user("Bruna", "BR")
    group = asha.group_chat("Friends abroad", [bruna])
    assert "payments between countries are not supported yet" in group.send("/pay @bruna 5").text
    assert "payments between countries are not supported yet" in group.send("/request @bruna 5").text
    refused = asha.call(
        "POST",
        "/api/v1/apps/payments/transfers",
        {"to": f"@{bruna.handle}", "amount": "5", "currency": "INR", "idempotency_key": "k1"},
        expect=422,
    )
    assert refused["error"]["code"] == "cross_border"
    assert ledger(world).execute("SELECT COUNT(*) FROM transfers WHERE kind = 'p2p'").fetchone()[0] == 0
