"""An event organised by a business: its admins create and manage it, all its staff keep the door,
buyers see and pay the business by its name, and whoever leaves the business loses it all at once.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import ui
from tickets_support import ORGANISE_FORM, TICKETS, create_event, db, general_body, hold, seated_body

BUSINESSES = "/api/v1/businesses"


def _business(owner: Any, name: str = "Monsoon Nights", handle: str = "monsoonnights") -> dict[str, Any]:
    return owner.call("POST", BUSINESSES, {"name": name, "handle": handle, "category": "entertainment"})


def _staff(owner: Any, handle: str, person: Any, role: str) -> None:
    owner.call("POST", f"{BUSINESSES}/{handle}/staff", {"handle": person.handle, "role": role})


def _team(souk_world: Any, souk_fake_payments: Any) -> tuple[Any, ...]:
    """Asha owns Monsoon Nights, Caio is its admin and Priya its agent; Ravi buys tickets."""
    world = souk_world(["tickets", souk_fake_payments])
    asha, caio, priya, ravi = (world.user(n, "IN") for n in ("Asha", "Caio", "Priya", "Ravi"))
    business = _business(asha)
    _staff(asha, "monsoonnights", caio, "admin")
    _staff(asha, "monsoonnights", priya, "agent")
    return world, business, asha, caio, priya, ravi


def _bought(world: Any, user: Any, event: str, seats: list[str]) -> list[dict[str, Any]]:
    booking = hold(user, event, seats=seats)
    user.call("POST", f"{TICKETS}/bookings/{booking['ref']}/payment", expect=201)
    world.settle()
    return [t for t in user.call("GET", f"{TICKETS}/tickets")["tickets"] if t["booking"] == booking["ref"]]


def _door(user: Any, event: str, code: str, expect: int = 200) -> dict[str, Any]:
    return user.call("POST", f"{TICKETS}/events/{event}/checkins", {"code": code}, expect=expect)


def _cancel(user: Any, event: str, expect: int = 200) -> dict[str, Any]:
    return user.call("POST", f"{TICKETS}/events/{event}/cancel", expect=expect)


def _staff_call(user: Any, event: str, person: Any, expect: int = 200) -> dict[str, Any]:
    body = {"person": f"@{person.handle}"}
    return user.call("POST", f"{TICKETS}/events/{event}/staff", body, expect=expect)


def _buttons(reply: Any) -> list[str]:
    return [c.label for c in reply.screen.body if isinstance(c, ui.Button)]


def test_an_admin_creates_an_event_for_the_business_and_buyers_pay_the_business(
    souk_world, souk_fake_payments
) -> None:
    world, business, _, caio, _, ravi = _team(souk_world, souk_fake_payments)
    made = create_event(caio, seated_body(world, business="@monsoonnights"))
    assert (made["business_id"], made["organiser_name"]) == (business["id"], "Monsoon Nights")
    row = db(world).execute("SELECT organiser, business_id FROM events").fetchall()
    assert len(row) == 1 and row[0][1] == business["id"]
    page = ravi.app_chat("tickets")
    page.send("/tickets")
    opened = page.press("Open", within="Mumbai Live")
    assert f"Organised by Monsoon Nights · event {made['ref']}" in opened.text
    assert "Organiser's view" not in _buttons(opened)
    assert len(_bought(world, ravi, made["ref"], ["B1"])) == 1
    assert [r.merchant_title for r in souk_fake_payments.requests] == ["Monsoon Nights"]
    # A rename of the business is what the next buyer sees and pays.
    caio.call("PATCH", f"{BUSINESSES}/monsoonnights", {"name": "Monsoon Live"})
    assert len(_bought(world, ravi, made["ref"], ["B2"])) == 1
    assert [r.merchant_title for r in souk_fake_payments.requests] == ["Monsoon Nights", "Monsoon Live"]
    assert ravi.call("GET", f"{TICKETS}/events/{made['ref']}")["organiser_name"] == "Monsoon Live"
    # In chat, the form takes the business's handle, and its admins see both events in /organise.
    chat = caio.app_chat("tickets")
    chat.send("/organise")
    general = {"seating": "general", "capacity": "50", "prices": "Entry 800", "business": "monsoonnights"}
    form = {k: v for k, v in ORGANISE_FORM.items() if k != "layout"} | general
    form |= {"title": "Monsoon Jazz", "venue": "NCPA"}
    assert chat.submit(form).screen.title == "Monsoon Jazz: organiser"
    names = (
        db(world)
        .execute(
            "SELECT title, organiser_name FROM events WHERE business_id = ? ORDER BY title", [business["id"]]
        )
        .fetchall()
    )
    assert names == [("Monsoon Jazz", "Monsoon Live"), ("Mumbai Live", "Monsoon Live")]
    assert chat.send("/organise").text.count("Manage") == 2


def test_an_agent_checks_tickets_in_but_cannot_cancel_nor_name_door_staff(
    souk_world, souk_fake_payments
) -> None:
    world, _, _, caio, priya, ravi = _team(souk_world, souk_fake_payments)
    event = create_event(caio, seated_body(world, business="monsoonnights"))["ref"]
    first, second = _bought(world, ravi, event, ["B2", "B3"])
    accepted = _door(priya, event, first["code"])
    assert (accepted["outcome"], accepted["used_by"]) == ("accepted", "staff of Monsoon Nights")
    assert _door(priya, event, first["code"])["outcome"] == "already_used"
    in_chat = priya.app_chat("tickets").send(f"/checkin {second['code']}")
    assert in_chat.text == f"Welcome! Ticket {second['ref']}, seat B3, Mumbai Live."
    refused = _cancel(priya, event, expect=403)["error"]
    assert refused["code"] == "not_business_admin"
    assert refused["message"] == "only the owner and admins of Monsoon Nights can manage Mumbai Live"
    assert _staff_call(priya, event, ravi, expect=403)["error"]["code"] == "not_business_admin"
    told = priya.group_chat("Door", [ravi]).send(f"/doorstaff {event} @{ravi.handle}")
    assert told.text == "only the owner and admins of Monsoon Nights can manage Mumbai Live"
    assert db(world).execute("SELECT status FROM events").fetchall() == [("on_sale",)]
    assert db(world).execute("SELECT COUNT(*) FROM checkins").fetchone()[0] == 2


def test_someone_who_is_not_an_admin_of_the_business_is_refused(souk_world, souk_fake_payments) -> None:
    world, _, _, _, priya, ravi = _team(souk_world, souk_fake_payments)
    for person in (ravi, priya):  # not staff at all; an agent
        error = person.call(
            "POST", f"{TICKETS}/events", seated_body(world, business="monsoonnights"), expect=403
        )
        assert (error["error"]["code"], error["error"]["message"]) == (
            "not_business_admin",
            "only the owner and admins of Monsoon Nights can organise its events",
        )
    unknown = ravi.call("POST", f"{TICKETS}/events", seated_body(world, business="nosuchplace"), expect=422)
    assert (unknown["error"]["code"], unknown["error"]["details"]) == ("invalid_event", {"field": "business"})
    chat = ravi.app_chat("tickets")
    chat.send("/organise")
    form = ORGANISE_FORM | {"business": "@monsoonnights"}
    assert chat.submit(form, expect=422).errors == {
        "business": "only the owner and admins of Monsoon Nights can organise its events: "
        "ask one of them, or leave this empty"
    }
    assert db(world).execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_an_admin_removed_from_the_staff_loses_the_event_at_once(souk_world, souk_fake_payments) -> None:
    world, _, asha, caio, _, ravi = _team(souk_world, souk_fake_payments)
    event = create_event(caio, seated_body(world, business="monsoonnights"))["ref"]
    first, second = _bought(world, ravi, event, ["C1", "C2"])
    assert _staff_call(caio, event, ravi)["staff"] == ["Ravi"]
    assert _door(caio, event, first["code"])["outcome"] == "accepted"
    asha.call("DELETE", f"{BUSINESSES}/monsoonnights/staff/{caio.profile['id']}")
    assert _cancel(caio, event, expect=403)["error"]["code"] == "not_business_admin"
    assert _door(caio, event, second["code"], expect=403)["error"]["code"] == "not_door_staff"
    chat = caio.app_chat("tickets")
    assert chat.send("/organise").screen.title == "Create an event"
    assert chat.send(f"/checkin {second['code']}").text == (
        "Refused: this ticket is for Mumbai Live, whose door you do not keep."
    )
    # The owner still runs it, and the door staff named for the event still keep its door.
    assert _door(ravi, event, second["code"])["outcome"] == "accepted"
    cancelled = _cancel(asha, event)
    assert (cancelled["status"], cancelled["tickets_refunded"]) == ("cancelled", 2)


def test_an_event_its_organiser_runs_themselves_is_unchanged(souk_world, souk_fake_payments) -> None:
    world, _, asha, _, priya, ravi = _team(souk_world, souk_fake_payments)
    own = create_event(ravi, general_body(world, country="IN", time_zone="Asia/Kolkata", city="Pune"))
    assert (own["business_id"], own["organiser_name"]) == (None, "Festival da Lua")
    buyer = world.user("Lena", "IN")
    booking = hold(buyer, own["ref"], quantity=1)
    buyer.call("POST", f"{TICKETS}/bookings/{booking['ref']}/payment", expect=201)
    world.settle()
    ticket = buyer.call("GET", f"{TICKETS}/tickets")["tickets"][0]
    assert [r.merchant_title for r in souk_fake_payments.requests] == ["Festival da Lua"]
    # The business's people have no part in it: not its admins, not its agents.
    assert _cancel(asha, own["ref"], expect=403)["error"]["code"] == "not_allowed"
    assert _door(priya, own["ref"], ticket["code"], expect=403)["error"]["code"] == "not_door_staff"
    assert _door(ravi, own["ref"], ticket["code"])["outcome"] == "accepted"
    assert asha.app_chat("tickets").send("/organise").screen.title == "Create an event"
    assert _cancel(ravi, own["ref"])["tickets_refunded"] == 1
