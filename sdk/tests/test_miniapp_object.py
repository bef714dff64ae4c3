"""The declarative MiniApp: it implements exactly the hooks it was given, and checks what it is given."""

from __future__ import annotations

from typing import Any

import pluggy
import pytest
from pydantic import BaseModel
from souk_sdk import (
    FROM_PROVIDER,
    FROM_SELF,
    Erasure,
    Manifest,
    MiniApp,
    Subscription,
    api_route,
    command,
    hookimpl,
    hookspecs,
)
from sqlite_utils import Migrations

ALWAYS = {"souk_manifest", "souk_commands", "souk_actions", "souk_api_routes", "souk_subscriptions"}


def manager(*plugins: Any) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for plugin in plugins:
        pm.register(plugin)
    pm.check_pending()
    return pm


def hooks_of(pm: pluggy.PluginManager, plugin: Any) -> set[str]:
    return {caller.name for caller in pm.get_hookcallers(plugin) or []}


def test_it_implements_only_what_it_was_given() -> None:
    bare = MiniApp(Manifest(name="bare", title="Bare", version="1.0.0"))
    full = MiniApp(Manifest(name="full", title="Full", version="1.0.0"), migrations=Migrations("full"))
    full.cli(lambda cli, open_database: None)
    full.demo(lambda demo: None)
    full.export(lambda db, user_id: {})
    full.erase(lambda db, user_id, replacement: Erasure())

    @full.hook
    def souk_send_code(phone: str, code: str) -> bool:
        return True

    pm = manager(bare, full)
    assert hooks_of(pm, bare) == ALWAYS
    assert hooks_of(pm, full) == ALWAYS | {
        "souk_migrations",
        "souk_cli_commands",
        "souk_demo",
        "souk_export_user",
        "souk_erase_user",
        "souk_send_code",
    }
    assert [m.name for m in pm.hook.souk_manifest()] == ["full", "bare"]
    assert pm.hook.souk_send_code(phone="+5511900000001", code="1") is True


class Args(BaseModel):
    text: str = ""


def test_what_it_declares_reaches_the_register_hooks() -> None:
    app = MiniApp(Manifest(name="jot", title="Jot", version="1.0.0"))

    @app.command("jot", help="Jot", args=Args)
    async def jot(ctx: Any, args: Args) -> str:
        return args.text

    @app.action("again", once=True)
    async def again(ctx: Any, press: Any) -> None:
        return None

    @app.route("GET", "/jots", summary="Jots")
    async def jots(ctx: Any, request: Any) -> dict[str, Any]:
        return {}

    @app.on("beacon.ping", source="beacon")
    async def ping(ctx: Any, event: Any) -> None:
        return None

    app.on_payment("succeeded")(ping)
    app.on_timer("jot.due")(ping)
    shared = command("share", help="Share")(jot.handler)
    app.add(shared)
    got: dict[str, list[Any]] = {"c": [], "a": [], "r": [], "s": []}
    pm = manager(app)
    pm.hook.souk_commands(register=got["c"].append)
    pm.hook.souk_actions(register=got["a"].append)
    pm.hook.souk_api_routes(register=got["r"].append)
    pm.hook.souk_subscriptions(register=got["s"].append)
    assert [c.name for c in got["c"]] == ["jot", "share"]
    assert [(a.name, a.once) for a in got["a"]] == [("again", True)]
    assert [(r.method, r.path) for r in got["r"]] == [("GET", "/jots")]
    assert [(s.type, s.source) for s in got["s"]] == [
        ("beacon.ping", "beacon"),
        ("payment.succeeded", FROM_PROVIDER),
        ("jot.due", FROM_SELF),
    ]


def test_it_refuses_what_is_not_a_declaration() -> None:
    app = MiniApp(Manifest(name="jot", title="Jot", version="1.0.0"))
    with pytest.raises(TypeError, match="cannot add"):
        app.add("not a command")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="named after its hook"):
        app.hook(lambda: None)
    with pytest.raises(ValueError, match="from the provider"):
        Subscription("order.paid", print, FROM_PROVIDER)
    with pytest.raises(ValueError, match="use on_payment"):
        Subscription("payment.succeeded", print, "payments")
    with pytest.raises(ValueError, match="event type"):
        Subscription("Order Paid", print, "shop")
    with pytest.raises(ValueError, match="own namespace"):
        Manifest(name="jot", title="Jot", version="1.0.0", emits=["shop.order_paid"])
    assert api_route("GET", "/x", summary="x")  # the plain declarations stay available


class RawHooks:
    """An SDK 1.0 mini-app: raw hooks on a plain object."""

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="raw", title="Raw", version="1.0.0")


def test_a_raw_hooks_mini_app_registers_beside_a_declared_one() -> None:
    raw, declared = RawHooks(), MiniApp(Manifest(name="declared", title="Declared", version="1.0.0"))
    pm = manager(raw, declared)
    assert sorted(m.name for m in pm.hook.souk_manifest()) == ["declared", "raw"]
    assert hooks_of(pm, raw) == {"souk_manifest"}
