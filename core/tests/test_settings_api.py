"""What a person controls in their settings, through the API: sessions that renew while used,
who may add them to groups and find them by number, and the mini-apps they use."""

from __future__ import annotations

import datetime as dt
import json

from media_samples import minimal_pdf, photo_with_gps, png
from miniapps import Greeter
from souk.app import create_app
from souk.chat.conversations import people_sharing_with
from souk.foundation.clock import ManualClock, iso
from souk.foundation.settings import DEV_CODE, Settings
from souk.runtime import Runtime
from starlette.testclient import TestClient


def test_a_session_in_use_keeps_renewing_and_an_idle_one_expires(souk_world) -> None:
    world = souk_world([])
    ana = world.user("Ana", "BR")
    [session] = ana.call("GET", "/api/v1/me/sessions")["sessions"]
    first_expiry = session["expires_at"]
    used_days = 0
    for _ in range(4):  # 4 x 29 days of use: far past the 30 days a session lasts unused
        world.advance(dt.timedelta(days=29))
        used_days += 29
        assert ana.call("GET", "/api/v1/me")["id"] == ana.profile["id"]
    [renewed] = ana.call("GET", "/api/v1/me/sessions")["sessions"]
    assert used_days == 116 and renewed["expires_at"] > first_expiry
    assert renewed["last_used_at"] == world.now().astimezone(dt.UTC).isoformat(timespec="microseconds")

    world.advance(dt.timedelta(days=31))  # left unused past its lifetime
    status, body = world.core.request("GET", "/api/v1/me", ana.token)
    assert (status, body["error"]["code"]) == (401, "token_expired")


def test_within_an_hour_a_session_is_not_written_again(souk_world) -> None:
    world = souk_world([])
    ana = world.user("Ana", "BR")
    before = ana.call("GET", "/api/v1/me/sessions")["sessions"][0]
    world.advance(dt.timedelta(minutes=59))
    for _ in range(5):
        ana.call("GET", "/api/v1/me")
    after = ana.call("GET", "/api/v1/me/sessions")["sessions"][0]
    assert after["last_used_at"] == before["last_used_at"]
    world.advance(dt.timedelta(minutes=2))
    ana.call("GET", "/api/v1/me")
    assert ana.call("GET", "/api/v1/me/sessions")["sessions"][0]["last_used_at"] > before["last_used_at"]


def _group(user, members, expect=201):
    body = {"kind": "group", "title": "Friends", "members": [{"handle": m.handle} for m in members]}
    return user.call("POST", "/api/v1/conversations", body, expect=expect)


def test_who_may_add_me_to_groups(souk_world) -> None:
    world = souk_world([])
    ana, bo, cy = world.user("Ana", "BR"), world.user("Bo", "BR"), world.user("Cy", "BR")
    ana.call("POST", "/api/v1/conversations", {"kind": "direct", "with": {"handle": bo.handle}}, expect=201)
    assert ana.call("GET", "/api/v1/me/privacy")["groups"] == "everyone"

    assert ana.call("PATCH", "/api/v1/me/privacy", {"groups": "contacts"})["groups"] == "contacts"
    refused = _group(cy, [ana], expect=403)
    assert refused["error"]["code"] == "cannot_add" and refused["error"]["details"] == {"people": ["Ana"]}
    group = _group(bo, [ana])  # Bo has a direct chat with her: a contact
    assert {m["display_name"] for m in group["members"]} >= {"Ana", "Bo"}

    ana.call("PATCH", "/api/v1/me/privacy", {"groups": "nobody"})
    own = _group(cy, [])
    refusals = 0
    for adder, target in ((bo, group["id"]), (cy, own["id"])):
        body = {"members": [{"handle": ana.handle}]}
        answer = adder.call("POST", f"/api/v1/conversations/{target}/members", body, expect=403)
        refusals += answer["error"]["code"] == "cannot_add"
    assert refusals == 2
    assert _group(bo, [ana], expect=403)["error"]["code"] == "cannot_add"
    assert _group(ana, [bo, cy])["title"] == "Friends"  # her own group: nothing to refuse


