"""The shop database: shops and staff, products (with full-text search), carts, orders."""

from __future__ import annotations

import secrets

from sqlite_utils import Database, Migrations

migrations = Migrations("shop")

FIRST_ORDER_NUMBER = 1001


@migrations()
def m001_shops_products_orders(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE shops (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL,
            currency TEXT NOT NULL,
            logo_url TEXT,
            opening_hours TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX shops_country ON shops(country, name);
        CREATE TABLE staff (
            shop_id TEXT NOT NULL REFERENCES shops(id),
            user_id TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
            added_at TEXT NOT NULL,
            PRIMARY KEY (shop_id, user_id)
        );
        CREATE INDEX staff_user ON staff(user_id);
        CREATE TABLE products (
            id TEXT PRIMARY KEY,
            shop_id TEXT NOT NULL REFERENCES shops(id),
            sku TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            price INTEGER NOT NULL CHECK (price > 0),
            stock INTEGER NOT NULL CHECK (stock >= 0),
            -- Held by checkouts waiting for payment: never more than what is in stock.
            reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
            image_url TEXT,
            category TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            UNIQUE (shop_id, sku)
        );
        CREATE INDEX products_shop ON products(shop_id, active, category, name);
        CREATE TABLE carts (
            user_id TEXT NOT NULL,
            product_id TEXT NOT NULL REFERENCES products(id),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, product_id)
        );
        CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            shop_id TEXT NOT NULL REFERENCES shops(id),
            buyer TEXT NOT NULL,
            buyer_name TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN
                ('awaiting_payment', 'paid', 'accepted', 'shipped', 'cancelled', 'failed', 'expired')),
            total INTEGER NOT NULL CHECK (total > 0),
            currency TEXT NOT NULL,
            delivery TEXT NOT NULL,
            payment_id TEXT,
            refunded INTEGER NOT NULL DEFAULT 0,
            note TEXT,
            client_key TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX orders_buyer ON orders(buyer, created_at);
        CREATE UNIQUE INDEX orders_client_key ON orders(buyer, client_key) WHERE client_key IS NOT NULL;
        CREATE INDEX orders_shop ON orders(shop_id, created_at);
        CREATE TABLE order_items (
            order_id TEXT NOT NULL REFERENCES orders(id),
            product_id TEXT NOT NULL REFERENCES products(id),
            sku TEXT NOT NULL,
            name TEXT NOT NULL,
            price INTEGER NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (order_id, product_id)
        );
        """
    )
    db["products"].enable_fts(["name", "description", "tags"], tokenize="porter", create_triggers=True)


@migrations()
def m002_references_people_understand(db: Database) -> None:
    """Orders get a number (#1001, #1002, ...) and products a short code to share (/product 7F3A09C2).

    Existing rows are numbered in the order they were made, and coded here
    (a migration is a snapshot: it does not call the catalogue's code maker).
    """
    db.executescript(
        """
        ALTER TABLE orders ADD COLUMN number INTEGER;
        ALTER TABLE products ADD COLUMN code TEXT;
        """
    )
    for number, (order_id,) in enumerate(
        db.execute("SELECT id FROM orders ORDER BY created_at, id").fetchall(), start=FIRST_ORDER_NUMBER
    ):
        db.execute("UPDATE orders SET number = ? WHERE id = ?", [number, order_id])
    used: set[str] = set()
    for (product_id,) in db.execute("SELECT id FROM products").fetchall():
        code = secrets.token_hex(4).upper()
        while code in used:
            code = secrets.token_hex(4).upper()
        used.add(code)
        db.execute("UPDATE products SET code = ? WHERE id = ?", [code, product_id])
    db.executescript(
        """
        CREATE UNIQUE INDEX orders_number ON orders(number);
        CREATE UNIQUE INDEX products_code ON products(code);
        """
    )


@migrations()
def m003_shops_on_businesses(db: Database) -> None:
    """A shop becomes a business's catalogue: the business's id beside it, one shop per business.

    Shops kept before stay without one (``NULL``), run by their own staff rows, until
    ``souk business adopt shop`` makes each a business (see ``businesses.py``).
    """
    db.executescript(
        """
        ALTER TABLE shops ADD COLUMN business_id TEXT;
        CREATE UNIQUE INDEX shops_business ON shops(business_id) WHERE business_id IS NOT NULL;
        """
    )
