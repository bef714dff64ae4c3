"""Bulk import of a catalogue from CSV or JSON: every row checked, good rows upserted by SKU.

Bad rows are reported by line with the reason and skipped; the good ones are
written in the caller's one transaction, so an import is never half-written;
importing the same file again changes nothing (each row is ``unchanged``).

A file that cannot be read as a whole is an :class:`ImportRefused` naming the
line where reading stopped, whatever the cause: bytes that are not UTF-8, a
CSV field over the ``csv`` module's 131,072 characters, JSON that is not JSON,
nested too deep or holding a number of more than 4,300 digits (JSON is read by
pydantic's parser, which says where it stopped, instead of ``json.loads``,
which raises a bare ``ValueError`` or ``RecursionError`` for the last two).
It is the uploader's mistake, answered as such, never a failure of the shop.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pydantic_core
from pydantic import ValidationError
from souk_sdk import SoukError
from sqlite_utils import Database

from .catalog import FIELDS, ProductIn, upsert_many

Format = Literal["csv", "json"]
MAX_ROWS = 50_000
_BROKEN = re.compile("[\udc80-\udcff]")
_WHERE = re.compile(r"(.+) at line ([0-9]+) column [0-9]+", re.DOTALL)


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.errors),
            "errors": self.errors,
        }


class ImportRefused(SoukError):
    """The file as a whole cannot be read (not CSV, not JSON, too many rows); ``line`` says where."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(f"line {line}: {reason}")
        self.reason = reason
        self.line = line


def rows(data: bytes, fmt: Format) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line, row, problem) for each row of the file; line numbers count from 1 as editors do."""
    data = data.removeprefix(codecs.BOM_UTF8)
    if fmt == "json":
        yield from _json_rows(data)
    else:
        yield from _csv_rows(data.decode("utf-8", errors="surrogateescape"))


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """A row whose bytes are not UTF-8 is a bad row; a file the ``csv`` module cannot read is refused."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames:
            raise ImportRefused("the file is empty", 1)
        if any(_BROKEN.search(name) for name in reader.fieldnames):
            raise ImportRefused("the header is not valid UTF-8 text", 1)
        unknown = [name for name in reader.fieldnames if name.strip() not in (*FIELDS, "currency")]
        if unknown:
            known = f"{', '.join(FIELDS)}, currency"
            raise ImportRefused(f"unknown columns: {', '.join(unknown)} (known: {known})", 1)
        for record in reader:
            values = {k.strip(): v for k, v in record.items() if k is not None}
            if None in record:
                yield reader.line_num, None, "more values than columns"
            elif any(_BROKEN.search(v or "") for v in values.values()):
                yield reader.line_num, None, "not valid UTF-8 text"
            else:
                yield reader.line_num, {k: v for k, v in values.items() if v not in (None, "")}, None
    except csv.Error as exc:
        raise ImportRefused(f"not valid CSV: {exc}", max(reader.reader.line_num, 1)) from None


def _json_rows(data: bytes) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """The file is read whole, so any flaw refuses it; items are then numbered from 1."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused("not valid UTF-8 text", data.count(b"\n", 0, exc.start) + 1) from None
    try:
        items = pydantic_core.from_json(data, allow_inf_nan=False)
    except ValueError as exc:
        where = _WHERE.fullmatch(str(exc))
        reason, line = (where[1], int(where[2])) if where else (str(exc), 1)
        raise ImportRefused(f"not valid JSON: {reason}", line) from None
    if not isinstance(items, list):
        raise ImportRefused("a JSON import is a list of products", 1)
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield index, item, None
        else:
            yield index, None, "each item is an object"


def run(
    db: Database,
    shop_id: str,
    currency: str,
    data: bytes,
    fmt: Format,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Validate every row, then upsert the good ones; call inside one transaction."""
    report = Report()
    first_line: dict[str, int] = {}
    good: list[tuple[int, ProductIn]] = []
    for count, (line, raw, problem) in enumerate(rows(data, fmt), start=1):
        if count > MAX_ROWS:
            raise ImportRefused(f"an import has at most {MAX_ROWS} rows", line)
        sku = str((raw or {}).get("sku", "")).strip() or None
        if problem is None and raw is not None:
            try:
                product = ProductIn.model_validate(raw, context={"currency": currency})
            except ValidationError as exc:
                problem = "; ".join(
                    f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}"
                    for e in exc.errors(include_url=False)
                )
            else:
                if product.sku in first_line:
                    problem = f"SKU {product.sku} is already on line {first_line[product.sku]}"
                else:
                    first_line[product.sku] = line
                    good.append((line, product))
        if problem is not None:
            report.errors.append({"line": line, "sku": sku, "reason": problem})
        if progress and count % 500 == 0:
            progress(500)
    outcomes = upsert_many(db, shop_id, [product for _, product in good], now)
    for (line, product), outcome in zip(good, outcomes, strict=True):
        if isinstance(outcome, SoukError):
            report.errors.append({"line": line, "sku": product.sku, "reason": str(outcome)})
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
    report.errors.sort(key=lambda e: e["line"])
    return report
