"""What the payments mini-app shows: confirmations, receipts, request cards, the wallet."""

from __future__ import annotations

from typing import Any

from souk_sdk import ui
from souk_sdk.money import format_money

from .funding import APPROVE, CONFIRM, DECLINE

KIND_NAMES = {
    "topup": "Top-up",
    "p2p": "Transfer",
    "capture": "Payment",
    "refund": "Refund",
    "reversal": "Correction",
}


def _payee(payment: dict[str, Any]) -> str:
    """Who the buyer pays, as they know them, and through which mini-app when that differs."""
    via = payment.get("via") or ""
    return f"{payment['merchant_title']} (through {via})" if via else payment["merchant_title"]


def checkout_confirmation(payment: dict[str, Any], locale: str | None) -> ui.Screen:
    amount = format_money(payment["amount"], payment["currency"], locale)
    return ui.Screen(
        title=f"Pay {payment['merchant_title']}",
        body=[
            ui.Text(text=f"{amount} to {_payee(payment)}", style="heading"),
            ui.Text(text=payment["description"]),
            ui.Text(text="The money leaves your wallet only when you confirm.", style="muted"),
            ui.Button(
                label="Confirm",
                action="checkout_confirm",
                payload={"payment_id": payment["id"]},
                style="primary",
            ),
            ui.Button(label="Cancel", action="checkout_cancel", payload={"payment_id": payment["id"]}),
        ],
    )


def checkout_closed(payment: dict[str, Any], locale: str | None) -> ui.Screen:
    """The confirmation card once answered: paid, cancelled or expired, with no buttons left."""
    amount = format_money(payment["amount"], payment["currency"], locale)
    if payment["status"] == "succeeded":
        head = f"Paid ✓ {amount} to {_payee(payment)}"
    else:
        head = f"Not paid: {payment['failure'] or 'the payment failed'}. No money moved."
    return ui.Screen(
        title=f"Pay {payment['merchant_title']}",
        body=[ui.Text(text=head, style="heading"), ui.Text(text=payment["description"])],
    )


def not_enough(what: str, retry: list[ui.Button]) -> ui.Screen:
    """The card again, saying why it did not go through, with Top up and its buttons to retry."""
    return ui.Screen(
        title="Not enough money",
        body=[
            ui.Text(text=f"Your wallet does not have enough for {what}. Top up, then press Confirm again."),
            *retry,
            ui.Button(label="Top up", action="topup_start", payload={}),
        ],
    )


def transfer_closed(name: str, amount: int, currency: str, locale: str | None, paid: bool) -> ui.Screen:
    money = format_money(amount, currency, locale)
    head = f"Paid ✓ {money} to {name}" if paid else f"Cancelled: {name} was not paid."
    return ui.Screen(title=f"Pay {name}?", body=[ui.Text(text=head, style="heading")])


def transfer_confirmation(
    name: str, amount: int, currency: str, note: str, locale: str | None, payload: dict[str, Any]
) -> ui.Screen:
    body: list[Any] = [ui.Text(text=f"{format_money(amount, currency, locale)} to {name}", style="heading")]
    if note:
        body.append(ui.Text(text=f"For: {note}"))
    body += [
        ui.Button(label="Confirm", action="pay_confirm", payload=payload, style="primary"),
        ui.Button(label="Cancel", action="pay_cancel", payload=payload),
    ]
    return ui.Screen(title=f"Pay {name}?", body=body)


def receipt(payer: str, payee: str, amount: int, currency: str, note: str, locale: str | None) -> str:
    text = f"{payer} paid {payee} {format_money(amount, currency, locale)}"
    return f"{text} · {note}" if note else text


REQUEST_STATES = {"paid": "Paid ✓", "declined": "Declined"}


def request_card(request: dict[str, Any], locale: str | None) -> ui.Screen:
    """The request as the conversation sees it: open with Pay and Decline, or how it ended."""
    amount = format_money(request["amount"], request["currency"], locale)
    body: list[Any] = [
        ui.Text(
            text=f"{request['requester_name']} asks {request['payer_name']} for {amount}", style="heading"
        )
    ]
    if request["note"]:
        body.append(ui.Text(text=f"For: {request['note']}"))
    if request["status"] == "open":
        payload = {"request_id": request["id"]}
        body += [
            ui.Button(label="Pay", action="request_pay", payload=payload, style="primary"),
            ui.Button(label="Decline", action="request_decline", payload=payload),
        ]
    else:
        body.append(ui.Text(text=f"{REQUEST_STATES[request['status']]} by {request['payer_name']}"))
    return ui.Screen(title="Payment request", body=body)


def wallet(view: dict[str, Any], locale: str | None) -> ui.Screen:
    currency = view["currency"]
    body: list[Any] = [
        ui.Text(text=f"Available: {format_money(view['available'], currency, locale)}", style="heading"),
    ]
    if view["held"]:
        body.append(
            ui.Text(
                text=f"Reserved for pending payments: {format_money(view['held'], currency, locale)}",
                style="muted",
            )
        )
    items = [_entry_item(e, currency, locale) for e in view["entries"]]
    body.append(ui.ItemList(items=items, empty_text="No movements yet. Top up to start."))
    if view["next_before"] is not None:
        body.append(ui.Button(label="Older", action="wallet_older", payload={"before": view["next_before"]}))
    body.append(ui.Button(label="Top up", action="topup_start", payload={}, style="primary"))
    return ui.Screen(title="Your wallet", body=body)


def topup_form(currency: str) -> ui.Screen:
    return ui.Screen(
        title="Top up (sandbox)",
        body=[
            ui.Text(text="SANDBOX: no real money moves. Test cards:", style="heading"),
            ui.ItemList(
                items=[
                    ui.ListItem(title=_spaced(APPROVE), subtitle="approved"),
                    ui.ListItem(title=_spaced(DECLINE), subtitle="declined"),
                    ui.ListItem(title=_spaced(CONFIRM), subtitle="asks for a confirmation code: 123456"),
                ]
            ),
            ui.Form(
                action="topup_submit",
                submit_label="Top up",
                fields=[
                    ui.TextField(
                        name="amount", label=f"Amount in {currency}", max_length=16, placeholder="100.00"
                    ),
                    ui.TextField(
                        name="card", label="Card number", max_length=23, placeholder=_spaced(APPROVE)
                    ),
                ],
            ),
        ],
    )


def topup_done(money: str) -> ui.Screen:
    return ui.Screen(
        title="Top up (sandbox)", body=[ui.Text(text=f"Top-up of {money} done.", style="heading")]
    )


def topup_code_form(topup_id: str, message: str | None) -> ui.Screen:
    return ui.Screen(
        title="Confirm your top-up",
        body=[
            ui.Text(text=message or "Enter the confirmation code from your bank."),
            ui.Form(
                action="topup_confirm",
                submit_label="Confirm",
                payload={"topup_id": topup_id},
                fields=[
                    ui.TextField(name="code", label="Confirmation code", min_length=4, max_length=8),
                ],
            ),
        ],
    )


def _spaced(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def _entry_item(entry: dict[str, Any], currency: str, locale: str | None) -> ui.ListItem:
    direction = "in" if entry["amount"] > 0 else "out"
    money = format_money(abs(entry["amount"]), currency, locale)
    when = entry["created_at"][:16].replace("T", " ")
    return ui.ListItem(
        title=f"{KIND_NAMES.get(entry['kind'], entry['kind'])}: {money} {direction}",
        subtitle=f"{when} {entry['memo']}".strip(),
    )
