"""The ``souk`` command: run the server, manage mini-apps per country, scaffold a mini-app."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .foundation.errors import CoreError
from .foundation.settings import DEV_CODE, RULE_SETTINGS

if TYPE_CHECKING:
    from .operators.operations import Operations
    from .storage.store import Store

DEFAULT_DATA = "souk-data"


def _data_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: os.environ.get("SOUK_DATA", DEFAULT_DATA),
        show_default="$SOUK_DATA or ./souk-data",
        help="Folder of the databases",
    )(function)


class SoukGroup(click.Group):
    """The root group; mini-apps add their own commands (``souk_cli_commands``) on first need."""

    _loaded = False

    def _load_plugin_commands(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        from .miniapps.cli import add_plugin_commands

        add_plugin_commands(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._load_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return super().list_commands(ctx)


def _parse_limits(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """``NAME=RULE`` options as settings, each rule checked now rather than at the first request."""
    from .foundation.rate_limits import parse_rule_text

    limits: dict[str, str] = {}
    for value in values:
        name, _, rule = value.partition("=")
        name = name.strip()
        if name not in RULE_SETTINGS:
            raise click.BadParameter(f"{name!r} is not a limit; the limits are {', '.join(RULE_SETTINGS)}")
        try:
            parse_rule_text(rule)
        except ValueError:
            raise click.BadParameter(
                f"{rule!r} is not a rule; write it like '30 per 10 seconds; 120 per minute', or 'off'"
            ) from None
        limits[name] = rule
    return limits


@click.group(cls=SoukGroup)
@click.version_option(package_name="souk")
def main() -> None:
    """Souk: a messaging core that mini-apps extend."""


@main.command()
@_data_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--demo", is_flag=True, help=f"Build a demo world; accept the development code {DEV_CODE}")
@click.option(
    "--dev-code", is_flag=True, help=f"Accept the development code {DEV_CODE} (never in production)"
)
@click.option(
    "--log-level", default="info", show_default=True, type=click.Choice(["debug", "info", "warning", "error"])
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    callback=_parse_limits,
    metavar="NAME=RULE",
    help="Change a rate limit, e.g. --limit 'sends_per_user=60 per 10 seconds; 300 per minute' "
    "(or =off); repeatable. Names: " + ", ".join(RULE_SETTINGS),
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the data folder and the address (docs/scaling.md)",
)
@click.option(
    "--redis",
    "redis_url",
    default=lambda: os.environ.get("SOUK_REDIS") or None,
    show_default="$SOUK_REDIS, or none",
    help="Redis URL (redis://HOST:PORT/DB) for live delivery and rate limits across workers",
)
@click.option(
    "--outbound-allow",
    "outbound_allow",
    multiple=True,
    metavar="ADDRESS[:PORT]",
    help="Let the server fetch screens' images from this address although it is not public "
    "(an image server on your network); repeatable. Public addresses need nothing.",
)
def serve(
    data_dir: Path,
    host: str,
    port: int,
    demo: bool,
    dev_code: bool,
    log_level: str,
    limits: dict[str, str],
    workers: int,
    redis_url: str | None,
    outbound_allow: tuple[str, ...],
) -> None:
    """Run the server (HTTP API, WebSocket and web client).

    With ``--workers N`` (N > 1), N processes serve one address; without ``--redis``, a
    message reaches only the people connected to the worker that stored it until they
    resume, so several workers want Redis (a warning says so)."""
    from .app import create_app
    from .foundation.settings import Settings
    from .miniapps.registry import PluginError
    from .runtime import Runtime
    from .serving import LOG_FORMAT, serve_workers
    from .serving import serve as run_server

    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    settings = Settings(
        data_dir,
        dev_code=DEV_CODE if (demo or dev_code) else None,
        demo=demo,
        redis_url=redis_url,
        outbound_allow=outbound_allow,
        **limits,
    )
    try:
        runtime = Runtime.open(settings)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from exc
    if demo:
        _demo_world(runtime)
        click.echo(_demo_help(host, port))
    if workers > 1:
        # The workers build their own runtimes; this one only migrated and built the demo.
        runtime.close()
        if redis_url is None:
            logging.getLogger("souk").warning(
                "%d workers without --redis: live frames reach only the worker that stored them", workers
            )
        serve_workers(settings, workers=workers, host=host, port=port, log_level=log_level)
        return
    app = create_app(settings, runtime=runtime)
    run_server(app, host=host, port=port, log_level=log_level)


def _demo_world(runtime) -> None:  # type: ignore[no-untyped-def]
    """Build the demo world with a progress bar, or say it is there already (a restart)."""
    from .operators import demo

    if demo.is_built(runtime):
        click.echo("Using the demo world already built in this data folder.")
        return
    with click.progressbar(length=3, label="Building the demo world") as bar:
        demo.build(runtime, progress=lambda _step: bar.update(1))
    click.echo("Demo world ready.")


def _demo_help(host: str, port: int) -> str:
    from .operators import demo

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return demo.sign_in_help(f"http://{shown}:{port}")


def _operations(data_dir: Path) -> tuple[Operations, Store]:
    """The operations on a data folder, with the installed mini-apps (loaded only when needed)."""
    from .foundation.clock import SystemClock
    from .miniapps.registry import PluginError, load
    from .operators.operations import Operations
    from .storage.schema import core_migrations
    from .storage.store import Store

    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / "souk.db")
    store.migrate(core_migrations)
    try:
        registry = load()
    except PluginError as exc:
        store.close()
        raise click.ClickException(str(exc)) from exc
    return Operations(store, registry, SystemClock()), store


def _actor() -> str:
    return f"cli:{os.environ.get('USER', 'operator')}"


@main.group()
def plugins() -> None:
    """List installed mini-apps; enable, disable, suspend or resume them."""


@plugins.command("list")
@_data_option
def plugins_list(data_dir: Path) -> None:
    """Name, version, countries enabled and state of each mini-app."""
    ops, store = _operations(data_dir)
    try:
        rows = ops.describe()
    finally:
        store.close()
    table = [
        [
            row["name"],
            row["version"],
            row["state"] + (f" ({row['suspended_reason']})" if row["suspended_reason"] else ""),
            ",".join(c if p == 100 else f"{c}:{p}%" for c, p in row["percents"].items()) or "-",
            ",".join(row["allowed_countries"]),
        ]
        for row in rows
    ]
    click.echo(_table(["NAME", "VERSION", "STATE", "ENABLED IN", "ALLOWED"], table))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns that stay aligned whatever a cell holds (a suspension's reason, a long name)."""
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt="plain", disable_numparse=True)


