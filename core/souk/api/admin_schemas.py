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
    description: str
    builtin: bool
    allowed_countries: list[str] = Field(description="What its manifest allows: ISO codes, or ['*']")
    scopes: list[str] = Field(description="The scopes its manifest asks for")
    sdk: str = Field(description="The SDK versions it supports (PEP 440)")
    enabled_countries: list[str]
    percents: dict[str, int] = Field(description="Country -> the percent of its people it is on for")
    state: Literal["running", "suspended", "killed"] = Field(
        description="suspended: by the breaker; killed: by an operator's kill switch"
    )
    suspended_reason: str | None
    has_settings: bool = Field(description="Whether it declares per-country settings (.../settings)")


CellState = Literal["off", "on", "rolling", "suspended", "killed"]


class Cell(BaseModel):
    state: CellState
    percent: int = Field(description="Of the country's people, the percent it is on for (kept while stopped)")
    allowed: bool = Field(description="Whether its manifest allows this country")


class MatrixRow(AdminApp):
    cells: dict[str, Cell]


class Matrix(BaseModel):
    countries: list[str]
    apps: list[MatrixRow]


class MatrixQuery(Strict):
    countries: str | None = Field(
        default=None,
        max_length=300,
        pattern=r"^[A-Za-z]{2}(,[A-Za-z]{2})*$",
        description="Comma-separated ISO codes; by default every country a mini-app runs in",
    )


class Rollout(Strict):
    percent: int = Field(ge=0, le=100, description="0 turns it off; 100 is everyone")


class RolledBack(BaseModel):
    percent: int = Field(description="The percent it is at now, as it was before the last change")


class AdminApps(BaseModel):
    apps: list[AdminApp]


class SettingField(BaseModel):
    name: str
    title: str
    description: str
    type: Literal["integer", "number", "string", "boolean"]
    choices: list[Any] | None = Field(description="The values it may take, when it is a choice")
    minimum: float | None
    maximum: float | None
    default: Any
    value: Any = Field(description="Its value in this country now (the default until changed)")
    changed: dict[str, str] | None = Field(description="When and by whom it was last changed here: at, by")


class CountrySettings(BaseModel):
    app: str
    country: str
    fields: list[SettingField]


class SettingsChange(Strict):
    values: dict[str, Any] = Field(
        min_length=1, max_length=50, description="Setting name -> its new value, checked by the app's model"
    )


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


class Figures(BaseModel):
    requests: int
    failures: int
    error_rate: float = Field(description="failures / requests, 0 when there were none")
    p50_ms: float | None = Field(description="Median handler time, in milliseconds")
    p99_ms: float | None


class BreakerView(BaseModel):
    requests: int = Field(description="Requests in the breaker's window (60 s by default)")
    failures: int
    people: int = Field(description="Distinct people whose requests failed in the window")
    would_trip: bool


class HealthRow(BaseModel):
    app: str
    country: str = Field(description="ISO code, or '-' for events about nobody")
    state: Literal["running", "suspended", "killed"]
    percent: int | None
    breaker: BreakerView
    windows: dict[str, Figures] = Field(description="'5m' and '60m': the last 5 and 60 minutes")


class HealthReport(BaseModel):
    rows: list[HealthRow]


class ReportQuery(Strict):
    state: Literal["open", "dismissed", "actioned"] | None = None
    app: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    before: str | None = Field(default=None, max_length=40, description="A report id, for the next page")
    limit: int = Field(default=50, ge=1, le=200)


class ReportPerson(BaseModel):
    id: str = Field(description="The core's id for the person (never their phone number)")
    display_name: str | None = Field(description="None once the person erased their data")


class ReportSubject(ReportPerson):
    handle: str | None
    suspended_from: list[str] = Field(description="Mini-apps the person is suspended from ('*': everywhere)")


class Report(BaseModel):
    id: str
    app: str = Field(description="The mini-app that raised it")
    reason: str
    details: str
    country: str = Field(description="The subject's country: whose operators decide")
    created_at: str
    state: Literal["open", "dismissed", "actioned"]
    outcome: Literal["dismiss", "suspend_in_app", "suspend_everywhere"] | None
    note: str | None
    resolved_by: str | None
    resolved_at: str | None
    suspension_in_force: bool = Field(description="Whether the suspension decided on it still holds")
    subject: ReportSubject
    reporter: ReportPerson | None


class Reports(BaseModel):
    reports: list[Report]


class Decision(Strict):
    decision: Literal["dismiss", "suspend_in_app", "suspend_everywhere"] = Field(
        description="suspend_in_app: the subject cannot use the reporting mini-app; "
        "suspend_everywhere: nor sign in or send anywhere in Souk"
    )
    note: str = Field(default="", max_length=500, description="Why, for the audit log")
