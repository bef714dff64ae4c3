"""A mini-app with per-country settings, for the tests of settings: ``/tip AMOUNT``.

It refuses a tip above the country's ``most`` and says how it greets, so a test reads
the settings a request saw in the reply.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from souk_sdk import Context, Manifest, MiniApp


class TipSettings(BaseModel):
    most: int = Field(500, ge=1, le=10_000, title="Largest tip", description="In major units")
    fee: float = Field(0.0, ge=0, le=0.2, description="The share kept")
    greeting: Literal["hi", "hello"] = "hi"
    thanks: bool = True


class TipArgs(BaseModel):
    amount: int


def tips_app() -> MiniApp:
    app = MiniApp(
        Manifest(name="tips", title="Tips", version="1.0.0", countries=["BR", "IN"], sdk=">=1.2,<2"),
        settings=TipSettings,
    )

    @app.command("tip", help="Tip someone", args=TipArgs)
    async def tip(ctx: Context, args: TipArgs) -> str:
        chosen: TipSettings = ctx.settings
        if args.amount > chosen.most:
            return f"{chosen.greeting}: at most {chosen.most}"
        return f"{chosen.greeting}: tipped {args.amount}, fee {chosen.fee}" + (
            " thanks" if chosen.thanks else ""
        )

    return app
