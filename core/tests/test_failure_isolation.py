"""A mini-app that raises, hangs or answers garbage costs the user an apology, never the server.

Failures for several people at a high enough rate trip the breaker: the
mini-app is suspended (its command answers "paused for maintenance") until an
operator resumes it.  What one person alone can do is in ``test_breaker.py``.
"""

from __future__ import annotations

import time

import pytest
from miniapps import BlockingSubscriber, Echo, Faulty, Pinger

SORRY = "Sorry"


def _state(world, app: str) -> dict:
    return next(a for a in world.core.operations.describe() if a["name"] == app)


@pytest.mark.parametrize("mode", ["raise", "garbage"])
def test_a_failing_command_costs_an_apology_then_trips_the_breaker(souk_world, mode: str) -> None:
    faulty = Faulty("boom", mode)
    echo = Echo()
    world = souk_world([faulty, echo], handler_timeout=0.5, breaker_threshold=3)
    ana = world.user("Ana", "BR")
    bob = world.user("Bob", "BR")
    chen = world.user("Chen", "BR")
    chat = ana.group_chat("Ana alone", [])
    bob_chat = bob.app_chat("echo")

    for attempt in range(1, 3):
        reply = chat.send("/boom")
        assert SORRY in reply.text, reply.text
        assert faulty.calls["boom"] == attempt
        assert _state(world, "boom")["state"] == "running"  # one person's failures alone never trip it
        # The server keeps serving everybody else.
        assert bob_chat.send(f"/echo still here {attempt}").text == f"echo: still here {attempt}"

    # It fails for a second person too: 3 requests, 2 of them counted (Ana's count for at most
    # her share), 2 people: the error rate trips the breaker.
    reply = chen.group_chat("Chen alone", []).send("/boom")
    assert SORRY in reply.text
    assert faulty.calls["boom"] == 3
    state = _state(world, "boom")
    assert state["state"] == "suspended"
    assert "67% of 3 requests" in state["suspended_reason"], state["suspended_reason"]
    assert "3 failures from 2 people, 2 counted" in state["suspended_reason"]

    for _ in range(2):
        reply = chat.send("/boom")
        assert "paused for maintenance" in reply.text, reply.text
    assert faulty.calls["boom"] == 3  # a suspended mini-app is not called at all
    assert "boom" not in ana.commands()
    assert "echo" in ana.commands()
    # Operators see it suspended in the admin API too.
    listed = {a["name"]: a for a in world.call("GET", "/api/v1/admin/apps", world.operator())["apps"]}
    assert listed["boom"]["state"] == "suspended"
    assert listed["echo"]["state"] == "running"

    faulty.healthy = True
    world.resume("boom")
    assert _state(world, "boom")["state"] == "running"
    assert "boom" in ana.commands()
    assert chat.send("/boom").text == "boom works"
    assert faulty.calls["boom"] == 4


def test_the_error_rate_decides_not_the_number_of_failures(souk_world) -> None:
    faulty = Faulty("boom", "raise")
    world = souk_world([faulty], handler_timeout=0.5, breaker_threshold=3)
    people = [world.user(name, "BR").group_chat("alone", []) for name in ("Ana", "Bob", "Chen", "Dara")]
    served = people[0]
    # Four people's requests fail, one each, among six that succeed: 40% is below the rate.
    for chat in people:
        faulty.healthy = True
        assert served.send("/boom").text == "boom works"
        if chat is not people[0]:
            assert served.send("/boom").text == "boom works"
        faulty.healthy = False
        assert SORRY in chat.send("/boom").text
    assert faulty.calls["boom"] == 11
    assert world.core.runtime.breaker.verdict("boom").requests == 11
    assert _state(world, "boom")["state"] == "running"

    # A minute later the window holds none of them: three failures of three people trip it.
    world.advance(seconds=61)
    assert world.core.runtime.breaker.verdict("boom").requests == 0
    for chat in people[1:]:
        assert SORRY in chat.send("/boom").text
    assert faulty.calls["boom"] == 14
    state = _state(world, "boom")
    assert state["state"] == "suspended"
    assert "100% of 3 requests in the last 60 s" in state["suspended_reason"]


