"""Shops (each a business's catalogue) and their products: validation, upsert by SKU, search.

One validation model (:class:`ProductIn`) serves the chat forms, the API and
the bulk import, so a product is held to the same rules wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from souk_sdk import SoukError, ui
from souk_sdk.money import InvalidAmount, currency_for, parse_amount
from sqlite_utils import Database

PAGE = 6
FIELDS = ("sku", "name", "description", "price", "stock", "image_url", "category", "tags", "active")


class NotAllowed(SoukError):
    """The user may not do this to this shop (they are not on its business's staff)."""


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def fresh_codes(db: Database, count: int) -> list[str]:
    """``count`` new product codes (8 hex digits, what people type after /product), none in use."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = [c for c in {secrets.token_hex(4).upper() for _ in range(min(count - len(codes), 500))}]
        marks = ",".join("?" * len(wanted))
        taken = {r[0] for r in db.execute(f"SELECT code FROM products WHERE code IN ({marks})", wanted)}
        codes.update(c for c in wanted if c not in taken)
    return list(codes)[:count]


class ProductIn(BaseModel):
    """A product as it arrives from a form, the API or a row of an import.

    Validate with ``context={"currency": "BRL"}`` (the shop's currency): the
    price is read in that currency's major units (``"12.50"``), and a row that
    names another currency is refused.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    price: int
    stock: int = Field(ge=0, le=1_000_000)
    image_url: ui.ImageUrl | None = Field(
        default=None,
        description="A picture of it: an http(s) URL (Souk fetches it once and serves its copy), "
        "or what ctx.store_image answered",
    )
    category: str = Field(default="", max_length=60)
    tags: str = Field(default="", max_length=300)
    active: bool = True
    currency: str | None = None

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any, info: ValidationInfo) -> int:
        currency = (info.context or {}).get("currency")
        if not currency:
            raise ValueError("the shop's currency is needed to read a price")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError("write the price as text, like 12.50")
        try:
            return parse_amount(str(value), currency)
        except InvalidAmount as exc:
            raise ValueError(str(exc)) from None

    @field_validator("stock", mode="before")
    @classmethod
    def _stock(cls, value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("stock is a whole number")
        if isinstance(value, str):
            if not re.fullmatch(r"[0-9]{1,7}", value.strip()):
                raise ValueError("stock is a whole number, like 12")
            return int(value)
        return value

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> str:
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        if not isinstance(value, str):
            raise ValueError("tags are words separated by commas")
        return ",".join(t.strip().lower() for t in value.split(",") if t.strip())

    @field_validator("active", mode="before")
    @classmethod
    def _active(cls, value: Any) -> Any:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("", "1", "true", "yes", "y"):
                return True
            if lowered in ("0", "false", "no", "n"):
                return False
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None, info: ValidationInfo) -> str | None:
        expected = (info.context or {}).get("currency")
        if value and value.strip().upper() != expected:
            raise ValueError(f"this shop sells in {expected}, not {value}")
        return None

    def row(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"currency"})
        data["image_url"] = str(self.image_url) if self.image_url else None
        data["active"] = int(self.active)
        return data


# -- shops and staff -----------------------------------------------------------------------


def create_shop(
    db: Database, business_id: str, opened_by: str, name: str, country: str, now: dt.datetime
) -> dict[str, Any]:
    """The catalogue of a business, opened by one of its admins, selling in its country's currency."""
    row = {
        "id": new_id("s"),
        "business_id": business_id,
        "owner": opened_by,
        "name": name,
        "description": "",
        "country": country,
        "currency": currency_for(country),
        "logo_url": None,
        "opening_hours": "",
        "created_at": now.isoformat(),
    }
    db["shops"].insert(row)
    return row


def of_business(db: Database, business_id: str) -> dict[str, Any] | None:
    return next(iter(db.query("SELECT * FROM shops WHERE business_id = ?", [business_id])), None)


