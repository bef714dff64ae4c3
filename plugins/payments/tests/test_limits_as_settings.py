"""The transfer limits are per-country settings an operator changes in the console.

A change applies to the next transfer, in that country only; an operator's setting wins
over the limits ``souk payments limits`` keeps in the payments database, which still count
where no setting was made; a limit larger than the daily total is refused and changes nothing.
"""

from __future__ import annotations

from souk_payments.limits import set_limits

TRANSFERS = "/api/v1/apps/payments/transfers"
SETTINGS = "/api/v1/admin/apps/payments/countries/{}/settings"


def _send(asha, ravi, amount: str, key: str, expect: int) -> dict:
    body = {"to": f"@{ravi.handle}", "currency": "INR", "amount": amount, "idempotency_key": key}
    return asha.call("POST", TRANSFERS, body, expect=expect)


def test_an_operators_limit_applies_to_the_next_transfer(souk_world) -> None:
    world = souk_world(["payments"])
    owner = world.operator()
    asha, ravi = world.user("Asha", "IN"), world.user("Ravi", "IN")
    for person in (asha, ravi):
        person.app_chat("payments").send("/wallet")  # allows payments
    topup = {"amount": "500.00", "card": "4242 4242 4242 4242", "idempotency_key": "t"}
    asha.call("POST", "/api/v1/apps/payments/topups", topup, expect=201)
    assert _send(asha, ravi, "300.00", "a", 201)["amount"] == 30_000

    world.call("PATCH", SETTINGS.format("IN"), owner, json={"values": {"max_transfer": 100}})
    refused = _send(asha, ravi, "100.01", "b", 422)["error"]
    assert refused["code"] == "over_limit" and "₹100.00" in refused["message"]
    assert _send(asha, ravi, "100.00", "c", 201)["amount"] == 10_000

    # The payments database's limits (its CLI: ₹50 a day) count where no setting was made...
    store = world.core.runtime.app_store("payments")
    store.write_sync(lambda db: set_limits(db, "IN", 5_000, 5_000, "cli:test", world.now()))
    assert "today's limit of ₹50.00" in _send(asha, ravi, "50.00", "d", 422)["error"]["message"]
    # ...and the operator's setting wins where it was.
    world.call("PATCH", SETTINGS.format("IN"), owner, json={"values": {"daily_total": 1_000}})
    assert _send(asha, ravi, "50.00", "e", 201)["amount"] == 5_000
    assert "daily_total" in str(world.call("GET", "/api/v1/admin/audit?app=payments", owner)["entries"])


def test_a_transfer_limit_above_the_daily_total_is_refused(souk_world) -> None:
    world = souk_world(["payments"])
    owner = world.operator()
    body = {"values": {"max_transfer": 60_000}}
    refused = world.call("PATCH", SETTINGS.format("BR"), owner, json=body, expect=422)["error"]
    assert refused["code"] == "invalid_setting" and "daily total" in refused["message"]
    fields = {f["name"]: f["value"] for f in world.call("GET", SETTINGS.format("BR"), owner)["fields"]}
    assert fields == {
        "max_transfer": 10_000,
        "daily_total": 50_000,
        "red_packet_max": 2_000,
        "red_packet_daily_total": 10_000,
        "red_packet_hours": 24,
    }
    assert world.call("GET", "/api/v1/admin/audit?action=setting_change", owner)["entries"] == []


def test_a_red_packet_limit_above_its_daily_total_is_refused(souk_world) -> None:
    world = souk_world(["payments"])
    owner = world.operator()
    body = {"values": {"red_packet_max": 20_000}}
    refused = world.call("PATCH", SETTINGS.format("IN"), owner, json=body, expect=422)["error"]
    assert refused["code"] == "invalid_setting" and "red packets of a day" in refused["message"]
    body = {"values": {"red_packet_hours": 0}}
    assert world.call("PATCH", SETTINGS.format("IN"), owner, json=body, expect=422)["error"]["code"] == (
        "invalid_setting"
    )
