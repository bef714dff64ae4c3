"""Every screen Tickets sends fits in a message (4,000 characters of plain text): many tickets come
in pages, long lists show what fits and continue with More, and a seat map too large to show in a
chat is refused when the event is made."""

from __future__ import annotations

from tickets_support import TICKETS, create_event, general_body, seated_body

LIMIT = 4000


def qr_images_kept(world) -> int:
    """The pictures the tickets mini-app keeps in Souk's media store."""
    db = world.core.runtime.core.db
    return db.execute(
        "SELECT COUNT(*) FROM media WHERE owner_kind = 'app' AND owner_id = 'tickets'"
    ).fetchone()[0]


def test_twenty_tickets_come_as_pages_that_each_fit(souk_world, souk_fake_payments) -> None:
    world = souk_world(["tickets", souk_fake_payments])
    bruna = world.user("Bruna", "BR")
    event = create_event(bruna, general_body(world, max_per_order=20, title="Festival " + "da Lua " * 12))
    tiago = world.user("Tiago", "BR")
    held = tiago.call("POST", f"{TICKETS}/events/{event['ref']}/holds", {"quantity": 20}, expect=201)
    tiago.call("POST", f"{TICKETS}/bookings/{held['ref']}/payment", expect=201)
    world.settle()
    chat = tiago.app_chat("tickets")
    (announced,) = [
        m for m in chat.history() if m["screen"] and m["screen"]["title"].startswith("Your tickets")
    ]
    cards = [c for c in announced["screen"]["body"] if c["type"] == "card"]
    assert 3 <= len(cards) < 20 and len(announced["text"]) <= LIMIT
    assert (
        announced["screen"]["body"][-1]["text"]
        == f"And {20 - len(cards)} more tickets: see them all with /mytickets."
    )
    assert qr_images_kept(world) == len(cards)  # the QR images of the cards shown, no more

    seen: list[str] = []
    page = chat.send("/mytickets")
    while True:
        message = page.messages[-1]
        assert len(message["text"]) <= LIMIT
        seen += [c.title for c in page.screen.body if hasattr(c, "buttons") and c.title.endswith("admission")]
        if not any(getattr(c, "label", None) == "More" for c in page.screen.body):
            break
        page = chat.press("More", message=message)
    assert len(seen) == 20
    assert qr_images_kept(world) == 20  # each drawn once, as its page came


def test_a_long_list_shows_what_fits_and_more_continues_from_there(souk_world) -> None:
    world = souk_world(["tickets"])
    asha = world.user("Asha", "IN")
    long = {"venue": "V" * 120, "city": "Mumbai", "description": "x"}
    for n in range(12):
        create_event(asha, seated_body(world, title=f"Event {n:02d} " + "with a long name " * 6, **long))
    chat = world.user("Ravi", "IN").app_chat("tickets")
    first = chat.send("/tickets")
    titles = [c.title for c in first.screen.body if hasattr(c, "subtitle")]
    assert 0 < len(titles) < 10 and len(first.messages[-1]["text"]) <= LIMIT
    rest: list[str] = []
    page = chat.press("More")
    while True:
        assert len(page.messages[-1]["text"]) <= LIMIT
        rest += [c.title for c in page.screen.body if hasattr(c, "subtitle")]
        if not any(getattr(c, "label", None) == "More" for c in page.screen.body):
            break
        page = chat.press("More")
    assert sorted(titles + rest) == sorted(set(titles + rest)) and len(titles + rest) == 12
    organiser = asha.app_chat("tickets").send("/organise")
    assert len(organiser.messages[-1]["text"]) <= LIMIT
    assert organiser.screen.body[-1].action == "create_event"


def test_a_seat_map_too_large_to_show_is_refused_when_the_event_is_made(souk_world) -> None:
    world = souk_world(["tickets"])
    asha = world.user("Asha", "IN")
    labels = [
        f"{a}{b}{c}" for a in "ABCD" for b in "ABCDEFGHJK" for c in "ABCDEFGHJK"
    ]  # 400 rows of one seat
    rows = [{"label": label, "seats": 1, "category": "gold"} for label in labels]
    sections = [{"name": f"Box {i}", "rows": rows[i * 100 : (i + 1) * 100]} for i in range(4)]
    body = seated_body(world, seating={"kind": "seated", "sections": sections})
    refused = asha.call("POST", f"{TICKETS}/events", body, expect=422)["error"]
    assert (refused["code"], refused["details"]) == ("invalid_event", {"field": "seating"})
    assert refused["message"].startswith("this seat map is too large to show in a chat (")
    arena = [
        {"label": f"{a}{b}", "seats": 60, "category": "gold"} for a in "AB" for b in "ABCDEFGHJKLMN"[:12]
    ]
    made = create_event(asha, seated_body(world, title="Arena", seating={"kind": "seated", "sections": [
        {"name": "Arena", "rows": arena[:25]}]}))  # fmt: skip
    assert made["capacity"] == 1440  # 24 rows of 60
    chat = world.user("Ravi", "IN").app_chat("tickets")
    chat.send("/tickets")
    chat.press("Open", within="Arena")
    shown = chat.press("Choose seats").messages[-1]
    assert 1440 < len(shown["text"]) <= LIMIT
