"""Request and response bodies of the shared inbox (routes_inbox.py, routes_inbox_setup.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..business import inbox_settings, notes, quick_replies, rules
from . import schemas as s
from .schemas import Strict

StateFilter = Literal["open", "pending", "resolved", "all"]


class StaffPerson(BaseModel):
    user_id: str
    display_name: str


class Customer(StaffPerson):
    first_name: str


class LastMessage(BaseModel):
    seq: int
    text: str
    from_customer: bool
    created_at: str


class Thread(BaseModel):
    """A customer's chat as the business's staff see it in the inbox."""

    conversation_id: str
    state: Literal["open", "pending", "resolved"]
    customer: Customer
    assignee: StaffPerson | None
    labels: list[str]
    last_message: LastMessage | None
    last_seq: int = Field(description="The chat's last sequence number: read messages after it to catch up")
    created_at: str
    updated_at: str


class InboxQuery(Strict):
    state: StateFilter = "open"
    before: str | None = Field(
        default=None, max_length=120, description="The 'next' cursor of the page before"
    )
    limit: int = Field(default=50, ge=1, le=100)


class InboxPage(BaseModel):
    threads: list[Thread]
    counts: dict[str, int] = Field(description="Threads in each state, and all")
    next: str | None = Field(description="Pass as 'before' for the next page; null on the last")


class StaffMessage(s.Message):
    agent: StaffPerson | None = Field(description="Who on the staff wrote it (a business's message)")


class StaffMessages(BaseModel):
    messages: list[StaffMessage]


class Note(BaseModel):
    id: str
    text: str
    author: StaffPerson | None
    created_at: str


class ThreadDetail(Thread):
    notes: list[Note]


class Reply(Strict):
    text: str = Field(min_length=1, max_length=4000)
    client_id: str = Field(
        min_length=1, max_length=64, description="Your id for this reply: a retry lands once"
    )


class ReplyDone(BaseModel):
    message: StaffMessage
    thread: Thread


class StateChange(Strict):
    state: Literal["open", "pending", "resolved"]


class AssigneeChange(Strict):
    user_id: str | None = Field(max_length=64, description="A staff member's id; null unassigns")


class NewNote(Strict):
    text: str = Field(min_length=1, max_length=notes.MAX_NOTE)


class Labels(Strict):
    labels: list[str] = Field(max_length=notes.MAX_LABELS)


class InboxSettings(BaseModel):
    show_agent_name: bool = Field(description="Customers see the agent's first name after the business's")
    auto_assign: bool
    agent_cap: int = Field(description="Unresolved threads automatic assignment gives one agent at most")
    greeting: str
    away_message: str


class InboxSettingsChange(Strict):
    show_agent_name: bool | None = None
    auto_assign: bool | None = None
    agent_cap: int | None = Field(default=None, ge=1, le=inbox_settings.MAX_CAP)
    greeting: str | None = Field(default=None, max_length=inbox_settings.MAX_TEXT)
    away_message: str | None = Field(default=None, max_length=inbox_settings.MAX_TEXT)


class QuickReply(BaseModel):
    name: str
    text: str
    updated_at: str


class FilledQuickReply(QuickReply):
    filled: str = Field(description="The text with this thread's variables filled in")


class QuickReplies(BaseModel):
    quick_replies: list[QuickReply]


class FilledQuickReplies(BaseModel):
    quick_replies: list[FilledQuickReply]


class NewQuickReply(Strict):
    text: str = Field(min_length=1, max_length=quick_replies.MAX_TEXT)


class Rule(BaseModel):
    id: str
    keywords: list[str]
    reply: str
    assign_to: str | None
    label: str | None
    hits: int = Field(description="Customer messages it matched")
    created_at: str


class Rules(BaseModel):
    rules: list[Rule]


class NewRule(Strict):
    keywords: list[str] = Field(min_length=1, max_length=rules.MAX_KEYWORDS)
    reply: str | None = Field(default=None, max_length=rules.MAX_REPLY)
    assign_to: str | None = Field(default=None, max_length=64)
    label: str | None = Field(default=None, max_length=30)


class NewRating(Strict):
    stars: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


class GivenRating(BaseModel):
    stars: int
    comment: str
    created_at: str


class RatingState(BaseModel):
    can_rate: bool = Field(description="The business resolved the conversation and you have not rated it yet")
    rating: GivenRating | None = Field(description="Your rating of the last resolved contact")


class StatsQuery(Strict):
    days: int = Field(default=7, ge=1, le=90)


class ServiceFigures(BaseModel):
    first_responses: int
    first_response_seconds: int | None = Field(description="Average wait for the first agent reply")
    resolved: int
    resolution_seconds: int | None = Field(
        description="Average time from the customer's message to resolution"
    )
    ratings: int
    csat: float | None = Field(description="Ratings of 4 or 5 stars, in percent")


class DayService(ServiceFigures):
    day: str = Field(description="A day on the business's clock")


class AgentService(ServiceFigures):
    user_id: str
    display_name: str


class ServiceLevels(BaseModel):
    days: list[DayService]
    agents: list[AgentService]
    total: ServiceFigures
