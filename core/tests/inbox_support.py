"""A business with agents and customers over the in-process core, for the inbox's tests: who is
online (the presence module, as a WebSocket would tell it) and what each customer's connection
would receive (a subscription to the live bus)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from souk.api.chat_parts import parts
from souk.chat.hub import Subscription

BASE = "/api/v1/businesses/lojadabruna"
BRUNA = {
    "name": "Loja da Bruna",
    "handle": "lojadabruna",
    "category": "shop",
    "time_zone": "America/Sao_Paulo",
    "hours": {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
}


@dataclass
class Shop:
    world: Any
    owner: Any
    agents: list[Any]
    business: dict[str, Any]
    listeners: dict[str, Subscription] = field(default_factory=dict)

    @property
    def runtime(self) -> Any:
        return self.world.core.runtime

    def online(self, user: Any, connected: bool = True) -> None:
        presence = parts(self.runtime).presence
        work = presence.connected if connected else presence.disconnected
        self.world.core._portal.call(work, user.profile["id"])

    def listen(self, user: Any) -> None:
        """Keep what the live bus hands to ``user``'s connections from now on."""
        self.listeners[user.profile["id"]] = self.world.core._portal.call(self._subscribe, user.profile["id"])

    async def _subscribe(self, user_id: str) -> Subscription:
        return self.runtime.hub.subscribe(user_id)

    def frames(self, user: Any) -> list[dict[str, Any]]:
        """The frames ``user`` got since the last call (decoded)."""
        queue = self.listeners[user.profile["id"]].queue
        found = []
        while not queue.empty():
            item = queue.get_nowait()
            if item.frame:
                found.append(json.loads(item.frame))
        return found

    def customer(self, name: str, text: str) -> tuple[Any, dict[str, Any]]:
        """A new customer who opens the chat and writes ``text``; (user, their chat)."""
        person = self.world.user(name, "BR")
        chat = person.call("POST", BASE + "/chat")
        write(person, chat["id"], text)
        return person, chat

    def settings(self, **values: Any) -> dict[str, Any]:
        return self.owner.call("PATCH", BASE + "/inbox-settings", values)


def make_shop(world: Any, agents: int = 2, **business: Any) -> Shop:
    owner = world.user("Bruna Costa", "BR")
    made = owner.call("POST", "/api/v1/businesses", BRUNA | business)
    people = [world.user(name, "BR") for name in ("Ana Lima", "Caio Reis", "Duda Melo", "Enzo Dias")[:agents]]
    for person in people:
        owner.call("POST", BASE + "/staff", {"handle": person.handle, "role": "agent"})
    return Shop(world, owner, people, made)


def write(customer: Any, conversation_id: str, text: str) -> dict[str, Any]:
    """A customer's message in their chat with the business."""
    body = {"text": text, "client_id": uuid.uuid4().hex}
    return customer.call("POST", f"/api/v1/conversations/{conversation_id}/messages", body)


def answer(agent: Any, conversation_id: str, text: str, **expect: Any) -> dict[str, Any]:
    """An agent's reply as the business, from the inbox."""
    body = {"text": text, "client_id": uuid.uuid4().hex}
    return agent.call("POST", f"{BASE}/inbox/{conversation_id}/messages", body, **expect)
