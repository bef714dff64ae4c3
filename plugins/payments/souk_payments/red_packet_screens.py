"""The red packet card in the group: what is in it, who opened what, and how it ended."""

from __future__ import annotations

from typing import Any

from souk_sdk import ui
from souk_sdk.money import format_money

OPEN_ACTION = "red_packet_open"


def luckiest(shares: list[dict[str, Any]]) -> dict[str, Any]:
    """The largest share; of equal ones, the first opened."""
    return max(shares, key=lambda s: s["amount"])  # max keeps the first of equals


def card(packet: dict[str, Any], shares: list[dict[str, Any]], locale: str | None) -> ui.Screen:
    currency = packet["currency"]

    def money(amount: int) -> str:
        return format_money(amount, currency, locale)

    split = "lucky split" if packet["split"] == "lucky" else "equal split"
    body: list[Any] = [
        ui.Text(text=f"{money(packet['amount'])} for {packet['count']} · {split}", style="heading"),
    ]
    if packet["note"]:
        body.append(ui.Text(text=packet["note"]))
    body.append(ui.Text(text=f"{len(shares)} of {packet['count']} opened"))
    if shares:
        items = [ui.ListItem(title=s["opener_name"], subtitle=money(s["amount"])) for s in shares]
        body.append(ui.ItemList(items=items))
    if packet["status"] == "open":
        body.append(
            ui.Button(label="Open", action=OPEN_ACTION, payload={"packet_id": packet["id"]}, style="primary")
        )
    elif packet["status"] == "emptied":
        best = luckiest(shares)
        body.append(ui.Text(text=f"All opened · luckiest: {best['opener_name']} ({money(best['amount'])})"))
    else:
        body.append(
            ui.Text(
                text=f"Expired · {money(packet['returned'])} went back to {packet['sender_name']}",
                style="muted",
            )
        )
    return ui.Screen(title=f"Red packet from {packet['sender_name']}", body=body)
