"""Emoji reactions: each person has at most one on a message, as on WhatsApp.

They are part of the message's state (the ``reactions`` column: who reacted with
what, in the order they did), so a reaction is a new version of the message under
the next ``changed_seq``, and a client that was away gets each message's final
reactions once, with the message, through resume or history.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from ..foundation.errors import Invalid

MAX_CODE_POINTS = 10
"""Enough for the longest emoji sequences (a family, a flag of a region with its tags)."""

_JOINERS = {"\u200d", "\ufe0f", "\u20e3"}  # zero-width joiner, emoji presentation, keycap


def check_emoji(text: str) -> str:
    """``text`` if it is one emoji (symbols, modifiers, joiners, tags), else 422 ``invalid_emoji``.

    Letters, digits, spaces and control characters are refused, so a reaction can
    never carry words.
    """
    points = list(text)
    symbols = [p for p in points if unicodedata.category(p) == "So"]
    allowed = all(
        unicodedata.category(p) in ("So", "Sk") or p in _JOINERS or 0xE0020 <= ord(p) <= 0xE007F
        for p in points
    )
    if not symbols or not allowed or len(points) > MAX_CODE_POINTS:
        raise Invalid("a reaction is one emoji", code="invalid_emoji")
    return text


def load(raw: str | None) -> dict[str, str]:
    return json.loads(raw) if raw else {}


def with_reaction(raw: str | None, user_id: str, emoji: str | None) -> str | None:
    """The stored reactions after ``user_id`` reacted with ``emoji`` (``None``: took theirs back).

    A changed reaction moves to the end, as the newest.
    """
    state = load(raw)
    state.pop(user_id, None)
    if emoji is not None:
        state[user_id] = emoji
    return json.dumps(state, ensure_ascii=False, separators=(",", ":")) if state else None


def summary(raw: str | None) -> list[dict[str, Any]]:
    """``[{"emoji", "count", "users"}]``: each emoji once, in the order it was first used."""
    grouped: dict[str, list[str]] = {}
    for user_id, emoji in load(raw).items():
        grouped.setdefault(emoji, []).append(user_id)
    return [{"emoji": emoji, "count": len(users), "users": users} for emoji, users in grouped.items()]
