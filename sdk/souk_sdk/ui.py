"""Screens: declarative component trees that every client can show.

A mini-app answers with a :class:`Screen` built from the components here
(text, image, card, list, button, form with text, number, select, date and file
fields, divider, seat map).  The web client draws them; every screen also renders to
plain text (:meth:`Screen.to_text`) for clients that cannot draw it.  The JSON
Schema of a screen (:func:`screen_json_schema`) is published by the server at
``/api/v1/screen.schema.json``.

Buttons and forms carry an ``action`` (the name of an action handler of the
same mini-app) and a ``payload``; the core stores the screen and hands the
payload back on a press, so a client cannot forge it.

Text meant for people (titles, labels, bodies) that is longer than its
component allows is shortened with an ellipsis, never refused: a screen built
from what a user typed (a search term in a title) can always be shown.
Identifiers (actions, field names, option values) are checked as they are.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, model_validator

from .dates import DayBound, english_of, format_day, resolve_day

_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
ELLIPSIS = "…"

_SHORTENED = frozenset(
    {"title", "subtitle", "body", "text", "label", "alt", "help", "placeholder", "empty_text", "submit_label"}
)
"""Fields written for people: shortened to fit rather than refused."""


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def _max_length(info: Any) -> int | None:
    return next((m.max_length for m in info.metadata if getattr(m, "max_length", None) is not None), None)


class _Component(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _shorten_text(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        changed = dict(data)
        for name in _SHORTENED.intersection(data):
            value, info = data[name], cls.model_fields.get(name)
            limit = _max_length(info) if info is not None else None
            if isinstance(value, str) and limit is not None and len(value) > limit:
                changed[name] = shorten(value, limit)
        return changed


class Text(_Component):
    type: Literal["text"] = "text"
    text: str = Field(max_length=4000)
    style: Literal["body", "heading", "muted"] = "body"

    def to_text(self) -> str:
        # Bold the way chat apps write it in plain text (WhatsApp's *bold*).
        return f"*{self.text}*" if self.style == "heading" else self.text


_APP_PATH = r"^/api/v1/apps/[a-z][a-z0-9_]{1,31}(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$"
_MEDIA_PATH = r"^/api/v1/media/f_[a-z0-9]{26}$"

ImageUrl = Annotated[
    AnyHttpUrl
    | Annotated[
        str,
        Field(
            pattern=_MEDIA_PATH,
            description="An image in Souk's media store, as ctx.store_image answers it: /api/v1/media/f_...",
        ),
    ]
    | Annotated[
        str,
        Field(
            pattern=_APP_PATH,
            description="A route of the mini-app's own API on this server, fetched by the client "
            "with its token: /api/v1/apps/<name>/...",
        ),
    ],
    Field(union_mode="left_to_right"),
]
"""An image's address: one in Souk's media store (what :meth:`Context.store_image` answers,
``/api/v1/media/f_...``), a path of the mini-app's own routes on this server
(``/api/v1/apps/tickets/tickets/T-8F3K2MQ9/qr``), which a client fetches signed in, as the
user, and shows only when the path belongs to the mini-app that sent the screen, or an
http(s) URL.  The core fetches an http(s) image once, when the screen is sent, through
its outbound guard, and the screen then names its stored copy: no viewer's browser ever
asks another server for it.  One it cannot fetch (a private address, a redirect, not a
picture) is refused: the image shows as its alt text, a card without its picture."""


class Image(_Component):
    type: Literal["image"] = "image"
    url: ImageUrl
    alt: str = Field(max_length=300)

    def to_text(self) -> str:
        return f"[image: {self.alt}]"


class Button(_Component):
    type: Literal["button"] = "button"
    label: str = Field(min_length=1, max_length=40)
    action: str = Field(pattern=_NAME_PATTERN)
    payload: dict[str, Any] = Field(default_factory=dict)
    style: Literal["primary", "secondary", "danger"] = "secondary"
    id: str | None = Field(default=None, description="Assigned by the core when stored")

    def to_text(self) -> str:
        return f"[{self.label}]"


class Divider(_Component):
    type: Literal["divider"] = "divider"

    def to_text(self) -> str:
        return "----"


class Card(_Component):
    type: Literal["card"] = "card"
    title: str = Field(max_length=200)
    subtitle: str | None = Field(default=None, max_length=200)
    body: str | None = Field(default=None, max_length=2000)
    image_url: ImageUrl | None = None
    buttons: list[Button] = Field(default_factory=list, max_length=6)

    def to_text(self) -> str:
        head = f"* {self.title}" + (f" - {self.subtitle}" if self.subtitle else "")
        lines = [head]
        if self.body:
            lines.append(f"  {self.body}")
        if self.buttons:
            lines.append("  " + " ".join(b.to_text() for b in self.buttons))
        return "\n".join(lines)


class ListItem(_Component):
    title: str = Field(max_length=200)
    subtitle: str | None = Field(default=None, max_length=200)
    button: Button | None = None

    def to_text(self) -> str:
        text = f"- {self.title}" + (f": {self.subtitle}" if self.subtitle else "")
        return text + (f" {self.button.to_text()}" if self.button else "")


class ItemList(_Component):
    type: Literal["list"] = "list"
    items: list[ListItem] = Field(max_length=100)
    empty_text: str = "Nothing here yet."

    def to_text(self) -> str:
        return "\n".join(i.to_text() for i in self.items) if self.items else self.empty_text


class _Field(_Component):
    name: str = Field(pattern=_NAME_PATTERN)
    label: str = Field(min_length=1, max_length=80)
    required: bool = True
    help: str | None = Field(default=None, max_length=200)
    value: str | None = Field(default=None, max_length=10000, description="Shown filled in at first")

    def describe(self) -> str:
        return f"{self.label}{'' if self.required else ' (optional)'}"

    def clean(self, raw: Any) -> Any:  # pragma: no cover - every field overrides it
        raise NotImplementedError


class TextField(_Field):
    type: Literal["text"] = "text"
    min_length: int = Field(default=0, ge=0)
    max_length: int = Field(default=500, ge=1, le=10000)
    multiline: bool = False
    placeholder: str | None = None

    def clean(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValueError("must be text")
        value = raw.strip()
        if len(value) < self.min_length:
            raise ValueError(f"must be at least {self.min_length} characters")
        if len(value) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        return value


class NumberField(_Field):
    type: Literal["number"] = "number"
    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False

    def clean(self, raw: Any) -> Decimal | int:
        if isinstance(raw, bool):
            raise ValueError("must be a number")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError("must be a number") from None
        if not value.is_finite():
            raise ValueError("must be a number")
        if self.integer and value != value.to_integral_value():
            raise ValueError("must be a whole number")
        if self.min is not None and value < self.min:
            raise ValueError(f"must be at least {self.min}")
        if self.max is not None and value > self.max:
            raise ValueError(f"must be at most {self.max}")
        return int(value) if self.integer else value


class Option(_Component):
    value: str = Field(min_length=1, max_length=100)
    label: str = Field(min_length=1, max_length=100)


class SelectField(_Field):
    type: Literal["select"] = "select"
    options: list[Option] = Field(min_length=1, max_length=200)

    def clean(self, raw: Any) -> str:
        allowed = {o.value for o in self.options}
        if not isinstance(raw, str) or raw not in allowed:
            raise ValueError("choose one of the options")
        return str(raw)


@dataclass(frozen=True)
class Today:
    """What a form is validated against: the user's own date and locale."""

    date: dt.date
    locale: str | None = None


