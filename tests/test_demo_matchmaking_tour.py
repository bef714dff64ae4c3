"""The matchmaking part of the README's tour, walked over the real HTTP API of ``souk serve --demo``.

Bruna Silva types /match: Tiago Costa, who already liked her, comes first,
with his photo;
her Like makes a match, a direct chat between them opens with the
mini-app's hello (which Tiago's WebSocket carries live: no frame holds her
number or birth date), and they talk there, neither number shown.  In India, Asha
Rao blocks Ravi Kumar: Ravi's candidates, matches and every card route then
find nothing of her.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from types import SimpleNamespace
from typing import Any

from e2e_support import ServerProcess, ws_connect
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


async def while_watched(
    server: ServerProcess, watcher: Person, act: Any, until: str = "It's a match!"
) -> tuple[Any, list[Any]]:
    """Do ``act`` (press Like) while the other side's WebSocket is open; the answer, and every
    frame it got until one holding ``until`` arrived (and a moment after)."""
    me = SimpleNamespace(token=watcher.http.headers["authorization"].split()[1], id=watcher.me["id"])
    ws, frames = await ws_connect(server, me, {})
    try:
        answer = await asyncio.to_thread(act)
        deadline = asyncio.get_running_loop().time() + 10
        while until not in json.dumps(frames, ensure_ascii=False):
            assert asyncio.get_running_loop().time() < deadline, f"no {until!r} arrived live"
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        with contextlib.suppress(TimeoutError):
            while True:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 0.5)))
    finally:
        await ws.close()
    return answer, frames


def test_the_matchmaking_tour(demo: ServerProcess) -> None:  # noqa: F811
    bruna, tiago = Person(demo, PHONES["bruna"]), Person(demo, PHONES["tiago"])
    chat = bruna.app_chat("matchmaking")
    card = bruna.say(chat, "/match", "Tiago, 28")
    assert "under 10 km" in card["text"] and "In common: coffee, cycling, samba" in card["text"]
    photo = next(c for c in card["screen"]["body"] if c["type"] == "card")["image_url"]
    shown = bruna.http.get(photo)
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("image/")
    matched, frames = asyncio.run(
        while_watched(demo, tiago, lambda: bruna.press(chat, card, "Like", "It's a match"))
    )
    assert "It's a match with Tiago!" in matched["text"]
    born = bruna.http.get(f"{MM}/profile").json()["birth_date"]
    seen_live = json.dumps(frames, ensure_ascii=False)
    assert "It's a match! Bruna and Tiago" in seen_live
    assert PHONES["bruna"] not in seen_live and PHONES["bruna"][3:] not in seen_live and born not in seen_live
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
    _unmatch_ends_the_chat_live(demo, bruna, tiago, direct)

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


def _unmatch_ends_the_chat_live(server: ServerProcess, bruna: Person, tiago: Person, direct: str) -> None:
    """Bruna unmatches: Tiago's WebSocket carries the end, and neither can write there any more."""
    (match,) = bruna.http.get(f"{MM}/matches").json()["matches"]
    unmatched, frames = asyncio.run(
        while_watched(
            server, tiago, lambda: bruna.http.delete(f"{MM}/matches/{match['ref']}"), '"type": "ended"'
        )
    )
    assert unmatched.status_code == 200, unmatched.text
    ended = [
        f["message"]
        for f in frames
        if f["type"] == "message" and (f["message"]["event"] or {}).get("type") == "ended"
    ]
    assert len(ended) == 1 and ended[0]["conversation_id"] == direct
    assert ended[0]["text"].startswith("This match has ended.")
    kept = [m["seq"] for m in tiago.messages(direct)]
    refused = [
        person.http.post(
            f"/api/v1/conversations/{direct}/messages",
            json={"client_id": f"after-{n}", "text": "still here?"},
        )
        for person in (bruna, tiago)
        for n in range(3)
    ]
    assert [(r.status_code, r.json()["error"]["code"]) for r in refused] == [(403, "conversation_ended")] * 6
    for person in (bruna, tiago):
        assert [m["seq"] for m in person.messages(direct)] == kept
        assert person.http.get(f"/api/v1/conversations/{direct}").json()["posting"] == "nobody"