def _run(data_dir: Path, action) -> object:  # type: ignore[no-untyped-def]
    ops, store = _operations(data_dir)
    try:
        return action(ops)
    except CoreError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        store.close()


@plugins.command("enable")
@click.argument("name")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. BR")
@_data_option
def plugins_enable(name: str, country: str, data_dir: Path) -> None:
    """Enable NAME in a country; a running server sees it on the next message."""
    changed = _run(data_dir, lambda ops: ops.enable(name, country, _actor()))
    click.echo(f"{name} enabled in {country.upper()}" if changed else f"{name} was already enabled there")


@plugins.command("disable")
@click.argument("name")
@click.option("--country", default=None, help="Only this country (default: everywhere)")
@_data_option
def plugins_disable(name: str, country: str | None, data_dir: Path) -> None:
    """Disable NAME in a country, or everywhere."""
    count = _run(data_dir, lambda ops: ops.disable(name, country, _actor()))
    click.echo(f"{name} disabled in {count} countr{'y' if count == 1 else 'ies'}")


@plugins.command("rollout")
@click.argument("name")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. BR")
@click.option(
    "--percent", required=True, type=click.IntRange(0, 100), help="Of the country's people (0: off)"
)
@_data_option
def plugins_rollout(name: str, country: str, percent: int, data_dir: Path) -> None:
    """Put NAME on for a percentage of a country's people; the same people stay in as it grows."""
    changed = _run(data_dir, lambda ops: ops.rollout(name, country, percent, _actor()))
    where = country.upper()
    click.echo(
        f"{name} on for {percent}% of {where}" if changed else f"{name} was already at {percent}% there"
    )


