"""A ticket's QR image: on its cards from Souk's media store; the API's route serves holder and door.

The PNG is read back pixel by pixel: each module of the symbol is the one of
the QR code of the ticket's code (error correction M), so a scanner reads
exactly the code the server signed.
"""

from __future__ import annotations

import io

import segno
from PIL import Image
from tickets_support import TICKETS, create_event, hold, seated_body, tickets_of

SCALE, BORDER = 6, 4


def modules(png: bytes) -> list[list[int]]:
    """The dark (1) and light (0) modules of a QR image drawn at ``SCALE`` pixels per module."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // SCALE - 2 * BORDER
    return [
        [
            int(image.getpixel(((c + BORDER) * SCALE + SCALE // 2, (r + BORDER) * SCALE + SCALE // 2)) < 128)
            for c in range(size)
        ]
        for r in range(size)
    ]


def test_the_qr_image_holds_the_ticket_code_and_only_its_holder_and_door_see_it(
    souk_world, souk_fake_payments
) -> None:
    world = souk_world(["tickets", souk_fake_payments])
    asha, ravi, bo = world.user("Asha", "IN"), world.user("Ravi", "IN"), world.user("Bo", "IN")
    event = create_event(asha, seated_body(world))["ref"]
    booking = hold(ravi, event, seats=["B7"])
    ravi.call("POST", f"{TICKETS}/bookings/{booking['ref']}/payment", expect=201)
    world.settle()
    (ticket,) = ravi.call("GET", f"{TICKETS}/tickets")["tickets"]
    assert ticket["qr_url"] == f"/api/v1/apps/tickets/tickets/{ticket['ref']}/qr"

    status, png = world.core.request_bytes("GET", ticket["qr_url"], ravi.token)
    assert status == 200 and png.startswith(b"\x89PNG\r\n\x1a\n")
    expected = [[int(bool(m)) for m in row] for row in segno.make_qr(ticket["code"], error="m").matrix]
    assert modules(png) == expected
    assert len(expected) >= 21 and len(ticket["code"]) < 150  # a compact code: a small, quick symbol

    assert world.core.request_bytes("GET", ticket["qr_url"], asha.token) == (200, png)  # the door
    assert world.core.request_bytes("GET", ticket["qr_url"], bo.token)[0] == 404
    assert world.core.request_bytes("GET", ticket["qr_url"])[0] == 401
    missing = bo.call("GET", f"{TICKETS}/tickets/T-NOPE2345/qr", expect=404)
    assert missing["error"] == {"code": "not_found", "message": "there is no ticket T-NOPE2345"}


def test_a_ticket_card_shows_its_qr_image_from_the_media_store_stored_once(
    souk_world, souk_fake_payments
) -> None:
    world = souk_world(["tickets", souk_fake_payments])
    asha, ravi = world.user("Asha", "IN"), world.user("Ravi", "IN")
    event = create_event(asha, seated_body(world))["ref"]
    booking = hold(ravi, event, seats=["B7"])
    ravi.call("POST", f"{TICKETS}/bookings/{booking['ref']}/payment", expect=201)
    world.settle()
    chat = ravi.app_chat("tickets")
    (arrived,) = [
        m["screen"] for m in chat.history() if m["screen"] and m["screen"]["title"].startswith("Your tickets")
    ]
    url = arrived["body"][0]["image_url"]
    assert url.startswith("/api/v1/media/f_")
    listing = chat.send("/mytickets").screen
    assert [card.image_url for card in listing.body] == [url]  # the same picture, not stored again
    (ticket,) = tickets_of(world, event)
    assert ticket["qr_image"] == url
    kept = world.core.runtime.core.db.execute(
        "SELECT COUNT(*) FROM media WHERE owner_kind = 'app' AND owner_id = 'tickets'"
    ).fetchone()[0]
    assert kept == 1

    status, png = world.core.request_bytes("GET", url, ravi.token)
    assert status == 200 and png.startswith(b"\x89PNG\r\n\x1a\n")
    expected = [[int(bool(m)) for m in row] for row in segno.make_qr(ticket["code"], error="m").matrix]
    assert modules(png) == expected  # re-encoded by the store, still the symbol of the code
    assert world.core.request_bytes("GET", url)[0] == 401
    guessed = url[:-1] + ("b" if url.endswith("a") else "a")  # one character off: no such picture
    assert world.core.request_bytes("GET", guessed, ravi.token)[0] == 404
