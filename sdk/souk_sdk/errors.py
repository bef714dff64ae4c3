"""Errors a mini-app raises (or receives) to talk to the user clearly."""

from __future__ import annotations

from typing import Any


class SoukError(Exception):
    """Base of every error the SDK defines; its message is meant for the user."""


class UsageError(SoukError):
    """A command's arguments could not be read; the message says how to use it."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage

    def __str__(self) -> str:
        text = self.args[0]
        return f"{text}\nUsage: {self.usage}" if self.usage else text


class FormErrors(SoukError):
    """Raise from an action handler to show errors beside the form's fields.

    ``fields`` maps a field name to the message shown beside it.
    """

    def __init__(self, fields: dict[str, str], message: str = "Please correct the form") -> None:
        super().__init__(message)
        self.fields = dict(fields)


class NotDone(SoukError):
    """Raise from an action to answer the user without finishing what the screen asked.

    ``answer`` (text or a :class:`souk_sdk.ui.Screen`) is shown privately to the
    user, and a one-time screen (``once=True``) stays live, so the same button
    can be pressed again: "Not enough money: top up, then press Pay again".
    """

    def __init__(self, answer: Any) -> None:
        super().__init__(answer if isinstance(answer, str) else getattr(answer, "title", "Not done"))
        self.answer = answer


class PaymentsUnavailable(SoukError):
    """No payment provider serves the user's country."""


class PaymentError(SoukError):
    """The payment provider refused a request (the message says why)."""


class NotFound(SoukError):
    """A user, conversation or payment the mini-app named does not exist for it."""