def _read_day(raw: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError("must be a date like 2026-12-31") from None


def _check_day(value: dt.date, low: DayBound | None, high: DayBound | None, today: Today) -> None:
    earliest, latest = resolve_day(low, today.date), resolve_day(high, today.date)
    english = english_of(today.locale)  # the message is English; its date as the reader's region writes it
    if earliest is not None and value < earliest:
        raise ValueError(f"must be on or after {format_day(earliest, english)}")
    if latest is not None and value > latest:
        raise ValueError(f"must be on or before {format_day(latest, english)}")


class DateField(_Field):
    """A day.  ``min`` and ``max`` are days or ``"today"``, the user's own today (their time zone)."""

    type: Literal["date"] = "date"
    min: DayBound | None = None
    max: DayBound | None = None

    def clean(self, raw: Any, today: Today | None = None) -> dt.date:
        value = _read_day(raw)
        _check_day(value, self.min, self.max, today or _UTC_TODAY())
        return value


class DateRange(BaseModel):
    """What a :class:`DateRangeField` gives the handler: ``start`` and ``end`` days."""

    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class DateRangeField(_Field):
    """From one day to another (a stay, a rental): ``end`` after ``start``, at most ``max_days`` apart.

    The client sends ``{"start": "2026-12-02", "end": "2026-12-05"}``.  With
    ``same_day``, the range may start and end on one day.
    """

    type: Literal["date_range"] = "date_range"
    min: DayBound | None = None
    max: DayBound | None = None
    max_days: int | None = Field(default=None, ge=1, le=3660)
    same_day: bool = False

    def clean(self, raw: Any, today: Today | None = None) -> DateRange:
        if not isinstance(raw, dict) or set(raw) != {"start", "end"}:
            raise ValueError("give a start and an end day")
        start, end = _read_day(raw["start"]), _read_day(raw["end"])
        today = today or _UTC_TODAY()
        _check_day(start, self.min, self.max, today)
        _check_day(end, self.min, self.max, today)
        if end < start or (end == start and not self.same_day):
            raise ValueError("the end must be after the start")
        if self.max_days is not None and (end - start).days > self.max_days:
            raise ValueError(f"at most {self.max_days} days from start to end")
        return DateRange(start=start, end=end)


MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest file a form may take (a catalogue, a list of guests): what an action's body allows."""
_EXTENSION = r"^\.[a-z0-9]{1,10}$"


@dataclass(frozen=True)
class UploadedFile:
    """What a :class:`FileField` gives the handler: the file's name, as the sender had it, and its bytes."""

    name: str
    data: bytes


class FileField(_Field):
    """A file the person picks on their device, sent with the form (at most ``max_bytes``).

    ``accept`` lists the extensions it takes (``[".csv", ".json"]``; empty: any).  A client
    sends ``{"name": "catalogue.csv", "content_base64": "..."}``; the handler gets an
    :class:`UploadedFile`.  What the bytes are is the mini-app's to check: the name says only
    what the person meant.
    """

    type: Literal["file"] = "file"
    accept: list[Annotated[str, Field(pattern=_EXTENSION)]] = Field(default_factory=list, max_length=20)
    max_bytes: int = Field(default=1024 * 1024, ge=1, le=MAX_FILE_BYTES)

    def describe(self) -> str:
        kinds = f" ({', '.join(self.accept)})" if self.accept else ""
        return f"{super().describe()}, a file{kinds}"

    def clean(self, raw: Any) -> UploadedFile:
        if not isinstance(raw, dict) or set(raw) != {"name", "content_base64"}:
            raise ValueError("must be a file")
        name, content = raw["name"], raw["content_base64"]
        if not isinstance(name, str) or not 1 <= len(name) <= 255 or not isinstance(content, str):
            raise ValueError("must be a file")
        if self.accept and not name.lower().endswith(tuple(self.accept)):
            raise ValueError(f"must be a {' or '.join(self.accept)} file")
        if len(content) > (self.max_bytes + 2) // 3 * 4:
            raise ValueError(f"must be at most {_size(self.max_bytes)}")
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("could not be read: send its bytes as base64") from None
        if not data:
            raise ValueError("is empty")
        return UploadedFile(name=name, data=data)


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:g} MB" if count >= 1024 * 1024 else f"{count / 1024:g} KB"


