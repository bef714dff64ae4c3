"""Rate limits on a real server with the default settings: a script's burst is cut, a person's pace is not.

The defaults (``souk.foundation.settings``): 30 sends per person per 10 seconds
(120 a minute), 10 commands per person per 10 seconds, 60 sends per
conversation per 10 seconds.  A burst from a script reaches those counts
exactly and no further; a person typing briskly, commands included, never
meets them.  Every refusal is a 429 with ``Retry-After``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from e2e_support import ServerProcess, User, create_group, serving, sign_in

BURST, COMMANDS, PER_CONVERSATION = 30, 10, 60


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with serving(ServerProcess(tmp_path_factory.mktemp("limits") / "data")) as proc:
        yield proc


def _send_all(
    server: ServerProcess, user: User, conversation_id: str, texts: list[str], pause: float = 0
) -> list[int]:
    statuses = []
    with server.client(user.token) as http:
        for n, text in enumerate(texts):
            response = http.post(
                f"/api/v1/conversations/{conversation_id}/messages",
                json={"client_id": f"{user.id}-{n}", "text": text},
            )
            if response.status_code == 429:
                error = response.json()["error"]
                assert error["code"] == "rate_limited"
                assert (
                    response.headers["retry-after"] == str(error["retry_after"])
                    and 1 <= error["retry_after"] <= 10
                )
            statuses.append(response.status_code)
            time.sleep(pause)
    return statuses


def test_a_scripts_burst_of_sends_is_cut_at_the_limit(server: ServerProcess) -> None:
    script = sign_in(server, "Send Script")
    chat = create_group(server, script, [], title="flood")
    statuses = _send_all(server, script, chat["id"], [f"spam {n}" for n in range(400)])
    assert statuses == [201] * BURST + [429] * (400 - BURST)


def test_a_scripts_burst_of_commands_is_cut_at_the_limit(server: ServerProcess) -> None:
    script = sign_in(server, "Command Script")
    chat = create_group(server, script, [], title="commands")
    statuses = _send_all(server, script, chat["id"], ["/help"] * 300)
    assert statuses == [201] * COMMANDS + [429] * (300 - COMMANDS)


def test_a_conversation_takes_so_many_sends_from_all_its_members(server: ServerProcess) -> None:
    scripts = [sign_in(server, f"Group Script {n}") for n in range(3)]
    group = create_group(server, scripts[0], scripts[1:], title="many hands")
    statuses = [s for user in scripts for s in _send_all(server, user, group["id"], ["hi"] * BURST)]
    assert statuses.count(201) == PER_CONVERSATION and statuses.count(429) == 3 * BURST - PER_CONVERSATION


def test_a_persons_brisk_pace_is_never_cut(server: ServerProcess) -> None:
    """Sixteen lines in four seconds, four of them commands: faster than people type, all accepted."""
    person, friend = sign_in(server, "Brisk Typist"), sign_in(server, "Friend")
    chat = create_group(server, person, [friend], title="chatting")
    lines = ["hi", "are you there?", "/help", "ok", "lunch?", "/nope", "where", "at noon"]
    lines += ["/help", "yes", "great", "see you", "/help", "bye", "one more", "no"]
    assert _send_all(server, person, chat["id"], lines, pause=0.25) == [201] * 16
    assert _send_all(server, friend, chat["id"], ["ok", "/help", "bye"], pause=0.5) == [201] * 3
