"""The cut of a red packet, at the level of the pure function that draws it.

Property-based: for any total and count allowed, the shares add up exactly to the
total and each is at least one minor unit; each lucky draw lies in the documented
interval ``[1, 2 * remaining / people)``.  Statistical: over 10,000 packets with a
fixed seed, the share of the first opener and of the last have the same mean and
spread (the raw, unshuffled draws do not, which shows the test can tell).
``SOUK_STRESS=1`` runs more examples.
"""

from __future__ import annotations

import os
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from souk_payments.red_packet_shares import equal_shares, lucky_draws, shares

STRESS = os.environ.get("SOUK_STRESS") == "1"
EXAMPLES = 2_000 if STRESS else 200
PACKETS = 10_000
SEED = 20_261_202


@st.composite
def packets(draw: st.DrawFn) -> tuple[int, int]:
    count = draw(st.integers(min_value=1, max_value=200))
    total = draw(st.integers(min_value=count, max_value=10**9))
    return total, count


@settings(max_examples=EXAMPLES, deadline=None)
@given(packet=packets(), split=st.sampled_from(["equal", "lucky"]), seed=st.integers(0, 2**32))
def test_shares_add_up_to_the_total_each_at_least_one_minor_unit(packet, split, seed) -> None:
    total, count = packet
    cut = shares(total, count, split, random.Random(seed))
    assert len(cut) == count
    assert sum(cut) == total
    assert min(cut) >= 1
    if split == "equal":
        assert max(cut) - min(cut) <= 1


@settings(max_examples=EXAMPLES, deadline=None)
@given(packet=packets(), seed=st.integers(0, 2**32))
def test_each_lucky_draw_is_within_one_and_below_twice_the_average(packet, seed) -> None:
    total, count = packet
    remaining = total
    draws = lucky_draws(total, count, random.Random(seed))
    for people, share in zip(range(count, 1, -1), draws, strict=False):
        assert share >= 1 and share * people < 2 * remaining  # [1, 2 * remaining / people)
        remaining -= share
    assert draws[-1] == remaining >= 1


def test_the_smallest_packets_are_exact() -> None:
    assert shares(5, 5, "lucky", random.Random(1)) == [1, 1, 1, 1, 1]
    assert sorted(equal_shares(101, 5)) == [20, 20, 20, 20, 21]
    with pytest.raises(ValueError):
        shares(4, 5, "lucky", random.Random(1))


def _first_and_last(draw, total: int, count: int) -> tuple[list[int], list[int]]:
    rng = random.Random(SEED)
    cuts = [draw(total, count, rng) for _ in range(PACKETS)]
    return [c[0] for c in cuts], [c[-1] for c in cuts]


def test_a_share_does_not_depend_on_the_order_of_opening() -> None:
    total, count = 10_000, 5  # ₹100.00 for 5: the mean share is 2,000
    first, last = _first_and_last(lambda t, c, rng: shares(t, c, "lucky", rng), total, count)
    assert len(first) == len(last) == PACKETS
    # The standard error of a mean here is about 12 and the spread about 1,150: 5 % is far wider.
    for opener in (first, last):
        assert abs(statistics.fmean(opener) - total / count) < 100
    assert abs(statistics.fmean(first) - statistics.fmean(last)) < 100
    ratio = statistics.pvariance(first) / statistics.pvariance(last)
    assert 0.9 < ratio < 1.1, ratio
    # The raw draws, in the order they are made, fail the same test: the last spreads more.
    raw_first, raw_last = _first_and_last(lucky_draws, total, count)
    raw_ratio = statistics.pvariance(raw_first) / statistics.pvariance(raw_last)
    assert raw_ratio < 0.7, raw_ratio


def test_equal_remainders_fall_to_random_openers_not_the_first() -> None:
    rng = random.Random(SEED)
    firsts = [shares(102, 5, "equal", rng)[0] for _ in range(PACKETS)]
    extra = sum(1 for f in firsts if f == 21) / PACKETS
    assert abs(extra - 2 / 5) < 0.02, extra
