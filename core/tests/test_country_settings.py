"""Per-country settings a mini-app declares: read by its handlers, changed by operators, audited.

Each change takes effect on the next request; a bad value (wrong type, out of range,
unknown name) is refused whole with a stable code and nothing changes; every change is
one audit row with the values before and after; an operator changes only their
countries and a viewer nothing.
"""

from __future__ import annotations

import itertools
import os

import pytest
from country_settings_app import TipSettings, tips_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from souk.miniapps.registry import PluginError, load
from souk_sdk import Manifest, MiniApp
from souk_sdk.country_settings import operator_set
from souk_sdk.testing import race

PATH = "/api/v1/admin/apps/tips/countries/{}/settings"


def _audit(world, owner) -> list[dict]:
    entries = world.call("GET", "/api/v1/admin/audit?action=setting_change&limit=500", owner)["entries"]
    return entries


def test_a_change_takes_effect_on_the_next_request_in_that_country_only(souk_world) -> None:
    world = souk_world([tips_app()])
    owner = world.operator()
    ana, ravi = world.user("Ana", "BR"), world.user("Ravi", "IN")
    brazil, india = ana.app_chat("tips"), ravi.app_chat("tips")
    assert brazil.send("/tip 600").text == "hi: at most 500"

    body = {"values": {"most": 800, "greeting": "hello"}}
    assert world.call("PATCH", PATH.format("BR"), owner, json=body) == {"changed": True}
    assert brazil.send("/tip 600").text == "hello: tipped 600, fee 0.0 thanks"
    assert india.send("/tip 600").text == "hi: at most 500"

    shown = {f["name"]: f for f in world.call("GET", PATH.format("BR"), owner)["fields"]}
    assert [name for name in shown] == ["most", "fee", "greeting", "thanks"]
    assert (shown["most"]["value"], shown["most"]["default"], shown["most"]["maximum"]) == (800, 500, 10_000)
    assert shown["most"]["title"] == "Largest tip" and shown["greeting"]["choices"] == ["hi", "hello"]
    assert shown["most"]["changed"]["by"] == "operator:ops" and shown["fee"]["changed"] is None
    assert world.call("PATCH", PATH.format("BR"), owner, json=body) == {"changed": False}

    [entry] = _audit(world, owner)
    assert (entry["actor"], entry["app"], entry["country"]) == ("operator:ops", "tips", "BR")
    assert entry["before"] == {"greeting": "hi", "most": 500}
    assert entry["after"] == {"greeting": "hello", "most": 800}


BAD_VALUES = st.one_of(
    st.fixed_dictionaries({"most": st.integers().filter(lambda n: not 1 <= n <= 10_000)}),
    st.fixed_dictionaries(
        {
            "most": st.one_of(
                st.text(),
                st.booleans(),
                st.floats(allow_nan=False, allow_infinity=False),
                st.none(),
                st.lists(st.integers()),
            )
        }
    ),
    st.fixed_dictionaries(
        {"fee": st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not 0 <= x <= 0.2)}
    ),
    st.fixed_dictionaries({"greeting": st.text().filter(lambda t: t not in ("hi", "hello"))}),
    st.fixed_dictionaries({"thanks": st.one_of(st.integers(), st.text())}),
    st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in TipSettings.model_fields), st.integers(), min_size=1
    ),
)


def test_bad_values_are_refused_with_a_stable_code_and_change_nothing(souk_world) -> None:
    world = souk_world([tips_app()])
    owner = world.operator()
    chat = world.user("Ana", "BR").app_chat("tips")
    world.call("PATCH", PATH.format("BR"), owner, json={"values": {"most": 700}})
    before = world.call("GET", PATH.format("BR"), owner)
    refusals: list[str] = []

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(bad=BAD_VALUES, good=st.integers(1, 10_000))
    def refused_whole(bad, good) -> None:
        wanted = {"most": good, **bad} if "most" not in bad else bad  # a good value beside a bad one
        answer = world.call("PATCH", PATH.format("BR"), owner, json={"values": wanted}, expect=422)
        refusals.append(answer["error"]["code"])

    refused_whole()
    assert len(refusals) >= 100 and set(refusals) <= {"invalid_setting", "unknown_setting"}
    assert world.call("GET", PATH.format("BR"), owner) == before
    assert chat.send("/tip 650").text == "hi: tipped 650, fee 0.0 thanks"
    assert len(_audit(world, owner)) == 1  # the one good change, none of the refusals


def test_every_change_is_one_audit_row_and_a_repeat_is_none(souk_world) -> None:
    world = souk_world([tips_app()])
    owner = world.operator()
    changes = 0
    for country, most in [("BR", 10), ("BR", 10), ("IN", 20), ("BR", 30), ("IN", 20), ("IN", 500)]:
        changed = world.call("PATCH", PATH.format(country), owner, json={"values": {"most": most}})["changed"]
        changes += changed
    entries = _audit(world, owner)
    assert changes == len(entries) == 4
    assert [(e["country"], e["before"], e["after"]) for e in reversed(entries)] == [
        ("BR", {"most": 500}, {"most": 10}),
        ("IN", {"most": 500}, {"most": 20}),
        ("BR", {"most": 10}, {"most": 30}),
        ("IN", {"most": 20}, {"most": 500}),
    ]


