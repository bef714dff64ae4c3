"""The shared inbox over the HTTP API: the staff list a business's customer chats by state, read
and answer them as the business, and the customer sees the business, never the agent."""

from __future__ import annotations

import json

import pytest
from inbox_support import BASE, answer, make_shop, write


@pytest.fixture
def shop(souk_world):
    return make_shop(souk_world([]))


def test_an_agent_reads_and_answers_a_customer_as_the_business(shop) -> None:
    ana = shop.agents[0]
    customer, chat = shop.customer("Rita Souza", "Oi, tem capinha?")
    shop.listen(customer)
    shop.listen(ana)
    page = ana.call("GET", BASE + "/inbox")
    assert [t["conversation_id"] for t in page["threads"]] == [chat["id"]]
    assert page["counts"] == {"open": 1, "pending": 0, "resolved": 0, "all": 1}
    thread = page["threads"][0]
    assert thread["customer"]["first_name"] == "Rita" and thread["assignee"] is None
    assert thread["last_message"]["text"] == "Oi, tem capinha?"
    messages = ana.call("GET", f"{BASE}/inbox/{chat['id']}/messages")["messages"]
    assert [m["text"] for m in messages] == ["Oi, tem capinha?"]

    done = answer(ana, chat["id"], "Temos sim!")
    assert done["thread"]["state"] == "pending" and done["thread"]["assignee"]["display_name"] == "Ana Lima"
    assert done["message"]["agent"]["user_id"] == ana.profile["id"]
    seen = customer.call("GET", f"/api/v1/conversations/{chat['id']}/messages")["messages"]
    assert [(m["sender"]["name"], m["text"]) for m in seen][-1] == ("Loja da Bruna", "Temos sim!")
    assert seen[-1]["sender"] == {"kind": "app", "id": shop.business["id"], "name": "Loja da Bruna"}
    frames = shop.frames(customer)
    assert [f["type"] for f in frames] == ["message"] and frames[0]["message"]["text"] == "Temos sim!"
    staff_frames = shop.frames(ana)
    assert [f["type"] for f in staff_frames] == ["inbox"]
    assert staff_frames[0]["messages"][0]["agent"]["user_id"] == ana.profile["id"]
    for shown in (json.dumps(seen), json.dumps(frames)):
        assert (
            ana.profile["id"] not in shown and ana.handle not in shown and ana.profile["phone"] not in shown
        )

    assert [t["conversation_id"] for t in ana.call("GET", BASE + "/inbox?state=pending")["threads"]] == [
        chat["id"]
    ]
    assert ana.call("GET", BASE + "/inbox?state=open")["threads"] == []
    write(customer, chat["id"], "Azul?")
    assert ana.call("GET", BASE + "/inbox?state=open")["threads"][0]["last_message"]["text"] == "Azul?"
    assert [f["type"] for f in shop.frames(ana)] == ["inbox"]


def test_the_agent_first_name_shows_only_when_the_business_chooses(shop) -> None:
    ana = shop.agents[0]
    customer, chat = shop.customer("Rita Souza", "Oi")
    shop.settings(show_agent_name=True)
    answer(ana, chat["id"], "Olá!")
    seen = customer.call("GET", f"/api/v1/conversations/{chat['id']}/messages")["messages"]
    assert seen[-1]["sender"]["name"] == "Loja da Bruna · Ana"
    assert "Lima" not in json.dumps(seen)


def test_the_inbox_is_the_staff_s_alone_and_pages_by_state(shop) -> None:
    ana = shop.agents[0]
    chats = [shop.customer(f"Cliente {n}", "oi")[1]["id"] for n in range(5)]
    outsider = shop.world.user("Zé", "BR")
    assert outsider.call("GET", BASE + "/inbox", expect=403)["error"]["code"] == "staff_only"
    first = ana.call("GET", BASE + "/inbox?state=all&limit=3")
    second = ana.call("GET", BASE + f"/inbox?state=all&limit=3&before={first['next']}")
    listed = [t["conversation_id"] for t in first["threads"] + second["threads"]]
    assert sorted(listed) == sorted(chats) and len(set(listed)) == 5 and second["next"] is None
    ana.call("PUT", f"{BASE}/inbox/{chats[0]}/state", {"state": "resolved"})
    assert ana.call("GET", BASE + "/inbox")["counts"] == {"open": 4, "pending": 0, "resolved": 1, "all": 5}
    bad = ana.call("GET", BASE + "/inbox?state=closed", expect=422)
    assert bad["error"]["code"]
    missing = ana.call("GET", f"{BASE}/inbox/c_nothing/messages", expect=404)
    assert missing["error"]["code"] == "thread_not_found"


