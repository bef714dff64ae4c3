"""How a red packet's total is cut into shares, in minor units (a pure function, no I/O).

- **equal**: everyone gets ``total // count``; the remainder (fewer than ``count`` minor
  units) goes one unit each to that many shares.
- **lucky**: WeChat's double-average rule.  With ``remaining`` minor units left for
  ``people`` people, each draw but the last is a whole number uniform in
  ``[1, 2 * remaining / people)``: at least 1, and strictly below twice the average, so
  at most ``ceil(2 * remaining / people) - 1``.  The last person takes what remains.
  Because ``remaining ≥ people`` before each draw, the largest draw always leaves at
  least one unit for everyone after it, and the smallest possible share is 1.

Draws are sequential, so the raw sequence is not exchangeable (later draws spread more).
The shares are therefore shuffled before they are handed out in opening order: which
share an opener gets does not depend on when they open.
"""

from __future__ import annotations

import random
from typing import Literal

Split = Literal["equal", "lucky"]


def equal_shares(total: int, count: int) -> list[int]:
    base, extra = divmod(total, count)
    return [base + 1] * extra + [base] * (count - extra)


def lucky_draws(total: int, count: int, rng: random.Random) -> list[int]:
    """The double-average draws in the order they are made (before shuffling)."""
    shares: list[int] = []
    remaining = total
    for people in range(count, 1, -1):
        below = -(-2 * remaining // people)  # ceil(2 * remaining / people), the open upper end
        share = rng.randint(1, below - 1)
        shares.append(share)
        remaining -= share
    shares.append(remaining)
    return shares


def shares(total: int, count: int, split: Split, rng: random.Random) -> list[int]:
    """The shares in the order they will be opened: each ≥ 1, summing exactly to ``total``."""
    if count < 1 or total < count:
        raise ValueError(f"{total} minor units cannot make {count} shares of at least 1")
    drawn = equal_shares(total, count) if split == "equal" else lucky_draws(total, count, rng)
    rng.shuffle(drawn)
    return drawn
