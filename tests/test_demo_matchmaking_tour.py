"""The matchmaking part of the README's tour, walked over the real HTTP API of ``souk serve --demo``.

Bruna Silva types /match: Tiago Costa, who already liked her, comes first,
with his photo;
her Like makes a match, a direct chat between them opens with the
mini-app's hello, and they talk there, neither number shown.  In India, Asha
Rao blocks Ravi Kumar: Ravi's candidates, matches and every card route then
find nothing of her.
"""

from __future__ import annotations

import json
import time

from e2e_support import ServerProcess
from test_demo_tour import (
    Person,
    demo,  # noqa: F401  the fixture: a souk serve --demo of this test alone
)

MM = "/api/v1/apps/matchmaking"
PHONES = {
    "asha": "+919876500001",
    "ravi": "+919876500002",
    "bruna": "+5511987650001",
    "tiago": "+5511987650002",
}


def test_the_matchmaking_tour(demo: ServerProcess) -> None:  # noqa: F811
    bruna, tiago = Person(demo, PHONES["bruna"]), Person(demo, PHONES["tiago"])
    chat = bruna.app_chat("matchmaking")
    card = bruna.say(chat, "/match", "Tiago, 28")
    assert "under 10 km" in card["text"] and "In common: coffee, cycling, samba" in card["text"]
    photo = next(c for c in card["screen"]["body"] if c["type"] == "card")["image_url"]
    shown = bruna.http.get(photo)
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("image/")
    matched = bruna.press(chat, card, "Like", "It's a match with Tiago!")
    assert "Lucas" in matched["text"] or "Rafael" in matched["text"]  # the next candidate, in place

    direct = None
    deadline = time.monotonic() + 10
    while direct is None:  # the chat is opened just after the match is committed
        assert time.monotonic() < deadline, "the match's chat was not opened"
        (match,) = bruna.http.get(f"{MM}/matches").json()["matches"]
        direct = match["conversation"]
        time.sleep(0.05)
    hello = tiago.wait_for(direct, 0, "It's a match! Bruna and Tiago")
    assert hello["sender"]["kind"] == "app"
    sent = tiago.http.post(
        f"/api/v1/conversations/{direct}/messages", json={"client_id": "tour-hi", "text": "Oi Bruna! Café?"}
    )
    assert sent.status_code == 201, sent.text
    assert bruna.wait_for(direct, 0, "Oi Bruna! Café?")["sender"]["id"] == tiago.me["id"]
    for person, other in ((bruna, "tiago"), (tiago, "bruna")):
        seen = json.dumps(person.messages(direct)) + json.dumps(person.http.get(f"{MM}/matches").json())
        assert PHONES[other] not in seen and PHONES[other][3:] not in seen

    asha, ravi = Person(demo, PHONES["asha"]), Person(demo, PHONES["ravi"])
    asha.say(asha.app_chat("matchmaking"), "/match", "Matchmaking")
    ravi_chat = ravi.app_chat("matchmaking")
    ravi.say(ravi_chat, "/match", "Matchmaking")
    asha_card = next(
        c for c in ravi.http.get(f"{MM}/candidates").json()["candidates"] if c["first_name"] == "Asha"
    )
    ravi_card = next(
        c for c in asha.http.get(f"{MM}/candidates").json()["candidates"] if c["first_name"] == "Ravi"
    )
    assert asha.http.post(f"{MM}/candidates/{ravi_card['card']}/block").status_code == 200
    names = [c["first_name"] for c in ravi.http.get(f"{MM}/candidates").json()["candidates"]]
    assert "Asha" not in names and names  # Priya is still there
    assert ravi.http.get(f"{MM}/matches").json()["matches"] == []
    for action in ("like", "pass", "block"):
        answer = ravi.http.post(f"{MM}/candidates/{asha_card['card']}/{action}")
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found")
    again = ravi.say(ravi_chat, "/match", "Matchmaking")
    assert "Asha" not in again["text"]
