"""Hostile uploads: each is refused with a clear code, or kept only in a sanitised form."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from typing import Any

import pytest
from media_samples import GPS_MARK, gif, minimal_pdf, photo_with_gps, pixel_bomb, png, webp
from PIL import Image, PngImagePlugin
from souk.chat.media_types import sanitise
from souk_sdk.testing import race

LIMIT = 300_000
"""The upload limit of these tests' server."""

SCRIPT = b"<script>alert(document.cookie)</script>"


def _png_with_text_chunk() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", SCRIPT)
    return out.getvalue()


def _icc_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(out, "JPEG", icc_profile=b"ICC-PROFILE-MARK" * 20)
    return out.getvalue()


# (name the sender gives, bytes, what must come of it): "refused:<code>" or "kept:<content type>".
HOSTILE = [
    ("cat.png", b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>", "refused:unsupported_type"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + SCRIPT + b"</svg>",
        "refused:unsupported_type",
    ),
    (
        "logo.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        "refused:unsupported_type",
    ),
    ("notes.txt", b"\xef\xbb\xbf  <html><script>alert(1)</script>", "refused:unsupported_type"),
    ("page.txt", b"Dear shop,\nplease see <iframe src=//evil></iframe>", "refused:unsupported_type"),
    (
        "setup.jpg",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64),
        "refused:unsupported_type",
    ),
    ("blob.bin", bytes(range(256)) * 4, "refused:unsupported_type"),
    ("bomb.png", pixel_bomb(), "refused:image_too_large"),
    ("cut.jpg", photo_with_gps()[:2000], "refused:invalid_image"),
    ("empty.jpg", b"", "refused:empty_file"),
    ("huge.jpg", b"\xff\xd8\xff" + bytes(LIMIT), "refused:body_too_large"),
    ("IMG_0001.JPG", photo_with_gps(), "kept:image/jpeg"),
    ("rotated.jpg", photo_with_gps((300, 200), orientation=6), "kept:image/jpeg"),
    ("polyglot.png", png() + b"<html>" + SCRIPT + b"</html>", "kept:image/png"),
    ("polyglot.jpg", photo_with_gps((100, 80)) + _zip_bytes(), "kept:image/jpeg"),
    ("comment.png", _png_with_text_chunk(), "kept:image/png"),
    ("profile.jpg", _icc_photo(), "kept:image/jpeg"),
    ("report.pdf", photo_with_gps((64, 64)), "kept:image/jpeg"),  # a photo under a wrong extension
    ("photo.jpg", minimal_pdf(), "kept:application/pdf"),  # a PDF under a picture's name
    ("../../etc/passwd.gif", gif(), "kept:image/png"),  # its first frame, under a plain name
]

MARKERS = (SCRIPT, GPS_MARK, b"PhoneCam", b"Exif", b"ICC-PROFILE-MARK", b"PK\x03\x04", b"<html", b"passwd/")


def test_there_are_twenty_hostile_files() -> None:
    assert len(HOSTILE) == 20
    assert Counter(outcome.split(":")[0] for _, _, outcome in HOSTILE) == {"refused": 11, "kept": 9}


def test_each_hostile_file_is_refused_or_sanitised(souk_world: Any) -> None:
    world = souk_world([], settings={"media_max_bytes": LIMIT})
    ana, bo = world.user("Ana"), world.user("Bo")
    chat = ana.direct_chat(bo)
    outcomes: Counter[str] = Counter()
    for name, data, expected in HOSTILE:
        query = f"conversation_id={chat.conversation_id}&name={name}"
        status, content = world.core.request_bytes("POST", f"/api/v1/media?{query}", ana.token, data)
        answer = json.loads(content)
        if expected.startswith("refused:"):
            assert status in (413, 422), (name, status, answer)
            assert answer["error"]["code"] == expected.split(":")[1], (name, answer)
            assert answer["error"]["message"]
            outcomes["refused"] += 1
            continue
        assert status == 201, (name, answer)
        assert answer["content_type"] == expected.split(":")[1], (name, answer)
        assert "/" not in answer["name"] and ".." not in answer["name"], answer
        message = ana.call(
            "POST",
            f"/api/v1/conversations/{chat.conversation_id}/messages",
            {"client_id": name, "media_id": answer["id"]},
        )
        served = [bo.fetch(message["media"]["url"])]
        if answer["thumbnail_url"]:
            served.append(bo.fetch(answer["thumbnail_url"]))
        for status, data_served in served:
            assert status == 200
            for marker in MARKERS:
                assert marker not in data_served, (name, marker)
        outcomes["kept"] += 1
    assert outcomes == {"refused": 11, "kept": 9}
    stored = [p for p in (world.core.runtime.settings.data_dir / "media").rglob("*") if p.is_file()]
    assert stored, "the kept files are in the media folder"
    for path in stored:
        data = path.read_bytes()
        assert not any(marker in data for marker in MARKERS), path
    assert not list((world.core.runtime.settings.data_dir / "media" / "tmp").iterdir())


def test_a_photo_turned_by_its_exif_stands_upright_without_it() -> None:
    kept = sanitise(photo_with_gps((300, 200), orientation=6))
    assert (kept.width, kept.height) == (200, 300)
    assert not Image.open(io.BytesIO(kept.data)).getexif()


@pytest.mark.parametrize("picture", [png(mode="RGBA", colour="#ff000080"), webp(), gif()])
def test_every_kind_of_picture_gets_a_jpeg_thumbnail(picture: bytes) -> None:
    kept = sanitise(picture)
    assert kept.thumbnail is not None and Image.open(io.BytesIO(kept.thumbnail)).format == "JPEG"


def test_the_quota_holds_under_ten_concurrent_uploads(souk_world: Any) -> None:
    picture = png((200, 200), "teal")
    size = len(sanitise(picture).data)
    world = souk_world([], settings={"media_quota_bytes": 4 * size + size // 2})
    ana, bo = world.user("Ana"), world.user("Bo")
    chat = ana.direct_chat(bo)
    query = f"/api/v1/media?conversation_id={chat.conversation_id}"
    answers = race(lambda: world.core.request_bytes("POST", query, ana.token, picture), times=10)
    statuses = Counter(status for status, _ in answers)
    assert statuses == {201: 4, 413: 6}
    codes = Counter(json.loads(body)["error"]["code"] for status, body in answers if status == 413)
    assert codes == {"quota_exceeded": 6}
    used = world.core.runtime.core.db.execute(
        "SELECT COUNT(*), SUM(size) FROM media WHERE owner_id = ?", [ana.profile["id"]]
    ).fetchone()
    assert used == (4, 4 * size)
