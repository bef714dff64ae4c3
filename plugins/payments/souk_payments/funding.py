"""The sandbox funding source: simulated cards, clearly labelled, for tests and the demo.

A real acquirer plugs in through the ``souk_funding_source`` hook; this one
runs last (``trylast``), so installing a real one replaces it.

Test cards (spaces are ignored):

- ``4242 4242 4242 4242``: approved;
- ``4000 0000 0000 0002``: declined;
- ``4000 0000 0000 3220``: needs a confirmation code, ``123456`` (like 3-D Secure).

Any other number that passes the Luhn check is declined as unknown to the sandbox.
"""

from __future__ import annotations

import hashlib

from souk_sdk import FundingResult, hookimpl

APPROVE = "4242424242424242"
DECLINE = "4000000000000002"
CONFIRM = "4000000000003220"
CONFIRMATION_CODE = "123456"


def digits(card: str) -> str:
    return "".join(c for c in card if not c.isspace())


def luhn_ok(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class SandboxCards:
    name = "sandbox"
    sandbox = True

    def charge(self, card: str, amount: int, currency: str, idempotency_key: str) -> FundingResult:
        number = digits(card)
        reference = "sbx_" + hashlib.sha256(f"{idempotency_key}:{number}".encode()).hexdigest()[:16]
        if not luhn_ok(number):
            return FundingResult(status="declined", reference=reference, message="this is not a card number")
        if number == APPROVE:
            return FundingResult(status="approved", reference=reference)
        if number == CONFIRM:
            return FundingResult(
                status="needs_confirmation",
                reference=reference,
                message="enter the code your bank sent (sandbox: 123456)",
            )
        return FundingResult(status="declined", reference=reference, message="the card was declined")

    def confirm(self, reference: str, code: str) -> FundingResult:
        if code.strip() == CONFIRMATION_CODE:
            return FundingResult(status="approved", reference=reference)
        return FundingResult(status="declined", reference=reference, message="wrong confirmation code")


SANDBOX = SandboxCards()


@hookimpl(trylast=True)
def souk_funding_source(country: str) -> SandboxCards:
    return SANDBOX
