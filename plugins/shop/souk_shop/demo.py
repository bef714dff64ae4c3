"""The shop's part of the demo world: the catalogues of the demo businesses, worth browsing."""

from __future__ import annotations

from souk_sdk import AppUser, BusinessInfo, DemoWorld, Transaction

from . import catalog
from .pictures import product_picture

DEMO_SHOPS = {
    "bruna": (
        "Loja da Bruna",
        "Shoes, socks and things for running",
        "Mon-Sat 9:00-19:00",
        [
            (
                "RUN-RED-38",
                "Red running shoes",
                "Light road shoes, breathable mesh",
                "249.90",
                8,
                "Shoes",
                "running,red",
            ),
            (
                "RUN-BLU-40",
                "Blue running shoes",
                "Cushioned shoes for long runs",
                "279.90",
                5,
                "Shoes",
                "running,blue",
            ),
            (
                "SNK-CNV-39",
                "Canvas sneakers",
                "Everyday white canvas sneakers",
                "129.00",
                12,
                "Shoes",
                "casual,white",
            ),
            ("SND-LTH-37", "Leather sandals", "Handmade in Franca", "159.00", 4, "Shoes", "summer,leather"),
            ("SCK-WOL-01", "Wool socks", "Merino wool, warm and soft", "39.90", 30, "Socks", "wool,winter"),
            (
                "SCK-CTN-03",
                "Cotton socks, pack of 3",
                "Breathable cotton for every day",
                "29.90",
                40,
                "Socks",
                "cotton",
            ),
            ("CAP-SUN-01", "Sun cap", "Quick-dry running cap", "59.00", 15, "Accessories", "running,sun"),
            (
                "BTL-H2O-75",
                "Water bottle 750 ml",
                "Steel, keeps cold for 24 h",
                "89.00",
                10,
                "Accessories",
                "water",
            ),
        ],
    ),
    "asha": (
        "Asha's Spice Box",
        "Whole and ground spices from Kerala",
        "Every day 8:00-20:00",
        [
            (
                "TUR-100",
                "Turmeric powder 100 g",
                "Lakadong turmeric",
                "120.00",
                50,
                "Ground",
                "turmeric,haldi",
            ),
            (
                "CAR-050",
                "Green cardamom 50 g",
                "Bold pods from Idukki",
                "260.00",
                20,
                "Whole",
                "cardamom,elaichi",
            ),
            ("GAR-100", "Garam masala 100 g", "Our family blend", "180.00", 25, "Blends", "masala"),
            (
                "CHA-100",
                "Chai masala 100 g",
                "Ginger, cardamom, cinnamon",
                "150.00",
                30,
                "Blends",
                "chai,tea",
            ),
            ("PEP-100", "Black pepper 100 g", "Tellicherry, whole", "210.00", 15, "Whole", "pepper"),
        ],
    ),
    "jordan": (
        "Jordan's Coffee",
        "Small-batch roasts",
        "Mon-Fri 7:00-15:00",
        [
            (
                "COF-ETH-250",
                "Ethiopian Yirgacheffe 250 g",
                "Floral and bright",
                "16.50",
                20,
                "Coffee",
                "light,roast",
            ),
            (
                "COF-COL-250",
                "Colombian Huila 250 g",
                "Caramel and cocoa",
                "14.00",
                20,
                "Coffee",
                "medium,roast",
            ),
        ],
    ),
}


BUSINESS_OF = {"bruna": "lojadabruna", "asha": "ashaspicebox", "jordan": "jordanscoffee"}
"""The demo business (made by the core's demo) whose catalogue each demo shop is."""


def build(demo: DemoWorld) -> None:
    for handle, spec in DEMO_SHOPS.items():
        business = demo.business(BUSINESS_OF[handle]) if handle in demo.handles else None
        if business is None:
            continue
        owner = demo.user(handle)
        pictures = {
            sku: demo.store_image(product_picture(sku, title), name=f"{sku}.png")
            for sku, title, *_ in spec[3]
        }
        demo.transaction(
            lambda tx, owner=owner, business=business, spec=spec, pictures=pictures: _stock(
                tx, owner, business, spec, pictures, demo
            )
        )


def _stock(
    tx: Transaction,
    owner: AppUser,
    business: BusinessInfo,
    spec: tuple,  # type: ignore[type-arg]
    pictures: dict[str, str],
    demo: DemoWorld,
) -> None:
    _, description, hours, products = spec
    shop = catalog.create_shop(tx.db, business.id, owner.id, business.name, business.country, demo.now())
    tx.db["shops"].update(shop["id"], {"description": description, "opening_hours": hours})
    for sku, title, about, price, stock, category, tags in products:
        product = catalog.ProductIn.model_validate(
            {
                "sku": sku,
                "name": title,
                "description": about,
                "price": price,
                "stock": stock,
                "category": category,
                "tags": tags,
                "image_url": pictures[sku],  # drawn for the demo, served by Souk
            },
            context={"currency": shop["currency"]},
        )
        catalog.upsert(tx.db, shop["id"], product, demo.now())
