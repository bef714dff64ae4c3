"""Kiosk: the mini-app that the browser tests use (loaded by launch_server.py, not installed).

- ``/order [item]`` answers a screen with every kind of component: text, card with a
  button, list, divider, a form with number, select, date and text fields;
- ``/echo text`` posts a screen that the whole conversation sees, with the text in it;
- ``/whoami`` needs the ``profile`` scope, so its first use asks for consent.
"""

from __future__ import annotations

from pydantic import BaseModel
from souk_sdk import Context, Manifest, Press, action, command, hookimpl, ui


class OrderArgs(BaseModel):
    item: str | None = None


class EchoArgs(BaseModel):
    text: str


@command("order", help="Order something from the kiosk", args=OrderArgs, scopes=[])
async def order(ctx: Context, args: OrderArgs) -> ui.Screen:
    item = args.item or "chai"
    return ui.Screen(
        title=f"Order {item}",
        body=[
            ui.Text(text="Fresh from the corner kiosk, ready in five minutes.", style="muted"),
            ui.Card(
                title=item.capitalize(),
                subtitle="₹20.00 a glass",
                body="Hot, sweet and strong.",
                buttons=[
                    ui.Button(label="Add sugar", action="sugar", payload={"item": item}, style="primary")
                ],
            ),
            ui.ItemList(
                items=[
                    ui.ListItem(title="Open", subtitle="7:00 to 22:00"),
                    ui.ListItem(title="Where", subtitle="MG Road, gate 2"),
                ]
            ),
            ui.Divider(),
            ui.Form(
                action="place",
                payload={"item": item},
                submit_label="Place order",
                fields=[
                    ui.NumberField(
                        name="quantity", label="How many", min=1, max=10, integer=True, help="From 1 to 10"
                    ),
                    ui.SelectField(
                        name="size",
                        label="Size",
                        value="small",
                        options=[
                            ui.Option(value="small", label="Small"),
                            ui.Option(value="large", label="Large"),
                        ],
                    ),
                    ui.DateField(name="pickup", label="Pick-up date", required=False),
                    ui.TextField(
                        name="note", label="Note for the kiosk", required=False, placeholder="Less sugar"
                    ),
                ],
            ),
        ],
    )


@action("sugar", scopes=[])
async def sugar(ctx: Context, press: Press) -> str:
    return f"Sugar added to your {press.payload['item']}."


@action("place", scopes=[])
async def place(ctx: Context, press: Press) -> str:
    v = press.values
    return f"Ordered {v['quantity']} {v['size']} {press.payload['item']}."


@command("echo", help="Show your words on a screen everyone here sees", args=EchoArgs, scopes=[])
async def echo(ctx: Context, args: EchoArgs) -> None:
    await ctx.reply(
        ui.Screen(title="Echo", body=[ui.Card(title=args.text, body=args.text), ui.Text(text=args.text)])
    )


@command("whoami", help="What the kiosk knows about you", scopes=["profile"])
async def whoami(ctx: Context, args: object) -> str:
    return "The kiosk knows your name now."


class Kiosk:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(
            name="kiosk",
            title="Kiosk",
            version="1.0.0",
            description="Tea and snacks at the corner",
            scopes=["profile"],
        )

    @hookimpl
    def souk_commands(self, register) -> None:  # type: ignore[no-untyped-def]
        register(order)
        register(echo)
        register(whoami)

    @hookimpl
    def souk_actions(self, register) -> None:  # type: ignore[no-untyped-def]
        register(sugar)
        register(place)
