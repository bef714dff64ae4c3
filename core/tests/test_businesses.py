"""Business accounts over the HTTP API: a profile with a handle shared with people's, an owner and
staff with roles, admins who edit, operators who verify (audited), and bad input as 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from media_samples import png

BRUNA = {
    "name": "Loja da Bruna",
    "handle": "LojaDaBruna",
    "category": "shop",
    "description": "Capinhas e acessórios",
    "address": "Rua Augusta 100, São Paulo",
    "website": "https://loja.example/bruna",
    "time_zone": "America/Sao_Paulo",
    "hours": {"mon": [["09:00", "18:00"]], "sat": [["10:00", "14:00"]]},
}


@pytest.fixture
def shop(souk_world):
    world = souk_world([])
    bruna, ravi, asha = world.user("Bruna", "BR"), world.user("Ravi", "BR"), world.user("Asha", "IN")
    business = bruna.call("POST", "/api/v1/businesses", BRUNA)
    return world, bruna, ravi, asha, business


def test_a_business_is_created_with_its_profile_and_its_creator_as_owner(shop) -> None:
    world, bruna, ravi, _, business = shop
    assert business["handle"] == "lojadabruna" and business["your_role"] == "owner"
    assert business["country"] == "BR" and business["verified"] is False
    assert business["link"] == "/b/lojadabruna" and business["hours"] == BRUNA["hours"]
    public = world.call("GET", "/api/v1/businesses/@LOJADABRUNA")
    assert public == {**business, "your_role": None}
    staff = bruna.call("GET", "/api/v1/businesses/lojadabruna/staff")["staff"]
    assert [(s["handle"], s["role"]) for s in staff] == [(bruna.handle, "owner")]
    refused = ravi.call("GET", "/api/v1/businesses/lojadabruna/staff", expect=403)
    assert refused["error"]["code"] == "staff_only"
    shown = json.dumps(public)
    assert bruna.profile["id"] not in shown and bruna.profile["phone"] not in shown


def test_people_and_businesses_share_one_handle_namespace(shop) -> None:
    world, bruna, ravi, _, _ = shop
    for taken in (
        "lojadabruna",
        "LojaDaBruna".translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),
        ravi.handle,
        "@" + ravi.handle.upper(),
    ):
        refused = bruna.call("POST", "/api/v1/businesses", {**BRUNA, "handle": taken}, expect=409)
        assert refused["error"]["code"] == "handle_taken"
    refused = ravi.call("PATCH", "/api/v1/me", {"handle": "LOJADABRUNA"}, expect=409)
    assert refused["error"]["code"] == "handle_taken"
    look_alike = bruna.call("POST", "/api/v1/businesses", {**BRUNA, "handle": "lojadabrun\u0430"}, expect=422)
    assert look_alike["error"]["code"] == "invalid_handle"  # a Cyrillic a at the end
    # A new person whose name makes the business's handle gets another one.
    namesake = world.user("Lojadabruna")
    assert namesake.handle != "lojadabruna" and namesake.handle.startswith("lojadabruna")
    moved = bruna.call("PATCH", "/api/v1/businesses/lojadabruna", {"handle": "brunastore"})
    assert moved["handle"] == "brunastore"
    world.call("GET", "/api/v1/businesses/lojadabruna", expect=404)
    assert ravi.call("PATCH", "/api/v1/me", {"handle": "lojadabruna"})["handle"] == "lojadabruna"
    count = world.core.runtime.core.db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0]
    assert count == 1


def test_admins_edit_the_profile_and_manage_the_staff_agents_do_not(shop) -> None:
    _, bruna, ravi, asha, _ = shop
    base = "/api/v1/businesses/lojadabruna"
    refused = ravi.call("PATCH", base, {"description": "mine now"}, expect=403)
    assert refused["error"]["code"] == "staff_only"
    bruna.call("POST", base + "/staff", {"handle": ravi.handle, "role": "agent"})
    refused = ravi.call("PATCH", base, {"description": "mine now"}, expect=403)
    assert refused["error"]["code"] == "business_admins_only"
    refused = ravi.call("POST", base + "/staff", {"handle": asha.handle, "role": "agent"}, expect=403)
    assert refused["error"]["code"] == "business_admins_only"
    staff = bruna.call("POST", base + "/staff", {"handle": ravi.handle, "role": "admin"})["staff"]
    assert [s["role"] for s in staff] == ["owner", "admin"]
    changed = ravi.call("PATCH", base, {"description": "Capinhas", "hours": {"sun": [["00:00", "24:00"]]}})
    assert changed["description"] == "Capinhas" and changed["hours"] == {"sun": [["00:00", "24:00"]]}
    assert changed["your_role"] == "admin" and changed["name"] == "Loja da Bruna"
    owner_id = bruna.profile["id"]
    for method, path, body in [
        ("DELETE", f"{base}/staff/{owner_id}", None),
        ("POST", base + "/staff", {"handle": bruna.handle, "role": "agent"}),
    ]:
        refused = ravi.call(method, path, body, expect=409)
        assert refused["error"]["code"] == "owner_role_fixed"
    bruna.call("POST", base + "/staff", {"handle": asha.handle, "role": "agent"})
    left = ravi.call("DELETE", f"{base}/staff/{ravi.profile['id']}")
    assert left == {"staff": []}
    staff = bruna.call("GET", base + "/staff")["staff"]
    assert [(s["user_id"], s["role"]) for s in staff] == [(owner_id, "owner"), (asha.profile["id"], "agent")]
    gone = bruna.call("DELETE", f"{base}/staff/{ravi.profile['id']}", expect=404)
    assert gone["error"]["code"] == "staff_not_found"
    nobody = bruna.call("POST", base + "/staff", {"handle": "nobody_here", "role": "agent"}, expect=404)
    assert nobody["error"]["code"] == "user_not_found"


def test_the_logo_is_one_of_the_admins_pictures_from_the_media_store(shop) -> None:
    world, bruna, ravi, _, _ = shop
    base = "/api/v1/businesses/lojadabruna"
    status, content = world.core.request_bytes("POST", "/api/v1/media?purpose=profile", bruna.token, png())
    assert status == 201
    logo = json.loads(content)["id"]
    status, content = world.core.request_bytes("POST", "/api/v1/media?purpose=profile", ravi.token, png())
    not_hers = json.loads(content)["id"]
    refused = bruna.call("PATCH", base, {"logo": not_hers}, expect=422)
    assert refused["error"]["code"] == "invalid_logo"
    shown = bruna.call("PATCH", base, {"logo": logo})
    assert shown["logo"] == f"/api/v1/media/{logo}"
    status, _ = world.core.request_bytes("GET", shown["logo"], ravi.token)
    assert status == 200
    assert bruna.call("PATCH", base, {"logo": ""})["logo"] is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"name": "   "}, "invalid_name"),
        ({"category": "casino"}, "invalid_request"),
        ({"website": "javascript:alert(1)"}, "invalid_website"),
        ({"website": "https://"}, "invalid_website"),
        ({"website": "https://loja\x00.example"}, "invalid_website"),
        ({"country": "XX"}, "invalid_country"),
        ({"time_zone": "Mars/Olympus"}, "invalid_time_zone"),
        ({"hours": {"monday": [["09:00", "18:00"]]}}, "invalid_hours"),
        ({"hours": {"mon": [["18:00", "09:00"]]}}, "invalid_hours"),
        ({"hours": {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]}}, "invalid_hours"),
        ({"hours": {"mon": [["9:00", "25:00"]]}}, "invalid_hours"),
        ({"hours": {"mon": [["09:00"]]}}, "invalid_hours"),
        ({"address": "Rua\x00 1"}, "invalid_address"),
        ({"handle": "x"}, "invalid_handle"),
        ({"owner_id": "u_me"}, "invalid_request"),
    ],
)
def test_bad_profile_fields_are_refused_with_their_code(shop, change: dict[str, Any], code: str) -> None:
    _, bruna, _, _, business = shop
    refused = bruna.call("PATCH", "/api/v1/businesses/lojadabruna", change, expect=422)
    assert refused["error"]["code"] == code
    assert bruna.call("GET", "/api/v1/businesses/lojadabruna") == {**business, "your_role": None}


def test_only_operators_verify_a_business_and_each_change_is_audited(shop) -> None:
    world, bruna, _, _, _ = shop
    path = "/api/v1/admin/businesses/lojadabruna/verified"
    refused = bruna.call("PUT", path, {"verified": True}, expect=403)
    assert refused["error"]["code"] == "operator_only"
    refused = bruna.call("PATCH", "/api/v1/businesses/lojadabruna", {"verified": True}, expect=422)
    india = world.operator("indira", "operator", "IN")
    refused = world.call("PUT", path, india, {"verified": True}, expect=403)
    brazil = world.operator("bruno", "operator", "BR")
    assert world.call("PUT", path, brazil, {"verified": True}) == {"changed": True}
    assert world.call("PUT", path, brazil, {"verified": True}) == {"changed": False}
    assert world.call("GET", "/api/v1/businesses/lojadabruna")["verified"] is True
    assert world.call("PUT", path, brazil, {"verified": False}) == {"changed": True}
    entries = world.call("GET", "/api/v1/admin/audit?action=verify_business", brazil)["entries"]
    assert len(entries) == 1 and entries[0]["actor"] == "operator:bruno" and entries[0]["country"] == "BR"
    assert entries[0]["before"] == {"verified": False} and entries[0]["after"] == {"verified": True}
    undone = world.call("GET", "/api/v1/admin/audit?action=unverify_business", brazil)["entries"]
    assert len(undone) == 1
    missing = world.call(
        "PUT", "/api/v1/admin/businesses/nobody_here/verified", brazil, {"verified": True}, expect=404
    )
    assert missing["error"]["code"] == "business_not_found"


def test_erasing_the_owner_hands_the_business_to_an_admin_or_closes_it(shop) -> None:
    world, bruna, ravi, asha, business = shop
    base = "/api/v1/businesses/lojadabruna"
    bruna.call("POST", base + "/staff", {"handle": asha.handle, "role": "agent"})
    bruna.call("POST", base + "/staff", {"handle": ravi.handle, "role": "admin"})
    alone = ravi.call("POST", "/api/v1/businesses", {**BRUNA, "handle": "ravis_corner"})
    ravi.call("POST", "/api/v1/businesses/ravis_corner/staff", {"handle": asha.handle, "role": "agent"})
    _, content = world.core.request_bytes("POST", "/api/v1/media?purpose=profile", bruna.token, png())
    bruna.call("PATCH", base, {"logo": json.loads(content)["id"]})
    exported = bruna.export()["souk.json"]["businesses"]
    assert [(b["handle"], b["role"]) for b in exported] == [("lojadabruna", "owner")]

    receipt = bruna.erase()["parts"]["souk"]
    assert receipt["deleted"]["business_staff"] == 1 and "businesses" not in receipt["deleted"]
    assert receipt["pseudonymised"]["business_staff"] == 2  # she added both of them
    kept = ravi.call("GET", base)
    assert kept["id"] == business["id"] and kept["your_role"] is None and kept["logo"] is None
    staff = ravi.call("GET", base + "/staff")["staff"]
    assert [(s["handle"], s["role"]) for s in staff] == [(ravi.handle, "owner"), (asha.handle, "agent")]

    receipt = ravi.erase()["parts"]["souk"]
    # Neither business he owned keeps an admin (Asha is an agent in both): both close with their staff.
    assert receipt["deleted"]["businesses"] == 2 and receipt["deleted"]["business_staff"] == 4
    for handle in ("lojadabruna", alone["handle"]):
        world.call("GET", f"/api/v1/businesses/{handle}", expect=404)
    db = world.core.runtime.core.db
    assert db.execute("SELECT COUNT(*) FROM business_staff").fetchone()[0] == 0
    assert asha.call("GET", "/api/v1/me")["id"] == asha.profile["id"]