def shop(db: Database, shop_id: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM shops WHERE id = ?", [shop_id])), None)
    if row is None:
        raise SoukError("no such shop")
    return row


def shops_of(db: Database, user_id: str) -> list[dict[str, Any]]:
    """The shops a person works at by the shop's own staff rows (those kept before businesses)."""
    return list(
        db.query(
            "SELECT s.*, st.role FROM shops s JOIN staff st ON st.shop_id = s.id "
            "WHERE st.user_id = ? ORDER BY s.name",
            [user_id],
        )
    )


def shops_in(db: Database, country: str) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM shops WHERE country = ? ORDER BY name LIMIT 100", [country]))


# -- products ------------------------------------------------------------------------------


def _change(current: dict[str, Any] | None, product: ProductIn) -> tuple[str, dict[str, Any]]:
    """What saving ``product`` over ``current`` does: created, updated (with what) or unchanged."""
    data = product.row()
    if current is None:
        return "created", data
    changes = {k: v for k, v in data.items() if current[k] != v}
    if not changes:
        return "unchanged", {}
    if "stock" in changes and changes["stock"] < current["reserved"]:
        raise SoukError(
            f"{product.sku}: {current['reserved']} are reserved by checkouts; stock cannot go lower"
        )
    return "updated", changes


def upsert(db: Database, shop_id: str, product: ProductIn, now: dt.datetime) -> str:
    """Insert or update by SKU; returns ``created``, ``updated`` or ``unchanged``."""
    outcome = upsert_many(db, shop_id, [product], now)[0]
    if isinstance(outcome, SoukError):
        raise outcome
    return outcome


def upsert_many(
    db: Database, shop_id: str, products: list[ProductIn], now: dt.datetime
) -> list[str | SoukError]:
    """Upsert many by SKU with one read of the shop's products; the outcome of each, in order.

    A product that cannot be saved gets its error in its place; the others are saved.
    """
    skus = {p.sku for p in products}
    existing = {
        row["sku"]: row
        for row in db.query("SELECT * FROM products WHERE shop_id = ?", [shop_id])
        if row["sku"] in skus
    }
    outcomes: list[str | SoukError] = []
    created: list[dict[str, Any]] = []
    for product in products:
        current = existing.get(product.sku)
        try:
            outcome, changes = _change(current, product)
        except SoukError as exc:
            outcomes.append(exc)
            continue
        if outcome == "created":
            created.append({"id": new_id("p"), "shop_id": shop_id, **changes, "updated_at": now.isoformat()})
        elif outcome == "updated" and current is not None:
            db["products"].update(current["id"], {**changes, "updated_at": now.isoformat()})
        outcomes.append(outcome)
    for row, code in zip(created, fresh_codes(db, len(created)), strict=True):
        row["code"] = code
    db["products"].insert_all(created, batch_size=500)
    return outcomes


def product(db: Database, product_id: str) -> dict[str, Any]:
    row = next(iter(db.query("SELECT * FROM products WHERE id = ?", [product_id])), None)
    if row is None:
        raise SoukError("no such product")
    return row


def product_by_code(db: Database, code: str) -> dict[str, Any]:
    """A product by the code people share (``/product 7F3A09C2``); case and spaces do not matter."""
    row = next(iter(db.query("SELECT * FROM products WHERE code = ?", [code.strip().upper()])), None)
    if row is None:
        raise SoukError(f"no product has the code {code.strip()[:20]}")
    return row


def set_active(db: Database, product_id: str, active: bool, now: dt.datetime) -> None:
    db["products"].update(product_id, {"active": int(active), "updated_at": now.isoformat()})


def restock(db: Database, product_id: str, add: int, now: dt.datetime) -> int:
    if not 0 < add <= 1_000_000:
        raise SoukError("restock adds between 1 and 1,000,000")
    return db.execute(
        "UPDATE products SET stock = stock + ?, updated_at = ? WHERE id = ? RETURNING stock",
        [add, now.isoformat(), product_id],
    ).fetchone()[0]


def categories(db: Database, shop_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT category FROM products WHERE shop_id = ? AND active = 1 "
            "AND category != '' ORDER BY category",
            [shop_id],
        ).fetchall()
    ]


def _match_expression(query: str) -> str:
    """Words of the query, each as a prefix (``red shoe`` finds ``Red running shoes``)."""
    words = re.findall(r"\w+", query.lower())
    return " ".join(f'"{w}"*' for w in words[:8])


def browse(
    db: Database,
    shop_id: str,
    *,
    query: str = "",
    category: str = "",
    offset: int = 0,
    limit: int = PAGE,
    include_hidden: bool = False,
) -> list[dict[str, Any]]:
    """A page of the shop's products; a search ranks an exact name first, then by relevance."""
    visible = "" if include_hidden else "AND p.active = 1"
    by_category = "AND p.category = :category" if category else ""
    params = {"shop": shop_id, "category": category, "limit": limit, "offset": offset}
    match = _match_expression(query)
    if match:
        params |= {"match": match, "exact": query.strip().lower()}
        sql = (
            f"SELECT p.* FROM products p JOIN products_fts f ON f.rowid = p.rowid "
            f"WHERE products_fts MATCH :match AND p.shop_id = :shop {visible} {by_category} "
            f"ORDER BY lower(p.name) = :exact DESC, bm25(products_fts, 10.0, 2.0, 5.0), p.name "
            f"LIMIT :limit OFFSET :offset"
        )
    else:
        sql = (
            f"SELECT p.* FROM products p WHERE p.shop_id = :shop {visible} {by_category} "
            f"ORDER BY p.name LIMIT :limit OFFSET :offset"
        )
    return list(db.query(sql, params))
