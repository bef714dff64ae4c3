"""The harness runs a real core: a tiny mini-app answers a command, a button and a form."""

from __future__ import annotations

from pydantic import BaseModel
from souk_sdk import Context, Manifest, Press, command, hookimpl, ui
from souk_sdk import action as action_decorator


class GreetArgs(BaseModel):
    name: str


@command("greet", help="Say hello", args=GreetArgs, scopes=[])
async def greet(ctx: Context, args: GreetArgs) -> ui.Screen:
    return ui.Screen(
        title=f"Hello, {args.name}",
        body=[
            ui.Button(label="Again", action="again", payload={"name": args.name}),
            ui.Form(
                action="age", fields=[ui.NumberField(name="age", label="Age", min=0, max=150, integer=True)]
            ),
        ],
    )


@action_decorator("again")
async def again(ctx: Context, press: Press) -> str:
    return f"Hello again, {press.payload['name']}"


@action_decorator("age")
async def age(ctx: Context, press: Press) -> str:
    return f"You are {press.values['age']}"


class Plugin:
    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="greeter", title="Greeter", version="1.0.0")

    @hookimpl
    def souk_commands(self, register) -> None:
        register(greet)

    @hookimpl
    def souk_actions(self, register) -> None:
        register(again)
        register(age)


def test_command_button_and_form(souk_chat) -> None:
    chat = souk_chat(plugins=[Plugin()], country="IN")
    reply = chat.send("/greet Ana")
    assert reply.screen.title == "Hello, Ana"
    assert "Hello again, Ana" in chat.press("Again").text
    refused = chat.submit({"age": "-3"}, expect=422)
    assert refused.errors == {"age": "must be at least 0"}
    assert chat.submit({"age": "41"}).text == "You are 41"


def test_usage_reply(souk_chat) -> None:
    chat = souk_chat(plugins=[Plugin()])
    assert "Usage: /greet name" in chat.send("/greet").text
