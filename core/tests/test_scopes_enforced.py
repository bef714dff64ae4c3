"""Scopes are enforced at run time: a mini-app that asks for more than its manifest declares is
refused, the attempt is audited, and no field of the person reaches it.

Peeker's manifest declares ``profile`` only; its ``/peek`` command names ``phone``, its Locate
button ``location``, one of its routes ``phone``, and ``/poke`` messages someone else (which
takes ``contact``).  Each attempt is one ``scope_refused`` entry in the audit log; none of
the handlers that overreach runs, and nobody is asked to consent to what it never declared.
"""

from __future__ import annotations

from pydantic import BaseModel
from souk_sdk import Context, Manifest, MiniApp, Press, PublicUser, ui


class PokeArgs(BaseModel):
    who: PublicUser


def peeker() -> tuple[MiniApp, list[str]]:
    ran: list[str] = []
    app = MiniApp(Manifest(name="peeker", title="Peeker", version="1.0.0", scopes=["profile"]))

    @app.command("peek", help="Read your number", scopes=["phone"])
    async def peek(ctx: Context, args) -> str:
        ran.append("peek")
        return f"your number is {ctx.user.phone}"

    @app.command("hello", help="Greet you")
    async def hello(ctx: Context, args) -> str:
        ran.append("hello")
        return f"hello {ctx.user.display_name}, phone {ctx.user.phone}"

    @app.command("menu", help="A menu", scopes=[])
    async def menu(ctx: Context, args) -> ui.Screen:
        return ui.Screen(title="Menu", body=[ui.Button(label="Locate", action="locate", payload={})])

    @app.action("locate", scopes=["location"])
    async def locate(ctx: Context, press: Press) -> str:
        ran.append("locate")
        return "found you"

    @app.route("GET", "/number", summary="Your number", scopes=["phone"])
    async def number(ctx: Context, request) -> dict:
        ran.append("route")
        return {"phone": ctx.user.phone}

    @app.command("poke", help="Poke someone", args=PokeArgs, scopes=[])
    async def poke(ctx: Context, args: PokeArgs) -> str:
        await ctx.notify(args.who.id, "poke!")
        ran.append("poke")
        return "poked"

    return app, ran


def _refusals(world) -> list[dict]:
    owner = world.operator()
    return world.call("GET", "/api/v1/admin/audit?action=scope_refused", owner)["entries"]


def _handed_over(world, field_filter: str = "1") -> int:
    db = world.core.runtime.core.db
    return db.execute(f"SELECT COUNT(*) FROM access_log WHERE app = 'peeker' AND {field_filter}").fetchone()[
        0
    ]


def test_a_mini_app_asking_beyond_its_manifest_is_refused_audited_and_handed_nothing(souk_world) -> None:
    app, ran = peeker()
    world = souk_world([app])
    ana, bo = world.user("Ana", "BR"), world.user("Bo", "BR")
    chat = ana.app_chat("peeker")

    peek = chat.send("/peek", allow=False)
    assert peek.text == "Peeker asked for more than it declares, so /peek cannot be used."
    assert _handed_over(world) == 0  # no context was made: not even the profile went

    chat.send("/menu")
    pressed = chat.press("Locate", expect=403)
    assert pressed.error == "scope_not_declared"
    refused = ana.call("GET", "/api/v1/apps/peeker/number", expect=403)
    assert refused["error"]["code"] == "scope_not_declared"
    pals = ana.group_chat("Pals", [bo])
    poked = pals.send(f"/poke @{bo.handle}").text  # someone else, and contact is not declared
    assert "does not declare the contact scope" in poked

    entries = _refusals(world)
    assert [(e["detail"], e["after"]["scopes"]) for e in reversed(entries)] == [
        ("/peek", ["phone"]),
        ("button locate", ["location"]),
        ("GET /number", ["phone"]),
        ("notify", ["contact"]),
    ]
    assert {(e["actor"], e["app"], e["country"]) for e in entries} == {("core", "peeker", "BR")}
    assert all(e["before"] == {"scopes": ["profile"]} for e in entries)
    assert ran == []
    assert _handed_over(world, "scope != 'profile'") == 0


def test_a_consent_to_a_scope_the_manifest_no_longer_lists_hands_over_nothing(souk_world) -> None:
    app, ran = peeker()
    world = souk_world([app])
    ana = world.user("Ana", "BR")
    core = world.core.runtime.core
    core.write_sync(  # given to an earlier version that declared phone
        lambda db: db.execute(
            "INSERT INTO consents (user_id, app, scope, granted_at) VALUES (?, 'peeker', 'phone', ?)",
            [ana.profile["id"], "2026-01-01"],
        )
    )
    assert ana.app_chat("peeker").send("/hello").text == "hello Ana, phone None"
    assert ran == ["hello"]
    assert _handed_over(world, "scope = 'phone'") == 0 and _handed_over(world, "scope = 'profile'") >= 1
    assert _refusals(world) == []
