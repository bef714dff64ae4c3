"""Satisfaction and service levels: a customer rates a resolved conversation once; the staff
read first-response and resolution times and CSAT per day (on the business's clock) and per
agent; the customer never learns which agent served them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from inbox_support import BASE, answer, make_shop, write

UTC = dt.UTC


@pytest.fixture
def shop(souk_world):
    world = souk_world([])
    world.set_clock(dt.datetime(2030, 3, 11, 13, 0, tzinfo=UTC))  # Mon 10:00 in São Paulo
    return make_shop(world, agents=2)


def _rate(customer, cid: str, stars: int, **expect):
    return customer.call(
        "POST", f"/api/v1/conversations/{cid}/rating", {"stars": stars, "comment": "ok"}, **expect
    )


def test_ratings_and_service_levels_per_day_and_agent(shop) -> None:
    world, (ana, caio) = shop.world, shop.agents
    rita, chat = shop.customer("Rita", "oi")
    cid = chat["id"]
    assert rita.call("GET", f"/api/v1/conversations/{cid}/rating") == {"can_rate": False, "rating": None}
    assert _rate(rita, cid, 5, expect=409)["error"]["code"] == "not_resolved"
    world.advance(minutes=4)
    answer(ana, cid, "Olá!")
    world.advance(minutes=1)
    answer(ana, cid, "Posso ajudar?")  # not a first response any more
    world.advance(minutes=5)
    ana.call("PUT", f"{BASE}/inbox/{cid}/state", {"state": "resolved"})
    assert rita.call("GET", f"/api/v1/conversations/{cid}/rating")["can_rate"] is True
    given = _rate(rita, cid, 5, expect=201)
    assert given["can_rate"] is False and given["rating"]["stars"] == 5
    assert ana.profile["id"] not in json.dumps(given)
    assert _rate(rita, cid, 1, expect=409)["error"]["code"] == "already_rated"
    assert _rate(rita, cid, 6, expect=422)["error"]["code"] == "invalid_request"

    world.set_clock(dt.datetime(2030, 3, 12, 2, 30, tzinfo=UTC))  # Mon 23:30 in São Paulo, Tue in UTC
    write(rita, cid, "mais uma coisa")  # a new contact in the same thread
    world.advance(minutes=20)  # Mon 23:50
    caio.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": caio.profile["id"]})  # he takes it
    answer(caio, cid, "Diga!")
    world.advance(minutes=20)  # Tue 00:10 on the shop's clock
    caio.call("PUT", f"{BASE}/inbox/{cid}/state", {"state": "resolved"})
    _rate(rita, cid, 2, expect=201)

    stats = ana.call("GET", BASE + "/inbox-stats?days=2")
    monday, tuesday = stats["days"]
    assert (monday["day"], tuesday["day"]) == ("2030-03-11", "2030-03-12")
    assert (monday["first_responses"], monday["first_response_seconds"]) == (2, (4 * 60 + 20 * 60) // 2)
    assert (monday["resolved"], monday["resolution_seconds"]) == (1, 10 * 60)
    assert (tuesday["resolved"], tuesday["resolution_seconds"]) == (1, 40 * 60)
    assert (monday["ratings"], monday["csat"], tuesday["ratings"], tuesday["csat"]) == (1, 100.0, 1, 0.0)
    agents = {a["display_name"]: a for a in stats["agents"]}
    assert agents["Ana Lima"]["first_response_seconds"] == 4 * 60 and agents["Ana Lima"]["csat"] == 100.0
    assert agents["Caio Reis"]["resolution_seconds"] == 40 * 60 and agents["Caio Reis"]["csat"] == 0.0
    assert stats["total"]["ratings"] == 2 and stats["total"]["csat"] == 50.0
    outsider = shop.world.user("Zé", "BR")
    assert outsider.call("GET", BASE + "/inbox-stats", expect=403)["error"]["code"] == "staff_only"
    assert outsider.call("GET", f"/api/v1/conversations/{cid}/rating", expect=404)
