"""A customer's say over businesses, over the HTTP API: subscribing to kinds of message, listing
and revoking them, blocking and unblocking, bad input as documented 4xx, and the data rights."""

from __future__ import annotations

import pytest

LOJA = "/api/v1/businesses/lojadabruna"
MINE = "/api/v1/me/business-messages"


@pytest.fixture
def shop(souk_world):
    world = souk_world([])
    bruna, ravi = world.user("Bruna", "BR"), world.user("Ravi", "BR")
    business = bruna.call(
        "POST", "/api/v1/businesses", {"name": "Loja da Bruna", "handle": "lojadabruna", "category": "shop"}
    )
    bruna.call("POST", "/api/v1/businesses", {"name": "Pizza Já", "handle": "pizzaja", "category": "food"})
    return world, bruna, ravi, business


def test_a_customer_subscribes_lists_and_revokes_kinds_of_message(shop) -> None:
    _, bruna, ravi, _ = shop
    empty = ravi.call("GET", MINE)
    assert [k["kind"] for k in empty["kinds"]] == [
        "order_updates",
        "appointment_reminders",
        "booking_updates",
        "account_alerts",
    ]
    assert empty["subscriptions"] == [] and empty["blocked"] == []

    first = ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates", "source": "confirmation"})
    assert first["subscriptions"] == ["order_updates"] and first["changed"] is True
    assert first["blocked"] is False and first["business"]["handle"] == "lojadabruna"
    again = ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates"})
    assert again["subscriptions"] == ["order_updates"] and again["changed"] is False
    ravi.call("POST", LOJA + "/subscriptions", {"kind": "account_alerts"})
    ravi.call("POST", "/api/v1/businesses/pizzaja/subscriptions", {"kind": "order_updates"})

    listed = ravi.call("GET", MINE)["subscriptions"]
    assert sorted((s["handle"], s["kind"], s["source"]) for s in listed) == [
        ("lojadabruna", "account_alerts", "chat"),
        ("lojadabruna", "order_updates", "confirmation"),
        ("pizzaja", "order_updates", "chat"),
    ]
    assert {s["label"] for s in listed} == {"Order updates", "Account alerts"}
    # Subscriptions are the customer's own: Bruna, the owner, holds none and sees none of Ravi's.
    assert bruna.call("GET", MINE)["subscriptions"] == []
    assert bruna.call("GET", LOJA + "/subscriptions")["subscriptions"] == []

    revoked = ravi.call("DELETE", LOJA + "/subscriptions/order_updates")
    assert revoked["subscriptions"] == ["account_alerts"] and revoked["changed"] is True
    assert ravi.call("DELETE", LOJA + "/subscriptions/order_updates")["changed"] is False
    assert len(ravi.call("GET", MINE)["subscriptions"]) == 2


def test_a_blocked_business_takes_no_subscription_and_its_chat_says_so(shop) -> None:
    _, _, ravi, _ = shop
    ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates"})
    chat = ravi.call("POST", LOJA + "/chat")
    assert chat["business"]["blocked"] is False
    blocked = ravi.call("POST", LOJA + "/block")
    assert blocked["blocked"] is True and blocked["changed"] is True and blocked["subscriptions"] == []
    assert ravi.call("POST", LOJA + "/block")["changed"] is False
    refused = ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates"}, expect=409)
    assert refused["error"]["code"] == "business_blocked"
    assert ravi.call("POST", LOJA + "/chat")["business"]["blocked"] is True
    shown = next(
        c for c in ravi.call("GET", "/api/v1/conversations")["conversations"] if c["id"] == chat["id"]
    )
    assert shown["business"]["blocked"] is True
    mine = ravi.call("GET", MINE)
    assert [b["handle"] for b in mine["blocked"]] == ["lojadabruna"] and mine["subscriptions"] == []

    unblocked = ravi.call("DELETE", LOJA + "/block")
    assert unblocked["blocked"] is False and unblocked["changed"] is True
    assert ravi.call("DELETE", LOJA + "/block")["changed"] is False
    assert ravi.call("GET", MINE)["blocked"] == []
    assert ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates"})["changed"] is True


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", LOJA + "/subscriptions", {"kind": "coupons"}, 422, "invalid_message_kind"),
        ("POST", LOJA + "/subscriptions", {"kind": ""}, 422, "invalid_message_kind"),
        ("POST", LOJA + "/subscriptions", {"kind": "x" * 41}, 422, "invalid_request"),
        ("POST", LOJA + "/subscriptions", {"kind": 7}, 422, "invalid_request"),
        (
            "POST",
            LOJA + "/subscriptions",
            {"kind": "order_updates", "source": "bruna"},
            422,
            "invalid_request",
        ),
        ("POST", LOJA + "/subscriptions", {"kind": "order_updates", "by": "x"}, 422, "invalid_request"),
        ("POST", LOJA + "/subscriptions", None, 400, "missing_body"),
        (
            "POST",
            "/api/v1/businesses/nobody_here/subscriptions",
            {"kind": "order_updates"},
            404,
            "business_not_found",
        ),
        ("DELETE", LOJA + "/subscriptions/coupons", None, 422, "invalid_message_kind"),
        (
            "DELETE",
            "/api/v1/businesses/nobody_here/subscriptions/order_updates",
            None,
            404,
            "business_not_found",
        ),
        ("POST", "/api/v1/businesses/nobody_here/block", None, 404, "business_not_found"),
        ("DELETE", "/api/v1/businesses/nobody_here/block", None, 404, "business_not_found"),
        ("GET", "/api/v1/businesses/nobody_here/subscriptions", None, 404, "business_not_found"),
    ],
)
def test_bad_input_is_answered_with_its_code(shop, method, path, body, status, code) -> None:
    _, _, ravi, _ = shop
    refused = ravi.call(method, path, body, expect=status)
    assert refused["error"]["code"] == code and refused["error"]["message"]
    assert ravi.call("GET", MINE)["subscriptions"] == []