@plugins.command("rollback")
@click.argument("name")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. BR")
@_data_option
def plugins_rollback(name: str, country: str, data_dir: Path) -> None:
    """Put NAME back in a country as it was before its last change there."""
    percent = _run(data_dir, lambda ops: ops.rollback(name, country, _actor()))
    click.echo(f"{name} back to {'off' if percent == 0 else f'{percent}%'} in {country.upper()}")


@plugins.command("suspend")
@click.argument("name")
@click.option("--reason", required=True)
@_data_option
def plugins_suspend(name: str, reason: str, data_dir: Path) -> None:
    """The kill switch: stop NAME everywhere at once; resume brings back every country as it was."""
    _run(data_dir, lambda ops: ops.set_suspended(name, True, reason, _actor()))
    click.echo(f"{name} suspended")


@plugins.command("resume")
@click.argument("name")
@_data_option
def plugins_resume(name: str, data_dir: Path) -> None:
    """Resume NAME after a suspension (by an operator or the breaker)."""
    _run(data_dir, lambda ops: ops.set_suspended(name, False, "resumed by an operator", _actor()))
    click.echo(f"{name} resumed")


@main.command()
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@click.option("--app", default=None, help="Only this mini-app")
@click.option("--country", default=None, help="Only this country")
@click.option("--actor", default=None, help="Only this actor (operator:NAME, cli:USER, breaker, ...)")
@click.option("--action", default=None, help="Only this action (rollout, suspend, setting_change, ...)")
@click.option("--csv", "as_csv", is_flag=True, help="Every matching entry as CSV, oldest first")
@_data_option
def audit(
    limit: int,
    app: str | None,
    country: str | None,
    actor: str | None,
    action: str | None,
    as_csv: bool,
    data_dir: Path,
) -> None:
    """Show the audit log, newest first (or all of it as CSV)."""
    from .operators import audit as audit_log
    from .operators.audit import AuditFilter

    where = AuditFilter(actor=actor, action=action, app=app, country=country)
    if as_csv:
        for line in _run(data_dir, lambda ops: list(audit_log.as_csv(ops.store.db, where))):  # type: ignore[union-attr]
            click.echo(line, nl=False)
        return
    rows = []
    for entry in _run(data_dir, lambda ops: ops.audit(where, limit)):  # type: ignore[union-attr]
        change = ""
        if entry["before"] is not None or entry["after"] is not None:
            change = f" {json.dumps(entry['before'])} -> {json.dumps(entry['after'])}"
        detail = f"{entry['detail'] or ''}{change}".strip()
        rows.append(
            [entry["at"], entry["actor"], entry["action"], entry["app"] or "", entry["country"] or "", detail]
        )
    if not rows:
        click.echo("The audit log has no entries yet." if where == AuditFilter() else "No entry matches.")
        return
    click.echo(_table(["AT", "ACTOR", "ACTION", "APP", "COUNTRY", "DETAIL"], rows))


def _accounts(data_dir: Path, action):  # type: ignore[no-untyped-def]
    """Run ``action`` on the operator accounts of a data folder (no mini-app is loaded)."""
    from .foundation.clock import SystemClock
    from .operators.accounts import Accounts
    from .storage.schema import core_migrations
    from .storage.store import Store

    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / "souk.db")
    try:
        store.migrate(core_migrations)
        return action(Accounts(store, SystemClock()))
    except CoreError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        store.close()


@main.group()
def operators() -> None:
    """Operator accounts (the admin API and the console): add, list, give a new key, revoke."""


@operators.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["owner", "operator", "viewer"]),
    default="operator",
    show_default=True,
    help="owner: everything; operator: changes in its countries; viewer: reads only",
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="A country the account operates in (repeatable; default * for everywhere)",
)
@_data_option
def operators_add(name: str, role: str, countries: tuple[str, ...], data_dir: Path) -> None:
    """Create the operator account NAME and print its sign-in key (shown once)."""
    key = _accounts(data_dir, lambda accounts: accounts.add(name, role, list(countries) or "*", _actor()))
    click.echo(f"Operator {name} ({role}, {','.join(c.upper() for c in countries) or '*'}) created.")
    click.echo(f"Sign-in key (shown only now): {key}")


