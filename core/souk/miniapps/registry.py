"""Finding mini-apps, checking them, and indexing what they offer.

A fresh plugin manager is built for every app (no import-time state), so
tests can inject exactly the mini-apps they want.  Installed mini-apps are
found through the ``souk.plugins`` entry point group, the way pytest and
Datasette find theirs.  Loading fails loudly: a misspelt hook
(``check_pending``), an invalid manifest, an SDK range that excludes the
running SDK, or two mini-apps claiming one command name.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pluggy
import souk_sdk
from pydantic import ValidationError
from souk_sdk import Action, ApiRoute, Command, Manifest, hookspecs
from sqlite_utils import Migrations

from .builtins import BUILTINS

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "souk.plugins"


class PluginError(RuntimeError):
    """A mini-app could not be loaded; the message names it and says why."""


@dataclass
class MiniApp:
    name: str
    manifest: Manifest
    plugin: Any
    builtin: bool
    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    routes: list[ApiRoute] = field(default_factory=list)
    migrations: Migrations | None = None

    @property
    def title(self) -> str:
        return self.manifest.title


@dataclass
class Registry:
    """Every loaded mini-app, and the index of command names."""

    pm: pluggy.PluginManager
    apps: dict[str, MiniApp]
    commands: dict[str, tuple[MiniApp, Command]]
    _callers: dict[tuple[str, str], Any] = field(default_factory=dict)

    def app_of(self, plugin_name: str) -> MiniApp | None:
        return self.apps.get(plugin_name)

    def call_one(self, hook_name: str, app: MiniApp, **kwargs: Any) -> list[Any]:
        """Call one hook of one mini-app only, through pluggy (so tracing sees it).

        Returns its results as a list: empty if it lacks the hook or answered ``None``.
        """
        key = (hook_name, app.name)
        caller = self._callers.get(key)
        if caller is None:
            others = [p for p in self.pm.get_plugins() if p is not app.plugin]
            caller = self._callers[key] = self.pm.subset_hook_caller(hook_name, remove_plugins=others)
        result = caller(**kwargs)
        if getattr(self.pm.hook, hook_name).spec.opts.get("firstresult"):
            return [] if result is None else [result]
        return list(result)

    def implements(self, hook_name: str, app: MiniApp) -> bool:
        hook = getattr(self.pm.hook, hook_name)
        return any(impl.plugin is app.plugin for impl in hook.get_hookimpls())


def make_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if os.environ.get("SOUK_TRACE_HOOKS"):
        pm.trace.root.setwriter(lambda message: log.debug("hook %s", message.rstrip()))
        pm.enable_tracing()
    return pm


def load(plugins: Iterable[ModuleType | Any] | None = None) -> Registry:
    """Build the registry from the built-ins and either ``plugins`` or the installed ones."""
    pm = make_plugin_manager()
    builtin_objects = []
    for module in BUILTINS:
        pm.register(module, name=f"builtin_{module.__name__.rsplit('.', 1)[-1]}")
        builtin_objects.append(module)
    try:
        if plugins is None:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        else:
            for plugin in plugins:
                pm.register(plugin)
    except pluggy.PluginValidationError as exc:
        # A hook implementation whose arguments are not in its hookspec.
        raise PluginError(f"invalid hook implementation: {exc}") from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"unknown hook: {exc}") from exc
    apps = _collect_apps(pm, builtin_objects)
    commands = _index_commands(pm, apps)
    _index_actions(pm, apps)
    _index_routes(pm, apps)
    return Registry(pm, apps, commands)


def _collect_apps(pm: pluggy.PluginManager, builtins: list[Any]) -> dict[str, MiniApp]:
    apps: dict[str, MiniApp] = {}
    for impl in pm.hook.souk_manifest.get_hookimpls():
        try:
            manifest = impl.function()
            if not isinstance(manifest, Manifest):
                manifest = Manifest.model_validate(manifest)
        except (ValidationError, TypeError, ValueError) as exc:
            raise PluginError(f"plugin {impl.plugin_name!r} has an invalid manifest: {exc}") from exc
        if not manifest.supports_sdk(souk_sdk.__version__):
            raise PluginError(
                f"mini-app {manifest.name!r} supports SDK {manifest.sdk}, "
                f"not the installed {souk_sdk.__version__}"
            )
        if manifest.name in apps:
            raise PluginError(f"two plugins call themselves {manifest.name!r}")
        app = MiniApp(manifest.name, manifest, impl.plugin, impl.plugin in builtins)
        migrations = [
            impl2.function()
            for impl2 in pm.hook.souk_migrations.get_hookimpls()
            if impl2.plugin is impl.plugin
        ]
        app.migrations = migrations[0] if migrations else None
        apps[manifest.name] = app
    return apps


def _owner(apps: dict[str, MiniApp], plugin: Any, hook: str) -> MiniApp:
    for app in apps.values():
        if app.plugin is plugin:
            return app
    raise PluginError(f"a plugin implements {hook} but has no souk_manifest")


def _index_commands(pm: pluggy.PluginManager, apps: dict[str, MiniApp]) -> dict[str, tuple[MiniApp, Command]]:
    index: dict[str, tuple[MiniApp, Command]] = {}
    for impl in pm.hook.souk_commands.get_hookimpls():
        app = _owner(apps, impl.plugin, "souk_commands")

        def register(cmd: Command, app: MiniApp = app) -> None:
            if not isinstance(cmd, Command):
                raise PluginError(f"{app.name} registered {cmd!r}, not a souk_sdk.command")
            if cmd.name in index:
                other = index[cmd.name][0].name
                raise PluginError(f"the command /{cmd.name} is claimed by both {other!r} and {app.name!r}")
            index[cmd.name] = (app, cmd)
            app.commands[cmd.name] = cmd

        impl.function(**{k: register for k in impl.argnames})
    return index


def _index_actions(pm: pluggy.PluginManager, apps: dict[str, MiniApp]) -> None:
    for impl in pm.hook.souk_actions.get_hookimpls():
        app = _owner(apps, impl.plugin, "souk_actions")

        def register(handler: Action, app: MiniApp = app) -> None:
            if not isinstance(handler, Action):
                raise PluginError(f"{app.name} registered {handler!r}, not a souk_sdk.action")
            if handler.name in app.actions:
                raise PluginError(f"{app.name} registers the action {handler.name!r} twice")
            app.actions[handler.name] = handler

        impl.function(**{k: register for k in impl.argnames})


def _index_routes(pm: pluggy.PluginManager, apps: dict[str, MiniApp]) -> None:
    for impl in pm.hook.souk_api_routes.get_hookimpls():
        app = _owner(apps, impl.plugin, "souk_api_routes")

        def register(route: ApiRoute, app: MiniApp = app) -> None:
            if not isinstance(route, ApiRoute):
                raise PluginError(f"{app.name} registered {route!r}, not a souk_sdk.api_route")
            if any(r.method == route.method and r.path == route.path for r in app.routes):
                raise PluginError(f"{app.name} registers {route.method} {route.path} twice")
            app.routes.append(route)

        impl.function(**{k: register for k in impl.argnames})