def test_signed_out_callers_are_refused(shop) -> None:
    world, _, _, _ = shop
    for method, path in (
        ("GET", MINE),
        ("POST", LOJA + "/block"),
        ("DELETE", LOJA + "/subscriptions/order_updates"),
    ):
        assert world.call(method, path, expect=401)["error"]["code"] == "unauthorized"


def test_subscriptions_and_blocks_are_exported_and_erased_with_the_account(shop) -> None:
    world, bruna, ravi, _ = shop
    ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates"})
    ravi.call("POST", LOJA + "/subscriptions", {"kind": "booking_updates", "source": "profile"})
    ravi.call("POST", "/api/v1/businesses/pizzaja/block")
    exported = ravi.export()["souk.json"]["business_messages"]
    assert sorted((s["handle"], s["kind"]) for s in exported["subscriptions"]) == [
        ("lojadabruna", "booking_updates"),
        ("lojadabruna", "order_updates"),
    ]
    assert [b["handle"] for b in exported["blocked"]] == ["pizzaja"]

    receipt = ravi.erase()["parts"]["souk"]
    assert receipt["deleted"]["business_subscriptions"] == 2 and receipt["deleted"]["business_blocks"] == 1
    db = world.core.runtime.core.db
    for table in ("business_subscriptions", "business_blocks"):
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    assert len(bruna.call("GET", MINE)["kinds"]) == 4


def test_a_closed_business_takes_its_customers_subscriptions_and_blocks_with_it(shop) -> None:
    world, bruna, ravi, _ = shop
    ravi.call("POST", LOJA + "/subscriptions", {"kind": "order_updates"})
    ravi.call("POST", "/api/v1/businesses/pizzaja/block")
    receipt = bruna.erase()["parts"]["souk"]
    # Bruna had no admin in either business: both close, with what Ravi allowed them.
    assert receipt["deleted"]["businesses"] == 2
    assert receipt["deleted"]["business_subscriptions"] == 1 and receipt["deleted"]["business_blocks"] == 1
    assert ravi.call("GET", MINE)["subscriptions"] == [] and ravi.call("GET", MINE)["blocked"] == []
    world.call("GET", LOJA, expect=404)


def test_a_customer_cannot_write_to_a_business_they_blocked_until_they_unblock_it(shop) -> None:
    _, _, ravi, _ = shop
    chat = ravi.call("POST", LOJA + "/chat")["id"]
    messages = f"/api/v1/conversations/{chat}/messages"
    ravi.call("POST", messages, {"client_id": "before", "text": "Oi"}, expect=201)
    ravi.call("POST", LOJA + "/block")
    for n in range(3):
        refused = ravi.call("POST", messages, {"client_id": f"blocked-{n}", "text": "Oi?"}, expect=403)
        assert refused["error"]["code"] == "business_blocked"
    assert [m["text"] for m in ravi.call("GET", messages)["messages"]] == ["Oi"]
    ravi.call("DELETE", LOJA + "/block")
    ravi.call("POST", messages, {"client_id": "after", "text": "Voltei"}, expect=201)
    assert [m["text"] for m in ravi.call("GET", messages)["messages"]] == ["Oi", "Voltei"]
