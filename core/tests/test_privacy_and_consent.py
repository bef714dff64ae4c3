"""What a mini-app learns of a user: a per-app pseudonym and only the fields they consented to.

Consent is asked on first use, can be denied (nothing runs), granted (the
command runs), listed, and revoked (the next use asks again).
"""

from __future__ import annotations

import json

from miniapps import Greeter, PhoneBook, Pinger, Spy, WhoAmI
from souk_sdk.testing import World


def _id_seen(chat, command: str) -> str:
    text = chat.send(command).text
    assert text.startswith("id="), text
    return text.removeprefix("id=")


def test_each_mini_app_sees_its_own_stable_id_for_a_user(tmp_path) -> None:
    world = World([WhoAmI("alpha"), WhoAmI("beta")], tmp_path / "data")
    try:
        ana = world.user("Ana", "BR")
        bob = world.user("Bob", "IN")
        ana_chat = ana.group_chat("Ana alone", [])
        bob_chat = bob.group_chat("Bob alone", [])

        ana_alpha = [_id_seen(ana_chat, "/alpha") for _ in range(3)]
        ana_beta = [_id_seen(ana_chat, "/beta") for _ in range(3)]
        bob_alpha = _id_seen(bob_chat, "/alpha")
    finally:
        world.close()
    assert len(set(ana_alpha)) == 1 and len(set(ana_beta)) == 1  # stable across calls
    assert ana_alpha[0] != ana_beta[0]  # unlinkable across mini-apps
    assert bob_alpha != ana_alpha[0]
    seen = {ana_alpha[0], ana_beta[0], bob_alpha}
    assert ana.profile["id"] not in seen and bob.profile["id"] not in seen

    # Stable across a restart of the core on the same data folder, too.
    restarted = World([WhoAmI("alpha"), WhoAmI("beta")], tmp_path / "data")
    try:
        ana_again = restarted.user("Ana", "BR", phone=ana.profile["phone"])
        assert ana_again.profile["id"] == ana.profile["id"]
        assert _id_seen(ana_again.group_chat("Ana again", []), "/alpha") == ana_alpha[0]
    finally:
        restarted.close()


def test_a_mini_app_without_the_phone_scope_never_sees_a_phone_number_or_a_core_id(souk_world) -> None:
    spy = Spy()
    pinger = Pinger()
    world = souk_world([spy, pinger])
    ana = world.user("Ana", "BR")
    bob = world.user("Bob", "BR")
    group = ana.group_chat("Friends", [bob])
    bob_group = bob.chat(group.conversation_id)

    assert group.send(f"/spy @{bob.handle}").screen.title == "Spy"  # a mention: a PublicUser arg
    assert group.press("Poke").text == "poked"
    assert group.submit({"text": "hello"}).text == "noted"
    assert bob_group.send("/spy").screen.title == "Spy"
    assert bob_group.press("Poke").text == "poked"
    assert group.send("/ping").text == "pong"  # another mini-app's event about Ana
    assert ana.app_chat("spy").send("/spy").screen.title == "Spy"
    world.settle()

    assert spy.kinds["command"] == 3
    assert spy.kinds["mention"] == 1
    assert spy.kinds["action"] == 3
    # Its own three "spy.looked" events and the pinger's "ping.sent".
    assert spy.kinds["event"] == 4
    dumped = json.dumps(spy.seen, default=str)
    assert "Bob" in dumped and "Ana" in dumped  # the profile scope and the mention show names
    for person in (ana, bob):
        phone = person.profile["phone"]
        assert phone not in dumped
        assert phone.lstrip("+") not in dumped
        assert person.profile["id"] not in dumped
    users_seen = [s for s in spy.seen if isinstance(s, dict) and "scopes" in s]
    assert users_seen and all(u["phone"] is None for u in users_seen)
    assert all(u["scopes"] == ["profile"] for u in users_seen)

    # The id in the mention is the one Bob has in this mini-app when he uses it himself.
    mention = next(s for s in spy.seen if isinstance(s, dict) and set(s) == {"id", "display_name", "country"})
    bob_as_user = [u["id"] for u in users_seen if u["display_name"] == "Bob"]
    assert mention["id"] in bob_as_user


