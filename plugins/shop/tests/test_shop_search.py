"""Finding products: words of the name, description and tags; exact name first; categories; hidden ones.

One world, one shop of 9 products (2 hidden) stocked through the import route,
searched the way customers search: ``GET /shops/{id}/products?q=&category=``,
``/shop words`` and the shop's search form in chat.  The ranking check uses
products built so that relevance alone would put another one first.
"""

from __future__ import annotations

import json

from shop_support import SHOP, open_shop
from souk_sdk import ui

CATALOGUE = [
    {"sku": "SH-1", "name": "Red running shoes", "category": "shoes", "tags": "running,red",
     "description": "Light shoes for the road"},
    {"sku": "SH-2", "name": "Blue canvas shoe", "category": "shoes", "tags": "canvas",
     "description": "For summer days"},
    {"sku": "SH-3", "name": "Trail boots", "category": "shoes", "tags": "hiking",
     "description": "Grip for a marathon on rough ground"},
    {"sku": "SO-1", "name": "Wool socks", "category": "socks", "tags": "gift",
     "description": "Warm and soft for cold winter nights at home"},
    {"sku": "SO-2", "name": "Sport socks", "category": "socks", "tags": "wool,socks",
     "description": "wool wool wool socks"},
    {"sku": "SO-3", "name": "Red socks", "category": "socks", "tags": "red", "description": "Bright"},
    {"sku": "AC-1", "name": "Café com leite mug", "category": "kitchen", "tags": "vegan,gift",
     "description": "Ceramic"},
    {"sku": "AC-2", "name": "Secret prototype shoe", "category": "shoes", "tags": "red",
     "description": "Not ready", "active": False},
    {"sku": "AC-3", "name": "Retired red scarf", "category": "scarves", "tags": "red",
     "description": "Gone", "active": False},
]  # fmt: skip


def test_search_by_words_ranks_exact_names_first_filters_and_hides(souk_world) -> None:
    world = souk_world(["shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, owner_chat = open_shop(world, bruna, products=())
    items = [{"price": "10.00", "stock": 5, **item} for item in CATALOGUE]
    report = bruna.call(
        "POST", f"{SHOP}/imports", {"shop_id": shop_id, "format": "json", "content": json.dumps(items)}
    )
    assert (report["created"], report["rejected"]) == (9, 0)
    tiago = world.user("Tiago", "BR")
    chat = tiago.app_chat("shop")
    chat.send("/orders")  # allow the shop

    def search(q: str = "", category: str = "") -> list[str]:
        query = "&".join(f"{k}={v}" for k, v in (("q", q), ("category", category)) if v)
        return [p["name"] for p in tiago.call("GET", f"{SHOP}/shops/{shop_id}/products?{query}")["products"]]

    # Words of the name, as prefixes, in any order: "red shoe" finds "Red running shoes".
    assert search("red shoe") == ["Red running shoes"]
    assert search("shoe red") == ["Red running shoes"]
    assert search("RUNNING") == ["Red running shoes"]
    # Words of the description and of the tags.
    assert search("marathon") == ["Trail boots"]
    assert search("road") == ["Red running shoes"]
    assert search("hiking") == ["Trail boots"]
    assert search("vegan") == ["Café com leite mug"]
    # Accents do not matter: "cafe" finds "Café".
    assert search("cafe") == ["Café com leite mug"]
    # Several matches: 3 products say "red" (the 2 hidden ones are not among them).
    assert sorted(search("red")) == ["Red running shoes", "Red socks"]
    assert len(search("shoe")) == 2

    # An exact name match comes first, even where another product says the words more often
    # (by relevance alone "Sport socks", with "wool" in its tags and four times in its
    # description, ranks above "Wool socks").
    assert search("wool socks") == ["Wool socks", "Sport socks"]
    assert search("  WOOL socks ") == ["Wool socks", "Sport socks"]
    assert search("sport socks") == ["Sport socks"]

    # Categories filter, alone or with words; the list of categories leaves hidden ones out.
    assert search(category="shoes") == ["Blue canvas shoe", "Red running shoes", "Trail boots"]
    assert search(category="socks") == ["Red socks", "Sport socks", "Wool socks"]
    assert search("red", category="socks") == ["Red socks"]
    assert search(category="scarves") == []
    assert search("nothing like this") == []
    # Search syntax in the words is only text, never an error: OR and NEAR are words to find too.
    assert search('red* "shoe') == ["Red running shoes"]
    assert search('"red" OR NEAR(shoe*') == []

    # Hidden products: never found by customers, over HTTP or in chat, by name or words.
    assert search("secret prototype") == []
    assert search("retired scarf") == []
    in_chat = chat.send("/shop red")
    assert "Red running shoes" in in_chat.text and "Red socks" in in_chat.text
    assert "Secret prototype" not in in_chat.text and "Retired red scarf" not in in_chat.text
    chat.send("/shop")
    shelf = chat.press("Open")
    assert "Secret prototype" not in shelf.text and "Retired red scarf" not in shelf.text
    lists = [c for c in shelf.screen.body if isinstance(c, ui.ItemList)]
    assert [item.title for item in lists[0].items] == ["kitchen", "shoes", "socks"]
    found = chat.submit({"q": "red shoe"}, action="search")
    assert [c.title for c in found.screen.body if isinstance(c, ui.Card)] == ["Red running shoes"]

    # The owner still sees hidden products in the catalogue; hiding one more takes it out of search.
    catalogue = owner_chat.press("Catalogue")
    assert "Secret prototype shoe" in catalogue.text and "Retired red scarf" in catalogue.text
    message = catalogue.messages[-1]
    card = next(c for c in catalogue.screen.body if isinstance(c, ui.Card) and c.title == "Red running shoes")
    hide = next(b for b in card.buttons if b.label == "Hide")
    bruna.call("POST", "/api/v1/actions", {"message_id": message["id"], "component_id": hide.id})
    world.settle()
    assert owner_chat.history()[-1]["text"] == "Red running shoes is hidden now."
    assert search("red shoe") == []
    assert search("red") == ["Red socks"]
    assert search(category="shoes") == ["Blue canvas shoe", "Trail boots"]
