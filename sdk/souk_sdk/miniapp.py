"""The declarative mini-app: one object that says everything a mini-app is and does.

A mini-app builds one :class:`MiniApp` in its ``plugin.py`` and points its
``souk.plugins`` entry point at it (``hello = "souk_hello.plugin:app"``)::

    app = MiniApp(Manifest(name="hello", title="Hello", version="1.0.0"), migrations=migrations)

    @app.command("hello", help="Say hello", args=HelloArgs)
    async def hello(ctx, args): ...

    @app.on_payment("succeeded")
    async def paid(ctx, event): ...

The object provides the hook implementations itself (``souk_manifest``,
``souk_commands``, ``souk_subscriptions``, ...), so ``plugin.py`` reads as the
mini-app's table of contents.  Only the hooks the mini-app configured are
implemented: pluggy and the core see exactly what it declared.  Hooks the
object does not cover (a payment provider, a code sender) are added with
:meth:`MiniApp.hook`, next to the declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from .api import ApiRoute, api_route
from .commands import Action, Command, NoArgs, action, command
from .country_settings import check_settings_model
from .hookspecs import hookimpl
from .manifest import Manifest, Scope
from .subscriptions import FROM_PROVIDER, FROM_SELF, PaymentOutcome, Subscription

if TYPE_CHECKING:
    from sqlite_utils import Migrations

F = TypeVar("F", bound=Callable[..., Any])
Declared = Command | Action | ApiRoute | Subscription


class MiniApp:
    """A mini-app, declared once; register it (or point the entry point) as a pluggy plugin."""

    def __init__(
        self,
        manifest: Manifest,
        *,
        migrations: Migrations | None = None,
        settings: type[BaseModel] | None = None,
    ) -> None:
        self.manifest = manifest
        self.commands: list[Command] = []
        self.actions: list[Action] = []
        self.routes: list[ApiRoute] = []
        self.subscriptions: list[Subscription] = []
        self._install("souk_manifest", lambda: self.manifest)
        self._install("souk_commands", lambda register: _each(register, self.commands))
        self._install("souk_actions", lambda register: _each(register, self.actions))
        self._install("souk_api_routes", lambda register: _each(register, self.routes))
        self._install("souk_subscriptions", lambda register: _each(register, self.subscriptions))
        if migrations is not None:
            self._install("souk_migrations", lambda: migrations)
        self.settings = settings
        if settings is not None:
            check_settings_model(settings, manifest.name)
            self._install("souk_country_settings", lambda: settings)

    @property
    def name(self) -> str:
        return self.manifest.name

    def __repr__(self) -> str:
        return f"<MiniApp {self.name} {self.manifest.version}>"

    # -- declaring what it offers ------------------------------------------------------------

    def add(self, *items: Declared) -> None:
        """Add commands, actions, routes and subscriptions made elsewhere (in their own modules)."""
        for item in items:
            if isinstance(item, Command):
                self.commands.append(item)
            elif isinstance(item, Action):
                self.actions.append(item)
            elif isinstance(item, ApiRoute):
                self.routes.append(item)
            elif isinstance(item, Subscription):
                self.subscriptions.append(item)
            else:
                raise TypeError(f"{self.name}: cannot add {item!r}; make it with command, action, api_route")

    def command(
        self,
        name: str,
        *,
        help: str,
        args: type[BaseModel] = NoArgs,
        scopes: list[Scope] | None = None,
        public: bool = False,
    ) -> Callable[[Callable[..., Any]], Command]:
        """Declare and add ``handler(ctx, args)`` as ``/name`` (see :func:`souk_sdk.command`)."""
        make = command(name, help=help, args=args, scopes=scopes, public=public)
        return lambda handler: self._added(make(handler))

    def action(
        self,
        name: str,
        *,
        payload: type[BaseModel] | None = None,
        scopes: list[Scope] | None = None,
        once: bool = False,
    ) -> Callable[[Callable[..., Any]], Action]:
        """Declare and add ``handler(ctx, press)`` for the action ``name`` (see :func:`souk_sdk.action`)."""
        make = action(name, payload=payload, scopes=scopes, once=once)
        return lambda handler: self._added(make(handler))

    def route(self, method: Any, path: str, **options: Any) -> Callable[[Callable[..., Any]], ApiRoute]:
        """Declare and add an HTTP endpoint (see :func:`souk_sdk.api_route`)."""
        make = api_route(method, path, **options)
        return lambda handler: self._added(make(handler))

    def on(self, type: str, *, source: str) -> Callable[[F], F]:
        """Receive events of ``type`` emitted by the mini-app called ``source``."""
        return self._subscribe(type, source)

    def on_payment(self, outcome: PaymentOutcome) -> Callable[[F], F]:
        """Receive ``payment.<outcome>`` about payments this mini-app requested, from their provider."""
        return self._subscribe(f"payment.{outcome}", FROM_PROVIDER)

    def on_timer(self, type: str) -> Callable[[F], F]:
        """Receive this mini-app's own timers of ``type`` (set with ``tx.schedule``)."""
        return self._subscribe(type, FROM_SELF)

    # -- the rest of what a mini-app may have -------------------------------------------------

    def cli(self, add_commands: F) -> F:
        """``add_commands(cli, open_database)`` adds a ``souk <name> ...`` group (``souk_cli_commands``)."""
        self._install("souk_cli_commands", lambda cli, open_database: add_commands(cli, open_database))
        return add_commands

    def demo(self, build: F) -> F:
        """``build(demo)`` adds this mini-app's part of the demo world (``souk_demo``)."""
        self._install("souk_demo", lambda demo: build(demo))
        return build

    def businesses(self, claims: Callable[..., Any], adopted: Callable[..., Any]) -> None:
        """``claims(db)`` and ``adopted(db, key, business_id)``: moving onto businesses (SDK 1.3).

        See ``souk_business_claims`` and ``souk_business_adopted``.
        """
        self._install("souk_business_claims", lambda db: claims(db))
        self._install("souk_business_adopted", lambda db, key, business_id: adopted(db, key, business_id))

    def export(self, export_user: F) -> F:
        """``export_user(db, user_id) -> dict``: what it holds about a user (``souk_export_user``)."""
        self._install("souk_export_user", lambda db, user_id: export_user(db, user_id))
        return export_user

    def erase(self, erase_user: F) -> F:
        """``erase_user(db, user_id, replacement) -> Erasure`` (``souk_erase_user``)."""
        self._install(
            "souk_erase_user", lambda db, user_id, replacement: erase_user(db, user_id, replacement)
        )
        return erase_user

    def hook(self, function: F) -> F:
        """Add a raw hook implementation, named after its hook (``souk_payment_provider``, ...)."""
        name = function.__name__
        if not name.startswith("souk_"):
            raise ValueError(f"{name}: a hook implementation is named after its hook, souk_...")
        self.__dict__[name] = function if hasattr(function, "souk_impl") else hookimpl(function)
        return function

    # -- inside ------------------------------------------------------------------------------

    def _added(self, item: Any) -> Any:
        self.add(item)
        return item

    def _subscribe(self, type: str, source: str) -> Callable[[F], F]:
        def decorate(handler: F) -> F:
            self.add(Subscription(type, handler, source))
            return handler

        return decorate

    def _install(self, hook_name: str, function: Callable[..., Any]) -> None:
        # pluggy reads hook implementations from the instance's own attributes, so only
        # what this mini-app configured is implemented (and listed by pluggy's tracing).
        function.__name__ = hook_name
        self.__dict__[hook_name] = hookimpl(function)


def _each(register: Callable[[Any], None], items: list[Any]) -> None:
    for item in items:
        register(item)
