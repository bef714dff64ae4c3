"""Commands that mini-apps add to ``souk`` through ``souk_cli_commands``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from ..foundation.settings import Settings
from ..storage.schema import app_runtime_migrations
from ..storage.store import Store, connect
from .registry import InstalledApp, PluginError, load


def open_app_database(app: InstalledApp, data_dir: Path | str | None) -> Database:
    """The mini-app's database in ``data_dir`` (default ``$SOUK_DATA`` or ./souk-data), migrated."""
    settings = Settings(Path(data_dir or os.environ.get("SOUK_DATA", "souk-data")))
    path = settings.app_db_path(app.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    try:
        store.migrate(app_runtime_migrations)
        if app.migrations is not None:
            store.migrate(app.migrations)
    finally:
        store.close()
    return connect(path)


def add_plugin_commands(cli: click.Group) -> None:
    try:
        registry = load()
    except PluginError as exc:
        click.echo(f"warning: mini-app commands unavailable: {exc}", err=True)
        return
    for app in registry.apps.values():
        if registry.implements("souk_cli_commands", app):

            def opener(data_dir: Any = None, app: InstalledApp = app) -> Database:
                return open_app_database(app, data_dir)

            registry.call_one("souk_cli_commands", app, cli=cli, open_database=opener)