def test_with_the_phone_scope_granted_the_mini_app_sees_the_phone(souk_world) -> None:
    world = souk_world([PhoneBook()])
    ana = world.user("Ana", "BR")
    chat = ana.app_chat("phonebook")
    asked = chat.send("/myphone", allow=False)
    assert "see your phone number" in asked.text
    assert chat.press("Allow").messages[-1]["text"] == f"phone={ana.profile['phone']}"


def _consents(user) -> list[tuple[str, str]]:
    return [(c["app"], c["scope"]) for c in user.call("GET", "/api/v1/consents")["consents"]]


def test_consent_is_asked_on_first_use_and_can_be_denied_granted_and_revoked(souk_world) -> None:
    greeter = Greeter()
    world = souk_world([greeter])
    ana = world.user("Ana", "BR")
    chat = ana.app_chat("greeter")

    asked = chat.send("/hello", allow=False)
    assert asked.screen.title == "Greeter asks for your permission"
    assert "see your display name and language" in asked.text
    assert "[Allow]" in asked.text and "[Deny]" in asked.text
    assert greeter.calls["hello"] == 0

    denied = chat.press("Deny")
    assert denied.text == "Greeter was not given access."
    assert greeter.calls["hello"] == 0
    assert _consents(ana) == []

    asked = chat.send("/hello", allow=False)
    assert asked.screen.title == "Greeter asks for your permission"
    allowed = chat.press("Allow")
    assert [m["text"] for m in allowed.messages] == [
        "You allowed Greeter to see your display name and language. You can take it back in your settings.",
        "Hi Ana",
    ]  # the request became the answer
    assert greeter.calls["hello"] == 1
    assert _consents(ana) == [("greeter", "profile")]
    again = chat.press("Allow", message=asked.messages[-1], expect=409)  # the version already answered
    assert again.error == "already_done" and greeter.calls["hello"] == 1

    assert chat.send("/hello", allow=False).text == "Hi Ana"  # not asked again
    assert greeter.calls["hello"] == 2

    assert ana.call("DELETE", "/api/v1/consents/greeter") == {"revoked": 1}
    assert _consents(ana) == []
    asked = chat.send("/hello", allow=False)
    assert asked.screen.title == "Greeter asks for your permission"
    assert greeter.calls["hello"] == 2
    assert chat.press("Allow").messages[-1]["text"] == "Hi Ana"
    assert greeter.calls["hello"] == 3
    assert _consents(ana) == [("greeter", "profile")]


def test_consent_is_per_user(souk_world) -> None:
    greeter = Greeter()
    world = souk_world([greeter])
    ana = world.user("Ana", "BR")
    bob = world.user("Bob", "BR")
    assert ana.app_chat("greeter").send("/hello").text == "Hi Ana"
    asked = bob.app_chat("greeter").send("/hello", allow=False)
    assert asked.screen.title == "Greeter asks for your permission"
    assert _consents(bob) == []
    assert greeter.calls["hello"] == 1


def test_a_press_after_consent_was_taken_back_answers_consent_required_and_runs_once_allowed(
    souk_world,
) -> None:
    """Not an error for the client: ``200 {"status": "consent_required"}`` and a consent screen to show."""
    spy = Spy()
    world = souk_world([spy])
    chat = world.user("Ana", "BR").app_chat("spy")
    shown = chat.send("/spy")  # allowed on first use
    assert shown.screen.title == "Spy"
    assert chat.user.call("DELETE", "/api/v1/consents/spy") == {"revoked": 1}

    asked = chat.press("Poke", message=shown.messages[-1], allow=False)
    assert asked.answer == {"status": "consent_required"}
    assert spy.kinds["action"] == 0  # the press did not run
    consent = asked.messages[-1]
    assert consent["sender"]["kind"] == "system" and consent["screen"]
    assert "poked" in chat.press("Allow", message=consent).text  # it runs by itself after Allow
    assert spy.kinds["action"] == 1