def test_who_may_find_me_by_my_number(souk_world) -> None:
    world = souk_world([])
    ana, bo, cy = world.user("Ana", "BR"), world.user("Bo", "BR"), world.user("Cy", "BR")
    by_phone = {"kind": "direct", "with": {"phone": ana.profile["phone"]}}
    unknown = {"kind": "direct", "with": {"phone": "+5511987650999"}}
    bo.call("POST", "/api/v1/conversations", {"kind": "direct", "with": {"handle": ana.handle}}, expect=201)

    ana.call("PATCH", "/api/v1/me/privacy", {"phone": "contacts"})
    assert bo.call("POST", "/api/v1/conversations", by_phone, expect=201)["kind"] == "direct"
    hidden = cy.call("POST", "/api/v1/conversations", by_phone, expect=404)["error"]
    missing = cy.call("POST", "/api/v1/conversations", unknown, expect=404)["error"]
    assert hidden == missing  # a refusal says nothing a wrong number would not

    ana.call("PATCH", "/api/v1/me/privacy", {"phone": "nobody"})
    assert bo.call("POST", "/api/v1/conversations", by_phone, expect=404)["error"]["code"] == "user_not_found"
    group = {"kind": "group", "title": "G", "members": [{"phone": ana.profile["phone"]}]}
    assert cy.call("POST", "/api/v1/conversations", group, expect=404)["error"]["code"] == "user_not_found"
    by_handle = {"kind": "direct", "with": {"handle": ana.handle}}
    assert cy.call("POST", "/api/v1/conversations", by_handle, expect=201)["kind"] == "direct"
    assert ana.call("GET", "/api/v1/me/privacy") == {
        "receipts": "everyone",
        "typing": "everyone",
        "presence": "everyone",
        "groups": "everyone",
        "phone": "nobody",
    }


def test_the_mini_apps_i_use_with_what_they_were_given_and_revoke(souk_world) -> None:
    greeter = Greeter()
    world = souk_world([greeter])
    ana = world.user("Ana", "BR")
    assert ana.call("GET", "/api/v1/me/apps") == {"apps": []}
    chat = ana.app_chat("greeter")
    for _ in range(3):
        assert chat.send("/hello").text == "Hi Ana"
    [app] = ana.call("GET", "/api/v1/me/apps")["apps"]
    assert (app["name"], app["title"]) == ("greeter", "Greeter")
    assert app["asks"] == [{"scope": "profile", "description": "see your display name and language"}]
    assert [g["scope"] for g in app["granted"]] == ["profile"]
    log = ana.call("GET", "/api/v1/me/access-log?app=greeter")["entries"]
    assert app["accesses"] == len(log) == 6  # two fields a command, three commands
    assert app["last_access"] == log[0]["at"]
    assert ana.call("GET", "/api/v1/me/access-log?app=other")["entries"] == []

    assert ana.call("DELETE", "/api/v1/me/apps/greeter") == {"revoked": 1}
    [revoked] = ana.call("GET", "/api/v1/me/apps")["apps"]
    assert revoked["granted"] == [] and revoked["accesses"] == 6  # what it was given stays readable
    asked = chat.send("/hello", allow=False)
    assert asked.screen.title == "Greeter asks for your permission"
    assert greeter.calls["hello"] == 3

    codes = [
        ana.call("DELETE", "/api/v1/me/apps/nothing", expect=404)["error"]["code"],
        ana.call("GET", "/api/v1/me/access-log?app=Bad-Name", expect=422)["error"]["code"],
        ana.call("DELETE", "/api/v1/me/sessions/s_nobody", expect=404)["error"]["code"],
        ana.call("PATCH", "/api/v1/me/privacy", {"groups": "friends"}, expect=422)["error"]["code"],
        ana.call("PATCH", "/api/v1/me/privacy", {"phone": 1}, expect=422)["error"]["code"],
    ]
    assert codes == [
        "app_not_found",
        "invalid_request",
        "session_not_found",
        "invalid_request",
        "invalid_request",
    ]


def _upload(world, user, data: bytes, query: str) -> dict:
    status, content = world.core.request_bytes("POST", f"/api/v1/media?{query}", user.token, data)
    assert status == 201, content[:300]
    return json.loads(content)


def test_a_profile_photo_is_one_of_my_pictures_uploaded_for_it(souk_world) -> None:
    world = souk_world([])
    ana, bo = world.user("Ana", "BR"), world.user("Bo", "BR")
    assert ana.call("GET", "/api/v1/me")["photo"] is None
    photo = _upload(world, ana, photo_with_gps(), "purpose=profile&name=me.jpg")
    me = ana.call("PATCH", "/api/v1/me", {"photo": photo["id"]})
    assert me["photo"] == f"/api/v1/media/{photo['id']}"
    status, served = ana.fetch(me["photo"])
    assert status == 200 and served.startswith(b"\xff\xd8") and b"GPS" not in served

    chat = ana.group_chat("Alone", [])
    in_a_message = ana.upload(chat, png(), "pic.png")
    bos = _upload(world, bo, png(), "purpose=profile")
    pdf = _upload(world, ana, minimal_pdf(), "purpose=profile&name=cv.pdf")
    refused = [
        ana.call("PATCH", "/api/v1/me", {"photo": media_id}, expect=422)["error"]["code"]
        for media_id in (in_a_message["id"], bos["id"], pdf["id"], "f_nothing")
    ]
    assert refused == ["invalid_photo"] * 4
    assert ana.call("GET", "/api/v1/me")["photo"] == me["photo"]  # unchanged by the refusals
    assert ana.call("PATCH", "/api/v1/me", {"photo": ""})["photo"] is None


