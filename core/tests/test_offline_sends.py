"""A message written offline says when it was written (written_at), kept within sane bounds; it takes
its place in the conversation when it arrives."""

from __future__ import annotations

import datetime as dt

from souk.foundation.clock import iso


def test_written_at_is_kept_clamped_or_refused(souk_world) -> None:
    world = souk_world([])
    ana, bob = world.user("Ana"), world.user("Bob")
    chat = ana.direct_chat(bob).conversation_id
    now = world.now()
    path = f"/api/v1/conversations/{chat}/messages"

    def send(n: int, written: str | None, expect: int = 201) -> dict:
        body = {"client_id": f"w{n}", "text": f"note {n}"} | ({"written_at": written} if written else {})
        return ana.call("POST", path, body, expect=expect)

    assert send(1, iso(now - dt.timedelta(minutes=3)))["written_at"] == iso(now - dt.timedelta(minutes=3))
    assert send(2, iso(now - dt.timedelta(days=30)))["written_at"] == iso(now - dt.timedelta(days=7))
    assert send(3, iso(now + dt.timedelta(hours=2)))["written_at"] is None  # not before now: nothing to say
    assert send(4, iso(now - dt.timedelta(seconds=2)))["written_at"] is None  # an ordinary send
    assert send(5, None)["written_at"] is None
    for bad in ("yesterday", "2030-01-01T12:00:00", "12:00"):
        refused = send(6, bad, expect=422)
        assert refused["error"]["code"] == "invalid_request", bad
    seqs = [m["seq"] for m in ana.chat(chat).history()]
    assert seqs == sorted(seqs) and len(seqs) == 5  # each took its place as it arrived
