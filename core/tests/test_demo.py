"""``souk serve --demo``: users, chats, mini-apps enabled where allowed, each mini-app's souk_demo, once."""

from __future__ import annotations

from typing import Any

from souk.foundation.settings import Settings
from souk.operators import demo
from souk.runtime import Runtime
from souk_sdk import DemoWorld, Manifest, hookimpl
from sqlite_utils import Database, Migrations

notes_migrations = Migrations("notes")


@notes_migrations()
def m001(db: Database) -> None:
    db["notes"].create({"owner": str, "text": str})


class Notes:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    @hookimpl
    def souk_manifest(self) -> Manifest:
        return Manifest(name="notes", title="Notes", version="1.0.0", countries=["IN", "BR"])

    @hookimpl
    def souk_migrations(self) -> Migrations:
        return notes_migrations

    @hookimpl
    def souk_demo(self, demo: DemoWorld) -> None:
        asha = demo.user("asha")
        self.seen.append(asha)
        demo.transaction(lambda tx: tx.db["notes"].insert({"owner": asha.id, "text": "welcome"}))


def test_the_demo_is_built_once_with_each_mini_apps_part(tmp_path) -> None:
    notes = Notes()
    runtime = Runtime.open(Settings(tmp_path), [notes])
    try:
        assert demo.build(runtime) is True
        assert demo.build(runtime) is False
        core = runtime.core.db
        assert core["users"].count == len(demo.DEMO_USERS)
        assert {r["country"] for r in core["users"].rows} == {"IN", "BR", "FR", "US"}
        group = next(core.query("SELECT * FROM conversations WHERE kind = 'group'"))
        assert group["last_seq"] == len(demo.GROUP_HISTORY)
        enabled = {(r["app"], r["country"]) for r in core["app_countries"].rows}
        assert enabled == {("notes", "IN"), ("notes", "BR")}
        assert len(notes.seen) == 1
        asha = notes.seen[0]
        assert (asha.display_name, asha.country) == ("Asha Rao", "IN")
        real_id = next(core.query("SELECT id FROM users WHERE handle = 'asha'"))["id"]
        assert asha.id != real_id
        assert runtime.identities.user_id_for("notes", asha.id) == real_id
        assert list(runtime.app_store("notes").db["notes"].rows) == [{"owner": asha.id, "text": "welcome"}]
        assert "000000" in demo.sign_in_help("http://127.0.0.1:8000")
    finally:
        runtime.close()