def test_the_people_who_see_me_are_shown_my_profile_photo(souk_world) -> None:
    world = souk_world([])
    ana, bo, cy = world.user("Ana", "BR"), world.user("Bo", "BR"), world.user("Cy", "BR")
    photo = _upload(world, ana, photo_with_gps(), "purpose=profile&name=me.jpg")
    url = ana.call("PATCH", "/api/v1/me", {"photo": photo["id"]})["photo"]
    ana.direct_chat(bo).send("Hi Bo")
    group = ana.group_chat("Three", [bo, cy])
    group.send("Hi both")

    def photos_seen_by(user) -> dict[str, dict[str, str | None]]:
        listed = user.call("GET", "/api/v1/conversations")["conversations"]
        return {c["title"]: {m["display_name"]: m["photo"] for m in c["members"]} for c in listed}

    assert photos_seen_by(bo) == {
        "Ana": {"Ana": url, "Bo": None},
        "Three": {"Ana": url, "Bo": None, "Cy": None},
    }
    assert photos_seen_by(cy) == {"Three": {"Ana": url, "Bo": None, "Cy": None}}
    assert bo.fetch(url)[0] == cy.fetch(url)[0] == 200
    bo_in_group = bo.chat(group.conversation_id)
    bo_in_group.send("Hi Ana")
    bo_message = bo_in_group.history()[-1]
    bo.call("POST", f"/api/v1/conversations/{group.conversation_id}/read", {"seq": bo_message["seq"]})
    mine = group.history()[-2]
    info = ana.call("GET", f"/api/v1/conversations/{group.conversation_id}/messages/{mine['id']}/receipts")
    assert [(e["user"]["display_name"], e["user"]["photo"]) for e in info["read"]] == [("Bo", None)]
    ana.call("POST", f"/api/v1/conversations/{group.conversation_id}/read", {"seq": bo_message["seq"]})
    bos_info = bo.call(
        "GET", f"/api/v1/conversations/{group.conversation_id}/messages/{bo_message['id']}/receipts"
    )
    assert [(e["user"]["display_name"], e["user"]["photo"]) for e in bos_info["read"]] == [("Ana", url)]

    ana.call("PATCH", "/api/v1/me", {"photo": ""})
    assert photos_seen_by(bo)["Three"] == {"Ana": None, "Bo": None, "Cy": None}


def test_a_profile_change_is_told_to_everyone_in_a_conversation_with_them_once(souk_world) -> None:
    world = souk_world([])
    ana, bo, cy, dee = (world.user(name, "BR") for name in ("Ana", "Bo", "Cy", "Dee"))
    ana.direct_chat(bo).send("Hi Bo")
    ana.group_chat("Three", [bo, cy]).send("Hi both")
    dee.direct_chat(cy).send("Hi Cy")  # not with Ana
    ids = {u.profile["id"]: name for u, name in ((bo, "Bo"), (cy, "Cy"), (dee, "Dee"))}
    told = [ids[i] for i in people_sharing_with(world.core.runtime.core.db, ana.profile["id"])]
    assert sorted(told) == ["Bo", "Cy"]  # Bo once, though in two of her conversations


def test_a_websocket_signing_in_renews_its_session(tmp_path) -> None:
    clock = ManualClock()
    settings = Settings(tmp_path / "data", dev_code=DEV_CODE, clock=clock)
    runtime = Runtime.open(settings, plugins=[])
    used = "SELECT last_used_at, expires_at FROM tokens"
    with TestClient(create_app(settings, runtime=runtime)) as client:
        client.post("/api/v1/auth/code", json={"phone": "+5511987659001"})
        token = client.post("/api/v1/auth/verify", json={"phone": "+5511987659001", "code": DEV_CODE}).json()
        before = runtime.core.db.execute(used).fetchone()
        clock.advance(dt.timedelta(days=20))
        with client.websocket_connect("/api/v1/ws") as ws:
            ws.send_json({"type": "auth", "token": token["token"]})
            assert ws.receive_json()["type"] == "hello"
        after = runtime.core.db.execute(used).fetchone()
    assert after[0] == iso(clock.now()) and after[1] == iso(clock.now() + settings.token_ttl) > before[1]
