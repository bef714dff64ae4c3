"""Finding mini-apps, checking them, and indexing what they offer.

A fresh plugin manager is built for every app (no import-time state), so
tests can inject exactly the mini-apps they want.  Installed mini-apps are
found through the ``souk.plugins`` entry point group, the way pytest and
Datasette find theirs.  Loading fails loudly: a misspelt hook
(``check_pending``), an invalid manifest, an SDK range that excludes the
running SDK, two mini-apps claiming one command name, or a name given to load
that no installed mini-app has.  A subscription to a mini-app or an event type
that does not exist is a warning that names it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy
import souk_sdk
from pydantic import BaseModel, ValidationError
from souk_sdk import FROM_PROVIDER, FROM_SELF, Action, ApiRoute, Command, Manifest, Subscription, hookspecs
from souk_sdk.country_settings import check_settings_model
from sqlite_utils import Migrations

from .builtins import BUILTINS

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "souk.plugins"


class PluginError(RuntimeError):
    """A mini-app could not be loaded; the message names it and says why."""


@dataclass
class InstalledApp:
    name: str
    manifest: Manifest
    plugin: Any
    builtin: bool
    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    routes: list[ApiRoute] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    migrations: Migrations | None = None
    settings: type[BaseModel] | None = None
    """Its per-country settings (``souk_country_settings``), if it declares any."""

    @property
    def title(self) -> str:
        return self.manifest.title


@dataclass
class Registry:
    """Every loaded mini-app, and the index of command names."""

    pm: pluggy.PluginManager
    apps: dict[str, InstalledApp]
    commands: dict[str, tuple[InstalledApp, Command]]
    _callers: dict[tuple[str, str], Any] = field(default_factory=dict)

    def app_of(self, plugin_name: str) -> InstalledApp | None:
        return self.apps.get(plugin_name)

    def call_one(self, hook_name: str, app: InstalledApp, **kwargs: Any) -> list[Any]:
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

    def implements(self, hook_name: str, app: InstalledApp) -> bool:
        hook = getattr(self.pm.hook, hook_name)
        return any(impl.plugin is app.plugin for impl in hook.get_hookimpls())


def make_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    if os.environ.get("SOUK_TRACE_HOOKS"):
        pm.trace.root.setwriter(lambda message: log.debug("hook %s", message.rstrip()))
        pm.enable_tracing()
    return pm


def installed(names: Iterable[str] | None = None) -> list[Any]:
    """The installed mini-apps (``souk.plugins`` entry points), all or those ``names`` name.

    An unknown name is an error that lists what is installed, never a silent skip.
    """
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    wanted = list(found) if names is None else list(names)
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise PluginError(
            f"no installed mini-app is called {', '.join(map(repr, unknown))}; "
            f"installed: {', '.join(sorted(found)) or 'none'}"
        )
    return [found[name].load() for name in wanted]


def load(plugins: Iterable[ModuleType | Any | str] | None = None) -> Registry:
    """Build the registry from the built-ins and either ``plugins`` or the installed ones.

    A string in ``plugins`` names an installed mini-app (its entry point).
    """
    pm = make_plugin_manager()
    builtin_objects = []
    for module in BUILTINS:
        pm.register(module, name=f"builtin_{module.__name__.rsplit('.', 1)[-1]}")
        builtin_objects.append(module)
    chosen = installed() if plugins is None else _resolve(list(plugins))
    try:
        for plugin in chosen:
            pm.register(plugin)
    except pluggy.PluginValidationError as exc:
        # A hook implementation whose arguments are not in its hookspec.
        raise PluginError(f"invalid hook implementation: {exc}") from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"unknown hook: {exc}") from exc
    apps = _collect_apps(pm, builtin_objects)
    _refuse_bare_declarations(chosen, apps)
    commands: dict[str, tuple[InstalledApp, Command]] = {}
    _collect(pm, apps, "souk_commands", Command, lambda app, cmd: _add_command(commands, app, cmd))
    _collect(pm, apps, "souk_actions", Action, _add_action)
    _collect(pm, apps, "souk_api_routes", ApiRoute, _add_route)
    _collect(pm, apps, "souk_subscriptions", Subscription, _add_subscription)
    _warn_about_subscriptions(apps)
    return Registry(pm, apps, commands)


def _resolve(plugins: list[Any]) -> list[Any]:
    names = [p for p in plugins if isinstance(p, str)]
    by_name = dict(zip(names, installed(names), strict=True)) if names else {}
    return [by_name[p] if isinstance(p, str) else p for p in plugins]


def _refuse_bare_declarations(plugins: list[Any], apps: dict[str, InstalledApp]) -> None:
    """A module holding a declared MiniApp was registered instead of the object: say which to use."""
    serving = {id(app.plugin) for app in apps.values()}
    for plugin in plugins:
        if id(plugin) in serving or not isinstance(plugin, ModuleType):
            continue
        inside = [n for n, v in vars(plugin).items() if isinstance(v, souk_sdk.MiniApp)]
        if inside:
            raise PluginError(
                f"{plugin.__name__} declares its mini-app as {inside[0]!r}: load "
                f"{plugin.__name__}:{inside[0]} (the entry point names the object, not the module)"
            )


def _collect_apps(pm: pluggy.PluginManager, builtins: list[Any]) -> dict[str, InstalledApp]:
    apps: dict[str, InstalledApp] = {}
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
        app = InstalledApp(manifest.name, manifest, impl.plugin, impl.plugin in builtins)
        migrations = [
            impl2.function()
            for impl2 in pm.hook.souk_migrations.get_hookimpls()
            if impl2.plugin is impl.plugin
        ]
        app.migrations = migrations[0] if migrations else None
        app.settings = _settings_of(pm, impl.plugin, manifest.name)
        apps[manifest.name] = app
    return apps


def _settings_of(pm: pluggy.PluginManager, plugin: Any, name: str) -> type[BaseModel] | None:
    declared = [i.function() for i in pm.hook.souk_country_settings.get_hookimpls() if i.plugin is plugin]
    if not declared:
        return None
    try:
        return check_settings_model(declared[0], name)
    except ValueError as exc:
        raise PluginError(f"mini-app {name!r} declares settings that cannot be: {exc}") from exc


def _owner(apps: dict[str, InstalledApp], plugin: Any, hook: str) -> InstalledApp:
    for app in apps.values():
        if app.plugin is plugin:
            return app
    raise PluginError(f"a plugin implements {hook} but has no souk_manifest")


def _collect(
    pm: pluggy.PluginManager,
    apps: dict[str, InstalledApp],
    hook_name: str,
    kind: type,
    add: Callable[[InstalledApp, Any], None],
) -> None:
    """Call each mini-app's ``register`` hook; check and index what each registers."""
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        app = _owner(apps, impl.plugin, hook_name)

        def register(item: Any, app: InstalledApp = app) -> None:
            if not isinstance(item, kind):
                raise PluginError(f"{app.name} registered {item!r}, not a souk_sdk.{kind.__name__}")
            add(app, item)

        impl.function(**{k: register for k in impl.argnames})


