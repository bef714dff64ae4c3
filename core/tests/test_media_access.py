"""Who may fetch a photo or file: the conversation's readers; everyone else gets 404, as for no such id."""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import Any

from media_samples import png

MEDIA = 100


def test_a_non_member_gets_404_for_each_of_100_media_ids(souk_world: Any) -> None:
    world = souk_world([])
    ana, bo, cy = world.user("Ana"), world.user("Bo"), world.user("Cy")
    chat = ana.direct_chat(bo)
    sent = [chat.send_file(png((8 + i, 8), "navy"), f"p{i}.png")["media"] for i in range(MEDIA)]
    assert len({m["id"] for m in sent}) == MEDIA
    paths = [m["url"] for m in sent] + [m["thumbnail_url"] for m in sent]
    members = [bo.fetch(path)[0] for path in paths]
    strangers = [cy.fetch(path)[0] for path in paths]
    unknown = [cy.fetch(f"/api/v1/media/f_{secrets.token_hex(13)}")[0] for _ in range(MEDIA)]
    assert (members.count(200), strangers.count(404), unknown.count(404)) == (2 * MEDIA, 2 * MEDIA, MEDIA)


def test_an_upload_not_sent_yet_is_its_uploaders_alone(souk_world: Any) -> None:
    world = souk_world([])
    ana, bo = world.user("Ana"), world.user("Bo")
    chat = ana.direct_chat(bo)
    media = ana.upload(chat, png())
    assert (ana.fetch(media["url"])[0], bo.fetch(media["url"])[0]) == (200, 404)


def test_a_photo_in_a_group_reaches_every_member(souk_world: Any) -> None:
    world = souk_world([])
    ana, bo, cy = world.user("Ana"), world.user("Bo"), world.user("Cy")
    group = ana.group_chat("Trip", [bo, cy])
    sent = group.send_file(png(), "a.png")
    assert [p.fetch(sent["media"]["url"])[0] for p in (bo, cy)] == [200, 200]


def test_someone_added_later_does_not_see_earlier_photos(souk_world: Any) -> None:
    world = souk_world([])
    ana, bo, cy = world.user("Ana"), world.user("Bo"), world.user("Cy")
    group = ana.group_chat("Trip", [bo])
    before = group.send_file(png(colour="red"), "before.png")["media"]
    ana.call(
        "POST", f"/api/v1/conversations/{group.conversation_id}/members", {"members": [{"handle": cy.handle}]}
    )
    after = group.send_file(png(colour="green"), "after.png")["media"]
    assert (cy.fetch(before["url"])[0], cy.fetch(after["url"])[0]) == (404, 200)


def test_media_is_in_the_export_and_gone_after_erasure(souk_world: Any) -> None:
    world = souk_world([])
    ana, bo = world.user("Ana"), world.user("Bo")
    chat = ana.direct_chat(bo)
    sent = chat.send_file(png(colour="gold"), "gold.png", caption="the colour")
    served = bo.fetch(sent["media"]["url"])[1]
    status, archive = world.core.request_bytes("GET", "/api/v1/me/export", ana.token)
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        listed = ana.export()["souk.json"]["media"]
        assert [item["id"] for item in listed] == [sent["media"]["id"]]
        assert files.read(listed[0]["file"]) == served
    receipt = ana.erase()
    assert receipt["parts"]["souk"]["deleted"]["media"] == 1
    assert bo.fetch(sent["media"]["url"])[0] == 404
    tombstone = bo.chat(chat.conversation_id).history()[-1]
    assert (tombstone["kind"], tombstone["media"]) == ("text", None)
    folder = world.core.runtime.settings.data_dir / "media"
    assert [p for p in folder.rglob("*") if p.is_file()] == []
