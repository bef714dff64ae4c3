"""The chat side: /pay, /request, /wallet, /topup, and the buttons they draw."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from souk_sdk import Context, FormErrors, NotDone, Press, PublicUser, SoukError, action, command, ui
from souk_sdk.money import InvalidAmount, currency_for, format_money, parse_amount

from . import checkout, money_requests, screens, topups, wallets
from .idempotency import IdempotencyConflict
from .ledger import InsufficientFunds, new_id
from .wallets import SelfPayment, require_same_country

PAGE = 10


class PayArgs(BaseModel):
    to: PublicUser
    amount: str
    note: str = ""


class TopupArgs(BaseModel):
    amount: str | None = None


def _me(ctx: Context) -> tuple[str, str]:
    assert ctx.user is not None and ctx.country is not None
    return ctx.user.id, ctx.user.display_name or "You"


def _amount_between(ctx: Context, args: PayArgs, to_self: str) -> tuple[int, str]:
    """(amount, currency) of a /pay or /request, checked: readable, not to oneself, same country."""
    me, _ = _me(ctx)
    currency = currency_for(ctx.country or "")
    amount = parse_amount(args.amount, currency)
    if args.to.id == me:
        raise SelfPayment(to_self)
    require_same_country(ctx.country or "", args.to)
    return amount, currency


@command("pay", help="Send money to someone in this chat", args=PayArgs)
async def pay(ctx: Context, args: PayArgs) -> ui.Screen:
    amount, currency = _amount_between(ctx, args, "you cannot pay yourself")
    payload = {
        "to": args.to.id,
        "to_name": args.to.display_name,
        "amount": amount,
        "currency": currency,
        "note": args.note,
        "key": new_id("p2p"),
    }
    return screens.transfer_confirmation(
        args.to.display_name, amount, currency, args.note, ctx.locale, payload
    )


def _retry(*buttons: tuple[str, str, dict[str, Any]]) -> list[ui.Button]:
    """The buttons of a card again (Confirm first), for a version that says why it waits."""
    return [
        ui.Button(label=label, action=name, payload=payload, style="primary" if i == 0 else "secondary")
        for i, (label, name, payload) in enumerate(buttons)
    ]


@action("pay_confirm", once=True)
async def pay_confirm(ctx: Context, press: Press) -> None:
    me, my_name = _me(ctx)
    p = press.payload
    chosen = ctx.settings
    try:
        receipt, moved = await ctx.transaction(
            lambda tx: wallets.transfer(
                tx.db,
                payer=me,
                payee=p["to"],
                amount=p["amount"],
                currency=p["currency"],
                note=p["note"],
                key=p["key"],
                country=ctx.country or "",
                locale=ctx.locale,
                now=ctx.now(),
                settings=chosen,
            )
        )
    except InsufficientFunds:
        money = format_money(p["amount"], p["currency"], ctx.locale)
        buttons = _retry(("Confirm", "pay_confirm", p), ("Cancel", "pay_cancel", p))
        await ctx.replace(press.message_id, screens.not_enough(money, buttons))
        return
    await ctx.replace(
        press.message_id, screens.transfer_closed(p["to_name"], p["amount"], p["currency"], ctx.locale, True)
    )
    if moved:
        await ctx.reply(
            screens.receipt(
                my_name, p["to_name"], receipt["amount"], receipt["currency"], receipt["note"], ctx.locale
            )
        )


@action("pay_cancel", once=True)
async def pay_cancel(ctx: Context, press: Press) -> None:
    p = press.payload
    await ctx.replace(
        press.message_id, screens.transfer_closed(p["to_name"], p["amount"], p["currency"], ctx.locale, False)
    )


@command("request", help="Ask someone in this chat for money", args=PayArgs)
async def request(ctx: Context, args: PayArgs) -> None:
    me, my_name = _me(ctx)
    amount, currency = _amount_between(ctx, args, "you cannot ask yourself for money")
    row = {
        "id": new_id("rq"),
        "requester": me,
        "requester_name": my_name,
        "payer": args.to.id,
        "payer_name": args.to.display_name,
        "amount": amount,
        "currency": currency,
        "note": args.note,
        "status": "open",
        "created_at": ctx.now().isoformat(),
    }
    await ctx.transaction(lambda tx: tx.db["requests"].insert(row))
    await ctx.reply(screens.request_card(row, ctx.locale))


def _request(ctx: Context, request_id: str) -> dict[str, Any]:
    row = next(iter(ctx.db.query("SELECT * FROM requests WHERE id = ?", [request_id])), None)
    if row is None:
        raise SoukError("this request no longer exists")
    return row


class NotYours(SoukError):
    """A press on a request card by someone it was not sent to."""


def _my_request(ctx: Context, press: Press) -> dict[str, Any]:
    row = _request(ctx, press.payload["request_id"])
    if row["payer"] != _me(ctx)[0]:
        raise NotYours(f"This request is for {row['payer_name']}.")
    return row


@action("request_pay", once=True)
async def request_pay(ctx: Context, press: Press) -> Any:
    row = _my_request(ctx, press)
    chosen = ctx.settings
    try:
        receipt = await ctx.transaction(
            lambda tx: money_requests.pay(
                tx.db, row, country=ctx.country or "", locale=ctx.locale, now=ctx.now(), settings=chosen
            )
        )
    except InsufficientFunds:
        money = format_money(row["amount"], row["currency"], ctx.locale)
        buttons = [ui.Button(label="Top up", action="topup_start", payload={}, style="primary")]
        raise NotDone(
            ui.Screen(
                title="Not enough money",
                body=[
                    ui.Text(text=f"Your wallet does not have enough for {money}. Top up, then press Pay."),
                    *buttons,
                ],
            )
        ) from None
    closed = _request(ctx, row["id"])
    if receipt is None:
        return f"This request was already {closed['status']}."
    await ctx.replace(press.message_id, screens.request_card(closed, ctx.locale))
    await ctx.reply(
        screens.receipt(
            row["payer_name"],
            row["requester_name"],
            receipt["amount"],
            receipt["currency"],
            receipt["note"],
            ctx.locale,
        )
    )
    return None


@action("request_decline", once=True)
async def request_decline(ctx: Context, press: Press) -> Any:
    row = _my_request(ctx, press)
    declined = await ctx.transaction(lambda tx: money_requests.decline(tx.db, row["id"]))
    closed = _request(ctx, row["id"])
    if not declined:
        return f"This request was already {closed['status']}."
    await ctx.replace(press.message_id, screens.request_card(closed, ctx.locale))
    return None


@command("wallet", help="Your balance and your latest movements")
async def wallet(ctx: Context, args: BaseModel) -> ui.Screen:
    me, _ = _me(ctx)
    return screens.wallet(wallets.view(ctx.db, me, currency_for(ctx.country or ""), limit=PAGE), ctx.locale)


@action("wallet_older")
async def wallet_older(ctx: Context, press: Press) -> None:
    """The next page of movements, in place of the one shown."""
    me, _ = _me(ctx)
    view = wallets.view(
        ctx.db, me, currency_for(ctx.country or ""), before=int(press.payload["before"]), limit=PAGE
    )
    await ctx.replace(press.message_id, screens.wallet(view, ctx.locale))


@command("topup", help="Add money to your wallet (sandbox cards)", args=TopupArgs)
async def topup(ctx: Context, args: TopupArgs) -> ui.Screen:
    return _topup_form(ctx)


@action("topup_start")
async def topup_start(ctx: Context, press: Press) -> ui.Screen:
    return _topup_form(ctx)


def _topup_form(ctx: Context) -> ui.Screen:
    screen = screens.topup_form(currency_for(ctx.country or ""))
    form = next(c for c in screen.body if isinstance(c, ui.Form))
    form.payload = {"key": new_id("top")}
    return screen


@action("topup_submit", once=True)
async def topup_submit(ctx: Context, press: Press) -> Any:
    me, _ = _me(ctx)
    values, key = press.values, press.payload["key"]
    try:
        record = await topups.top_up(ctx, me, values["amount"], values["card"], key)
    except InvalidAmount as exc:
        raise FormErrors({"amount": str(exc)}) from None
    except IdempotencyConflict:
        raise FormErrors({"card": "this form was sent with another card or amount: /topup again"}) from None
    return await _topup_answer(ctx, press, record)


async def _topup_answer(ctx: Context, press: Press, record: dict[str, Any]) -> None:
    """The form becomes its outcome: done, or the bank's code asked; a decline stays on the form."""
    money = format_money(record["amount"], record["currency"], ctx.locale)
    if record["status"] == "approved":
        await ctx.replace(press.message_id, screens.topup_done(money))
    elif record["status"] == "needs_confirmation":
        await ctx.replace(press.message_id, screens.topup_code_form(record["topup_id"], record["message"]))
    else:
        raise FormErrors({"card": record["message"] or "the card was declined"})


