"""A ticket's QR image in Souk's media store, for its cards: stored once, its address kept on the ticket.

A card's picture is served by the platform like any mini-app screen's image
(``ctx.store_image``), not by a route of this mini-app; the address is random,
and only the holder's screens name it.  It is stored when a card first shows
the ticket (at issue, or the first ``/mytickets`` page showing a ticket issued
before), and the address is kept in ``tickets.qr_image`` so it is not drawn
again.  Only the cards of the page shown are drawn: twenty tickets bought at
once do not cost twenty pictures before the buyer hears of them.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import Context

from . import qr


async def with_qr_images(ctx: Context, tickets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``tickets`` (rows), each valid one with its ``qr_image`` address, stored if it had none."""
    shown = []
    for ticket in tickets:
        if ticket["status"] == "valid" and not ticket.get("qr_image"):
            url = await ctx.store_image(qr.png(ticket["code"]), name=f"{ticket['ref']}.png")
            await ctx.transaction(
                lambda tx, ref=ticket["ref"], url=url: tx.db.execute(
                    "UPDATE tickets SET qr_image = ? WHERE ref = ?", [url, ref]
                )
            )
            ticket = ticket | {"qr_image": url}
        shown.append(ticket)
    return shown
