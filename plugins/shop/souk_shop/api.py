"""HTTP endpoints: shops and products, checkout, orders, and the bulk catalogue import."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from souk_sdk import (
    ApiError,
    ApiRequest,
    Context,
    NotFound,
    PaymentError,
    PaymentsUnavailable,
    SoukError,
    api_route,
)

from . import businesses, catalog, flows, importer, orders
from . import responses as r
from .flows import me


class Item(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=orders.MAX_QUANTITY)


class CheckoutBody(BaseModel):
    shop_id: str = Field(max_length=40)
    items: list[Item] = Field(min_length=1, max_length=50)
    delivery: str = Field(min_length=5, max_length=500)
    idempotency_key: str | None = Field(
        default=None, max_length=100, description="A retried checkout finds its order"
    )


class CheckoutResult(BaseModel):
    order_id: str
    status: str
    total: int
    currency: str
    payment_id: str
    payment_status: str


class ImportBody(BaseModel):
    """The file as text or as base64: exactly one of them (the schema says so too)."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [name], "properties": {name: {"type": "string"}}}
                for name in ("content", "content_base64")
            ]
        }
    )

    shop_id: str = Field(max_length=40)
    format: Literal["csv", "json"]
    content: str | None = Field(default=None, description="The file as text")
    content_base64: str | None = Field(
        default=None,
        description="The file's bytes, base64 (any encoding issue is reported by line; 422 invalid_base64)",
        json_schema_extra={"pattern": r"^[A-Za-z0-9+/]*={0,2}$"},
    )

    @model_validator(mode="after")
    def _one(self) -> ImportBody:
        if (self.content is None) == (self.content_base64 is None):
            raise ValueError("give exactly one of content, content_base64")
        return self

    def data(self) -> bytes:
        if self.content is not None:
            return self.content.encode("utf-8", errors="surrogateescape")
        try:
            return base64.b64decode(self.content_base64 or "", validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, "invalid_base64", "content_base64 is not valid base64") from None


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[dict[str, Any]]


def refusal(exc: SoukError) -> ApiError:
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", str(exc))
    if isinstance(exc, catalog.NotAllowed):
        return ApiError(404, "not_found", "no such shop")
    return ApiError(getattr(exc, "status", 422), getattr(exc, "code", "refused"), str(exc))


def _shop_here(ctx: Context, shop_id: str) -> dict[str, Any]:
    try:
        shop = catalog.shop(ctx.db, shop_id)
    except SoukError:
        raise ApiError(404, "not_found", "no such shop") from None
    if shop["country"] != ctx.country:
        raise ApiError(404, "not_found", "no such shop")
    return shop


@api_route("GET", "/shops", summary="The shops of your country", response=r.Shops)
async def list_shops(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return {"shops": await businesses.all_shown(ctx, catalog.shops_in(ctx.db, ctx.country or ""))}


@api_route(
    "GET",
    "/shops/{shop_id}/products",
    summary="A shop's products (?q=words&category=&offset=)",
    response=r.Products,
)
async def list_products(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    shop = _shop_here(ctx, request.path["shop_id"])
    q = request.query
    try:
        offset = int(q.get("offset", "0"))
    except ValueError:
        raise ApiError(422, "invalid_request", "offset is a whole number") from None
    if not 0 <= offset <= 100_000 or len(q.get("q", "")) > 80 or len(q.get("category", "")) > 60:
        raise ApiError(422, "invalid_request", "offset is 0 to 100000, q at most 80 characters")
    found = catalog.browse(
        ctx.db, shop["id"], query=q.get("q", ""), category=q.get("category", ""), offset=offset, limit=50
    )
    return {
        "products": [
            {k: p[k] for k in ("id", "sku", "name", "description", "price", "category", "tags", "image_url")}
            | {"available": p["stock"] - p["reserved"], "currency": shop["currency"]}
            for p in found
        ]
    }


@api_route(
    "POST",
    "/checkout",
    summary="Order from one shop: reserves the stock, then asks you to pay",
    body=CheckoutBody,
    response=CheckoutResult,
    status=201,
)
async def create_checkout(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    body: CheckoutBody = request.body
    shop = _shop_here(ctx, body.shop_id)
    items = []
    for item in body.items:
        row = ctx.db.execute(
            "SELECT id FROM products WHERE shop_id = ? AND sku = ?", [shop["id"], item.sku]
        ).fetchone()
        if row is None:
            raise ApiError(404, "not_found", f"no product {item.sku} in this shop")
        items.append((row[0], item.quantity))
    try:
        order, result = await flows.checkout(ctx, shop["id"], items, body.delivery, body.idempotency_key)
    except PaymentsUnavailable as exc:
        raise ApiError(409, "payments_unavailable", str(exc)) from None
    except PaymentError as exc:
        raise ApiError(409, "payment_refused", str(exc)) from None
    except SoukError as exc:
        raise refusal(exc) from None
    return {
        "order_id": order["id"],
        "status": order["status"],
        "total": order["total"],
        "currency": order["currency"],
        "payment_id": result.payment_id,
        "payment_status": result.status,
    }


@api_route("GET", "/orders", summary="Your orders, newest first", response=r.Orders)
async def my_orders(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    return {"orders": orders.orders_of_buyer(ctx.db, me(ctx), limit=100)}


@api_route("GET", "/orders/{order_id}", summary="One order: yours, or your shop's", response=r.OrderDetail)
async def one_order(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    try:
        found, _ = await businesses.visible_order(ctx, request.path["order_id"])
    except SoukError as exc:
        raise refusal(exc) from None
    shop = await businesses.shown(ctx, catalog.shop(ctx.db, found["shop_id"]))
    return found | {"shop_name": shop["name"]}


@api_route(
    "GET", "/shops/{shop_id}/orders", summary="A shop's orders, for its business's staff", response=r.Orders
)
async def shop_orders(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    try:
        shop = await businesses.require(ctx, request.path["shop_id"])
    except SoukError as exc:
        raise refusal(exc) from None
    return {"orders": orders.orders_of_shop(ctx.db, shop["id"], limit=200)}


@api_route(
    "POST",
    "/imports",
    summary="Import products from CSV or JSON (upsert by SKU; bad rows reported)",
    body=ImportBody,
    response=ImportReport,
    timeout=120,
    max_body_bytes=16 * 1024 * 1024,
)
async def import_products(ctx: Context, request: ApiRequest) -> dict[str, Any]:
    body: ImportBody = request.body
    try:
        shop = await businesses.require(ctx, body.shop_id, admin=True)
    except SoukError as exc:
        raise refusal(exc) from None
    data = body.data()
    try:
        report = await ctx.transaction(
            lambda tx: importer.run(tx.db, shop["id"], shop["currency"], data, body.format, ctx.now())
        )
    except importer.ImportRefused as exc:
        raise ApiError(422, "unreadable_file", str(exc), details={"line": exc.line}) from None
    return report.as_dict()


ROUTES = [list_shops, list_products, create_checkout, my_orders, one_order, shop_orders, import_products]
