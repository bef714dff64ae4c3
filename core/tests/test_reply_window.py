"""The 24-hour rule: a business may write to a customer within 24 hours of the customer's last
message in their chat, at any time with a kind of message the customer subscribed to, and never
once blocked.

The property test builds, on a real SQLite file, a customer's history with two businesses
(their messages, the business's own, subscriptions, blocks) at generated times, then asks
:func:`reply_window.refusal` about generated sends at generated moments, and compares each
answer with an oracle written from the rule alone.  Default: 200 histories of 5 sends each
(1,000 sends); ``SOUK_STRESS=1``: 1,000 histories (5,000 sends).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from souk.business import accounts, links, reply_window, subscriptions
from souk.chat.conversations import Sender, append
from souk.foundation.clock import iso
from souk.foundation.errors import Forbidden, Invalid
from souk.people import users
from souk.people.phones import Phone
from souk.storage.schema import core_migrations
from souk.storage.store import connect
from sqlite_utils import Database

EXAMPLES = 1000 if os.environ.get("SOUK_STRESS") == "1" else 200
SENDS = 5
START = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
HOUR = 3600
KINDS = list(subscriptions.KINDS)


class World:
    """A customer, two businesses (the one that sends and another), and the customer's chats."""

    def __init__(self, db: Database) -> None:
        self.db = db
        when = iso(START - dt.timedelta(days=30))
        self.customer = users.create(db, Phone("+5511900000001", "BR"), "Ravi", when)
        owner = users.create(db, Phone("+5511900000002", "BR"), "Bruna", when)
        fields = {"name": "Loja", "category": "shop"}
        self.business = accounts.create(db, owner, fields | {"handle": "loja"}, when)
        self.other = accounts.create(db, owner, fields | {"handle": "outra"}, when)
        self.chat = links.open_chat(db, self.business, self.customer["id"], when)[0]
        self.other_chat = links.open_chat(db, self.other, self.customer["id"], when)[0]
        self.me = Sender("user", self.customer["id"], "Ravi")
        self.shop = Sender("app", self.business["id"], "Loja")

    def reset(self) -> None:
        for table in ("messages", "business_subscriptions", "business_blocks"):
            self.db.execute(f"DELETE FROM {table}")
        self.db.execute("UPDATE conversations SET last_seq = 0")

    def refusal(self, kind: str | None, at: dt.datetime) -> str | None:
        return reply_window.refusal(self.db, self.business["id"], self.customer["id"], kind, at)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    db = connect(tmp_path / "souk.db")
    core_migrations.apply(db)
    yield World(db)
    db.close()


history = st.fixed_dictionaries(
    {
        "mine": st.lists(st.integers(-96 * HOUR, 0), max_size=4),
        "theirs": st.lists(st.integers(-96 * HOUR, 0), max_size=3),  # the business's, and Souk's
        "elsewhere": st.lists(st.integers(-96 * HOUR, 0), max_size=2),  # to the other business
        "subscribed": st.sets(st.sampled_from(KINDS)),
        "subscribed_elsewhere": st.sets(st.sampled_from(KINDS)),
        "blocked": st.booleans(),
        "blocked_elsewhere": st.booleans(),
    }
)
EDGE = 24 * HOUR
# A send: its kind (None: free-form), whether it is timed from the customer's last message or
# from START, seconds from there (often close to the 24-hour edge), and microseconds of jitter.
sends = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from(KINDS)),
        st.booleans(),
        st.one_of(st.integers(-2 * HOUR, 30 * HOUR), st.integers(EDGE - 2, EDGE + 2)),
        st.integers(-2, 2),
    ),
    min_size=SENDS,
    max_size=SENDS,
)


def expected(case: dict[str, Any], kind: str | None, last: dt.datetime | None, at: dt.datetime) -> str | None:
    """The rule, on its own: blocked refuses all; inside 24 h anything; else a subscribed kind."""
    if case["blocked"]:
        return "blocked_by_customer"
    if last is not None and at - last < dt.timedelta(hours=24):
        return None
    if kind is None:
        return "outside_reply_window"
    return None if kind in case["subscribed"] else "not_subscribed"


def _build(world: World, case: dict[str, Any]) -> None:
    db, customer = world.db, world.customer["id"]
    events = [(t, world.chat, world.me) for t in case["mine"]]
    events += [(t, world.chat, world.shop if i % 2 else Sender("system", "app", "Souk")) for i, t in
               enumerate(case["theirs"])]  # fmt: skip
    events += [(t, world.other_chat, world.me) for t in case["elsewhere"]]
    for offset, chat, sender in sorted(events, key=lambda e: e[0]):
        append(db, chat["id"], sender, "hello", iso(START + dt.timedelta(seconds=offset)))
    when = iso(START - dt.timedelta(days=10))
    for kind in case["subscribed"]:
        assert subscriptions.subscribe(db, customer, world.business["id"], kind, "chat", when)
    for kind in case["subscribed_elsewhere"]:
        assert subscriptions.subscribe(db, customer, world.other["id"], kind, "confirmation", when)
    if case["blocked"]:
        assert subscriptions.block(db, customer, world.business["id"], when)
    if case["blocked_elsewhere"]:
        assert subscriptions.block(db, customer, world.other["id"], when)


