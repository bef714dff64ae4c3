"""Handles are identifiers people read: no two accepted handles may look the same.

A handle is normalised (NFKC, case-folded, a leading ``@`` dropped) and must
then be ASCII (``[a-z][a-z0-9_]{2,23}``, matched in full).  The property test
claims generated strings for different people, many of them disguises of one
another (capitals, full-width letters, a trailing newline, zero-width
characters, Cyrillic and Greek look-alikes, combining accents), and checks
with an independent "how it looks" oracle that no two stored handles render
alike, and that every lookup of an accepted string finds its owner.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from souk.foundation.errors import Conflict, Invalid
from souk.people import users
from souk.people.phones import Phone
from souk.storage.schema import core_migrations
from souk_sdk import ApiRequest, Context, Manifest, PublicUser, api_route, command, hookimpl
from sqlite_utils import Database

EXAMPLES = 2000 if os.environ.get("SOUK_STRESS") == "1" else 300

# -- how a string looks to a reader: the oracle, independent of the code under test ----------

LOOK_ALIKES = {
    # Cyrillic
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d", "\u04bb": "h",
    # Greek
    "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03c1": "p", "\u03b9": "i", "\u03ba": "k",
    # Latin letters that read as others
    "\u0131": "i", "\u017f": "s",
}  # fmt: skip
INVISIBLE_CATEGORIES = {"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"}


def looks(text: str) -> str:
    """What a reader sees: compatibility forms folded, case and accents gone, invisibles dropped."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    visible = "".join(c for c in decomposed if unicodedata.category(c) not in INVISIBLE_CATEGORIES)
    return "".join(LOOK_ALIKES.get(c, c) for c in visible).removeprefix("@")


# -- generated claims: handles and their disguises ---------------------------------------------

bases = st.from_regex(r"[a-z][a-z0-9_]{2,10}", fullmatch=True)
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
LATIN_TO_LOOK_ALIKE = {latin: other for other, latin in LOOK_ALIKES.items()}
DISGUISES = [
    str.upper,
    str.capitalize,
    lambda s: "@" + s,
    lambda s: s + "\n",
    lambda s: s + " ",
    lambda s: s + "\t",
    lambda s: "".join(FULL_WIDTH.get(c, c) for c in s),
    lambda s: s[:1] + "\u200b" + s[1:],
    lambda s: s + "\u200d",
    lambda s: "\ufeff" + s,
    lambda s: s[:1] + "\u0301" + s[1:],
    lambda s: "".join(LATIN_TO_LOOK_ALIKE.get(c, c) for c in s),
    lambda s: s.replace("a", "\u0430", 1),
    lambda s: "".join(chr(0x1D41A + ord(c) - 97) if "a" <= c <= "z" else c for c in s),  # bold
    lambda s: s.replace("ss", "\u00df"),
    lambda s: s.replace("s", "\u017f", 1),
    lambda s: s.replace("k", "\u212a", 1),  # Kelvin sign
]


@st.composite
def disguised(draw: st.DrawFn, base: str) -> str:
    chosen = draw(st.lists(st.sampled_from(DISGUISES), max_size=3))
    for disguise in chosen:
        base = disguise(base)
    return base


noise = st.text(
    alphabet=st.one_of(
        st.sampled_from("abcxyz_019AZ@ \n\t\u00a0\u200b\u00df\u0430\u03bf\uff41\u0301\u212a"),
        st.characters(codec="utf-8"),
    ),
    max_size=26,
)


@st.composite
def claims(draw: st.DrawFn) -> list[str]:
    """Strings that different people try to take as their handle, in order."""
    seeds = draw(st.lists(bases, min_size=1, max_size=3, unique=True))
    one_claim = st.one_of(st.sampled_from(seeds).flatmap(disguised), st.sampled_from(seeds), noise)
    return draw(st.lists(one_claim, min_size=2, max_size=10))


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    database = Database(memory=True)
    core_migrations.apply(database)
    yield database
    database.close()


def _person(db: Database, n: int) -> dict[str, Any]:
    return users.create(db, Phone(f"+55119000{n:05d}", "BR"), "Person", "2026-01-01T00:00:00+00:00")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claimed=claims())