def test_an_operator_of_brazil_cannot_change_india_and_a_viewer_changes_nothing(souk_world) -> None:
    world = souk_world([tips_app()])
    owner, viewer = world.operator(), world.operator("vera", "viewer", "*")
    brazil, india_and_brazil = (
        world.operator("bruno", "operator", "BR"),
        world.operator("ines", "operator", "IN,BR"),
    )
    chat_token = world.user("Ana", "BR").token
    body = {"values": {"most": 42}}
    matrix = [
        (brazil, "IN", 403, "outside_your_countries"),
        (viewer, "BR", 403, "read_only"),
        (viewer, "IN", 403, "read_only"),
        (chat_token, "BR", 403, "operator_only"),
        (brazil, "BR", 200, None),
        (india_and_brazil, "IN", 200, None),
    ]
    refused = 0
    for token, country, status, code in matrix:
        answer = world.call("PATCH", PATH.format(country), token, json=body, expect=status)
        if status == 403:
            refused += answer["error"]["code"] == code
    assert refused == 4
    for token in (viewer, brazil):  # reading is open to every account
        assert world.call("GET", PATH.format("IN"), token)["fields"][0]["value"] == 42
    assert world.call("GET", PATH.format("IN"), chat_token, expect=403)["error"]["code"] == "operator_only"
    assert [e["actor"] for e in _audit(world, owner)] == ["operator:ines", "operator:bruno"]


def test_unknown_apps_countries_and_apps_without_settings_answer_clearly(souk_world) -> None:
    bare = MiniApp(Manifest(name="bare", title="Bare", version="1.0.0"))
    world = souk_world([tips_app(), bare])
    owner = world.operator()
    cases = [
        ("GET", "/api/v1/admin/apps/nope/countries/BR/settings", None, 404, "app_not_found"),
        ("GET", "/api/v1/admin/apps/bare/countries/BR/settings", None, 422, "no_settings"),
        ("GET", PATH.format("BRA"), None, 422, "invalid_country"),
        ("PATCH", PATH.format("B1"), {"values": {"most": 3}}, 422, "invalid_country"),
        ("PATCH", PATH.format("BR"), {"values": {}}, 422, "invalid_request"),
        ("PATCH", PATH.format("BR"), {"most": 3}, 422, "invalid_request"),
    ]
    codes = [world.call(m, p, owner, json=b, expect=status)["error"]["code"] for m, p, b, status, _ in cases]
    assert codes == [c[-1] for c in cases]
    assert _audit(world, owner) == []


def test_a_handler_sees_which_values_an_operator_set(souk_world) -> None:
    world = souk_world([tips_app()])
    runtime = world.core.runtime
    app = runtime.registry.apps["tips"]
    world.call("PATCH", PATH.format("IN"), world.operator(), json={"values": {"fee": 0.1}})
    from souk.miniapps.country_settings import values

    chosen = values(runtime.core.db, app, "IN")
    assert (operator_set(chosen, "fee"), operator_set(chosen, "most")) == (0.1, None)
    assert values(runtime.core.db, app, None).model_fields_set == set()


class Required(BaseModel):
    most: int


class Nested(BaseModel):
    most: dict[str, int] = {}


@pytest.mark.parametrize(
    ("model", "problem"), [(Required, "needs a default"), (Nested, "not a number"), (dict, "pydantic model")]
)
def test_settings_that_cannot_be_are_refused_when_declared_and_when_loaded(model, problem) -> None:
    manifest = Manifest(name="odd", title="Odd", version="1.0.0")
    with pytest.raises(ValueError, match=problem):
        MiniApp(manifest, settings=model)

    class Raw:
        from souk_sdk import hookimpl

        @hookimpl
        def souk_manifest(self) -> Manifest:
            return manifest

        @hookimpl
        def souk_country_settings(self):
            return model

    with pytest.raises(PluginError, match=problem):
        load([Raw()])


@pytest.mark.stress
def test_concurrent_changes_each_land_once_and_the_last_one_stands(souk_world) -> None:
    """Operators changing one country at once: every change that moved a value is one audit
    row, in the order they committed, and the value left is the last row's ``after``."""
    world = souk_world([tips_app()])
    owners = [world.operator(f"op{n}") for n in range(4)]
    rounds = 25 if os.environ.get("SOUK_STRESS") else 5
    values = [1 + (n * 37) % 900 for n in range(len(owners) * rounds)]
    tokens = [owners[n % len(owners)] for n in range(len(values))]
    calls = [
        lambda token=token, most=most: world.core.request(
            "PATCH", PATH.format("BR"), token, {"values": {"most": most}}
        )
        for token, most in zip(tokens, values, strict=True)
    ]
    answers = race(*calls)
    assert [status for status, _ in answers] == [200] * len(values)
    changed = sum(body["changed"] for _, body in answers)
    entries = list(reversed(_audit(world, owners[0])))
    assert len(set(values)) == len(values)  # each differs from every other: each one moves it
    assert len(entries) == changed == len(values)
    assert all(a["after"]["most"] != a["before"]["most"] for a in entries)
    assert all(b["before"] == a["after"] for a, b in itertools.pairwise(entries))
    final = world.call("GET", PATH.format("BR"), owners[0])["fields"][0]["value"]
    assert final == entries[-1]["after"]["most"]
