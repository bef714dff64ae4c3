"""Whatever a person types, the mini-apps of this repository answer it: no handler ever raises.

A handler that raises costs the person an apology and counts for the breaker,
so user input that makes one raise is a way to switch a mini-app off for
others (``/shop`` followed by 200 letters once was: the search screen's title
outgrew its limit).  Here hypothesis types generated lines after every command
of payments and shop (found in the registry, so a new command is covered as
soon as it exists), and submits generated values to every form those commands
lead to, as the people of a small world: a buyer with money, a shop owner, a
friend in their group.  Every answer must be an answer: no apology, no
``Please wait`` of a person held back, and not one failure in the breaker's
window of either mini-app.

Examples: 150 lines and 60 forms by default; ``SOUK_STRESS=1`` runs 2,000 and 600.
"""

from __future__ import annotations

import ast
import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import souk_payments
import souk_shop
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from souk.foundation.user_limits import UserLimits
from souk_sdk import ui
from souk_sdk.testing import Chat, User, World
from stress import STRESS

APPS = ("payments", "shop")
BROKEN = ("could not answer just now", "failed on your last requests")
CATALOGUE = "sku,name,price,stock,category,tags\nSHOE-1,Red running shoes,120.00,900,shoes,red\n"
CARD_OK, CARD_CONFIRM = "4242 4242 4242 4242", "4000 0000 0000 3220"
SHOP, SHOE = "Loja da Bruna", "Red running shoes"


@dataclass
class People:
    world: World
    ana: User
    bruna: User
    bob: User
    group: dict[str, Chat]
    """Each person's view of the group the three of them share."""


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[People]:
    world = World(list(APPS), Path(tmp_path_factory.mktemp("commands")), handler_timeout=10)
    ana, bruna, bob = (world.user(name, "BR") for name in ("Ana", "Bruna", "Bob"))
    bruna.call(
        "POST", "/api/v1/businesses", {"name": "Loja da Bruna", "handle": "lojadabruna", "category": "shop"}
    )
    shop = bruna.app_chat("shop")
    shop.send("/myshop")
    shop.press("Open the catalogue")
    shop_id = bruna.call("GET", "/api/v1/apps/shop/shops")["shops"][0]["id"]
    imported = bruna.call(
        "POST",
        "/api/v1/apps/shop/imports",
        {
            "shop_id": shop_id,
            "format": "csv",
            "content_base64": base64.b64encode(CATALOGUE.encode()).decode(),
        },
    )
    assert imported["created"] == 1
    wallet = ana.app_chat("payments")
    wallet.send("/topup")
    assert "done" in wallet.submit({"amount": "5000.00", "card": CARD_OK}).text
    group = ana.group_chat("Friends", [bruna, bob])
    yield People(world, ana, bruna, bob, {"ana": group, "bruna": bruna.chat(group.conversation_id)})
    world.close()


def _fresh(people: People) -> None:
    """Each example on its own: an empty breaker window and no one held back by earlier examples."""
    runtime = people.world.core.runtime
    for app in APPS:
        runtime.breaker.reset(app)
    runtime.limits = UserLimits(runtime.settings)


def _untouched(people: People, reply: Any, what: str) -> None:
    """No apology or hold-back in ``reply``, and no failure in either mini-app's window."""
    for message in reply.messages:
        assert not any(b in message["text"] for b in BROKEN), f"{what!r} answered {message['text']!r}"
    for app in APPS:
        verdict = people.world.core.runtime.breaker.verdict(app)
        assert verdict.failures == 0, f"{what!r}: {app} failed ({verdict})"