def _add_command(index: dict[str, tuple[InstalledApp, Command]], app: InstalledApp, cmd: Command) -> None:
    if cmd.name in index:
        other = index[cmd.name][0].name
        raise PluginError(f"the command /{cmd.name} is claimed by both {other!r} and {app.name!r}")
    index[cmd.name] = (app, cmd)
    app.commands[cmd.name] = cmd


def _add_action(app: InstalledApp, handler: Action) -> None:
    if handler.name in app.actions:
        raise PluginError(f"{app.name} registers the action {handler.name!r} twice")
    app.actions[handler.name] = handler


def _add_route(app: InstalledApp, route: ApiRoute) -> None:
    if any(r.method == route.method and r.path == route.path for r in app.routes):
        raise PluginError(f"{app.name} registers {route.method} {route.path} twice")
    app.routes.append(route)


def _add_subscription(app: InstalledApp, subscription: Subscription) -> None:
    source = app.name if subscription.source == FROM_SELF else subscription.source
    if any(s.source == source and s.type == subscription.type for s in app.subscriptions):
        raise PluginError(f"{app.name} subscribes twice to {subscription.type} from {source}")
    app.subscriptions.append(Subscription(subscription.type, subscription.handler, source))


def _warn_about_subscriptions(apps: dict[str, InstalledApp]) -> None:
    providers = [a for a in apps.values() if _implements(a, "souk_payment_provider")]
    for app in apps.values():
        for sub in app.subscriptions:
            if sub.source == FROM_PROVIDER:
                if not providers:
                    log.warning(
                        "%s subscribes to %s, but no payment provider is installed", app.name, sub.type
                    )
                continue
            source = apps.get(sub.source)
            if source is None:
                log.warning(
                    "%s subscribes to %s from %r, which is not installed", app.name, sub.type, sub.source
                )
            elif source is not app and sub.type not in source.manifest.emits:
                log.warning(
                    "%s subscribes to %s from %s, which does not declare it (it emits: %s)",
                    app.name,
                    sub.type,
                    source.name,
                    ", ".join(source.manifest.emits) or "nothing",
                )


def _implements(app: InstalledApp, hook_name: str) -> bool:
    return callable(getattr(app.plugin, hook_name, None))
