"""The owner's upload button: /myshop takes a catalogue file (CSV or JSON), imports it with the
import's rules, and answers its report; a file it cannot take is refused beside the field."""

from __future__ import annotations

import base64
import json

from shop_support import SHOP, open_shop

CSV = (
    "sku,name,description,price,stock,category,tags\n"
    "CAP-1,Red cap,,25.00,4,hats,red\n"
    "CAP-2,Blue cap,,25.00,2,hats,blue\n"
    "BAD,Free cap,,0.00,1,hats,\n"
)


def _file(name: str, data: bytes) -> dict[str, dict[str, str]]:
    return {"file": {"name": name, "content_base64": base64.b64encode(data).decode()}}


def test_an_owner_uploads_a_catalogue_from_the_back_office(souk_world) -> None:
    world = souk_world(["shop"])
    bruna = world.user("Bruna", "BR")
    shop_id, chat = open_shop(world, bruna, products=())
    office = chat.send("/myshop")
    assert "souk shop import" not in office.text and "/api/v1" not in office.text  # no developer text
    assert "Catalogue file for Loja da Bruna, a file (.csv, .json)" in office.text
    assert "[Upload]" in office.text

    report = chat.submit(_file("catalogue.csv", CSV.encode()), action="import_catalogue")
    assert report.text.splitlines() == [
        "Catalogue imported: 2 created, 0 updated, 0 unchanged, 1 rejected.",
        "Line 4: BAD: price: Value error, an amount is more than zero",
    ]
    names = sorted(p["name"] for p in bruna.call("GET", f"{SHOP}/shops/{shop_id}/products")["products"])
    assert names == ["Blue cap", "Red cap"]

    chat.send("/myshop")
    again = chat.submit(
        _file(
            "catalogue.json",
            json.dumps(
                [
                    {
                        "sku": "CAP-1",
                        "name": "Red cap",
                        "price": "25.00",
                        "stock": 4,
                        "category": "hats",
                        "tags": "red",
                    }
                ]
            ).encode(),
        ),
        action="import_catalogue",
    )
    assert again.text == "Catalogue imported: 0 created, 0 updated, 1 unchanged, 0 rejected."


def test_a_file_the_upload_cannot_take_is_refused_beside_its_field(souk_world) -> None:
    world = souk_world(["shop"])
    bruna = world.user("Bruna", "BR")
    open_shop(world, bruna, products=())
    chat = bruna.app_chat("shop")
    refusals = {}
    for case, values in {
        "a picture": _file("photo.png", b"\x89PNG\r\n"),
        "not JSON": _file("catalogue.json", b"{not json"),
        "empty": _file("catalogue.csv", b""),
        "not base64": {"file": {"name": "catalogue.csv", "content_base64": "***"}},
        "not a file": {"file": "sku,name"},
        "nothing": {},
    }.items():
        chat.send("/myshop")
        refusals[case] = chat.submit(values, action="import_catalogue", expect=422).errors["file"]
    assert refusals == {
        "a picture": "must be a .csv or .json file",
        "not JSON": refusals["not JSON"],
        "empty": "is empty",
        "not base64": "could not be read: send its bytes as base64",
        "not a file": "must be a file",
        "nothing": "is required",
    }
    assert refusals["not JSON"].startswith("could not be read: line 1: ")


def test_a_catalogue_of_150_kb_goes_through_the_form(souk_world) -> None:
    world = souk_world(["shop"])
    bruna = world.user("Bruna", "BR")
    _, chat = open_shop(world, bruna, products=())
    rows = [
        f"SKU-{n:05d},Product number {n} with a long name,A description of it,{n % 90 + 10}.00,5,x,y"
        for n in range(2_000)
    ]
    data = ("sku,name,description,price,stock,category,tags\n" + "\n".join(rows)).encode()
    assert 140_000 < len(data) < 1024 * 1024  # over the 64 KiB of an ordinary request
    chat.send("/myshop")
    report = chat.submit(_file("big.csv", data), action="import_catalogue")
    assert report.text == "Catalogue imported: 2000 created, 0 updated, 0 unchanged, 0 rejected."
