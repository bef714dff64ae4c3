"""Screens: every component renders to text, forms validate what is submitted, the schema is published."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import jsonschema
import pytest
from pydantic import ValidationError
from souk_sdk import ui


def test_every_component_renders_to_text() -> None:
    button = ui.Button(label="Buy", action="buy", payload={"id": "p1"})
    assert ui.Text(text="Hello").to_text() == "Hello"
    assert ui.Text(text="Menu", style="heading").to_text() == "*Menu*"
    assert ui.Text(text="small print", style="muted").to_text() == "small print"
    assert ui.Image(url="https://example.org/a.png", alt="A cake").to_text() == "[image: A cake]"
    assert button.to_text() == "[Buy]"
    assert ui.Divider().to_text() == "----"
    assert ui.Card(title="Cake").to_text() == "* Cake"
    assert (
        ui.Card(title="Cake", subtitle="R$ 12,50", body="Chocolate", buttons=[button]).to_text()
        == "* Cake - R$ 12,50\n  Chocolate\n  [Buy]"
    )
    assert ui.ListItem(title="Tea").to_text() == "- Tea"
    assert ui.ListItem(title="Tea", subtitle="hot", button=button).to_text() == "- Tea: hot [Buy]"
    assert ui.ItemList(items=[]).to_text() == "Nothing here yet."
    assert ui.ItemList(items=[], empty_text="No seats left").to_text() == "No seats left"
    assert ui.ItemList(items=[ui.ListItem(title="A"), ui.ListItem(title="B")]).to_text() == "- A\n- B"
    form = ui.Form(
        action="book",
        fields=[
            ui.TextField(name="name", label="Name"),
            ui.NumberField(name="seats", label="Seats", required=False),
        ],
        submit_label="Book",
    )
    assert form.to_text() == "  Name: ____\n  Seats (optional): ____\n[Book]"
    screen = ui.Screen(title="Shop", body=[ui.Text(text="Welcome"), ui.Divider(), button])
    assert screen.to_text() == "Shop\nWelcome\n----\n[Buy]"
    assert ui.Screen(title="Empty").to_text() == "Empty"


def test_interactive_components_get_ids_in_reading_order() -> None:
    screen = ui.Screen(
        title="S",
        body=[
            ui.Card(title="c", buttons=[ui.Button(label="One", action="one")]),
            ui.ItemList(
                items=[
                    ui.ListItem(title="i", button=ui.Button(label="Two", action="two")),
                    ui.ListItem(title="j"),
                ]
            ),
            ui.Button(label="Three", action="three"),
            ui.Form(action="four", fields=[ui.TextField(name="t", label="T")]),
        ],
    )
    numbered = screen.with_ids()
    assert [c.id for c in numbered.interactive()] == ["c1", "c2", "c3", "c4"]
    assert [c.action for c in numbered.interactive()] == ["one", "two", "three", "four"]
    assert numbered.find("c3").label == "Three"  # type: ignore[union-attr]
    assert numbered.find("c9") is None
    assert all(c.id is None for c in screen.interactive())  # the original is left alone


def test_components_refuse_bad_values() -> None:
    with pytest.raises(ValidationError):
        ui.Button(label="", action="buy")
    with pytest.raises(ValidationError):
        ui.Button(label="Buy", action="Not An Action")
    with pytest.raises(ValidationError):
        ui.Image(url="not a url", alt="x")
    with pytest.raises(ValidationError):
        ui.Text(text="x", colour="red")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        ui.Form(action="empty", fields=[])
    with pytest.raises(ValidationError):
        ui.Screen(title="")


# -- forms --------------------------------------------------------------------------------------


def _form(*fields: ui.FormField) -> ui.Form:
    return ui.Form(action="go", fields=list(fields))


def test_text_field() -> None:
    form = _form(ui.TextField(name="name", label="Name", min_length=2, max_length=5))
    assert form.validate_values({"name": "  Ana "}) == ({"name": "Ana"}, {})
    assert form.validate_values({"name": "A"})[1] == {"name": "must be at least 2 characters"}
    assert form.validate_values({"name": "Anabela"})[1] == {"name": "must be at most 5 characters"}
    assert form.validate_values({"name": 12})[1] == {"name": "must be text"}
    assert form.validate_values({"name": "   "})[1] == {"name": "is required"}
    assert form.validate_values({})[1] == {"name": "is required"}


def test_number_field() -> None:
    price = _form(ui.NumberField(name="price", label="Price", min=Decimal("0.5"), max=10))
    assert price.validate_values({"price": "2.25"}) == ({"price": Decimal("2.25")}, {})
    assert price.validate_values({"price": 3}) == ({"price": Decimal(3)}, {})
    assert price.validate_values({"price": "0.1"})[1] == {"price": "must be at least 0.5"}
    assert price.validate_values({"price": "11"})[1] == {"price": "must be at most 10"}
    for bad in ("abc", "NaN", "Infinity", True):
        assert price.validate_values({"price": bad})[1] == {"price": "must be a number"}, bad
    seats = _form(ui.NumberField(name="seats", label="Seats", integer=True, min=1))
    clean, errors = seats.validate_values({"seats": "4"})
    assert clean == {"seats": 4} and isinstance(clean["seats"], int) and errors == {}
    assert seats.validate_values({"seats": "2.5"})[1] == {"seats": "must be a whole number"}
    assert seats.validate_values({"seats": "0"})[1] == {"seats": "must be at least 1"}
    assert seats.validate_values({})[1] == {"seats": "is required"}


def test_select_field() -> None:
    form = _form(
        ui.SelectField(
            name="size",
            label="Size",
            options=[ui.Option(value="s", label="Small"), ui.Option(value="l", label="Large")],
        )
    )
    assert form.validate_values({"size": "l"}) == ({"size": "l"}, {})
    assert form.validate_values({"size": "xl"})[1] == {"size": "choose one of the options"}
    assert form.validate_values({"size": ["s"]})[1] == {"size": "choose one of the options"}
    assert form.validate_values({})[1] == {"size": "is required"}
    with pytest.raises(ValidationError):
        ui.SelectField(name="size", label="Size", options=[])


def test_date_field() -> None:
    form = _form(ui.DateField(name="day", label="Day", min=dt.date(2030, 1, 1), max=dt.date(2030, 12, 31)))
    assert form.validate_values({"day": "2030-06-15"}) == ({"day": dt.date(2030, 6, 15)}, {})
    assert form.validate_values({"day": "15/06/2030"})[1] == {"day": "must be a date like 2026-12-31"}
    assert form.validate_values({"day": "2029-12-31"})[1] == {"day": "must be on or after 1 January 2030"}
    assert form.validate_values({"day": "2031-01-01"})[1] == {"day": "must be on or before 31 December 2030"}
    assert form.validate_values({"day": ""})[1] == {"day": "is required"}


def test_optional_fields_unknown_fields_and_several_errors() -> None:
    form = _form(
        ui.TextField(name="name", label="Name"),
        ui.NumberField(name="age", label="Age", required=False, integer=True),
        ui.DateField(name="day", label="Day", required=False),
    )
    assert form.validate_values({"name": "Ana"}) == ({"name": "Ana", "age": None, "day": None}, {})
    assert form.validate_values({"name": "Ana", "age": ""})[0]["age"] is None
    clean, errors = form.validate_values({"age": "x", "day": "soon", "admin": True, "y" * 100: 1})
    assert errors == {
        "name": "is required",
        "age": "must be a number",
        "day": "must be a date like 2026-12-31",
        "admin": "is not a field of this form",
        "y" * 40: "is not a field of this form",
    }
    assert "admin" not in clean


# -- the published schema -----------------------------------------------------------------------


def test_the_screen_schema_is_valid_json_schema_with_every_component() -> None:
    schema = ui.screen_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    text = json.dumps(schema)
    for component in ("text", "image", "card", "list", "button", "form", "divider"):
        assert f'"const": "{component}"' in text, component
    for field_kind in ("text", "number", "select", "date"):
        assert f'"const": "{field_kind}"' in text, field_kind
    definitions = set(schema["$defs"])
    assert {"Text", "Image", "Card", "ItemList", "ListItem", "Button", "Form", "Divider"} <= definitions
    assert {"TextField", "NumberField", "SelectField", "DateField", "Option"} <= definitions


def test_screens_validate_against_the_published_schema() -> None:
    validator = jsonschema.Draft202012Validator(ui.screen_json_schema())
    screen = ui.Screen(
        title="Everything",
        body=[
            ui.Text(text="t", style="heading"),
            ui.Image(url="https://example.org/i.png", alt="i"),
            ui.Card(title="c", buttons=[ui.Button(label="b", action="b")]),
            ui.ItemList(items=[ui.ListItem(title="l", button=ui.Button(label="x", action="x"))]),
            ui.Button(label="b", action="b", style="primary"),
            ui.Form(
                action="f",
                fields=[
                    ui.TextField(name="t", label="T"),
                    ui.NumberField(name="n", label="N", min=Decimal("1.5"), integer=False),
                    ui.SelectField(name="s", label="S", options=[ui.Option(value="a", label="A")]),
                    ui.DateField(name="d", label="D", min=dt.date(2030, 1, 1)),
                ],
            ),
            ui.Divider(),
        ],
    ).with_ids()
    validator.validate(screen.model_dump(mode="json", exclude_none=True))
    broken = {"title": "x", "body": [{"type": "video", "url": "https://example.org"}]}
    assert list(validator.iter_errors(broken))
