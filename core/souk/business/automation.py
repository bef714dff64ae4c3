"""What happens when a customer writes to a business, before any agent reads it.

In one transaction with the thread's update: a new thread's greeting (the customer's first
contact), the away message once per away period while the business is closed, the keyword
rules' replies, assignees and labels, and the automatic assignment of a new thread to an online
agent (:mod:`assignment`).  Automated replies are the business's, with no agent's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..chat.conversations import Appended
from ..foundation.clock import iso
from ..foundation.errors import Forbidden
from . import accounts, assignment, away, inbox, inbox_settings, notes, rules, service_levels, staff
from .replies import send_as_business


@dataclass
class Outcome:
    thread: dict[str, Any]
    created: bool
    replies: list[Appended] = field(default_factory=list)


def on_customer_message(
    db: Database, conversation: dict[str, Any], text: str, moment: dt.datetime, online: Callable[[str], bool]
) -> Outcome:
    now = iso(moment)
    business = accounts.by_id(db, conversation["business_id"])
    settings = inbox_settings.of(db, business["id"])
    thread, created = inbox.ensure(db, conversation, now)
    service_levels.contact_started(db, thread, now)
    thread = inbox.update(db, conversation["id"], now, state="open")
    outcome = Outcome(thread, created)

    def say(reply: str) -> None:
        # An answer to the customer's message is inside the reply window; one a block refuses is not
        # sent, and the customer's message still counts.
        with contextlib.suppress(Forbidden):
            sent = send_as_business(db, business, outcome.thread, reply, moment)
            outcome.replies.append(sent)

    if created and settings["greeting"]:
        say(settings["greeting"])
    period = away.period(json.loads(business["hours"]), business["time_zone"], moment)
    if period is not None and settings["away_message"] and period != thread["away_period"]:
        say(settings["away_message"])
        outcome.thread = inbox.update(db, conversation["id"], now, away_period=period)
    for rule in rules.matching(db, business["id"], text):
        if rule["reply"]:
            say(rule["reply"])
        if rule["label"]:
            outcome.thread = notes.add_label(db, outcome.thread, rule["label"], now)
        if rule["assign_to"] and staff.role_of(db, business["id"], rule["assign_to"]) is not None:
            outcome.thread = inbox.update(
                db, conversation["id"], now, assignee_id=rule["assign_to"], assigned_at=now
            )
    if created and settings["auto_assign"] and outcome.thread["assignee_id"] is None:
        outcome.thread = assignment.auto_assign(db, outcome.thread, online, settings["agent_cap"], now)
    return outcome
