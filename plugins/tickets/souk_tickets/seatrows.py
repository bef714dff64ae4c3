"""Seats in map order, grouped into the seat map's sections and rows (``ui.SeatSection``)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from souk_sdk import ui

MAP_TEXT_MAX = 2_600
"""The most a seat map's plain text may take (a message holds 4,000 characters; the map's screen
has its title, times and the viewer's hold around it)."""


def sections(seats: list[dict[str, Any]]) -> list[ui.SeatSection]:
    """``seats``: dicts of ``seat``, ``section``, ``row``, ``number``, ``category``, ``state``, in order."""
    found = []
    for name, in_section in groupby(seats, key=lambda s: s["section"]):
        rows = [
            ui.SeatRow(
                label=label,
                seats=[
                    ui.Seat(id=s["seat"], label=str(s["number"]), state=s["state"], category=s["category"])
                    for s in in_row
                ],
            )
            for label, in_row in groupby(in_section, key=lambda s: s["row"])
        ]
        found.append(ui.SeatSection(name=name, rows=rows))
    return found
