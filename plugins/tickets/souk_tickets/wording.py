"""Small pieces of English the screens share: a sentence from a reason, a count of things."""

from __future__ import annotations


def sentence(text: str) -> str:
    """``"sales for Mumbai Live have closed"`` as a sentence: its first letter up (only), a full stop."""
    return f"{text[:1].upper()}{text[1:]}."


def count(number: int, thing: str) -> str:
    """``1 ticket``, ``2 tickets``."""
    return f"{number} {thing}{'' if number == 1 else 's'}"
