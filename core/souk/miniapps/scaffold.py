"""``souk new-plugin NAME``: a mini-app package whose own test passes as generated."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

from souk_sdk import __version__ as sdk_version

_NAME = re.compile(r"[a-z][a-z0-9_]{1,31}")

PYPROJECT = """[project]
name = "souk-{dist}"
version = "0.1.0"
description = "{title}: a Souk mini-app"
requires-python = ">=3.11"
dependencies = ["souk-sdk>={sdk_major}.{sdk_minor},<{sdk_next}"]

[project.entry-points."souk.plugins"]
{name} = "souk_{name}.plugin:app"

[dependency-groups]
dev = ["pytest>=8", "souk"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["souk_{name}"]
"""

PLUGIN = '''"""{title}: a Souk mini-app, declared in one object.

``/hello [name]`` answers with a screen; its button and form come back to the
actions below; what it keeps about a person can be exported and erased.  Read
docs/plugin-guide.md for everything a mini-app can declare.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database, Migrations

from souk_sdk import Context, Erasure, Manifest, MiniApp, Press, ui

migrations = Migrations("{name}")


@migrations()
def m001_greetings(db: Database) -> None:
    db["greetings"].create({{"user_id": str, "count": int}}, pk="user_id")


app = MiniApp(
    Manifest(
        name="{name}",
        title="{title}",
        version="0.1.0",
        description="Says hello",
        countries=["*"],
        sdk=">={sdk_major}.{sdk_minor},<{sdk_major_next}",
    ),
    migrations=migrations,
)


class HelloArgs(BaseModel):
    name: str | None = None


@app.command("hello", help="Say hello from {title}", args=HelloArgs, scopes=[])
async def hello(ctx: Context, args: HelloArgs) -> ui.Screen:
    who = args.name or "there"

    def count(tx) -> int:  # runs in one transaction
        row = tx.db.execute(
            "INSERT INTO greetings (user_id, count) VALUES (?, 1) "
            "ON CONFLICT(user_id) DO UPDATE SET count = count + 1 RETURNING count",
            [ctx.user.id],
        ).fetchone()
        return row[0]

    times = await ctx.transaction(count)
    return ui.Screen(title=f"Hello, {{who}}!", body=[
        ui.Text(text=f"You have said hello {{times}} time(s)."),
        ui.Button(label="Wave", action="wave", payload={{"who": who}}, style="primary"),
        ui.Form(action="rename", submit_label="Greet", fields=[
            ui.TextField(name="name", label="Your name", max_length=40),
        ]),
    ])


@app.action("wave", once=True)
async def wave(ctx: Context, press: Press) -> None:
    """Pressed once: the screen becomes the wave, and its buttons stop working."""
    await ctx.replace(press.message_id, f"{title} waved at {{press.payload['who']}}")


@app.action("rename")
async def rename(ctx: Context, press: Press) -> str:
    return f"Nice to meet you, {{press.values['name']}}!"


@app.export
def export_user(db: Database, user_id: str) -> dict[str, Any]:
    row = db.execute("SELECT count FROM greetings WHERE user_id = ?", [user_id]).fetchone()
    return {{"hellos": row[0] if row else 0}}


@app.erase
def erase_user(db: Database, user_id: str, replacement: str) -> Erasure:
    deleted = db.execute("DELETE FROM greetings WHERE user_id = ?", [user_id]).rowcount
    return Erasure(deleted={{"greetings": deleted}} if deleted else {{}})
'''

TEST = """from souk_{name}.plugin import app


def test_hello_counts_and_answers(souk_chat):
    chat = souk_chat(plugins=[app], country="BR")
    first = chat.send("/hello Ana")
    assert first.screen.title == "Hello, Ana!"
    assert "1 time(s)" in first.text
    assert "2 time(s)" in chat.send("/hello").text


def test_form_then_button(souk_chat):
    chat = souk_chat(plugins=[app])
    shown = chat.send("/hello Ana").messages[-1]
    refused = chat.submit({{"name": ""}}, expect=422)
    assert refused.errors == {{"name": "is required"}}
    assert "Nice to meet you, Bo!" in chat.submit({{"name": "Bo"}}).text
    assert "{title} waved at Ana" in chat.press("Wave").text
    assert chat.press("Wave", message=shown, expect=409).error == "already_done"


def test_what_it_keeps_is_exported_and_erased(souk_world):
    world = souk_world([app])
    ana = world.user("Ana")
    ana.app_chat("{name}").send("/hello")
    assert ana.export()["apps/{name}.json"] == {{"hellos": 1}}
    assert ana.erase()["parts"]["{name}"]["deleted"] == {{"greetings": 1}}
"""

README = """# souk-{dist}

{title}, a mini-app for [Souk](https://example.invalid/souk).

    uv sync            # or: pip install -e . pytest souk
    uv run pytest
"""


def _workspace_of(package: Path) -> Path | None:
    """The uv workspace whose ``members`` take in ``package`` (like this repository's plugins/*)."""
    folder = package.resolve()
    for root in folder.parents:
        pyproject = root / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            members = tomllib.loads(pyproject.read_text())["tool"]["uv"]["workspace"]["members"]
        except (KeyError, TypeError, tomllib.TOMLDecodeError):
            continue
        inside = folder.relative_to(root).as_posix()
        return root if any(fnmatch.fnmatch(inside, pattern) for pattern in members) else None
    return None


def next_steps(package: Path) -> str:
    """What to run after ``souk new-plugin``: inside a workspace (the README's tour), sync every
    member so the new one joins the environment; on its own, a fresh environment in its folder."""
    if _workspace_of(package) is not None:
        return f"Next: uv sync --all-packages && uv run pytest {package}"
    return f"Next: cd {package} && uv sync && uv run pytest"


def create(name: str, parent: Path) -> Path:
    """Write the package ``souk-NAME`` into ``parent``; return its folder."""
    if not _NAME.fullmatch(name):
        raise ValueError("a mini-app name has 2-32 lower-case letters, digits or _, starting with a letter")
    root = parent / f"souk-{name.replace('_', '-')}"
    if root.exists():
        raise FileExistsError(f"{root} already exists")
    major, minor = (int(part) for part in sdk_version.split(".")[:2])
    values = {
        "name": name,
        "dist": name.replace("_", "-"),
        "title": name.replace("_", " ").title(),
        "sdk_major": major,
        "sdk_minor": minor,
        "sdk_next": f"{major + 1}",
        "sdk_major_next": major + 1,
    }
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"souk_{name}/__init__.py": '"""{title}: a Souk mini-app."""\n',
        f"souk_{name}/plugin.py": PLUGIN,
        f"tests/test_{name}.py": TEST,
    }
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values))
    return root
