"""Red packets in a group, as people use them: send, open once each, the card live, expiry, refusals."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

from souk_payments import red_packets
from souk_payments.check import problems
from souk_payments.personal_data import FORMER_USER, erase_user, export_user
from souk_sdk.testing import race
from test_chat_flows import ledger, topped_up


def _wallets(world) -> dict[str, int]:
    rows = ledger(world).execute("SELECT owner, balance FROM accounts WHERE kind = 'wallet'").fetchall()
    return dict(rows)


def _escrow(world) -> int:
    row = (
        ledger(world)
        .execute("SELECT balance FROM accounts WHERE kind = 'merchant' AND owner = ?", [red_packets.ESCROW])
        .fetchone()
    )
    return row[0] if row else 0


def _group(world, members: int, country: str = "IN"):
    asha = topped_up(world, "Asha", country)
    friends = [world.user(f"Friend{n}", country) for n in range(members - 1)]
    for friend in friends:
        friend.app_chat("payments").send("/wallet")  # each has allowed payments already
    return asha, friends, asha.group_chat("Diwali", friends)


def test_a_lucky_packet_opened_by_three_updates_the_card_live(souk_world) -> None:
    world = souk_world(["payments"])
    _asha, friends, group = _group(world, 4)
    sent = group.send("/redpacket 30 3 lucky Happy Diwali")
    assert sent.screen.title == "Red packet from Asha"
    assert "₹30.00 for 3 · lucky split" in sent.text and "0 of 3 opened" in sent.text
    assert _escrow(world) == 3_000 and problems(ledger(world)) == []
    got = []
    for n, friend in enumerate(friends, start=1):
        mine = friend.chat(group.conversation_id).press("Open")
        assert "You opened ₹" in mine.text
        assert f"{n} of 3 opened" in group.history()[-1]["text"] or n == 3
        got.append(mine)
    final = group.history()[-1]["text"]
    assert "3 of 3 opened" in final and "All opened · luckiest: Friend" in final
    balances = _wallets(world)
    assert sum(balances.values()) == 10_000 and len(balances) == 4
    assert balances[next(o for o in balances if balances[o] == 7_000)] == 7_000  # Asha: 100 - 30
    assert _escrow(world) == 0 and problems(ledger(world)) == []
    again = friends[0].chat(group.conversation_id).press("Open", message=sent.messages[-1], expect=409)
    assert again.error == "already_done"  # that version of the card is gone


def test_an_equal_packet_and_the_sender_may_open_too_once(souk_world) -> None:
    world = souk_world(["payments"])
    _asha, friends, group = _group(world, 3)
    group.send("/redpacket 10.01 3 equal")
    mine = group.press("Open")
    assert mine.messages[-1]["text"].startswith("You opened ₹3.3")  # ₹3.33 or ₹3.34, at random
    assert mine.messages[-1]["private"] is True
    assert "You already opened this red packet" in group.press("Open").text
    for friend in friends:
        friend.chat(group.conversation_id).press("Open")
    shares = [r[0] for r in ledger(world).execute("SELECT amount FROM red_packet_shares")]
    assert sorted(shares) == [333, 334, 334]
    assert sum(shares) == 1_001 and problems(ledger(world)) == []


def _moved(world) -> int:
    """Transfers that touched the red packet escrow."""
    return (
        ledger(world)
        .execute(
            "SELECT COUNT(DISTINCT e.transfer_id) FROM entries e JOIN accounts a ON a.id = e.account_id "
            "WHERE a.kind = 'merchant' AND a.owner = ?",
            [red_packets.ESCROW],
        )
        .fetchone()[0]
    )


def test_bad_packets_get_clear_answers_and_move_nothing(souk_world) -> None:
    world = souk_world(["payments"])
    asha, friends, group = _group(world, 3)
    before = _wallets(world)
    replies = {
        text: group.send(text).text
        for text in [
            "/redpacket 500 2",
            "/redpacket 10 4",
            "/redpacket 0 2",
            "/redpacket -5 2",
            "/redpacket 10 0",
            "/redpacket 10 -1",
            "/redpacket 0.02 3",
            "/redpacket 10.001 2",
            "/redpacket 5000 2",
            "/redpacket 10",
        ]
    }
    assert "does not have ₹500.00 available" in replies["/redpacket 500 2"]
    assert "this group has 3 members (you included): at most 3 shares" in replies["/redpacket 10 4"]
    assert "more than zero" in replies["/redpacket 0 2"]
    assert "not an amount" in replies["/redpacket -5 2"]
    assert "at least 1 person" in replies["/redpacket 10 0"]
    assert "'-1' is not a number of people" in replies["/redpacket 10 -1"]
    assert (
        "every share is at least one minor unit: 3 shares need at least ₹0.03" in replies["/redpacket 0.02 3"]
    )
    assert "INR has 2 decimals" in replies["/redpacket 10.001 2"]
    assert "the largest red packet here is ₹2,000.00" in replies["/redpacket 5000 2"]
    assert "count is missing" in replies["/redpacket 10"]
    direct = asha.direct_chat(friends[0]).send("/redpacket 10 1").text
    assert "red packets are sent in a group" in direct
    assert _wallets(world) == before and _moved(world) == 0
    assert ledger(world).execute("SELECT COUNT(*) FROM red_packets").fetchone()[0] == 0


def test_per_packet_and_per_day_limits_are_country_settings(souk_world) -> None:
    world = souk_world(["payments"])
    owner = world.operator()
    _asha, _friends, group = _group(world, 3)
    path = "/api/v1/admin/apps/payments/countries/IN/settings"
    world.call("PATCH", path, owner, json={"values": {"red_packet_max": 20, "red_packet_daily_total": 30}})
    assert "the largest red packet here is ₹20.00" in group.send("/redpacket 20.01 2").text
    assert group.send("/redpacket 20 2").screen.title == "Red packet from Asha"
    refused = group.send("/redpacket 10.01 2").text
    assert "today's red packet limit of ₹30.00; you can still send ₹10.00" in refused
    assert group.send("/redpacket 10 2").screen.title == "Red packet from Asha"
    assert list(_wallets(world).values()) == [7_000]  # Asha's, the only wallet so far
    world.advance(dt.timedelta(days=1))  # a new day, and both packets went back after 24 hours
    assert list(_wallets(world).values()) == [10_000]
    assert group.send("/redpacket 20 2").screen.title == "Red packet from Asha"
    assert problems(ledger(world)) == []


def test_only_members_in_the_packets_country_can_open_it(souk_world) -> None:
    world = souk_world(["payments"])
    asha = topped_up(world, "Asha", "IN")
    ravi, bruna, outsider = world.user("Ravi", "IN"), world.user("Bruna", "BR"), world.user("Meera", "IN")
    group = asha.group_chat("Friends abroad", [ravi, bruna])
    card = group.send("/redpacket 20 3").messages[-1]
    abroad = bruna.chat(group.conversation_id).press("Open")
    assert "this red packet is in INR for people in IN; money does not leave its country" in abroad.text
    foreign = outsider.chat(group.conversation_id).act("Open", message=card)
    assert (foreign.status, foreign.error) == (404, "message_not_found")  # not theirs to see
    assert _moved(world) == 1  # the send only
    assert ravi.chat(group.conversation_id).press("Open").text.count("You opened ₹") == 1
    assert _moved(world) == 2 and problems(ledger(world)) == []


ALL_OPENED = "All shares of this red packet were opened already."


def _open_until_answered(chat, card_id: str) -> str:
    """Press Open on the card as it is now, as a person would, until the press is answered.

    Each share opened replaces the card (a new version): a press on the version just
    replaced answers 409 ``already_done`` from the core, and the person presses the new
    one.  A card with no Open button left says itself that all were opened.
    """
    for _ in range(100):
        card = next(m for m in chat.history() if m["id"] == card_id)
        if "[Open]" not in card["text"]:
            return "card says all opened"
        answer = chat.act("Open", message=card)
        if answer.status == 200:
            assert answer.body == {"status": "ok"}, answer  # not a consent asked instead
            return "answered"
        assert (answer.status, answer.error) == (409, "already_done"), answer
    raise AssertionError("never answered")


def test_fifty_members_open_a_packet_of_five_at_once(souk_world) -> None:
    world = souk_world(["payments"])
    _asha, friends, group = _group(world, 51)
    card_id = group.send("/redpacket 50 5 lucky").messages[-1]["id"]
    chats = [friend.chat(group.conversation_id) for friend in friends]
    assert len(chats) == 50
    ways = race(*[lambda chat=chat: _open_until_answered(chat, card_id) for chat in chats])
    world.settle()
    assert not [w for w in ways if isinstance(w, Exception)], ways
    outcomes: Counter[str] = Counter()
    for chat in chats:
        private = [m["text"] for m in chat.history() if m["private"]]
        opened = [t for t in private if t.startswith("You opened ₹")]
        told = private.count(ALL_OPENED)
        assert len(opened) + told <= 1  # one answer each, never a second share
        outcomes["share" if opened else "all opened"] += 1
    assert outcomes == Counter({"share": 5, "all opened": 45})
    rows = ledger(world).execute("SELECT opener, amount FROM red_packet_shares").fetchall()
    assert len(rows) == 5 and len({r[0] for r in rows}) == 5 and sum(r[1] for r in rows) == 5_000
    final = next(m for m in group.history() if m["id"] == card_id)["text"]
    assert "5 of 5 opened" in final and "All opened · luckiest:" in final
    assert _escrow(world) == 0 and problems(ledger(world)) == []
    print(f"\n50 openers of 5 shares: {dict(outcomes)}; ways answered {dict(Counter(ways))}")


def test_expiry_returns_the_unopened_rest_once_though_the_timer_fires_twice(souk_world) -> None:
    world = souk_world(["payments"])
    _asha, friends, group = _group(world, 6)
    card_id = group.send("/redpacket 40 5 equal party").messages[-1]["id"]
    for friend in friends[:2]:
        assert "You opened ₹8.00" in friend.chat(group.conversation_id).press("Open").text
    packet_id = ledger(world).execute("SELECT id FROM red_packets").fetchone()[0]
    store = world.core.runtime.app_store("payments")
    world.core.clock.advance(dt.timedelta(hours=24))  # the return timer is due, not fired yet
    late = friends[2].chat(group.conversation_id).press("Open")  # answered, nothing taken
    assert "This red packet expired; what is left goes back to Asha." in late.text

    def fire_again() -> int | None:
        return store.write_sync(lambda db: red_packets.expire(db, packet_id, world.now()))

    timer, again = race(world.settle, fire_again)  # the timer, and the same expiry delivered again
    assert not isinstance(timer, Exception) and not isinstance(again, Exception), (timer, again)
    world.settle()
    assert fire_again() is None and (again is None or again == 2_400), again
    returned = (
        ledger(world)
        .execute(
            "SELECT COUNT(*), SUM(amount) FROM transfers WHERE kind = 'refund' AND reference = ?", [packet_id]
        )
        .fetchone()
    )
    assert tuple(returned) == (1, 2_400)  # 3 unopened shares of ₹8.00, back once
    balances = sorted(_wallets(world).values())
    assert balances == [800, 800, 8_400]  # Asha: 100 - 40 + 24
    final = next(m for m in group.history() if m["id"] == card_id)["text"]
    assert "2 of 5 opened" in final and "Expired · ₹24.00 went back to Asha" in final
    assert _escrow(world) == 0 and problems(ledger(world)) == []


def test_packets_sent_at_once_never_pass_the_daily_limit_together(souk_world) -> None:
    world = souk_world(["payments"])
    owner = world.operator()
    path = "/api/v1/admin/apps/payments/countries/IN/settings"
    world.call("PATCH", path, owner, json={"values": {"red_packet_max": 30, "red_packet_daily_total": 30}})
    asha, _friends, group = _group(world, 3)
    line = f"/api/v1/conversations/{group.conversation_id}/messages"
    sends = race(
        *[lambda: asha.call("POST", line, {"client_id": uuid.uuid4().hex, "text": "/redpacket 20 2"})],
        times=5,
    )
    world.settle()
    assert not [s for s in sends if isinstance(s, Exception)], sends
    assert ledger(world).execute("SELECT COUNT(*), SUM(amount) FROM red_packets").fetchone() == (1, 2_000)
    assert list(_wallets(world).values()) == [8_000] and problems(ledger(world)) == []


def test_red_packets_are_exported_and_pseudonymised_on_erasure(souk_world) -> None:
    world = souk_world(["payments"])
    _asha, friends, group = _group(world, 2)
    group.send("/redpacket 10 1 equal tea")
    friends[0].chat(group.conversation_id).press("Open")
    store = world.core.runtime.app_store("payments")
    query = "SELECT p.sender, s.opener FROM red_packets p JOIN red_packet_shares s"
    sender, opener = store.db.execute(query).fetchone()
    exported = export_user(store.db, sender)["red_packets_sent"]
    assert [(p["amount"], p["note"], p["status"]) for p in exported] == [(1_000, "tea", "emptied")]
    got = export_user(store.db, opener)["red_packets_opened"]
    assert [(g["from_person"], g["amount"]) for g in got] == [("Asha", 1_000)]
    erased = store.write_sync(lambda db: erase_user(db, sender, "u_gone"))
    assert erased.pseudonymised["red_packets"] == 1
    assert store.db.execute("SELECT sender, sender_name FROM red_packets").fetchone() == (
        "u_gone",
        FORMER_USER,
    )
    assert problems(store.db) == []
