"""The seat map component: validated, drawn as plain text, in the published schema; images of own routes."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError
from souk_sdk import api_route, ui


def seat_map(**changes: object) -> ui.SeatMap:
    rows = [
        ui.SeatRow(
            label="A",
            seats=[
                ui.Seat(id="A1", label="1", category="gold"),
                ui.Seat(id="A2", label="2", state="mine", category="gold"),
                ui.Seat(id="A3", label="3", state="held", category="gold"),
            ],
        ),
        ui.SeatRow(
            label="BB",
            seats=[ui.Seat(id="BB1", state="sold"), ui.Seat(id="BB2", state="blocked")],
        ),
    ]
    fields = {
        "action": "pick",
        "sections": [ui.SeatSection(name="Stalls", rows=rows)],
        "categories": [ui.SeatCategory(code="gold", label="Gold ₹2,500")],
        "payload": {"event": "E-4F9KQ"},
    } | changes
    return ui.SeatMap(**fields)  # type: ignore[arg-type]


def test_a_seat_map_reads_as_plain_text_one_mark_per_seat() -> None:
    assert seat_map().to_text() == (
        "Seat map (. free  * mine  h held  x sold  # blocked)\nStalls\n  A   .*h\n  BB  x#\nGold ₹2,500"
    )


def test_a_press_may_name_only_a_free_seat_or_ones_own() -> None:
    chart = seat_map()
    assert chart.validate_values({"seat": "A1"}) == ({"seat": "A1"}, {})
    assert chart.validate_values({"seat": "A2"}) == ({"seat": "A2"}, {})
    refused = [
        chart.validate_values(values)[1]
        for values in (
            {"seat": "A3"},
            {"seat": "BB1"},
            {"seat": "BB2"},
            {"seat": "Z9"},
            {"seat": ["A1"]},
            {},
            {"seat": "A1", "also": "A2"},
        )
    ]
    assert refused == [
        {"seat": "is held"},
        {"seat": "is sold"},
        {"seat": "is blocked"},
        {"seat": "is not on this map"},
        {"seat": "choose one seat"},
        {"seat": "choose one seat"},
        {"seat": "choose one seat"},
    ]


def test_a_seat_map_is_checked_as_it_is_built() -> None:
    one = ui.SeatRow(label="A", seats=[ui.Seat(id="A1")])
    cases = [
        {"sections": [ui.SeatSection(name="S", rows=[one]), ui.SeatSection(name="T", rows=[one])]},
        {"categories": []},  # the seats name "gold"
        {"action": "Pick seats"},
        {"sections": []},
    ]
    for changes in cases:
        with pytest.raises(ValidationError):
            seat_map(**changes)
    with pytest.raises(ValidationError):
        ui.Seat(id="A 1")
    with pytest.raises(ValidationError):
        ui.Seat(id="A1", state="reserved")  # type: ignore[arg-type]
    huge = [ui.SeatRow(label=f"R{r}", seats=[ui.Seat(id=f"R{r}-{s}") for s in range(100)]) for r in range(21)]
    with pytest.raises(ValidationError, match="at most 2000 seats"):
        ui.SeatMap(action="pick", sections=[ui.SeatSection(name="Arena", rows=huge)])


def test_a_seat_map_gets_an_id_and_is_found_like_buttons_and_forms() -> None:
    screen = ui.Screen(
        title="Choose",
        body=[ui.Button(label="Back", action="back"), seat_map(), ui.Button(label="Pay", action="pay")],
    ).with_ids(revision=2)
    assert [c.id for c in screen.interactive()] == ["r2c1", "r2c2", "r2c3"]
    found = screen.find("r2c2")
    assert isinstance(found, ui.SeatMap) and found.payload == {"event": "E-4F9KQ"}


def test_the_published_schema_describes_seat_maps() -> None:
    schema = ui.screen_json_schema()
    stored = ui.Screen(title="Choose", body=[seat_map()]).with_ids()
    jsonschema.validate(json.loads(stored.model_dump_json(exclude_none=True)), schema)
    assert {"SeatMap", "SeatSection", "SeatRow", "Seat", "SeatCategory"} <= set(schema["$defs"])
    bad = json.loads(stored.model_dump_json(exclude_none=True))
    bad["body"][0]["sections"][0]["rows"][0]["seats"][0]["state"] = "reserved"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_an_image_is_an_http_url_or_a_path_of_a_mini_apps_own_routes() -> None:
    own = "/api/v1/apps/tickets/tickets/T-8F3K2MQ9/qr"
    assert ui.Image(url=own, alt="QR").model_dump(mode="json")["url"] == own
    assert ui.Card(title="Ticket", image_url=own).model_dump(mode="json")["image_url"] == own
    assert ui.Image(url="https://example.org/a.png", alt="a").model_dump(mode="json")["url"] == (
        "https://example.org/a.png"
    )
    refused = 0
    for url in (
        "/api/v1/me/export",
        "/api/v1/apps/tickets/../../me/export",
        "/api/v1/apps/tickets/%2e%2e/me",
        "/api/v1/apps/tickets/qr?token=x",
        "//evil.example/a.png",
        "javascript:alert(1)",
        "tickets/qr",
    ):
        with pytest.raises(ValidationError):
            ui.Image(url=url, alt="x")
        refused += 1
    assert refused == 7


def test_a_route_may_answer_a_file_of_a_declared_type() -> None:
    route = api_route("GET", "/tickets/{ticket}/qr", summary="A QR code", media_type="image/png")(
        lambda ctx, request: b"\x89PNG"
    )
    assert (route.media_type, route.response) == ("image/png", None)
    for options in (
        {"media_type": "png"},
        {"media_type": "image/png", "status": 204},
        {"media_type": "image/png", "response": ui.Text},
    ):
        with pytest.raises(ValueError, match="media_type"):
            api_route("GET", "/qr", summary="A QR code", **options)  # type: ignore[arg-type]