def test_business_sends_are_allowed_exactly_when_the_rules_allow(world: World) -> None:
    outcomes: Counter[str] = Counter()
    histories = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=history, tries=sends)
    def check(case: dict[str, Any], tries: list[tuple[str | None, bool, int, int]]) -> None:
        nonlocal histories
        world.reset()
        _build(world, case)
        histories += 1
        mine = [START + dt.timedelta(seconds=t) for t in case["mine"]]
        last = max(mine) if mine else None
        for kind, from_last, seconds, jitter in tries:
            at = (last if from_last and last else START) + dt.timedelta(seconds=seconds, microseconds=jitter)
            answer = world.refusal(kind, at)
            assert answer == expected(case, kind, last, at), (case, kind, at, last)
            outcomes[answer or "allowed"] += 1

    check()
    assert histories == EXAMPLES
    assert sum(outcomes.values()) == EXAMPLES * SENDS
    # Every outcome occurred, so none of them is unreachable in the generated sends.
    for outcome in ("allowed", "outside_reply_window", "not_subscribed", "blocked_by_customer"):
        assert outcomes[outcome] >= EXAMPLES // 50, outcomes


def test_the_edge_of_the_window_is_exactly_24_hours_after_the_last_message(world: World) -> None:
    chat, me = world.chat["id"], world.me
    append(world.db, chat, me, "first", iso(START - dt.timedelta(hours=30)))
    last = START - dt.timedelta(hours=2)
    append(world.db, chat, me, "again", iso(last))
    append(world.db, chat, world.shop, "the shop's answer", iso(START))
    assert reply_window.last_customer_message(world.db, world.business["id"], world.customer["id"]) == last
    edge = last + dt.timedelta(hours=24)
    assert world.refusal(None, edge - dt.timedelta(microseconds=1)) is None
    assert world.refusal(None, edge) == "outside_reply_window"
    assert world.refusal("order_updates", edge) == "not_subscribed"
    customer, business = world.customer["id"], world.business["id"]
    subscriptions.subscribe(world.db, customer, business, "order_updates", "confirmation", iso(START))
    assert world.refusal("order_updates", edge + dt.timedelta(days=300)) is None
    assert world.refusal("booking_updates", edge) == "not_subscribed"
    assert world.refusal(None, edge) == "outside_reply_window"
    assert world.refusal("coupons", START) == "invalid_message_kind"
    with pytest.raises(ValueError):
        world.refusal(None, START.replace(tzinfo=None))


def test_a_block_refuses_everything_and_ends_the_subscriptions(world: World) -> None:
    db, customer, business = world.db, world.customer["id"], world.business["id"]
    append(db, world.chat["id"], world.me, "hi", iso(START))
    for kind in KINDS:
        assert subscriptions.subscribe(db, customer, business, kind, "chat", iso(START))
    assert [world.refusal(kind, START) for kind in [None, *KINDS]] == [None] * 5
    assert subscriptions.block(db, customer, business, iso(START)) is True
    assert subscriptions.block(db, customer, business, iso(START)) is False
    assert [world.refusal(kind, START) for kind in [None, *KINDS]] == ["blocked_by_customer"] * 5
    assert subscriptions.subscribed_kinds(db, customer, business) == []
    with pytest.raises(Forbidden) as refused:
        reply_window.require_allowed(db, business, customer, None, START)
    assert (refused.value.status, refused.value.code) == (403, "blocked_by_customer")
    assert subscriptions.unblock(db, customer, business) is True
    assert world.refusal(None, START) is None
    assert world.refusal("order_updates", START + dt.timedelta(days=2)) == "not_subscribed"
    with pytest.raises(Invalid) as invalid:
        reply_window.require_allowed(db, business, customer, "coupons", START)
    assert (invalid.value.status, invalid.value.code) == (422, "invalid_message_kind")


def test_the_last_message_is_one_seek_of_an_index(world: World) -> None:
    plan = world.db.execute("EXPLAIN QUERY PLAN " + reply_window.LAST_MESSAGE, ["k", "u"]).fetchall()
    details = [row[-1] for row in plan]
    assert any("USING COVERING INDEX messages_by_sender" in d for d in details), details
    assert any("sqlite_autoindex_conversations" in d for d in details), details
    assert not any(d.startswith("SCAN") for d in details), details