def test_no_two_accepted_handles_look_the_same(db: Database, claimed: list[str]) -> None:
    db.execute("DELETE FROM users")
    accepted: list[tuple[str, str]] = []
    for n, text in enumerate(claimed):
        person = _person(db, n)
        try:
            stored = users.update_profile(db, person["id"], {"handle": text})["handle"]
        except (Invalid, Conflict):
            continue
        accepted.append((text, person["id"]))
        assert users.HANDLE.fullmatch(stored), stored
        assert looks(text) == looks(stored), (text, stored)
    handles = [row["handle"] for row in db.query("SELECT handle FROM users")]
    shown = [looks("@" + h) for h in handles]
    assert len(set(shown)) == len(shown), handles
    for text, owner in accepted:
        found = users.by_handle(db, text)
        assert found is not None and found["id"] == owner, (text, found)


@pytest.mark.parametrize(
    "disguise",
    ["asha\n", "asha ", "ASHA", "@Asha", "\uff41\uff53\uff48\uff41", "\u0430sha", "as\u200bha", "a\u0301sha"],
)
def test_a_disguise_of_a_taken_handle_is_refused(db: Database, disguise: str) -> None:
    db.execute("DELETE FROM users")
    asha, impostor = _person(db, 1), _person(db, 2)
    users.update_profile(db, asha["id"], {"handle": "asha"})
    with pytest.raises((Invalid, Conflict)) as refused:
        users.update_profile(db, impostor["id"], {"handle": disguise})
    assert refused.value.code in ("invalid_handle", "handle_taken")
    found = users.by_handle(db, disguise)
    assert found is None or found["id"] == asha["id"]


# -- the same rules over HTTP: the profile, direct chats, mentions, mini-app route bodies ---------


class Nudge(BaseModel):
    who: PublicUser


@command("nudge", help="Nudge someone", args=Nudge, scopes=[])
async def nudge(ctx: Context, args: Nudge) -> str:
    return f"nudged {args.who.display_name}"


class Nudged(BaseModel):
    name: str


@api_route("POST", "/nudges", summary="Nudge someone", body=Nudge, response=Nudged, scopes=[])
async def nudge_route(ctx: Context, request: ApiRequest) -> dict[str, str]:
    return {"name": request.body.who.display_name}


class Nudger:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="nudger", title="Nudger", version="1.0.0", countries=["BR"])

    @hookimpl
    def souk_commands(self, register: Any) -> None:
        register(nudge)

    @hookimpl
    def souk_api_routes(self, register: Any) -> None:
        register(nudge_route)


def test_a_trailing_newline_never_makes_a_second_asha(souk_world: Any) -> None:
    world = souk_world([Nudger()])
    asha, impostor = world.user("Asha Rao", "BR"), world.user("Asha Rao", "BR")
    asha.call("PATCH", "/api/v1/me", {"handle": "asha"})
    for disguise, code in [
        ("asha\n", "invalid_handle"),
        ("ASHA", "handle_taken"),
        ("\u0430sha", "invalid_handle"),
    ]:
        refused = impostor.call("PATCH", "/api/v1/me", {"handle": disguise}, expect=(409, 422))
        assert refused["error"]["code"] == code, (disguise, refused)
    refused = impostor.call(
        "POST", "/api/v1/conversations", {"kind": "direct", "with": {"handle": "asha\n"}}, expect=422
    )
    assert refused["error"]["code"] == "invalid_handle"
    direct = impostor.call("POST", "/api/v1/conversations", {"kind": "direct", "with": {"handle": "@ASHA"}})
    assert {m["id"] for m in direct["members"]} == {asha.profile["id"], impostor.profile["id"]}


def test_mentions_and_route_bodies_name_people_as_handles_do(souk_world: Any) -> None:
    world = souk_world([Nudger()])
    asha, ravi = world.user("Asha Rao", "BR"), world.user("Ravi", "BR")
    asha.profile = asha.call("PATCH", "/api/v1/me", {"handle": "asha"})
    group = ravi.group_chat("Team", [asha])
    assert "nudged Asha Rao" in group.send("/nudge @ASHA").text
    assert "Nobody called" in group.send("/nudge @\u0430sha").text
    path = "/api/v1/apps/nudger/nudges"
    assert ravi.call("POST", path, {"who": "@Asha"}) == {"name": "Asha Rao"}
    refused = ravi.call("POST", path, {"who": "@asha\n"}, expect=422)
    assert refused["error"]["code"] == "invalid_handle"
    refused = ravi.call("POST", path, {"who": "asha"}, expect=422)
    assert refused["error"]["code"] == "invalid_request"
