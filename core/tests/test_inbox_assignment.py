"""Assignment of the inbox's threads: by hand (take, give, unassign), and automatic round-robin
to online agents, never over the business's per-agent cap."""

from __future__ import annotations

from collections import Counter

from inbox_support import BASE, make_shop


def _held(shop) -> Counter[str]:
    threads = shop.owner.call("GET", BASE + "/inbox?state=all&limit=100")
    rows = list(threads["threads"])
    while threads["next"]:
        threads = shop.owner.call("GET", BASE + f"/inbox?state=all&limit=100&before={threads['next']}")
        rows += threads["threads"]
    return Counter(row["assignee"]["user_id"] if row["assignee"] else None for row in rows)


def test_200_new_conversations_go_round_robin_to_online_agents_within_the_cap(souk_world) -> None:
    shop = make_shop(souk_world([]), agents=4)
    shop.settings(agent_cap=30)
    ana, caio, duda, enzo = (agent.profile["id"] for agent in shop.agents)
    for agent in shop.agents:
        shop.online(agent)
    for n in range(200):
        if n == 40:
            shop.online(shop.agents[3], connected=False)  # Enzo goes offline with 10 threads
        shop.customer(f"Cliente {n}", "oi")
        held = _held(shop) if n % 20 == 19 or n == 39 else None
        if held is None:
            continue
        assert max(held[a] for a in (ana, caio, duda, enzo)) <= 30, held
        eligible = [held[a] for a in ((ana, caio, duda, enzo) if n < 40 else (ana, caio, duda))]
        assert max(eligible) - min(eligible) <= 1, (n, held)
    held = _held(shop)
    assert held[enzo] == 10  # nothing more after going offline
    assert (held[ana], held[caio], held[duda]) == (30, 30, 30)
    assert held[None] == 200 - 100 and sum(held.values()) == 200


def test_no_agent_online_leaves_new_threads_unassigned_and_staff_take_them_by_hand(souk_world) -> None:
    shop = make_shop(souk_world([]), agents=2)
    ana, caio = shop.agents
    _, chat = shop.customer("Rita", "oi")
    cid = chat["id"]
    assert _held(shop) == Counter({None: 1})
    taken = ana.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": ana.profile["id"]})
    assert taken["assignee"]["user_id"] == ana.profile["id"]
    given = ana.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": caio.profile["id"]})
    assert given["assignee"]["display_name"] == "Caio Reis"
    assert ana.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": None})["assignee"] is None
    outsider = shop.world.user("Zé", "BR")
    refused = ana.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": outsider.profile["id"]}, expect=422)
    assert refused["error"]["code"] == "not_staff"
    assert outsider.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": None}, expect=403)


def test_an_offline_agent_or_one_at_the_cap_gets_nothing_automatically(souk_world) -> None:
    shop = make_shop(souk_world([]), agents=2)
    shop.settings(agent_cap=2)
    ana, caio = shop.agents
    shop.online(ana)
    for n in range(3):
        shop.customer(f"Cliente {n}", "oi")
    held = _held(shop)
    assert held == Counter({ana.profile["id"]: 2, None: 1})
    bad = shop.owner.call("PATCH", BASE + "/inbox-settings", {"agent_cap": 0}, expect=422)
    assert bad["error"]["code"] in ("invalid_request", "invalid_inbox_settings")
    assert caio.call("PATCH", BASE + "/inbox-settings", {"agent_cap": 5}, expect=403)
