"""Group threads with a business: a customer starts a group with a courier and names the business;
its staff serve the group from their inbox without joining it, everyone in it gets the business's
answers, and any of its people's messages opens the 24-hour reply window."""

from __future__ import annotations

import pytest
from inbox_support import BASE, answer, make_shop, write


@pytest.fixture
def shop(souk_world):
    return make_shop(souk_world([]))


def _group(shop, customer, courier) -> dict:
    body = {"kind": "group", "title": "Entrega do pedido", "members": [{"handle": courier.handle}]}
    return customer.call("POST", "/api/v1/conversations", body | {"business": "lojadabruna"}, expect=201)


def test_the_staff_serve_a_group_of_customer_and_courier_without_joining_it(shop) -> None:
    ana = shop.agents[0]
    rita, davi = shop.world.user("Rita Souza", "BR"), shop.world.user("Davi Entregas", "BR")
    group = _group(shop, rita, davi)
    assert group["business"]["handle"] == "lojadabruna"
    assert group["kind"] == "group"
    assert {m["id"] for m in group["members"]} == {rita.profile["id"], davi.profile["id"]}  # no staff

    write(davi, group["id"], "Estou na portaria, qual apartamento?")
    threads = ana.call("GET", BASE + "/inbox")["threads"]
    assert [(t["conversation_id"], t["customer"]["first_name"]) for t in threads] == [(group["id"], "Rita")]
    answer(ana, group["id"], "Apartamento 42, obrigada!")
    for person in (rita, davi):
        seen = person.call("GET", f"/api/v1/conversations/{group['id']}/messages")["messages"]
        last = seen[-1]
        assert (last["sender"]["name"], last["text"]) == ("Loja da Bruna", "Apartamento 42, obrigada!")
    ana.call("GET", f"/api/v1/conversations/{group['id']}/messages", expect=404)  # not a member


def test_any_of_the_groups_people_opens_the_reply_window(shop) -> None:
    ana = shop.agents[0]
    rita, davi = shop.world.user("Rita Souza", "BR"), shop.world.user("Davi Entregas", "BR")
    group = _group(shop, rita, davi)
    write(rita, group["id"], "Vocês entregam hoje?")
    shop.world.advance(hours=25)
    late = answer(ana, group["id"], "Entregamos sim", expect=403)
    assert late["error"]["code"] == "outside_reply_window"
    write(davi, group["id"], "Cheguei")
    answer(ana, group["id"], "Obrigada, Davi!")
    texts = [m["text"] for m in rita.call("GET", f"/api/v1/conversations/{group['id']}/messages")["messages"]]
    assert texts[-3:] == ["Vocês entregam hoje?", "Cheguei", "Obrigada, Davi!"]


def test_a_group_names_a_business_that_exists_and_that_its_starter_did_not_block(shop) -> None:
    rita, davi = shop.world.user("Rita Souza", "BR"), shop.world.user("Davi Entregas", "BR")
    body = {"kind": "group", "title": "Pedido", "members": [{"handle": davi.handle}]}
    missing = rita.call("POST", "/api/v1/conversations", body | {"business": "nobody_here"}, expect=404)
    assert missing["error"]["code"] == "business_not_found"
    rita.call("POST", BASE + "/block")
    blocked = rita.call("POST", "/api/v1/conversations", body | {"business": "lojadabruna"}, expect=403)
    assert blocked["error"]["code"] == "business_blocked"
    assert [
        c for c in rita.call("GET", "/api/v1/conversations")["conversations"] if c["kind"] == "group"
    ] == []
