"""Privacy of the inbox, across generated sessions of inbox actions: no response a customer gets
and no frame their connection receives holds an agent's phone number, handle or user id, a
private note or a label, whatever the staff do (``SOUK_STRESS=1``: 500 actions, else 100)."""

from __future__ import annotations

import json
import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inbox_support import BASE, answer, make_shop, write

STRESS = os.environ.get("SOUK_STRESS") == "1"
SESSIONS, ACTIONS = (5, 100) if STRESS else (2, 50)
KINDS = ("new_customer", "customer", "reply", "note", "label", "assign", "state", "agent_name", "quick_reply")
WORDS = ("oi", "entrega", "preço", "tem azul?", "obrigada", "pix", "troca")


def _secret_strings(shop) -> list[str]:
    found = []
    for person in [shop.owner, *shop.agents]:
        found += [person.profile["id"], person.profile["phone"], person.handle]
    return found


@settings(max_examples=SESSIONS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(st.sampled_from(KINDS), min_size=ACTIONS, max_size=ACTIONS), seed=st.integers(0, 2**16)
)
def test_no_customer_facing_response_or_frame_leaks_the_staff_or_their_notes(
    souk_world, actions, seed
) -> None:
    pick = random.Random(seed)
    shop = make_shop(souk_world([]), agents=3)
    shop.owner.call(
        "PUT", BASE + "/quick-replies/oi", {"text": "Olá {customer.first_name}, aqui é {business.name}!"}
    )
    shop.owner.call(
        "POST",
        BASE + "/rules",
        {"keywords": ["entrega"], "reply": "Entregamos em 2 dias", "label": "entrega"},
    )
    shop.settings(greeting="Bem-vindo!")
    for agent in shop.agents[:2]:
        shop.online(agent)
    customers: list[tuple] = []
    staff_only: list[str] = []
    seen: list[str] = []

    def new_customer() -> None:
        person, chat = shop.customer(f"Cliente {len(customers)} Silva", pick.choice(WORDS))
        shop.listen(person)
        customers.append((person, chat["id"]))

    new_customer()
    for step, kind in enumerate(actions):
        person, cid = pick.choice(customers)
        agent = pick.choice([shop.owner, *shop.agents])
        if kind == "new_customer":
            new_customer()
        elif kind == "customer":
            seen.append(json.dumps(write(person, cid, pick.choice(WORDS))))
        elif kind == "reply":
            answer(agent, cid, f"resposta {step}")
        elif kind == "note":
            staff_only.append(f"nota-secreta-{step}")
            agent.call("POST", f"{BASE}/inbox/{cid}/notes", {"text": f"{staff_only[-1]}: cliente difícil"})
        elif kind == "label":
            staff_only.append(f"rotulo-{step}")
            agent.call("PUT", f"{BASE}/inbox/{cid}/labels", {"labels": [staff_only[-1]]})
        elif kind == "assign":
            target = pick.choice([None, *(a.profile["id"] for a in shop.agents)])
            agent.call("PUT", f"{BASE}/inbox/{cid}/assignee", {"user_id": target})
        elif kind == "state":
            agent.call(
                "PUT", f"{BASE}/inbox/{cid}/state", {"state": pick.choice(["open", "pending", "resolved"])}
            )
        elif kind == "agent_name":
            shop.settings(show_agent_name=pick.random() < 0.5)
        elif kind == "quick_reply":
            filled = agent.call("GET", f"{BASE}/inbox/{cid}/quick-replies")["quick_replies"][0]["filled"]
            assert filled == "Olá Cliente, aqui é Loja da Bruna!"
            answer(agent, cid, filled)
        seen.append(json.dumps(person.call("GET", f"/api/v1/conversations/{cid}/messages")))
        seen.append(json.dumps(person.call("GET", f"/api/v1/conversations/{cid}")))
    for person, _ in customers:
        seen.append(json.dumps(person.call("GET", "/api/v1/conversations")))
        seen.append(json.dumps(shop.frames(person)))
    leaks = [
        (secret, text[:200])
        for text in seen
        for secret in _secret_strings(shop) + staff_only
        if secret in text
    ]
    assert leaks == []
    replies = sum(kind in ("reply", "quick_reply") for kind in actions)
    stored = shop.runtime.core.db.execute("SELECT COUNT(*) FROM inbox_replies WHERE agent_id IS NOT NULL")
    assert stored.fetchone()[0] == replies
    frames = [frame for text in seen if text.startswith("[") for frame in json.loads(text)]
    assert len(frames) >= replies and all(
        frame["type"] in ("message", "conversation", "rating") for frame in frames
    )
