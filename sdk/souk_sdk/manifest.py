"""The manifest: what a mini-app is, where it may run and what it may ask for."""

from __future__ import annotations

import re
from typing import Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .subscriptions import check_event_type

Scope = Literal["profile", "phone", "payments", "contact", "location"]
"""Scopes of user data a mini-app can ask the user for.

- ``profile``: the user's display name and locale;
- ``phone``: the user's phone number;
- ``payments``: moving the user's money (asked by a payment provider);
- ``contact``: messaging the user when it is not acting for them (``ctx.notify``);
- ``location``: the user's coarse location (city level, never exact).
"""

SCOPE_DESCRIPTIONS: dict[str, str] = {
    "profile": "see your display name and language",
    "phone": "see your phone number",
    "payments": "move money from your wallet when you confirm",
    "contact": "message you outside the chats where you use it",
    "location": "see your city (never your exact place)",
}

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class Manifest(BaseModel):
    """Returned by a mini-app's ``souk_manifest`` hook."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Lower-case identifier, also the database file name")
    title: str = Field(min_length=1, max_length=60)
    version: str
    description: str = ""
    countries: list[str] = Field(
        default=["*"], description='ISO 3166-1 alpha-2 codes this mini-app can serve, or ["*"]'
    )
    scopes: list[Scope] = Field(default_factory=list)
    sdk: str = Field(default=">=1,<2", description="SDK versions supported, as a PEP 440 range")
    emits: list[str] = Field(
        default_factory=list,
        description="The event types this mini-app emits for others (its own namespace: shop.order_paid)",
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise ValueError("must be 2-32 lower-case letters, digits or _, starting with a letter")
        return value

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        Version(value)
        return value

    @field_validator("emits")
    @classmethod
    def _emits(cls, value: list[str]) -> list[str]:
        for type in value:
            check_event_type(type)
        return sorted(set(value))

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        if value == ["*"]:
            return value
        if not value:
            raise ValueError('list at least one country, or ["*"]')
        for code in value:
            if not _COUNTRY.fullmatch(code):
                raise ValueError(f"{code!r} is not an upper-case ISO 3166-1 alpha-2 code")
        return sorted(set(value))

    @field_validator("sdk")
    @classmethod
    def _sdk(cls, value: str) -> str:
        try:
            SpecifierSet(value)
        except InvalidSpecifier as exc:
            raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _own_namespace(self) -> Manifest:
        foreign = [type for type in self.emits if not type.startswith(f"{self.name}.")]
        if foreign:
            raise ValueError(f"emits: {', '.join(foreign)} must start with {self.name}. (its own namespace)")
        return self

    def serves(self, country: str) -> bool:
        """Whether the manifest allows this country at all."""
        return self.countries == ["*"] or country in self.countries

    def supports_sdk(self, sdk_version: str) -> bool:
        return Version(sdk_version) in SpecifierSet(self.sdk)
