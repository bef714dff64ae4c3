"""Automated answers: a greeting on first contact, the away message outside opening hours on the
business's own clock (once per customer per away period, across a daylight-saving change), and
keyword rules that reply, assign and label, each hit counted."""

from __future__ import annotations

import datetime as dt

import pytest
from inbox_support import BASE, make_shop, write

AWAY = "Estamos fechados: respondemos às 9h."
UTC = dt.UTC


def _texts(customer, cid: str) -> list[str]:
    messages = customer.call("GET", f"/api/v1/conversations/{cid}/messages?limit=100")["messages"]
    return [m["text"] for m in messages if m["sender"]["kind"] == "app"]


@pytest.fixture
def shop(souk_world):
    world = souk_world([])
    world.set_clock(dt.datetime(2030, 3, 8, 12, 0, tzinfo=UTC))  # a Friday, New York on EST
    return make_shop(world, agents=1, time_zone="America/New_York")


def test_the_away_message_follows_the_local_clock_across_a_daylight_saving_change(shop) -> None:
    shop.settings(away_message=AWAY)
    world = shop.world
    customer, chat = shop.customer("Rita", "oi")  # Fri 07:00 EST: closed, before opening
    cid = chat["id"]
    assert _texts(customer, cid) == [AWAY]
    world.set_clock(dt.datetime(2030, 3, 8, 14, 30, tzinfo=UTC))  # Fri 09:30 EST: open
    write(customer, cid, "ainda aí?")
    assert _texts(customer, cid) == [AWAY]
    world.set_clock(dt.datetime(2030, 3, 9, 0, 0, tzinfo=UTC))  # Fri 19:00 EST: closed
    write(customer, cid, "boa noite")
    assert _texts(customer, cid) == [AWAY, AWAY]
    for moment in (
        dt.datetime(2030, 3, 9, 15, 0, tzinfo=UTC),  # Sat 10:00 EST
        dt.datetime(2030, 3, 10, 12, 0, tzinfo=UTC),  # Sun 08:00 EDT, clocks went forward at 02:00
        dt.datetime(2030, 3, 11, 12, 59, tzinfo=UTC),  # Mon 08:59 EDT
    ):
        world.set_clock(moment)
        write(customer, cid, "alô?")
    assert _texts(customer, cid) == [AWAY, AWAY]  # one weekend, one away period
    other, other_chat = shop.customer("Caio", "oi")  # Mon 08:59 EDT: their first in this period
    assert _texts(other, other_chat["id"]) == [AWAY]
    world.set_clock(dt.datetime(2030, 3, 11, 13, 0, tzinfo=UTC))  # Mon 09:00 EDT (14:00 on EST): open
    write(customer, cid, "bom dia")
    world.set_clock(dt.datetime(2030, 3, 11, 21, 59, tzinfo=UTC))  # Mon 17:59 EDT: open
    write(customer, cid, "ok")
    assert _texts(customer, cid) == [AWAY, AWAY]
    world.set_clock(dt.datetime(2030, 3, 11, 22, 0, tzinfo=UTC))  # Mon 18:00 EDT: closed again
    write(customer, cid, "até amanhã")
    assert _texts(customer, cid) == [AWAY, AWAY, AWAY]


def test_a_greeting_goes_once_on_first_contact(shop) -> None:
    shop.world.set_clock(dt.datetime(2030, 3, 11, 15, 0, tzinfo=UTC))  # Mon 11:00 EDT: open
    shop.settings(greeting="Olá! Como podemos ajudar?", away_message=AWAY)
    customer, chat = shop.customer("Rita", "oi")
    write(customer, chat["id"], "tem capinha?")
    assert _texts(customer, chat["id"]) == ["Olá! Como podemos ajudar?"]


def test_keyword_rules_reply_assign_label_and_count_their_hits(shop) -> None:
    shop.world.set_clock(dt.datetime(2030, 3, 11, 15, 0, tzinfo=UTC))
    ana = shop.agents[0]
    rule = {"keywords": ["Entrega", "frete"], "reply": "Entregamos em 2 dias.", "label": "Logística"}
    made = shop.owner.call("POST", BASE + "/rules", rule | {"assign_to": ana.profile["id"]})
    assert made["keywords"] == ["entrega", "frete"] and made["label"] == "logística" and made["hits"] == 0
    customer, chat = shop.customer("Rita", "Qual o FRETE para Recife?")
    write(customer, chat["id"], "e a entrega demora?")
    write(customer, chat["id"], "entregas rápidas?")  # a whole word only: no hit
    assert _texts(customer, chat["id"]) == ["Entregamos em 2 dias.", "Entregamos em 2 dias."]
    thread = ana.call("GET", f"{BASE}/inbox/{chat['id']}")
    assert thread["labels"] == ["logística"] and thread["assignee"]["user_id"] == ana.profile["id"]
    assert [r["hits"] for r in ana.call("GET", BASE + "/rules")["rules"]] == [2]
    for bad in (
        {"keywords": ["x"]},
        {"keywords": [""], "reply": "y"},
        {"keywords": ["x"], "assign_to": "u_no"},
    ):
        refused = shop.owner.call("POST", BASE + "/rules", bad, expect=422)
        assert refused["error"]["code"] in ("invalid_rule", "invalid_request")
    assert ana.call("POST", BASE + "/rules", rule, expect=403)["error"]["code"] == "business_admins_only"
    shop.owner.call("DELETE", f"{BASE}/rules/{made['id']}")
    assert (
        shop.owner.call("DELETE", f"{BASE}/rules/{made['id']}", expect=404)["error"]["code"]
        == "rule_not_found"
    )
