"""Photos: up to 6, kept in Souk's media store without their metadata; what is not a photo is refused."""

from __future__ import annotations

import io

from matchmaking_support import MM, candidates, count, member, photo_body, picture
from PIL import ExifTags, Image
from souk_sdk.testing import race


def with_gps() -> bytes:
    """A JPEG as a phone takes it: with the place it was taken in its EXIF."""
    image = Image.new("RGB", (48, 48), "orange")
    exif = image.getexif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "S", (23.0, 33.0, 1.8)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "W", (46.0, 38.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_candidate_shows_their_photos_and_none_carries_where_it_was_taken(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    shown = ana.call("POST", f"{MM}/profile/photos", photo_body(with_gps()))["photos"]
    ana.call("POST", f"{MM}/profile/photos", photo_body(picture("navy")))
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    (card,) = candidates(bruno)
    assert len(card["photos"]) == 2 and card["photos"][0] == shown[0]
    assert all(url.startswith("/api/v1/media/") for url in card["photos"])
    status, data = bruno.fetch(card["photos"][0])
    assert status == 200
    kept = Image.open(io.BytesIO(data))
    assert dict(kept.getexif().get_ifd(ExifTags.IFD.GPSInfo)) == {} and b"GPS" not in data
    screen = bruno.app_chat("matchmaking").send("/match").screen
    assert screen.body[0].image_url == shown[0]
    assert [c.url for c in screen.body[1:] if c.type == "image"] == card["photos"][1:]


def test_six_photos_at_most_even_when_added_at_once(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    for n in range(4):
        ana.call("POST", f"{MM}/profile/photos", photo_body(picture(size=20 + n)))
    answers = race(
        *(
            lambda n=n: world.core.request(
                "POST", f"{MM}/profile/photos", ana.token, photo_body(picture(size=40 + n))
            )
            for n in range(4)
        )
    )
    assert sorted(status for status, _ in answers) == [200, 200, 409, 409]
    assert {b["error"]["code"] for s, b in answers if s == 409} == {"too_many_photos"}
    assert len(ana.call("GET", f"{MM}/profile")["photos"]) == 6
    assert count(world, "SELECT COUNT(*) FROM photos") == 6
    ana.call("DELETE", f"{MM}/profile/photos/2")
    assert count(world, "SELECT COUNT(*) FROM photos") == 5
    ana.call("POST", f"{MM}/profile/photos", photo_body(picture("pink")))
    assert len(ana.call("GET", f"{MM}/profile")["photos"]) == 6


def test_what_is_not_a_photo_or_too_large_is_refused_and_changes_nothing(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    ana.call("POST", f"{MM}/profile/photos", photo_body())
    media_before = count_media(world)
    cases = [
        (photo_body(b"GIF89a but not really a picture"), 422, "not_an_image"),
        (photo_body(b"%PDF-1.4 a document"), 422, "not_an_image"),
        ({"data": "not base64 at all!"}, 422, "invalid_photo"),
        (photo_body(b"\xff\xd8" + b"\x00" * (5 * 1024 * 1024)), 413, "photo_too_large"),
        ({"url": "https://example.com/me.jpg"}, 422, "invalid_request"),
    ]
    for body, status, code in cases:
        assert ana.call("POST", f"{MM}/profile/photos", body, expect=status)["error"]["code"] == code
    assert ana.call("DELETE", f"{MM}/profile/photos/7", expect=404)["error"]["code"] == "not_found"
    assert ana.call("DELETE", f"{MM}/profile/photos/x", expect=404)["error"]["code"] == "not_found"
    assert count(world, "SELECT COUNT(*) FROM photos") == 1
    assert count_media(world) == media_before


def test_deleting_the_profile_takes_its_photos_off_every_card(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    ana.call("POST", f"{MM}/profile/photos", photo_body())
    ana.call("DELETE", f"{MM}/profile")
    assert count(world, "SELECT COUNT(*) FROM photos") == 0


def count_media(world) -> int:
    return world.core.runtime.core.db.execute("SELECT COUNT(*) FROM media").fetchone()[0]


def test_photos_are_added_and_removed_in_the_chat(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    chat = ana.app_chat("matchmaking")
    chat.send("/profile")
    file = {"name": "me.png", "content_base64": photo_body(picture("olive"))["data"]}
    reply = chat.submit({"photo": file}, action="add_photo")
    assert "Photo added." in reply.text
    (card,) = [c for c in reply.screen.body if c.type == "card" and c.title == "Photo 1"]
    assert card.image_url == ana.call("GET", f"{MM}/profile")["photos"][0]
    fake = {"name": "me.jpg", "content_base64": photo_body(b"not a picture")["data"]}
    refused = chat.submit({"photo": fake}, action="add_photo", expect=422)
    assert refused.errors == {"photo": "That is not a photo: send a JPEG, PNG, WebP or GIF."}
    assert count(world, "SELECT COUNT(*) FROM photos") == 1
    assert "Photo removed." in chat.press("Remove", within="Photo 1").text
    assert count(world, "SELECT COUNT(*) FROM photos") == 0


def _kept_files(world) -> set[str]:
    """The files in the data folder's media store (not its temporary ones)."""
    root = world.core.runtime.media.files.root
    return {p.name for p in root.glob("*/*") if p.is_file() and p.parent.name != "tmp"}


def _bytes_gone(world, ana, bruno, shown: list[str], before: set[str]) -> None:
    for url in shown:
        assert bruno.fetch(url)[0] == 404
    assert _kept_files(world) == before
    assert count_media(world) == 0


def test_deleting_the_profile_deletes_its_pictures_from_the_media_store(souk_world):
    world = souk_world(["matchmaking"])
    before = _kept_files(world)
    ana = member(world, "Ana Souza")
    shown = [
        ana.call("POST", f"{MM}/profile/photos", photo_body(picture(colour)))["photos"][-1]
        for colour in ("navy", "olive", "plum")
    ]
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    assert [bruno.fetch(url)[0] for url in shown] == [200, 200, 200]
    assert len(_kept_files(world) - before) == 6  # each picture and its thumbnail
    ana.call("DELETE", f"{MM}/profile/photos/2")
    assert bruno.fetch(shown[1])[0] == 404 and len(_kept_files(world) - before) == 4
    ana.call("DELETE", f"{MM}/profile")
    _bytes_gone(world, ana, bruno, shown, before)


def test_erasure_deletes_the_pictures_but_not_the_same_picture_another_member_shows(souk_world):
    world = souk_world(["matchmaking"])
    before = _kept_files(world)
    ana = member(world, "Ana Souza")
    carla = member(world, "Carla Dias")
    same = picture("teal")
    mine = ana.call("POST", f"{MM}/profile/photos", photo_body(picture("navy")))["photos"][-1]
    shared = ana.call("POST", f"{MM}/profile/photos", photo_body(same))["photos"][-1]
    assert carla.call("POST", f"{MM}/profile/photos", photo_body(same))["photos"] == [shared]
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    receipt = ana.erase()
    assert receipt["parts"]["matchmaking"]["deleted"]["images"] == 1
    assert "images" not in receipt["parts"]["matchmaking"]  # the receipt counts, never names
    assert bruno.fetch(mine)[0] == 404 and bruno.fetch(shared)[0] == 200
    assert count_media(world) == 1 and len(_kept_files(world) - before) == 2
    carla.call("DELETE", f"{MM}/profile")
    _bytes_gone(world, carla, bruno, [shared], before)
