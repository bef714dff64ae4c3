"""Bad input gets a clear answer with a stable code, and changes nothing."""

from __future__ import annotations

import secrets

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matchmaking_support import MM, card_of, db, member, profile_body

TABLES = (
    "profiles",
    "interests",
    "likes",
    "passes",
    "daily_likes",
    "matches",
    "blocks",
    "reports",
    "birth_dates",
)


def snapshot(world):
    return {t: db(world).execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


@pytest.fixture
def pair(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    return world, ana, bruno


PROFILE_CASES = [
    ({"bio": "x" * 301}, 422, "invalid_request"),
    ({"interests": [f"tag{n}" for n in range(11)]}, 422, "invalid_request"),
    ({"interests": ["x" * 25]}, 422, "invalid_request"),
    ({"name": ""}, 422, "invalid_request"),
    ({"gender": "robot"}, 422, "invalid_request"),
    ({"seeks": []}, 422, "invalid_request"),
    ({"age_min": 17}, 422, "invalid_request"),
    ({"age_min": 40, "age_max": 30}, 422, "invalid_age_range"),
    ({"city": "Atlantis"}, 422, "unknown_city"),
    ({"city": None, "position": {"lat": 91, "lng": 0}}, 422, "invalid_request"),
    ({"city": None, "position": {"lat": 1, "lng": 2, "exact": True}}, 422, "invalid_request"),
    ({"birth_date": "1890-01-01"}, 422, "birth_date_fixed"),
    ({"phone": "+5511999999999"}, 422, "invalid_request"),
]


@pytest.mark.parametrize(("changes", "status", "code"), PROFILE_CASES)
def test_a_bad_profile_is_refused_and_changes_nothing(pair, changes, status, code):
    world, ana, _ = pair
    before = snapshot(world)
    body = profile_body(world, name="Ana Souza") | changes
    answer = ana.call("PUT", f"{MM}/profile", body, expect=status)
    assert answer["error"]["code"] == code and answer["error"]["message"]
    assert snapshot(world) == before


def test_a_first_profile_without_a_place_or_in_the_future_is_refused(souk_world):
    world = souk_world(["matchmaking"])
    eva = member(world, "Eva")
    fresh = world.user("Fabi", "BR")
    fresh.app_chat("matchmaking").send("/matches")
    before = snapshot(world)
    for changes, code in (
        ({"city": None}, "place_required"),
        ({"birth_date": "2099-01-01"}, "invalid_birth_date"),
    ):
        answer = fresh.call("PUT", f"{MM}/profile", profile_body(world) | changes, expect=422)
        assert answer["error"]["code"] == code
    assert snapshot(world) == before
    assert eva.call("GET", f"{MM}/profile")["name"] == "Eva"


def test_unknown_cards_matches_and_oneself(pair):
    world, ana, bruno = pair
    before = snapshot(world)
    unknown = secrets.token_urlsafe(9)
    for path in ("like", "pass", "block"):
        answer = ana.call("POST", f"{MM}/candidates/{unknown}/{path}", expect=404)
        assert answer["error"] == {"code": "not_found", "message": "There is no such profile."}
        mine = ana.call("POST", f"{MM}/candidates/{card_of(ana)}/{path}", expect=422)
        assert mine["error"]["code"] == "own_profile"
    assert ana.call("DELETE", f"{MM}/matches/M-0000000000", expect=404)["error"]["code"] == "not_found"
    report = {"reason": "rude"}
    assert ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/report", report, expect=422)["error"]["code"]
    note = {"reason": "other", "note": "x" * 501}
    assert ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/report", note, expect=422)["error"]["code"]
    assert ana.call("GET", f"{MM}/candidates?page=-1", expect=422)["error"]["code"] == "invalid_page"
    assert snapshot(world) == before


def test_a_member_without_a_profile_is_told_to_make_one(souk_world):
    world = souk_world(["matchmaking"])
    bruno = member(world, "Bruno", gender="man", seeks=["woman"])
    ana = world.user("Ana", "BR")
    ana.app_chat("matchmaking").send("/matches")
    for method, path in (
        ("GET", "/candidates"),
        ("POST", f"/candidates/{card_of(bruno)}/like"),
        ("GET", "/profile"),
    ):
        assert ana.call(method, MM + path, expect=409)["error"]["code"] == "no_profile"


def test_the_chat_form_refuses_a_long_bio_beside_the_field(pair):
    world, ana, _ = pair
    chat = ana.app_chat("matchmaking")
    chat.send("/profile")
    before = snapshot(world)
    values = {"name": "Ana", "gender": "woman", "seeking": "men", "age_min": 18, "age_max": 50}
    reply = chat.submit(values | {"city": "Recife", "bio": "x" * 301}, action="save_profile", expect=422)
    assert set(reply.errors) == {"bio"}
    reply = chat.submit(
        values | {"city": "Recife", "interests": ",".join(f"t{n}" for n in range(11))},
        action="save_profile",
        expect=422,
    )
    assert set(reply.errors) == {"interests"}
    assert snapshot(world) == before


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["name", "birth_date", "gender", "seeks", "age_min", "age_max", "city", "position", "interests", "bio"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(FIELDS, JSONISH, max_size=4))
def test_any_profile_body_is_answered_clearly(pair, changes):
    world, ana, _ = pair
    before = snapshot(world)
    status, answer = world.core.request(
        "PUT", f"{MM}/profile", ana.token, profile_body(world, name="Ana") | changes
    )
    assert status in (200, 409, 422), answer
    if status != 200:
        assert answer["error"]["code"] and answer["error"]["message"]
        assert snapshot(world) == before