def test_a_hanging_command_times_out_with_an_apology_and_counts_towards_the_breaker(souk_world) -> None:
    log: list[str] = []
    hang = Faulty("hang", "hang", hang_seconds=600, log=log)
    world = souk_world([hang], handler_timeout=0.3, breaker_threshold=2)
    chat = world.user("Ana", "BR").group_chat("Ana alone", [])
    other = world.user("Bob", "BR").group_chat("Bob alone", [])

    # The handler would sleep for ten minutes: the apology can only come from the timeout,
    # which cancelled it (it never finished) before the reply was written.
    reply = chat.send("/hang")
    assert SORRY in reply.text
    assert log == ["hang started", "hang cancelled"] and hang.finished == 0
    assert _state(world, "hang")["state"] == "running"

    assert SORRY in other.send("/hang").text
    assert _state(world, "hang")["state"] == "suspended"
    assert "no answer within 0.3 s" in _state(world, "hang")["suspended_reason"]
    assert "paused for maintenance" in chat.send("/hang").text
    assert hang.calls["hang"] == 2
    assert hang.finished == 0  # the timed-out handlers were cancelled, not left running
    assert log == ["hang started", "hang cancelled"] * 2

    hang.healthy = True
    world.resume("hang")
    assert chat.send("/hang").text == "hang works"


def _post(user, conversation_id: str, text: str, client_id: str) -> None:
    user.call(
        "POST",
        f"/api/v1/conversations/{conversation_id}/messages",
        {"client_id": client_id, "text": text},
    )


def _answers(user, conversation_id: str) -> list[dict]:
    messages = user.call("GET", f"/api/v1/conversations/{conversation_id}/messages?limit=200")["messages"]
    # A group's own news (its creation) is no answer.
    return [m for m in messages if m["sender"]["id"] != user.profile["id"] and m["event"] is None]


def _wait_until(condition, what: str, polls: int = 3000) -> None:  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it holds; ``polls`` only stops a broken test from hanging."""
    for _ in range(polls):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def test_other_users_are_answered_while_a_mini_app_hangs(souk_world) -> None:
    """Measured by order: the three echoes run after the hang started and before it was cancelled.

    The timeout is long enough for three in-process round trips on a loaded machine; the
    test never reads a clock, it reads what happened in which order.
    """
    log: list[str] = []
    hang = Faulty("hang", "hang", hang_seconds=600, log=log)
    echo = Echo(log=log)
    world = souk_world([hang, echo], handler_timeout=4, breaker_threshold=3)
    ana = world.user("Ana", "BR")
    others = [world.user(name, "BR") for name in ("Bob", "Chen", "Dara")]
    ana_chat = ana.group_chat("Ana alone", [])
    other_chats = [user.app_chat("echo") for user in others]

    _post(ana, ana_chat.conversation_id, "/hang", "h1")  # not settled: it hangs in the background
    _wait_until(lambda: log == ["hang started"], "the hanging handler started")

    for number, (user, chat) in enumerate(zip(others, other_chats, strict=True)):
        _post(user, chat.conversation_id, f"/echo hi {number}", f"e{number}")
        _wait_until(lambda user=user, chat=chat: _answers(user, chat.conversation_id), "an echo answered")
        assert _answers(user, chat.conversation_id)[0]["text"] == f"echo: hi {number}"
    # All three were answered while the hanging command was still hanging: no apology yet.
    assert log == ["hang started", "echo: hi 0", "echo: hi 1", "echo: hi 2"]
    assert _answers(ana, ana_chat.conversation_id) == []
    assert hang.calls["hang"] == 1

    world.settle()
    apology = _answers(ana, ana_chat.conversation_id)
    assert len(apology) == 1 and SORRY in apology[0]["text"]
    # The apology came from the timeout: the handler was cancelled after the echoes, never finished.
    assert log[-1] == "hang cancelled" and hang.finished == 0
    assert echo.calls["echo"] == 3


def test_a_blocking_synchronous_event_handler_does_not_stall_the_server(souk_world) -> None:
    """The subscriber blocks its thread until the test lets it go: everything below happens meanwhile."""
    blocker = BlockingSubscriber(seconds=120)
    world = souk_world([blocker, Pinger(), Echo()], handler_timeout=0.3, breaker_threshold=3)
    ana = world.user("Ana", "BR")
    bob = world.user("Bob", "BR")
    ana_chat = ana.group_chat("Ana alone", [])
    bob_chat = bob.app_chat("echo")

    try:
        # Settles although the delivery is still blocked: it timed out instead of being waited for.
        assert ana_chat.send("/ping").text == "pong"
        assert (blocker.started, blocker.finished) == (1, 0)

        # The event loop answers others while that thread is still blocked.
        _post(bob, bob_chat.conversation_id, "/echo quick", "q1")
        _wait_until(lambda: _answers(bob, bob_chat.conversation_id), "the echo answered")
        assert _answers(bob, bob_chat.conversation_id)[0]["text"] == "echo: quick"
        assert blocker.finished == 0
    finally:
        blocker.release.set()
    _wait_until(lambda: blocker.finished == blocker.started, "the blocked delivery returned")
