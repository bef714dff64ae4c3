"""Request and response bodies of the admin API (the console's API)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .schemas import SQLITE_MAX_INT, Strict


class SignIn(Strict):
    name: str = Field(min_length=1, max_length=32)
    key: str = Field(min_length=1, max_length=200)


class Account(BaseModel):
    name: str
    role: Literal["owner", "operator", "viewer"]
    countries: list[str] = Field(description="ISO codes, or ['*'] for everywhere")


class Session(BaseModel):
    token: str
    operator: Account


class AdminApp(BaseModel):
    name: str
    title: str
    version: str
    builtin: bool
    allowed_countries: list[str]
    enabled_countries: list[str]
    state: Literal["running", "suspended"]
    suspended_reason: str | None


class AdminApps(BaseModel):
    apps: list[AdminApp]


class Suspend(Strict):
    reason: str = Field(min_length=1, max_length=200)


class AuditEntry(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    app: str | None
    country: str | None
    detail: str | None = Field(description="Why, or what it was about")
    before: Any = Field(description="The state before the change (JSON), when it had one")
    after: Any = Field(description="The state after the change (JSON), when it has one")


class AuditLog(BaseModel):
    entries: list[AuditEntry]


class AuditFilterQuery(Strict):
    actor: str | None = Field(default=None, max_length=80)
    action: str | None = Field(default=None, max_length=40)
    app: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, pattern=r"^([A-Za-z]{2}|\*)$")
    since: str | None = Field(default=None, max_length=40, description="ISO time: entries at or after it")
    until: str | None = Field(default=None, max_length=40, description="ISO time: entries before it")


class AuditQuery(AuditFilterQuery):
    before: int | None = Field(default=None, ge=1, le=SQLITE_MAX_INT)
    limit: int = Field(default=100, ge=1, le=500)