@operators.command("key")
@click.argument("name")
@_data_option
def operators_key(name: str, data_dir: Path) -> None:
    """Give NAME a new sign-in key: the old one and its sessions stop working."""
    key = _accounts(data_dir, lambda accounts: accounts.new_key(name, _actor()))
    click.echo(f"New sign-in key for {name} (shown only now): {key}")


@operators.command("list")
@_data_option
def operators_list(data_dir: Path) -> None:
    """Every operator account: name, role, countries, and whether it can sign in."""
    rows = _accounts(data_dir, lambda accounts: accounts.list())
    click.echo(f"{'NAME':<20} {'ROLE':<9} {'COUNTRIES':<16} STATUS")
    for row in rows:
        status = (
            f"revoked {row['revoked_at'][:10]}"
            if row["revoked_at"]
            else ("active" if row["has_key"] else "no key yet (souk operators key)")
        )
        click.echo(f"{row['name']:<20} {row['role']:<9} {row['countries']:<16} {status}")


@operators.command("metrics-token")
@_data_option
def operators_metrics_token(data_dir: Path) -> None:
    """A new token for /metrics (Prometheus' bearer token); the previous one stops working."""
    from .foundation.clock import SystemClock
    from .operators.metrics import new_metrics_token

    token = _accounts(data_dir, lambda accounts: new_metrics_token(accounts.store, SystemClock(), _actor()))
    click.echo(f"Metrics token (shown only now): {token}")


@operators.command("revoke")
@click.argument("name")
@_data_option
def operators_revoke(name: str, data_dir: Path) -> None:
    """Revoke NAME: its key and every session it has stop working at once."""
    _accounts(data_dir, lambda accounts: accounts.revoke(name, _actor()))
    click.echo(f"Operator {name} revoked")


@main.group()
def business() -> None:
    """Business accounts: list them, mark one verified (audited), adopt a mini-app's merchants."""


@business.command("list")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10000))
@_data_option
def business_list(limit: int, data_dir: Path) -> None:
    """Handle, name, country, whether verified, and the size of the staff of each business."""
    from .business.accounts import listing

    rows = _run(data_dir, lambda ops: listing(ops.store.db, limit))
    table = [
        ["@" + r["handle"], r["name"], r["country"], "yes" if r["verified"] else "no", str(r["staff"])]
        for r in rows  # type: ignore[attr-defined]
    ]
    click.echo(
        _table(["HANDLE", "NAME", "COUNTRY", "VERIFIED", "STAFF"], table) if table else "No business yet."
    )


@business.command("verify")
@click.argument("handle")
@click.option("--undo", is_flag=True, help="Take the verified mark away")
@_data_option
def business_verify(handle: str, undo: bool, data_dir: Path) -> None:
    """Mark the business HANDLE verified (written to the audit log)."""
    changed = _run(data_dir, lambda ops: ops.set_verified(handle, not undo, _actor()))
    state = "not verified" if undo else "verified"
    click.echo(f"@{handle.lstrip('@').lower()} is {state}" + ("" if changed else " (it already was)"))


@business.command("adopt")
@click.argument("app")
@_data_option
def business_adopt(app: str, data_dir: Path) -> None:
    """Move what the mini-app APP kept before businesses (the shop's shops) onto businesses."""
    from .foundation.settings import Settings
    from .miniapps.adoption import adopt
    from .runtime import Runtime

    runtime = Runtime.open(Settings(data_dir))
    try:
        if app not in runtime.registry.apps:
            raise click.ClickException(f"no mini-app is called {app}")
        done = adopt(runtime, app)
    finally:
        runtime.close()
    click.echo(f"{len(done.created)} businesses created, {len(done.resumed)} finished from a run cut short")
    for key, reason in done.refused.items():
        click.echo(f"  {key} stays as it was: {reason}")


@main.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to write the package",
)
def new_plugin(name: str, parent: Path) -> None:
    """Write a new mini-app package NAME with a command, a screen and a passing test."""
    from .miniapps import scaffold

    try:
        root = scaffold.create(name, parent)
    except (ValueError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {root}")
    click.echo(scaffold.next_steps(root))
