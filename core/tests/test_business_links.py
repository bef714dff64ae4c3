"""Click-to-chat: the link leads to the web client at the business, the chat it opens shows the
business (never its staff), and the QR code encodes the link."""

from __future__ import annotations

import json

import pytest
from media_samples import png
from souk.business import links


@pytest.fixture
def shop(souk_world):
    world = souk_world([])
    bruna, ravi, asha = world.user("Carla", "BR"), world.user("Ravi", "BR"), world.user("Asha", "IN")
    bruna.call(
        "POST", "/api/v1/businesses", {"name": "Loja da Bruna", "handle": "lojadabruna", "category": "shop"}
    )
    bruna.call("POST", "/api/v1/businesses/lojadabruna/staff", {"handle": ravi.handle, "role": "agent"})
    return world, bruna, ravi, asha


def test_the_link_leads_to_the_web_client_with_the_text_in_the_fragment(shop) -> None:
    world = shop[0]
    status, _ = world.core.request_bytes("GET", "/b/lojadabruna?text=Ol%C3%A1%2C%20tem%20capinha%3F", None)
    assert status == 303
    assert links.client_address("lojadabruna", "Olá, tem capinha?") == (
        "/#/b/lojadabruna?text=Ol%C3%A1%2C%20tem%20capinha%3F"
    )
    assert links.client_address("x/../y", None) == "/#/b/x%2F..%2Fy"
    assert links.path("lojadabruna", "a b&c") == "/b/lojadabruna?text=a%20b%26c"


def test_the_chat_with_a_business_shows_its_name_and_logo_never_its_staff(shop) -> None:
    world, bruna, ravi, asha = shop
    _, content = world.core.request_bytes("POST", "/api/v1/media?purpose=profile", bruna.token, png())
    logo = json.loads(content)["id"]
    bruna.call("PATCH", "/api/v1/businesses/lojadabruna", {"logo": logo})
    first = asha.call("POST", "/api/v1/businesses/@LojaDaBruna/chat")
    again = asha.call("POST", "/api/v1/businesses/lojadabruna/chat")
    assert first["id"] == again["id"] and first["kind"] == "business" and first["title"] == "Loja da Bruna"
    profile = asha.call("GET", "/api/v1/businesses/lojadabruna")
    assert first["business"] == {
        "id": profile["id"],
        "handle": "lojadabruna",
        "name": "Loja da Bruna",
        "logo": f"/api/v1/media/{logo}",
        "verified": False,
        "blocked": False,
    }
    assert [m["id"] for m in first["members"]] == [asha.profile["id"]]
    chat = asha.chat(first["id"])
    chat.send("Olá, tem capinha?")
    listed = asha.call("GET", "/api/v1/conversations")["conversations"]
    assert [(c["kind"], c["title"]) for c in listed] == [("business", "Loja da Bruna")]
    shown = json.dumps(listed) + json.dumps(first)
    for person in (bruna, ravi):
        for secret in (person.profile["phone"], person.profile["handle"], person.profile["id"]):
            assert secret not in shown
    bruna.call("PATCH", "/api/v1/businesses/lojadabruna", {"name": "Bruna Capinhas"})
    assert asha.call("GET", f"/api/v1/conversations/{first['id']}")["title"] == "Bruna Capinhas"
    other = ravi.call("POST", "/api/v1/businesses/lojadabruna/chat")
    assert other["id"] != first["id"]
    missing = asha.call("POST", "/api/v1/businesses/nobody_here/chat", expect=404)
    assert missing["error"]["code"] == "business_not_found"


def test_the_qr_code_is_a_png_of_the_link(shop) -> None:
    world = shop[0]
    status, image = world.core.request_bytes("GET", "/api/v1/businesses/lojadabruna/qr.png?text=Oi", None)
    assert status == 200 and image.startswith(b"\x89PNG\r\n\x1a\n")
    assert image == links.qr_png("http://souk.test/b/lojadabruna?text=Oi")
    assert image != links.qr_png("http://souk.test/b/lojadabruna")
    status, _ = world.core.request_bytes("GET", "/api/v1/businesses/nobody_here/qr.png", None)
    assert status == 404
    status, _ = world.core.request_bytes(
        "GET", "/api/v1/businesses/lojadabruna/qr.png?text=" + "a" * 1001, None
    )
    assert status == 422
