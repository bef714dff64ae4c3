"""Money in a demo person's wallet, through the payments mini-app's chat as a person would get it:
allow the mini-app on first use, then top up with the sandbox card that is always approved."""

from __future__ import annotations

from browser_support import WebServer, is_consent
from souk_payments.funding import APPROVE


def allow_payments(server: WebServer, token: str) -> str:
    """Let the payments mini-app see what it asks for (a no-op once allowed); its chat's id."""
    chat = server.open_app(token, "payments")
    after = server.cursor(token, chat)
    server.send(token, chat, "/wallet")
    answer = server.wait_for(
        token, chat, lambda m: is_consent(m) or m["text"].startswith("Your wallet"), after=after
    )
    if is_consent(answer):
        allowed = server.press(token, answer, "Allow")
        assert allowed.status_code == 200, allowed.text
    return chat


def top_up(server: WebServer, token: str, amount: str) -> None:
    """Add ``amount`` (major units, "500.00") to the person's wallet."""
    chat = allow_payments(server, token)
    after = server.cursor(token, chat)
    server.send(token, chat, "/topup")
    form = server.wait_for(token, chat, lambda m: "SANDBOX" in m["text"], after=after)
    done = server.press(token, form, "Top up", {"amount": amount, "card": APPROVE})
    assert done.status_code == 200 and done.json()["status"] == "ok", done.text
