"""``/help``: the commands available to you, here, now."""

from __future__ import annotations

from souk_sdk import Context, Manifest, command, hookimpl, ui


@command("help", help="List the commands you can use here", scopes=[])
async def help_command(ctx: Context, args: object) -> ui.Screen:
    items = [ui.ListItem(title=f"/{c.name}", subtitle=f"{c.help}  ({c.usage})") for c in ctx.commands()]
    return ui.Screen(title="Commands", body=[ui.ItemList(items=items)])


@hookimpl(trylast=True)
def souk_manifest() -> Manifest:
    return Manifest(
        name="help",
        title="Help",
        version="1.0.0",
        description="Lists the commands available to you",
        countries=["*"],
    )


@hookimpl
def souk_commands(register) -> None:  # type: ignore[no-untyped-def]
    register(help_command)
