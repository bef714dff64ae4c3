"""The payments mini-app, its table of contents (entry point ``souk.plugins: payments``).

Wallets, person-to-person transfers and money requests in chat (:mod:`.chat`,
the requests' answers in :mod:`.money_requests`), checkout for
other mini-apps (:mod:`.checkout`, the payment provider), the HTTP routes
(:mod:`.api`), the operators' commands (:mod:`.cli`), the sandbox cards
(:mod:`.funding`), red packets in groups (:mod:`.red_packet_chat`) and what it
holds about a person (:mod:`.personal_data`).
"""

from __future__ import annotations

from souk_sdk import FROM_SELF, Manifest, MiniApp, Subscription

from . import api, chat, checkout, cli, funding, personal_data, red_packet_chat, red_packets
from .limits import PaymentSettings
from .schema import migrations

app = MiniApp(
    Manifest(
        name="payments",
        title="Payments",
        version="1.1.0",
        description="Wallets, payments between people in chat, checkout for other mini-apps",
        countries=["*"],
        scopes=["payments", "profile"],
        sdk=">=1.2,<2",
    ),
    migrations=migrations,
    settings=PaymentSettings,
)
app.add(*chat.COMMANDS, *chat.ACTIONS, *red_packet_chat.COMMANDS, *red_packet_chat.ACTIONS, *api.ROUTES)
app.add(Subscription(checkout.EXPIRY_EVENT, checkout.on_expiry, FROM_SELF))
app.add(Subscription(red_packets.EXPIRY_EVENT, red_packet_chat.on_expiry, FROM_SELF))
app.cli(cli.add_commands)
app.export(personal_data.export_user)
app.erase(personal_data.erase_user)
app.hook(funding.souk_funding_source)

CHECKOUT = checkout.Checkout()


@app.hook
def souk_payment_provider(country: str) -> checkout.Checkout:
    """Payments serves every country it is enabled in (one currency each, from the user's country)."""
    return CHECKOUT
