"""The manifest: checked when made, so the core can refuse a mini-app that does not fit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from souk_sdk import Manifest


def _manifest(**changes: object) -> Manifest:
    fields: dict[str, object] = {"name": "shop", "title": "Shop", "version": "1.0.0"}
    fields.update(changes)
    return Manifest(**fields)  # type: ignore[arg-type]


def test_defaults() -> None:
    manifest = _manifest()
    assert manifest.countries == ["*"]
    assert manifest.scopes == []
    assert manifest.sdk == ">=1,<2"
    assert manifest.serves("BR") and manifest.serves("IN")
    assert manifest.supports_sdk("1.0.0") and not manifest.supports_sdk("2.0.0")


@pytest.mark.parametrize("name", ["Shop", "s", "1shop", "my-shop", "shop app", "a" * 33, ""])
def test_bad_names(name: str) -> None:
    with pytest.raises(ValidationError, match="lower-case"):
        _manifest(name=name)


@pytest.mark.parametrize("name", ["sh", "my_shop", "shop2", "a" * 32])
def test_good_names(name: str) -> None:
    assert _manifest(name=name).name == name


def test_version_must_be_pep_440() -> None:
    assert _manifest(version="2.1.0rc1").version == "2.1.0rc1"
    with pytest.raises(ValidationError, match="version"):
        _manifest(version="one")


def test_countries() -> None:
    manifest = _manifest(countries=["IN", "BR", "IN"])
    assert manifest.countries == ["BR", "IN"]  # sorted, once each
    assert manifest.serves("BR") and not manifest.serves("FR")
    for bad in (["br"], ["BRA"], [], ["*", "BR"]):
        with pytest.raises(ValidationError):
            _manifest(countries=bad)


def test_scopes_are_the_known_ones() -> None:
    assert _manifest(scopes=["profile", "phone", "payments", "contact", "location"]).scopes[1] == "phone"
    with pytest.raises(ValidationError):
        _manifest(scopes=["everything"])


def test_sdk_range() -> None:
    assert not _manifest(sdk=">=2").supports_sdk("1.0.0")
    assert _manifest(sdk="~=1.0").supports_sdk("1.0.0")
    with pytest.raises(ValidationError, match="sdk"):
        _manifest(sdk="version one")


def test_title_and_extra_fields() -> None:
    with pytest.raises(ValidationError):
        _manifest(title="")
    with pytest.raises(ValidationError):
        _manifest(title="x" * 61)
    with pytest.raises(ValidationError, match="homepage"):
        _manifest(homepage="https://example.org")


def test_a_manifest_is_frozen() -> None:
    manifest = _manifest()
    with pytest.raises(ValidationError):
        manifest.name = "other"  # type: ignore[misc]