@action("topup_confirm", once=True)
async def topup_confirm(ctx: Context, press: Press) -> Any:
    me, _ = _me(ctx)
    record = await topups.confirm(ctx, me, press.payload["topup_id"], press.values["code"])
    if record["status"] == "declined":
        raise FormErrors({"code": record["message"] or "declined"})
    await _topup_answer(ctx, press, record)


@action("checkout_confirm", once=True)
async def checkout_confirm(ctx: Context, press: Press) -> None:
    """Pay: the card becomes "Paid ✓" (or says why not); the merchant hears of it by event."""
    me, _ = _me(ctx)
    payment_id = press.payload["payment_id"]
    try:
        payment = await ctx.transaction(lambda tx: checkout.confirm(tx, payment_id, me, ctx.now(), ctx.user))
    except InsufficientFunds:
        card = {"payment_id": payment_id}
        buttons = _retry(("Confirm", "checkout_confirm", card), ("Cancel", "checkout_cancel", card))
        await ctx.replace(press.message_id, screens.not_enough("this payment", buttons))
        return
    await ctx.replace(press.message_id, screens.checkout_closed(payment, ctx.locale))


@action("checkout_cancel", once=True)
async def checkout_cancel(ctx: Context, press: Press) -> None:
    me, _ = _me(ctx)
    payment = await ctx.transaction(
        lambda tx: checkout.fail(
            tx, press.payload["payment_id"], "cancelled by the payer", ctx.now(), ctx.user, payer=me
        )
    )
    await ctx.replace(press.message_id, screens.checkout_closed(payment, ctx.locale))


COMMANDS = [pay, request, wallet, topup]
ACTIONS = [
    pay_confirm,
    pay_cancel,
    request_pay,
    request_decline,
    wallet_older,
    topup_start,
    topup_submit,
    topup_confirm,
    checkout_confirm,
    checkout_cancel,
]
