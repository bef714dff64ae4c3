"""Hypothesis strategies for the JSON that once broke the server: one class, every member.

Each strategy draws raw bytes for a JSON value that a lenient parser accepts or
chokes on in a way that used to reach a handler or crash a socket:

- numbers of more than 4,300 digits (Python refuses to turn them into an int),
  and numbers too large for a float (``1e999``), ``NaN`` and ``Infinity``;
- nesting deeper than the parser allows (arrays, objects, both);
- bytes that are not UTF-8 (a stray ``\\xff``, an overlong or truncated sequence,
  an encoded surrogate);
- ``\\u`` escapes of a lone surrogate, which decode to a string no database can store.

:func:`embedded` puts one of them inside an otherwise fitting value, at any
depth, so that it reaches whatever reads that field.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

PLACE = "\u0000hostile\u0000"


class Raw(bytes):
    """Bytes that hypothesis reports by their kind and length, not all 20,000 of them."""

    def __repr__(self) -> str:
        head = bytes(self[:40])
        return f"Raw({len(self)} bytes: {head!r}{'...' if len(self) > 40 else ''})"


huge_numbers = st.one_of(
    st.builds(
        lambda sign, n, tail: f"{sign}{'9' * n}{tail}".encode(),
        st.sampled_from(["", "-"]),
        st.integers(4_301, 20_000),
        st.sampled_from(["", ".5", "e3", ".0e-2"]),
    ),
    st.sampled_from([b"1e999", b"-1e999", b"1.7976931348623157e309", b"NaN", b"Infinity", b"-Infinity"]),
)

deep_nesting = st.builds(
    lambda brackets, n: brackets[0] * n + b"1" + brackets[1] * n,
    st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b'[{"a":', b"}]")]),
    st.integers(201, 20_000),
)

invalid_utf8 = st.builds(
    lambda prefix, bad, suffix: b'"' + prefix.encode() + bad + suffix.encode() + b'"',
    st.text(max_size=5).filter(lambda s: '"' not in s and "\\" not in s),
    st.sampled_from(
        [b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]
    ),
    st.text(max_size=5).filter(lambda s: '"' not in s and "\\" not in s),
)

lone_surrogates = st.builds(
    lambda escape, after: f'"{escape}{after}"'.encode(),
    st.sampled_from(["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud800\\ud800"]),
    st.sampled_from(["", "a", "\\u0041"]),
)

hostile_values = st.one_of(huge_numbers, deep_nesting, invalid_utf8, lone_surrogates).map(Raw)
"""One hostile JSON value, as raw bytes."""


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in ``value`` where a value could go: each key and item, at any depth."""
    places = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            places.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            places.extend(_places(item, (*path, index)))
    return places


def _put(value: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return PLACE
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _put(value[head], tuple(rest))
    return copy


@st.composite
def embedded(draw: st.DrawFn, around: Any, values: st.SearchStrategy[bytes] = hostile_values) -> Raw:
    """``around`` as JSON, with one hostile value (of ``values``) in place of one of its parts, or of all."""
    path = draw(st.sampled_from(_places(around)))
    hostile = draw(values)
    text = json.dumps(_put(around, path)).encode()
    return Raw(text.replace(json.dumps(PLACE).encode(), hostile, 1))
