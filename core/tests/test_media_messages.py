"""Photos and files sent in a conversation: stored once, carried by a message, served to its members only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from media_samples import GPS_MARK, minimal_pdf, photo_with_gps, png
from PIL import Image
from souk_sdk.testing import HarnessError


def _people(souk_world: Any) -> tuple[Any, Any, Any]:
    world = souk_world([])
    return world, world.user("Ana"), world.user("Bo")


def _kept(world: Any) -> list[bytes]:
    """Every file in the media folder."""
    folder = world.core.runtime.settings.data_dir / "media"
    return [p.read_bytes() for p in folder.rglob("*") if p.is_file()]


def test_a_photo_is_sent_as_a_media_message_that_both_members_see(souk_world: Any) -> None:
    _world, ana, bo = _people(souk_world)
    chat = ana.direct_chat(bo)
    sent = chat.send_file(photo_with_gps(), "IMG_2041.JPG", caption="the broken lid")
    assert (sent["kind"], sent["text"]) == ("media", "the broken lid")
    media = sent["media"]
    assert (media["kind"], media["content_type"], media["name"]) == ("image", "image/jpeg", "IMG_2041.jpg")
    assert (media["width"], media["height"]) == (1200, 900)
    seen = bo.chat(chat.conversation_id).history()[-1]
    assert seen["media"] == media
    status, data = bo.fetch(media["url"])
    assert status == 200 and Image.open(io.BytesIO(data)).size == (1200, 900)
    status, small = bo.fetch(media["thumbnail_url"])
    assert status == 200 and max(Image.open(io.BytesIO(small)).size) == 320


def test_the_gps_position_is_in_no_stored_or_served_byte(souk_world: Any) -> None:
    world, ana, bo = _people(souk_world)
    chat = ana.direct_chat(bo)
    original = photo_with_gps()
    assert GPS_MARK in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    media = chat.send_file(original, "photo.jpg")["media"]
    served = [bo.fetch(media["url"])[1], bo.fetch(media["thumbnail_url"])[1]]
    stored = _kept(world)
    assert len(stored) == 2 and len(served) == 2
    for data in [*stored, *served]:
        assert GPS_MARK not in data and b"PhoneCam" not in data and b"Exif" not in data
        assert not Image.open(io.BytesIO(data)).getexif()


def test_a_file_is_kept_as_it_is_and_served_as_a_download(souk_world: Any) -> None:
    _world, ana, bo = _people(souk_world)
    chat = ana.direct_chat(bo)
    media = chat.send_file(minimal_pdf(), "invoice.pdf")["media"]
    assert (media["kind"], media["content_type"], media["thumbnail_url"]) == ("file", "application/pdf", None)
    assert bo.fetch(media["url"]) == (200, minimal_pdf())


def test_the_same_bytes_twice_are_one_file(souk_world: Any) -> None:
    world, ana, bo = _people(souk_world)
    chat = ana.direct_chat(bo)
    first = chat.send_file(png(), "a.png")["media"]
    second = chat.send_file(png(), "b.png")["media"]
    assert first["id"] != second["id"]
    assert len(_kept(world)) == 2  # the picture and its thumbnail, once each


def test_an_upload_is_sent_once_and_only_where_it_was_made(souk_world: Any) -> None:
    world, ana, bo = _people(souk_world)
    cy = world.user("Cy")
    chat, other = ana.direct_chat(bo), ana.direct_chat(cy)
    media = ana.upload(chat, png())
    send = f"/api/v1/conversations/{other.conversation_id}/messages"
    with pytest.raises(HarnessError, match="media_not_found"):
        ana.call("POST", send, {"client_id": "x1", "media_id": media["id"]})
    with pytest.raises(HarnessError, match="media_not_found"):
        bo.call(
            "POST",
            f"/api/v1/conversations/{chat.conversation_id}/messages",
            {"client_id": "x2", "media_id": media["id"]},
        )
    here = f"/api/v1/conversations/{chat.conversation_id}/messages"
    sent = ana.call("POST", here, {"client_id": "x3", "media_id": media["id"]})
    assert ana.call("POST", here, {"client_id": "x3", "media_id": media["id"]}) == sent  # a retry: once
    with pytest.raises(HarnessError, match="media_not_found"):
        ana.call("POST", here, {"client_id": "x4", "media_id": media["id"]})
    with pytest.raises(HarnessError, match="422"):
        ana.call("POST", here, {"client_id": "x5", "text": ""})


def test_a_photo_deleted_for_everyone_is_gone_for_the_others(souk_world: Any) -> None:
    world, ana, bo = _people(souk_world)
    chat = ana.direct_chat(bo)
    sent = chat.send_file(png(), "a.png")
    assert bo.fetch(sent["media"]["url"])[0] == 200
    deleted = ana.call("DELETE", f"/api/v1/conversations/{chat.conversation_id}/messages/{sent['id']}")
    assert (deleted["kind"], deleted["media"]) == ("text", None)
    assert bo.fetch(sent["media"]["url"])[0] == 404
    assert ana.fetch(sent["media"]["url"])[0] == 404
    assert _kept(world) == []


def test_a_reply_to_a_photo_without_a_caption_quotes_it_as_a_photo(souk_world: Any) -> None:
    _world, ana, bo = _people(souk_world)
    chat = ana.direct_chat(bo)
    photo = chat.send_file(png(), "a.png")
    document = chat.send_file(minimal_pdf(), "invoice.pdf")
    here = f"/api/v1/conversations/{chat.conversation_id}/messages"
    quotes = [
        bo.call("POST", here, {"client_id": f"r{m['seq']}", "text": "this?", "reply_to": m["seq"]})[
            "reply_to"
        ]
        for m in (photo, document)
    ]
    assert [q["text"] for q in quotes] == ["Photo", "invoice.pdf"]
