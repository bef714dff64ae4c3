"""The chat form an organiser fills to create an event, read into the API's :class:`EventIn`.

A seat map is written one section a line, rows and seats per row, and the
price category by name::

    Stalls: A-H x 20 Gold
    Balcony: J-L x 24 Silver; M x 30 Silver

Prices are names and amounts: ``Gold 2500, Silver 1200``.  Both then go
through the same checks as an API request, and a refusal is shown beside the
field it is about.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from souk_sdk import FormErrors, ui

from . import times
from .eventspec import EventIn, Refused

SECTION = re.compile(r"\s*([^:]{1,60}):\s*(.+)")
ROWS = re.compile(r"\s*([A-Z]{1,3})(?:\s*-\s*([A-Z]{1,3}))?\s*[xX*]\s*(\d{1,3})\s+(.+?)\s*", re.IGNORECASE)
PRICE = re.compile(r"\s*(.+?)\s+(\d[\d.]*)\s*")

FIELD_OF = {
    "starts": "start_time",
    "ends": "end_time",
    "sales_start": "sales_close_time",
    "sales_end": "sales_close_day",
    "categories": "prices",
    "seating": "layout",
    "organiser_name": "organiser_name",
    "business": "business",
}


def form(country: str, time_zone: str) -> ui.Form:
    zones = times.zones_of(country)
    zone = time_zone if time_zone in zones else (zones[0] if zones else time_zone)
    text, number = ui.TextField, ui.NumberField
    return ui.Form(
        action="create_event",
        submit_label="Create the event",
        fields=[
            text(name="title", label="Title", max_length=120),
            text(name="venue", label="Venue", max_length=120),
            text(name="city", label="City", max_length=80),
            text(
                name="country",
                label="Country",
                value=country,
                min_length=2,
                max_length=2,
                help="Two letters: IN, BR",
            ),
            text(
                name="time_zone", label="Time zone", value=zone, max_length=64, help="The event's own clock"
            ),
            ui.DateField(name="start_day", label="Starts on", min="today"),
            text(name="start_time", label="at", placeholder="20:00", max_length=5),
            ui.DateField(name="end_day", label="Ends on", min="today"),
            text(name="end_time", label="at", placeholder="23:00", max_length=5),
            ui.DateField(
                name="sales_close_day", label="Sales close on", required=False, help="Default: at the start"
            ),
            text(name="sales_close_time", label="at", required=False, max_length=5),
            text(
                name="organiser_name",
                label="Buyers pay",
                required=False,
                max_length=80,
                help="Default: the title",
            ),
            text(
                name="business",
                label="For a business",
                required=False,
                max_length=64,
                help="Its handle, if you are one of its admins: buyers then pay it",
            ),
            ui.SelectField(
                name="seating",
                label="Seating",
                options=[
                    ui.Option(value="seated", label="A seat map"),
                    ui.Option(value="general", label="General admission"),
                ],
                value="seated",
            ),
            text(
                name="layout",
                label="Seat map",
                required=False,
                multiline=True,
                max_length=4000,
                placeholder="Stalls: A-H x 20 Gold",
                help="One section a line: rows x seats category",
            ),
            number(
                name="capacity",
                label="Capacity",
                required=False,
                integer=True,
                min=1,
                help="For general admission",
            ),
            text(name="prices", label="Prices", max_length=500, placeholder="Gold 2500, Silver 1200"),
            text(
                name="blocked",
                label="Seats not for sale",
                required=False,
                max_length=2000,
                placeholder="A1 A2",
            ),
            number(
                name="max_per_order", label="Most tickets per booking", integer=True, min=1, max=20, value="6"
            ),
            number(
                name="return_cutoff_hours",
                label="Returns until (hours before)",
                integer=True,
                min=0,
                max=720,
                value="24",
            ),
            text(name="description", label="About", required=False, multiline=True, max_length=2000),
        ],
    )


def slug(name: str) -> str:
    code = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:16]
    return code if code[:1].isalpha() else f"c_{code}"[:16]


def _categories(text: str) -> list[dict[str, str]]:
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = PRICE.fullmatch(part)
        if not match:
            raise FormErrors(
                {"prices": f"write each price as a name and an amount: Gold 2500 (not {part!r})"}
            )
        found.append({"code": slug(match.group(1)), "name": match.group(1), "price": match.group(2)})
    return found


def _letters(first: str, last: str | None) -> list[str]:
    first = first.upper()
    if last is None:
        return [first]
    last = last.upper()
    if len(first) != 1 or len(last) != 1 or last < first:
        raise FormErrors(
            {"layout": f"a range of rows is two single letters, first to last: not {first}-{last}"}
        )
    return [chr(c) for c in range(ord(first), ord(last) + 1)]


def _layout(text: str, codes: dict[str, str]) -> list[dict[str, Any]]:
    sections = []
    for line in filter(None, (ln.strip() for ln in text.splitlines())):
        match = SECTION.fullmatch(line)
        if not match:
            raise FormErrors(
                {"layout": f"start each line with its section: Stalls: A-H x 20 Gold (not {line!r})"}
            )
        rows = []
        for group in match.group(2).split(";"):
            found = ROWS.fullmatch(group)
            if not found:
                raise FormErrors({"layout": f"write rows as A-H x 20 Gold (not {group.strip()!r})"})
            first, last, seats, category = found.groups()
            code = codes.get(category.strip().lower())
            if code is None:
                raise FormErrors({"layout": f"{category.strip()} is not one of the prices"})
            rows += [
                {"label": label, "seats": int(seats), "category": code} for label in _letters(first, last)
            ]
        sections.append({"name": match.group(1).strip(), "rows": rows})
    return sections


def _moment(day: Any, clock: Any, name: str) -> str:
    if not clock or not re.fullmatch(r"\d{1,2}:\d{2}", str(clock)):
        raise FormErrors({name: "write a time like 20:00"})
    return f"{day} {clock}"


def read(values: dict[str, Any], fallback_country: str) -> EventIn:
    """The form's values as an :class:`EventIn`; :class:`FormErrors` beside the field at fault."""
    categories = _categories(values["prices"])
    codes = {c["name"].lower(): c["code"] for c in categories}
    if values["seating"] == "general":
        if not values.get("capacity"):
            raise FormErrors({"capacity": "give the number of places"})
        seating: dict[str, Any] = {
            "kind": "general",
            "capacity": values["capacity"],
            "category": categories[0]["code"] if categories else "general",
        }
    else:
        if not values.get("layout"):
            raise FormErrors({"layout": "write the seat map, one section a line: Stalls: A-H x 20 Gold"})
        blocked = (values.get("blocked") or "").replace(",", " ").upper().split()
        seating = {"kind": "seated", "sections": _layout(values["layout"], codes), "blocked": blocked}
    sales_end = None
    if values.get("sales_close_day"):
        sales_end = _moment(
            values["sales_close_day"], values.get("sales_close_time") or "00:00", "sales_close_time"
        )
    body = {
        "title": values["title"],
        "description": values.get("description") or "",
        "venue": values["venue"],
        "city": values["city"],
        "country": (values.get("country") or fallback_country).upper(),
        "time_zone": values["time_zone"],
        "starts": _moment(values["start_day"], values["start_time"], "start_time"),
        "ends": _moment(values["end_day"], values["end_time"], "end_time"),
        "sales_end": sales_end,
        "organiser_name": values.get("organiser_name") or None,
        "business": values.get("business") or None,
        "max_per_order": values["max_per_order"],
        "return_cutoff_hours": values["return_cutoff_hours"],
        "categories": categories,
        "seating": seating,
    }
    try:
        return EventIn.model_validate(body)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors(include_url=False):
            loc = [str(part) for part in error["loc"]]
            name = "capacity" if "capacity" in loc else FIELD_OF.get(loc[0], loc[0])
            errors.setdefault(name, error["msg"])
        raise FormErrors(errors) from None


def refused(exc: Refused) -> FormErrors:
    return FormErrors({FIELD_OF.get(exc.field, exc.field): str(exc)})
