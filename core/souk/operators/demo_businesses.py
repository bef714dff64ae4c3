"""The demo's businesses: Loja da Bruna with two agents, and the other demo shops' owners.

Loja da Bruna's inbox is ready to try: a greeting, an away message outside its opening
hours (São Paulo time), two quick replies, and a customer's question waiting in it, answered
by the same automated answers a real customer's message gets.

Built before the mini-apps' parts of the demo, so the shop finds each business
(``demo.business(handle)``) and makes its catalogue there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..business import accounts, automation, inbox_settings, links, quick_replies, staff
from ..chat.conversations import Sender, append

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")

LOJA_INBOX = {
    "greeting": "Olá! Aqui é a Loja da Bruna. Em que podemos ajudar?",
    "away_message": (
        "Estamos fechados agora: abrimos de segunda a sábado, das 9h às 19h (horário de Brasília). "
        "Respondemos assim que abrirmos!"
    ),
}
LOJA_QUICK_REPLIES = {
    "horario": "Oi {customer.first_name}! Abrimos de segunda a sábado, das 9h às 19h.",
    "obrigada": "Obrigada, {customer.first_name}! Qualquer coisa, é só chamar a {business.name}.",
}
WAITING = ("jordan", "Hi! Do you ship running shoes to the US?")
"""The customer whose question waits in Loja da Bruna's inbox, and the question."""


@dataclass(frozen=True)
class DemoBusiness:
    owner: str
    name: str
    handle: str
    category: str
    description: str
    time_zone: str
    hours: tuple[str, str]
    agents: tuple[str, ...] = field(default=())
    inbox_ready: bool = False
    """With automated answers, quick replies and a customer's question waiting."""


DEMO_BUSINESSES = [
    DemoBusiness(
        "bruna",
        "Loja da Bruna",
        "lojadabruna",
        "shop",
        "Shoes, socks and things for running",
        "America/Sao_Paulo",
        ("09:00", "19:00"),
        agents=("ravi", "camille"),
        inbox_ready=True,
    ),
    DemoBusiness(
        "asha",
        "Asha's Spice Box",
        "ashaspicebox",
        "food",
        "Spices and blends",
        "Asia/Kolkata",
        ("10:00", "20:00"),
    ),
    DemoBusiness(
        "jordan",
        "Jordan's Coffee",
        "jordanscoffee",
        "food",
        "Small-batch roasts",
        "America/New_York",
        ("07:00", "15:00"),
    ),
]


def build(db: Database, people: dict[str, dict[str, Any]], now: str) -> None:
    """Create the demo businesses of the demo people there are (skipping one made already)."""
    for spec in DEMO_BUSINESSES:
        owner = people.get(spec.owner)
        if owner is None or db.execute("SELECT 1 FROM businesses WHERE handle = ?", [spec.handle]).fetchone():
            continue
        fields = {
            "name": spec.name,
            "handle": spec.handle,
            "category": spec.category,
            "description": spec.description,
            "time_zone": spec.time_zone,
            "hours": {day: [list(spec.hours)] for day in WEEKDAYS},
        }
        business = accounts.create(db, owner, fields, now)
        for agent in spec.agents:
            if agent in people:
                staff.put(db, business["id"], owner["id"], people[agent]["id"], "agent", now)
        if spec.inbox_ready:
            _ready_inbox(db, business, owner, people, now)


def _ready_inbox(
    db: Database, business: dict[str, Any], owner: dict[str, Any], people: dict[str, Any], now: str
) -> None:
    """Loja da Bruna's automated answers and quick replies, and a customer's question waiting."""
    inbox_settings.change(db, business["id"], owner["id"], LOJA_INBOX)
    for name, text in LOJA_QUICK_REPLIES.items():
        quick_replies.put(db, business["id"], owner["id"], name, text, now)
    handle, question = WAITING
    customer = people.get(handle)
    if customer is None:
        return
    chat, _ = links.open_chat(db, business, customer["id"], now)
    append(db, chat["id"], Sender("user", customer["id"], customer["display_name"]), question, now)
    # Nobody is online while the demo is built: the question waits unassigned for an agent.
    automation.on_customer_message(db, chat, question, dt.datetime.fromisoformat(now), lambda _: False)
