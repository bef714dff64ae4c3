"""``/redpacket AMOUNT COUNT [equal|lucky] [note]`` in a group, its Open button and its return.

The sender may open their own packet too, like any member: a packet's ``COUNT`` is
therefore at most the group's member count, the sender included.  The split is
``lucky`` unless ``equal`` is said.
"""

from __future__ import annotations

import random
from typing import Any

from pydantic import BaseModel
from souk_sdk import Context, Event, Press, SoukError, action, command
from souk_sdk.money import currency_for, format_money, parse_amount

from . import red_packets
from .ledger import InsufficientFunds
from .red_packet_screens import OPEN_ACTION, card
from .red_packet_shares import Split

RANDOM = random.SystemRandom()
"""Shares are drawn from the operating system's randomness: nobody can predict the lucky one."""
SPLITS: tuple[Split, ...] = ("equal", "lucky")


class RedPacketArgs(BaseModel):
    amount: str
    count: str
    rest: str = ""


def _count(text: str) -> int:
    if not text.isdigit():
        raise red_packets.BadPacket(f"{text!r} is not a number of people")
    return int(text)


def _split_and_note(rest: str) -> tuple[Split, str]:
    first, _, more = rest.strip().partition(" ")
    if first.lower() in SPLITS:
        return first.lower(), more.strip()  # type: ignore[return-value]
    return "lucky", rest.strip()


def _shown(ctx: Context, packet_id: str) -> Any:
    return card(red_packets.packet(ctx.db, packet_id), red_packets.opened(ctx.db, packet_id), ctx.locale)


@command("redpacket", help="Put money in a red packet for the people in this group", args=RedPacketArgs)
async def redpacket(ctx: Context, args: RedPacketArgs) -> str | None:
    assert ctx.user is not None and ctx.country is not None
    conversation = ctx.conversation
    if conversation is None or conversation.kind != "group":
        raise red_packets.BadPacket("red packets are sent in a group")
    currency = currency_for(ctx.country)
    amount, count = parse_amount(args.amount, currency), _count(args.count)
    split, note = _split_and_note(args.rest)
    chosen, now, me = ctx.settings, ctx.now(), ctx.user
    sender_name = me.display_name or "Someone"
    try:
        sent = await ctx.transaction(
            lambda tx: red_packets.send(
                tx,
                members=conversation.member_count,
                locale=ctx.locale,
                sender=me.id,
                sender_name=sender_name,
                conversation_id=conversation.id,
                country=ctx.country or "",
                currency=currency,
                amount=amount,
                count=count,
                split=split,
                note=note,
                settings=chosen,
                now=now,
                rng=RANDOM,
                user=me,
            )
        )
    except InsufficientFunds:
        money = format_money(amount, currency, ctx.locale)
        return f"Your wallet does not have {money} available for this red packet; /topup first."
    message_id = await ctx.reply(card(sent, [], ctx.locale))
    await ctx.transaction(
        lambda tx: tx.db.execute(
            "UPDATE red_packets SET message_id = ? WHERE id = ?", [message_id, sent["id"]]
        )
    )
    return None


ANSWERS = {
    "opened": "You opened {money} from {sender}'s red packet.",
    "already": "You already opened this red packet: {money}.",
    "all_opened": "All shares of this red packet were opened already.",
    "expired": "This red packet expired; what is left goes back to {sender}.",
}


@action(OPEN_ACTION)
async def red_packet_open(ctx: Context, press: Press) -> str:
    """Not ``once=True``: many people open one card; the share table allows one each."""
    assert ctx.user is not None
    packet_id = press.payload["packet_id"]
    row = red_packets.packet(ctx.db, packet_id)
    if ctx.conversation is None or ctx.conversation.id != row["conversation_id"]:
        raise SoukError("this red packet is for another group")
    me, now = ctx.user, ctx.now()
    result = await ctx.transaction(
        lambda tx: red_packets.open_share(
            tx,
            packet_id,
            opener=me.id,
            opener_name=me.display_name or "Someone",
            country=ctx.country or "",
            now=now,
        )
    )
    if result["outcome"] == "opened":
        await ctx.replace(press.message_id, _shown(ctx, packet_id))
    money = format_money(result["amount"], row["currency"], ctx.locale)
    return ANSWERS[result["outcome"]].format(money=money, sender=row["sender_name"])


async def on_expiry(ctx: Context, event: Event) -> None:
    """Our own timer: the unopened rest goes back to the sender (once, however often it fires)."""
    packet_id = event.data["packet_id"]
    await ctx.transaction(lambda tx: red_packets.expire(tx.db, packet_id, ctx.now()))
    row = red_packets.packet(ctx.db, packet_id)
    if row["status"] == "returned" and row["message_id"]:
        # Whichever delivery returned the money, the card shows how the packet ended.
        await ctx.replace(row["message_id"], _shown(ctx, packet_id))


COMMANDS = [redpacket]
ACTIONS = [red_packet_open]
