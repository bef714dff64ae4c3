"""No one person can switch a mini-app off for the others; a person whose requests keep failing waits.

The breaker judges an error rate over a rolling window, from a volume of
requests and several people, each person's failures counted up to a share
(:mod:`souk.miniapps.error_rate`).  These tests send one person's breaking
input through chat and HTTP, and check the rule itself on generated
histories of requests.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from miniapps import Echo, Picky
from souk.foundation.settings import Settings
from souk.miniapps.breaker import rule_of
from souk.miniapps.error_rate import ErrorRateRule, RollingWindow

EXAMPLES = 2000 if os.environ.get("SOUK_STRESS") == "1" else 300
LIMIT = 5  # failures_per_user: "5 per minute; 30 per hour", as a server has it


def _state(world, app: str) -> str:
    return next(a for a in world.core.operations.describe() if a["name"] == app)["state"]


def test_one_persons_failing_input_never_suspends_the_mini_app(souk_world) -> None:
    picky = Picky()
    world = souk_world([picky, Echo()], handler_timeout=0.5, breaker_threshold=3)
    ana, bob = world.user("Ana", "BR"), world.user("Bob", "BR")
    chat, bob_chat = ana.group_chat("Ana alone", []), bob.app_chat("picky")

    for attempt in range(1, LIMIT + 1):  # five failures in a row: what used to suspend it
        reply = chat.send("/picky boom")
        assert reply.text == "Sorry, Picky could not answer just now. Please try again in a moment."
        assert picky.calls["boom"] == attempt
        assert _state(world, "picky") == "running"
    for n in range(1, LIMIT + 1):
        assert bob_chat.send(f"/picky word{n}").text == f"picked word{n}"
    # Past her limit, Ana waits: the handler does not run for her, and she is told for how long.
    for _ in range(3):
        reply = chat.send("/picky boom")
        assert reply.text.startswith("Sorry, Picky failed on your last requests. Please wait "), reply.text
        assert reply.text.endswith(" s before trying it again.")
        assert chat.send("/picky fine").text.startswith("Sorry, Picky failed on your last requests.")
    assert picky.calls["boom"] == LIMIT and picky.calls["fine"] == 0
    # The others are served as before, and the mini-app runs on: 5 failures among 10 requests,
    # all Ana's, count for her share only.
    assert bob_chat.send("/picky again").text == "picked again"
    verdict = world.core.runtime.breaker.verdict("picky")
    assert (verdict.requests, verdict.failures, verdict.counted, verdict.people) == (11, 5, 2, 1)
    assert not verdict.trips
    assert _state(world, "picky") == "running"
    assert "picky" in bob.commands()


def test_over_http_a_person_past_their_failures_gets_429_with_retry_after(souk_world) -> None:
    picky = Picky()
    world = souk_world([picky], handler_timeout=0.5, breaker_threshold=3)
    ana, bob = world.user("Ana", "BR"), world.user("Bob", "BR")
    path = "/api/v1/apps/picky/words"
    for _ in range(LIMIT):
        answer = ana.call("GET", f"{path}?word=boom", expect=502)
        assert answer["error"]["code"] == "app_failed"
        assert _state(world, "picky") == "running"
    for _ in range(3):
        answer = ana.call("GET", f"{path}?word=boom", expect=429)
        assert answer["error"]["code"] == "too_many_failures"
        assert 1 <= answer["error"]["retry_after"] <= 60  # the header says the same (the conformance check)
    assert picky.calls["boom"] == LIMIT
    assert bob.call("GET", f"{path}?word=hello") == {"word": "picked hello"}
    assert _state(world, "picky") == "running"
    # Her limit is hers with this mini-app: her chat with it says the same, other people are not held.
    assert ana.group_chat("Ana alone", []).send("/picky x").text.startswith("Sorry, Picky failed")
    assert bob.group_chat("Bob alone", []).send("/picky x").text == "picked x"


def test_a_mini_app_failing_for_many_people_is_suspended(souk_world) -> None:
    picky = Picky()
    world = souk_world([picky], handler_timeout=0.5, breaker_threshold=3)
    chats = [world.user(name, "BR").group_chat("alone", []) for name in ("Ana", "Bob", "Chen")]
    for n, chat in enumerate(chats, start=1):
        assert "Sorry" in chat.send("/picky boom").text
        assert _state(world, "picky") == ("suspended" if n == 3 else "running")
    assert "paused for maintenance" in chats[0].send("/picky hello").text
    assert picky.calls["boom"] == 3 and picky.calls["hello"] == 0


def test_a_test_world_with_breaker_threshold_1_trips_at_the_first_failure(souk_world) -> None:
    picky = Picky()
    world = souk_world([picky], handler_timeout=0.5, breaker_threshold=1)
    chat = world.user("Ana", "BR").group_chat("Ana alone", [])
    assert chat.send("/picky hello").text == "picked hello"
    assert "Sorry" in chat.send("/picky boom").text
    assert _state(world, "picky") == "suspended"


# -- the rule, on generated histories --------------------------------------------------------


def _server_rule(tmp_path: Path) -> ErrorRateRule:
    return rule_of(Settings(tmp_path))


def test_a_server_judges_from_20_requests_5_people_and_half_failing(tmp_path: Path) -> None:
    rule = _server_rule(tmp_path)
    assert (rule.min_requests, rule.min_users, rule.error_rate, rule.user_share, rule.window) == (
        20,
        5,
        0.5,
        0.1,
        60.0,
    )
    window = RollingWindow(rule)
    for n in range(19):  # 19 failures of 19 people: too few requests to judge
        window.record(1000.0, f"p{n}", failed=True)
    assert not window.verdict(1000.0).trips
    window.record(1000.0, "p19", failed=True)
    assert window.verdict(1000.0).trips
    assert not window.verdict(1061.0).trips and window.verdict(1061.0).requests == 0


def test_failures_of_four_people_never_trip_a_server_breaker(tmp_path: Path) -> None:
    window = RollingWindow(_server_rule(tmp_path))
    for n in range(400):
        window.record(1000.0 + n / 100, f"p{n % 4}", failed=True)
    verdict = window.verdict(1004.0)
    assert (verdict.requests, verdict.people, verdict.trips) == (400, 4, False)


@pytest.mark.parametrize(("share", "rate"), [(0.5, 0.5), (0.6, 0.5), (0.0, 0.5), (0.1, 0.0)])
def test_a_rule_where_one_person_could_trip_it_is_refused(share: float, rate: float) -> None:
    with pytest.raises(ValueError, match="below the error rate"):
        ErrorRateRule(window=60, min_requests=3, error_rate=rate, min_users=2, user_share=share)


RULES = st.builds(
    ErrorRateRule,
    window=st.sampled_from([10.0, 60.0]),
    min_requests=st.integers(1, 20),
    error_rate=st.sampled_from([0.3, 0.5, 0.8]),
    min_users=st.integers(2, 5),
    user_share=st.sampled_from([0.05, 0.1, 0.2]),
)
HISTORIES = st.lists(
    st.tuples(
        st.floats(0, 5),
        st.sampled_from(["attacker", "ana", "bob", "chen", "dara", "erin", "fay", None]),
        st.sampled_from([True, True, False]),  # mostly failures, so that many histories trip it
    ),
    min_size=5,
    max_size=300,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(rule=RULES, history=HISTORIES, attacks=st.sampled_from([0, 0, 10, 100, 1000]))
def test_the_breaker_trips_only_when_other_peoples_requests_fail_too(
    rule: ErrorRateRule, history: list[tuple[float, str | None, bool]], attacks: int
) -> None:
    """However many requests one person makes fail, the breaker trips only if the others' failures
    alone reach the error rate less that person's share (less one, for the rounding up of the share)."""
    window = RollingWindow(rule)
    clock = 1000.0
    others = requests = 0
    attacked = 0
    for step, (gap, who, failed) in enumerate(history):
        clock += gap / 1000  # all of it inside one window
        window.record(clock, who, failed)
        requests += 1
        others += failed and who != "attacker"
        attacked += who == "attacker" and failed
        for _ in range(attacks // len(history) if step else 0):
            window.record(clock, "attacker", failed=True)
            requests += 1
            attacked += 1
        verdict = window.verdict(clock)
        assert verdict.requests == requests
        if verdict.trips:
            share = math.ceil(rule.user_share * requests)
            assert others + min(attacked, share) >= rule.error_rate * requests
            assert others >= (rule.error_rate - rule.user_share) * requests - 1, (verdict, others, attacked)
            assert verdict.people >= rule.min_users and requests >= rule.min_requests


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    rule=RULES,
    successes=st.lists(st.sampled_from(["ana", "bob", None]), max_size=100),
    fails=st.integers(0, 1000),
)
def test_one_person_alone_never_trips_it(
    rule: ErrorRateRule, successes: list[str | None], fails: int
) -> None:
    window = RollingWindow(rule)
    for n in range(fails):
        window.record(1000.0 + n / 1000, "attacker", failed=True)
    for n, who in enumerate(successes):
        window.record(1001.0 + n / 1000, who, failed=False)
    verdict = window.verdict(1002.0)
    assert verdict.requests == fails + len(successes)
    assert verdict.failures == fails and verdict.people == (1 if fails else 0)
    assert not verdict.trips