def _UTC_TODAY() -> Today:
    return Today(dt.datetime.now(dt.UTC).date())


FormField = Annotated[
    TextField | NumberField | SelectField | DateField | DateRangeField | FileField,
    Field(discriminator="type"),
]


class Form(_Component):
    type: Literal["form"] = "form"
    action: str = Field(pattern=_NAME_PATTERN)
    fields: list[FormField] = Field(min_length=1, max_length=30)
    submit_label: str = Field(default="Submit", min_length=1, max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict)
    id: str | None = Field(default=None, description="Assigned by the core when stored")

    def to_text(self) -> str:
        lines = [f"  {f.describe()}: ____" for f in self.fields]
        return "\n".join([*lines, f"[{self.submit_label}]"])

    def validate_values(
        self, values: dict[str, Any], today: Today | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Return ``(clean values, errors by field name)`` for a submission.

        ``today`` is the user's own date and locale, which day fields are checked
        against and written in; the core passes it.
        """
        clean: dict[str, Any] = {}
        errors: dict[str, str] = {}
        known = {f.name for f in self.fields}
        for name in values:
            if name not in known:
                errors[str(name)[:40]] = "is not a field of this form"
        for form_field in self.fields:
            raw = values.get(form_field.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if form_field.required:
                    errors[form_field.name] = "is required"
                else:
                    clean[form_field.name] = None
                continue
            try:
                if isinstance(form_field, DateField | DateRangeField):
                    clean[form_field.name] = form_field.clean(raw, today)
                else:
                    clean[form_field.name] = form_field.clean(raw)
            except ValueError as exc:
                errors[form_field.name] = str(exc)
        return clean, errors


SeatState = Literal["free", "held", "sold", "blocked", "mine"]
"""A seat as the viewer sees it: free to pick, held or sold to others, blocked, or chosen by them."""

PICKABLE: frozenset[str] = frozenset({"free", "mine"})
"""The states a press may name: a free seat to choose, one of the viewer's own to let go."""

SEAT_SYMBOLS: dict[str, str] = {"free": ".", "mine": "*", "held": "h", "sold": "x", "blocked": "#"}
_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$"
MAX_SEATS = 2000


class Seat(_Component):
    id: str = Field(pattern=_CODE_PATTERN, description="What a press sends back, unique on the map")
    label: str | None = Field(default=None, max_length=8, description="Shown on the seat (its number)")
    state: SeatState = "free"
    category: str | None = Field(default=None, pattern=_CODE_PATTERN)


class SeatRow(_Component):
    label: str = Field(min_length=1, max_length=8)
    seats: list[Seat] = Field(min_length=1, max_length=100)


class SeatSection(_Component):
    name: str = Field(min_length=1, max_length=60)
    rows: list[SeatRow] = Field(min_length=1, max_length=100)


class SeatCategory(_Component):
    code: str = Field(pattern=_CODE_PATTERN)
    label: str = Field(min_length=1, max_length=60, description="Its name and price: Gold ₹2,500")


class SeatMap(_Component):
    """Sections of rows of seats, each in a state; pressing a free or "mine" seat sends ``action``.

    The press carries the seat as the value ``seat`` (``press.values["seat"]``), checked by
    the core against the map as stored: a seat that is not on it, or not free or the
    viewer's, is refused (``422 invalid_form``) before the handler runs.  The handler
    decides: a seat shown free may have been taken a moment ago.
    """

    type: Literal["seat_map"] = "seat_map"
    action: str = Field(pattern=_NAME_PATTERN)
    sections: list[SeatSection] = Field(min_length=1, max_length=20)
    categories: list[SeatCategory] = Field(default_factory=list, max_length=12)
    payload: dict[str, Any] = Field(default_factory=dict)
    id: str | None = Field(default=None, description="Assigned by the core when stored")

    @model_validator(mode="after")
    def _consistent(self) -> SeatMap:
        seats = list(self.seats())
        if len(seats) > MAX_SEATS:
            raise ValueError(f"a seat map has at most {MAX_SEATS} seats")
        ids = [seat.id for seat in seats]
        if len(set(ids)) != len(ids):
            raise ValueError("every seat of a map has an id of its own")
        known = {category.code for category in self.categories}
        unknown = {seat.category for seat in seats if seat.category is not None} - known
        if unknown:
            raise ValueError(f"seats name categories the map does not list: {sorted(unknown)}")
        return self

    def seats(self) -> Iterator[Seat]:
        for section in self.sections:
            for row in section.rows:
                yield from row.seats

    def to_text(self) -> str:
        legend = "  ".join(f"{symbol} {state}" for state, symbol in SEAT_SYMBOLS.items())
        lines = [f"Seat map ({legend})"]
        for section in self.sections:
            lines.append(section.name)
            width = max(len(row.label) for row in section.rows)
            for row in section.rows:
                marks = "".join(SEAT_SYMBOLS[seat.state] for seat in row.seats)
                lines.append(f"  {row.label.ljust(width)}  {marks}")
        if self.categories:
            lines.append(" · ".join(category.label for category in self.categories))
        return "\n".join(lines)

    def validate_values(
        self, values: dict[str, Any], today: Today | None = None
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """``({"seat": id}, {})`` for a press on a free or "mine" seat; errors otherwise."""
        if set(values) != {"seat"} or not isinstance(values["seat"], str):
            return {}, {"seat": "choose one seat"}
        found = next((seat for seat in self.seats() if seat.id == values["seat"]), None)
        if found is None:
            return {}, {"seat": "is not on this map"}
        if found.state not in PICKABLE:
            return {}, {"seat": f"is {found.state}"}
        return {"seat": found.id}, {}


Component = Annotated[
    Text | Image | Card | ItemList | Button | Form | Divider | SeatMap, Field(discriminator="type")
]


class Screen(_Component):
    """What a mini-app shows: a title and a body of components."""

    title: str = Field(min_length=1, max_length=120)
    body: list[Component] = Field(default_factory=list, max_length=100)

    def to_text(self) -> str:
        parts = [self.title]
        parts.extend(component.to_text() for component in self.body)
        return "\n".join(parts)

    def interactive(self) -> Iterator[Button | Form | SeatMap]:
        """Every button, form and seat map, in reading order."""
        for component in self.body:
            if isinstance(component, Button | Form | SeatMap):
                yield component
            elif isinstance(component, Card):
                yield from component.buttons
            elif isinstance(component, ItemList):
                yield from (item.button for item in component.items if item.button)

    def with_ids(self, revision: int = 1) -> Screen:
        """A copy whose buttons, forms and seat maps carry ids in reading order.

        ``c1``, ``c2``, ... on a screen as first posted; ``r2c1``, ... once it was
        replaced, so a press on a button of an earlier version finds nothing.
        """
        copy = self.model_copy(deep=True)
        prefix = "" if revision == 1 else f"r{revision}"
        for number, component in enumerate(copy.interactive(), start=1):
            component.id = f"{prefix}c{number}"
        return copy

    def find(self, component_id: str) -> Button | Form | SeatMap | None:
        return next((c for c in self.interactive() if c.id == component_id), None)


def screen_json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Screen`, as published by the server."""
    schema = Screen.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