def test_notes_and_labels_are_the_staff_s_and_quick_replies_fill_their_variables(shop) -> None:
    ana, caio = shop.agents
    customer, chat = shop.customer("Rita Souza", "Oi")
    cid = chat["id"]
    note = ana.call("POST", f"{BASE}/inbox/{cid}/notes", {"text": "  cliente antiga  "})
    assert note["text"] == "cliente antiga" and note["author"]["display_name"] == "Ana Lima"
    labelled = caio.call("PUT", f"{BASE}/inbox/{cid}/labels", {"labels": ["VIP", "vip", "troca"]})
    assert labelled["labels"] == ["vip", "troca"]
    detail = caio.call("GET", f"{BASE}/inbox/{cid}")
    assert [n["text"] for n in detail["notes"]] == ["cliente antiga"] and detail["labels"] == ["vip", "troca"]
    bad = caio.call("PUT", f"{BASE}/inbox/{cid}/labels", {"labels": ["!!"]}, expect=422)
    assert bad["error"]["code"] == "invalid_label"
    assert customer.call("GET", f"{BASE}/inbox/{cid}", expect=403)["error"]["code"] == "staff_only"

    text = "Oi {customer.first_name}! A {business.name} separou o pedido {order.number}."
    assert shop.owner.call("PUT", BASE + "/quick-replies/pedido", {"text": text})["name"] == "pedido"
    refused = ana.call("PUT", BASE + "/quick-replies/outra", {"text": "x"}, expect=403)
    assert refused["error"]["code"] == "business_admins_only"
    bad = shop.owner.call("PUT", BASE + "/quick-replies/n%C3%A3o", {"text": "x"}, expect=422)
    assert bad["error"]["code"] == "invalid_quick_reply"
    filled = ana.call("GET", f"{BASE}/inbox/{cid}/quick-replies")["quick_replies"]
    assert [q["filled"] for q in filled] == ["Oi Rita! A Loja da Bruna separou o pedido {order.number}."]
    assert len(ana.call("GET", BASE + "/quick-replies")["quick_replies"]) == 1
    shop.owner.call("DELETE", BASE + "/quick-replies/pedido")
    gone = shop.owner.call("DELETE", BASE + "/quick-replies/pedido", expect=404)
    assert gone["error"]["code"] == "quick_reply_not_found"


def _count(shop, table: str) -> int:
    return shop.runtime.core.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_erasing_a_customer_an_agent_or_the_last_admin_takes_their_part_of_the_inbox(shop) -> None:
    ana = shop.agents[0]
    shop.owner.call("PUT", BASE + "/quick-replies/oi", {"text": "Olá!"})
    shop.owner.call("POST", BASE + "/rules", {"keywords": ["pix"], "assign_to": ana.profile["id"]})
    rita, chat = shop.customer("Rita", "pix?")
    caio, other = shop.customer("Caio", "oi")
    for cid in (chat["id"], other["id"]):
        answer(ana, cid, "Olá!")
        ana.call("POST", f"{BASE}/inbox/{cid}/notes", {"text": "nota"})
    receipt = rita.erase()["parts"]["souk"]
    assert receipt["deleted"]["inbox_threads"] == 1 and receipt["deleted"]["inbox_notes"] == 1
    assert _count(shop, "inbox_threads") == 1

    receipt = ana.erase()["parts"]["souk"]
    assert receipt["pseudonymised"]["inbox_threads"] == 1  # Caio's thread, hers by replying
    assert receipt["pseudonymised"]["inbox_notes"] == receipt["pseudonymised"]["inbox_replies"] == 1
    assert receipt["pseudonymised"]["keyword_rules"] == 1
    thread = shop.owner.call("GET", f"{BASE}/inbox/{other['id']}")
    assert thread["assignee"] is None and thread["notes"][0]["author"] is None

    receipt = shop.owner.erase()["parts"]["souk"]  # no admin left: the business closes
    assert receipt["deleted"]["businesses"] == 1 and receipt["deleted"]["inbox_threads"] == 1
    for table in ("inbox_threads", "inbox_notes", "quick_replies", "keyword_rules", "inbox_settings"):
        assert _count(shop, table) == 0, table
    assert len(caio.call("GET", f"/api/v1/conversations/{other['id']}/messages")["messages"]) == 2


def test_an_agent_answers_only_within_a_day_of_the_customer_s_message_or_not_once_blocked(shop) -> None:
    ana = shop.agents[0]
    customer, chat = shop.customer("Rita Souza", "Oi, tem capinha?")
    answer(ana, chat["id"], "Temos sim!")
    shop.world.advance(hours=23, minutes=59)
    answer(ana, chat["id"], "Ainda quer?")
    shop.world.advance(minutes=2)
    late = answer(ana, chat["id"], "Oi de novo", expect=403)
    assert late["error"]["code"] == "outside_reply_window"
    write(customer, chat["id"], "Quero sim")
    answer(ana, chat["id"], "Separei uma")
    customer.call("POST", f"/api/v1/businesses/{shop.business['handle']}/block")
    blocked = answer(ana, chat["id"], "Tem mais?", expect=403)
    assert blocked["error"]["code"] == "blocked_by_customer"
    texts = [
        m["text"] for m in customer.call("GET", f"/api/v1/conversations/{chat['id']}/messages")["messages"]
    ]
    assert texts == ["Oi, tem capinha?", "Temos sim!", "Ainda quer?", "Quero sim", "Separei uma"]


def test_staff_find_their_businesses_and_how_many_customers_wait(shop) -> None:
    ana = shop.agents[0]
    mine = "/api/v1/me/businesses"
    assert [(b["handle"], b["your_role"], b["waiting"]) for b in ana.call("GET", mine)["businesses"]] == [
        ("lojadabruna", "agent", 0)
    ]
    first, chat = shop.customer("Rita Souza", "Oi, tem capinha?")
    shop.customer("Davi Lima", "Tem em azul?")
    assert ana.call("GET", mine)["businesses"][0]["waiting"] == 2
    answer(ana, chat["id"], "Temos sim!")
    assert ana.call("GET", mine)["businesses"][0]["waiting"] == 1
    assert first.call("GET", mine)["businesses"] == []
