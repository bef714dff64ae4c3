"""Reading JSON that a client sent: request bodies and WebSocket frames, through one parser.

The standard library's ``json.loads`` lets a whole class of hostile input through
to places that then fail: a number of more than 4,300 digits raises a plain
``ValueError``, deep nesting a ``RecursionError``, ``"\\ud800"`` becomes a string
that SQLite cannot store, ``NaN`` and ``1e999`` become floats that no JSON
response can carry.  Here every one of them is a :class:`BadJson`, which the
callers turn into ``400 invalid_json`` or a ``bad_frame`` frame.

Parsing is pydantic's (``pydantic_core.from_json``): strict UTF-8, no lone
surrogates, numbers of at most 4,300 digits, at most 200 levels of nesting, no
``NaN`` or ``Infinity``.  The one thing it lets through, a finite-looking number
too large for a float (``1e999`` is read as infinity), is refused after parsing.
"""

from __future__ import annotations

import math
from typing import Any

import pydantic_core


class BadJson(ValueError):
    """Not JSON that the server accepts; the message says where and why, for the client."""


def parse(raw: bytes | str) -> Any:
    """The value of the JSON text ``raw``, or :class:`BadJson`."""
    if isinstance(raw, str):
        try:
            raw = raw.encode()
        except UnicodeEncodeError:
            raise BadJson("the text is not valid UTF-8") from None
    try:
        value = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise BadJson(str(exc)) from None
    if not _finite(value):
        raise BadJson("a number is too large")
    return value


def _finite(value: Any) -> bool:
    """No float in ``value`` is infinite (the parser already refused NaN and deep nesting)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True