# -- command lines -----------------------------------------------------------------------------

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
long_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=100, max_size=1500),
    st.builds(
        lambda c, n: c * n, st.characters(exclude_categories=("Cs", "Zs", "Cc")), st.integers(100, 3000)
    ),
)
"""Longer than any title, label or subtitle may be: the class of input that once raised."""
amounts = st.one_of(
    st.sampled_from(["12.50", "0", "-1", "0.001", "1e9", "9" * 5000, "NaN", "1,50", "١٢", "12.5.0", ""]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.integers(-(10**30), 10**30).map(str),
)
spaces = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u3000"])


def commands(people: People) -> list[str]:
    return sorted(
        n for n, (app, _c) in people.world.core.runtime.registry.commands.items() if app.name in APPS
    )


@st.composite
def lines(draw: st.DrawFn, people: People) -> str:
    handles = [f"@{u.handle}" for u in (people.ana, people.bruna, people.bob)]
    mention = st.one_of(
        st.sampled_from([*handles, "@nobody_here", "@", "@" + "x" * 40]),
        st.just("@").map(lambda at: at + draw(text)),
    )
    words = draw(st.lists(st.one_of(text, long_text, mention, amounts), max_size=5))
    gaps = [draw(spaces) for _ in words]
    name = draw(st.sampled_from(commands(people)))
    tail = "".join(g + w for g, w in zip(gaps, words, strict=True))
    return (f"/{draw(st.sampled_from([name, name.upper()]))}{tail}")[:4000]


def test_the_commands_under_test_are_every_command_of_payments_and_shop(people: People) -> None:
    assert commands(people) == [
        "cart",
        "myshop",
        "orders",
        "pay",
        "product",
        "redpacket",
        "request",
        "shop",
        "topup",
        "wallet",
    ]


@settings(
    max_examples=2000 if STRESS else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_command_line_makes_a_handler_raise(people: People, data: st.DataObject) -> None:
    line = data.draw(lines(people), label="line")
    who = data.draw(st.sampled_from(["ana", "bruna"]), label="who")
    _fresh(people)
    reply = people.group[who].send(line)
    assert reply.messages, f"{line!r} got no answer at all"
    _untouched(people, reply, line)


def test_the_search_that_once_suspended_the_shop_is_answered(people: People) -> None:
    line = "/shop " + "a" * 200
    _fresh(people)
    for _ in range(5):
        reply = people.group["ana"].send(line)
        assert reply.screen.title.endswith("…")  # shortened to the title's limit, not refused
        _untouched(people, reply, line)
    assert (
        next(a for a in people.world.core.operations.describe() if a["name"] == "shop")["state"] == "running"
    )


# -- forms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a form is: whose chat with which mini-app, and the steps that bring it up."""

    who: str
    app: str
    steps: tuple[tuple[str, ...], ...]
    form: str


PLACES = [
    Place("ana", "payments", (("send", "/topup"),), "topup_submit"),
    Place(
        "ana",
        "payments",
        (("send", "/topup"), ("submit", "amount", "10.00", "card", CARD_CONFIRM)),
        "topup_confirm",
    ),
    Place("ana", "shop", (("send", "/shop"),), "search_all"),
    Place("ana", "shop", (("send", "/shop"), ("press", "Open", SHOP)), "search"),
    Place(
        "ana", "shop", (("send", "/shop"), ("press", "Open", SHOP), ("press", "View", SHOE)), "add_to_cart"
    ),
    Place(
        "ana",
        "shop",
        (("send", "/shop"), ("press", "Open", SHOP), ("press", "Add to cart", SHOE), ("send", "/cart")),
        "checkout",
    ),
    Place("bruna", "shop", (("send", "/myshop"),), "import_catalogue"),
    Place("bruna", "shop", (("send", "/myshop"), ("press", "Catalogue")), "save_product"),
    Place("bruna", "shop", (("send", "/myshop"), ("press", "Catalogue"), ("press", "Restock")), "restock"),
]


def value_for(field: ui.FormField) -> st.SearchStrategy[Any]:
    """Values a person could send for ``field``: fitting ones, edge ones and nonsense."""
    nonsense = st.one_of(st.none(), st.booleans(), st.integers(), st.lists(st.integers(), max_size=2), text)
    if isinstance(field, ui.TextField):
        fits = st.text(
            st.characters(exclude_categories=("Cs",)), min_size=field.min_length, max_size=field.max_length
        )
        edges = st.sampled_from(
            ["", " " * 5, "x" * field.max_length, "x" * (field.max_length + 1), "https://x.y/z"]
        )
        return st.one_of(fits, fits, edges, amounts, nonsense)
    if isinstance(field, ui.NumberField):
        low, high = int(field.min if field.min is not None else -(10**9)), int(field.max or 10**9)
        return st.one_of(
            st.integers(low - 2, high + 2), st.integers(low - 2, high + 2).map(str), amounts, nonsense
        )
    if isinstance(field, ui.SelectField):
        return st.one_of(st.sampled_from([o.value for o in field.options]), nonsense)
    if isinstance(field, ui.FileField):
        names = st.one_of(
            st.sampled_from(["catalogue.csv", "catalogue.json", "CAT.CSV", "photo.png", ""]), text
        )
        contents = st.one_of(
            st.just(CATALOGUE.encode()),
            st.lists(st.lists(text, max_size=8).map(",".join), max_size=20).map("\n".join).map(str.encode),
            st.binary(max_size=3000),
        )
        files = st.builds(
            lambda n, c: {"name": n, "content_base64": base64.b64encode(c).decode()}, names, contents
        )
        broken = st.builds(lambda n, c: {"name": n, "content_base64": c}, names, text)
        return st.one_of(files, files, broken, st.dictionaries(text, text, max_size=3), nonsense)
    return nonsense


def _bring_up(people: People, place: Place, user: User) -> tuple[Chat, dict[str, Any], ui.Form]:
    # Earlier examples may have renamed, emptied or hidden the product: put it back on the shelf.
    people.world.core.runtime.app_store("shop").write_sync(
        lambda db: db.execute(
            "UPDATE products SET name = ?, active = 1, stock = reserved + 900 WHERE sku = 'SHOE-1'", [SHOE]
        )
    )
    chat = user.app_chat(place.app)
    for step in place.steps:
        if step[0] == "send":
            chat.send(step[1])
        elif step[0] == "press":
            chat.press(step[1], within=step[2] if len(step) > 2 else None)
        else:
            chat.submit(dict(zip(step[1::2], step[2::2], strict=True)))
    for message in reversed(chat.history()):
        screen = ui.Screen.model_validate(message["screen"]) if message["screen"] else None
        form = next((f for f in screen.interactive() if isinstance(f, ui.Form)), None) if screen else None
        if form is not None and form.action == place.form:
            return chat, message, form
    raise AssertionError(f"no {place.form} form after {place.steps}")


@settings(
    max_examples=600 if STRESS else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_form_of_a_command_makes_a_handler_raise(people: People, data: st.DataObject) -> None:
    place = data.draw(st.sampled_from(PLACES), label="place")
    user = people.world.user("Newcomer", "BR") if place.who == "newcomer" else getattr(people, place.who)
    _fresh(people)
    chat, message, form = _bring_up(people, place, user)
    values = {
        f.name: data.draw(value_for(f), label=f.name)
        for f in form.fields
        if data.draw(st.integers(0, 9), label=f"send {f.name}")  # a field left out now and then
    }
    reply = chat.submit(values, action=form.action, message=message, expect=(200, 409, 422))
    _untouched(people, reply, f"{place.form} {values!r}")


def _declared_forms() -> set[str]:
    """The action of every ``ui.Form(action="...")`` written in the sources of payments and shop."""
    found: set[str] = set()
    for package in (souk_payments, souk_shop):
        for path in Path(package.__file__).parent.glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == "ui.Form":
                    found.update(k.value.value for k in node.keywords if k.arg == "action")
    return found


def test_every_form_of_the_mini_apps_is_reached(people: People) -> None:
    reached = set()
    for place in PLACES:
        user = people.world.user("Visitor", "BR") if place.who == "newcomer" else getattr(people, place.who)
        reached.add(_bring_up(people, place, user)[2].action)
    assert reached == _declared_forms() and len(reached) == 9
