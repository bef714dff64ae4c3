"""The inbox's live side: what a customer writes reaches the business's staff, over the same
WebSocket as their chats, without making them members of the customer's chat.

The customer's chat goes on as it is (its members: the customer alone; its frames, history and
resume unchanged).  Beside it, each change of a thread is an ``inbox`` frame to the business's
staff, carrying the thread as they see it and the messages it brought; a staff client that was
away reads the inbox again and each thread's messages after the last ``seq`` it has.
"""

from __future__ import annotations

from typing import Any

from ..business import assignment, automation, inbox, staff
from ..chat.conversations import Appended
from ..chat.messaging import notice_item
from ..runtime import Runtime
from .chat_parts import parts


def tell_staff(
    runtime: Runtime,
    business_id: str,
    thread: dict[str, Any],
    messages: list[dict[str, Any]] = (),
    **extra: Any,
) -> None:
    """An ``inbox`` frame to every staff member of the business: the thread and its new messages."""
    db = runtime.core.db
    payload = {
        "business_id": business_id,
        "thread": inbox.staff_view(db, thread),
        "messages": [inbox.with_agent(db, message) for message in messages],
        **extra,
    }
    runtime.hub.publish(staff.ids(db, business_id), notice_item("inbox", payload))


async def customer_wrote(runtime: Runtime, conversation: dict[str, Any], appended: Appended) -> None:
    """A customer's message to a business: its thread, the automated answers, and the staff told."""
    if appended.replayed or appended.message["private"]:
        return
    presence = parts(runtime).presence
    # Who is online is asked here, on the event loop, not in the writer's transaction.
    agents = assignment.agents(runtime.core.db, conversation["business_id"])
    online = {agent for agent in agents if presence.online(agent)}
    moment = runtime.settings.clock.now()
    text = appended.message["text"]
    found: list[automation.Outcome] = []

    def work(db: Any) -> list[Appended]:
        outcome = automation.on_customer_message(db, conversation, text, moment, online.__contains__)
        found.append(outcome)
        return outcome.replies

    replies = await runtime.messenger.change_all(work)
    outcome = found[0]
    tell_staff(
        runtime,
        conversation["business_id"],
        outcome.thread,
        [appended.message, *(r.message for r in replies)],
        new=outcome.created,
    )
