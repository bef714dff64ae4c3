"""What the shop's HTTP routes answer: the response models the OpenAPI document publishes.

The core sends a route's answer as its declared model, so these are also the
promise: a field that is not here is not sent (the buyer's and the shop
owner's ids in this mini-app, a checkout's idempotency key).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

OrderStatus = Literal["awaiting_payment", "paid", "accepted", "shipped", "cancelled", "failed", "expired"]


class Shop(BaseModel):
    id: str
    name: str
    description: str
    country: str = Field(description="ISO 3166 code: shops are listed only in their own country")
    currency: str = Field(description="ISO 4217 code of the shop's prices")
    logo_url: str | None
    opening_hours: str
    created_at: str


class Shops(BaseModel):
    shops: list[Shop] = Field(description="The shops of your country, by name (at most 100)")


class Product(BaseModel):
    id: str
    sku: str
    name: str
    description: str
    price: int = Field(description="Minor units of the shop's currency")
    currency: str
    category: str
    tags: str = Field(description="Comma-separated")
    image_url: str | None
    available: int = Field(description="In stock and not held by a checkout")


class Products(BaseModel):
    products: list[Product] = Field(description="One page of 50, best match first when searching")


class Order(BaseModel):
    id: str
    number: int = Field(description="What people call it: Order #1042")
    shop_id: str
    shop_name: str
    buyer_name: str
    status: OrderStatus
    total: int = Field(description="Minor units")
    currency: str
    delivery: str
    payment_id: str | None
    refunded: int = Field(description="Minor units given back so far")
    note: str | None
    created_at: str
    updated_at: str


class Orders(BaseModel):
    orders: list[Order] = Field(description="Newest first")


class OrderLine(BaseModel):
    product_id: str
    sku: str
    name: str
    price: int = Field(description="Minor units, as sold")
    quantity: int


class OrderDetail(Order):
    items: list[OrderLine]
