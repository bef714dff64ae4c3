"""Declared chat commands and screen actions, with typed arguments.

A command is declared, not parsed by hand: a name, a one-line help and a
pydantic model of its arguments.  ``/pay @ana 12.50 lunch with ana`` is split
into words (quotes group words), the words fill the model's fields in order,
and the last field, when it is a ``str``, takes the rest of the line.  A field
typed :class:`souk_sdk.PublicUser` takes an ``@handle`` that the core resolves
to the user as this mini-app sees them.  The handler receives a validated model
instance, and a wrong argument gets a usage reply instead of reaching it.
"""

from __future__ import annotations

import inspect
import re
import shlex
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .context import PublicUser
from .errors import UsageError
from .manifest import Scope

Handler = Callable[..., Any | Awaitable[Any]]
MentionResolver = Callable[[str], PublicUser | None]

_COMMAND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class NoArgs(BaseModel):
    """The arguments of a command that takes none."""


@dataclass(frozen=True)
class Command:
    """A chat command; made by :func:`command`."""

    name: str
    help: str
    handler: Handler
    args: type[BaseModel] = NoArgs
    scopes: tuple[Scope, ...] | None = None
    public: bool = False
    """Whether the line typed belongs to the conversation; by default only its sender sees it."""

    @property
    def usage(self) -> str:
        return usage_line(self.name, self.args)

    def parse(self, text: str, resolve: MentionResolver | None = None) -> BaseModel:
        return parse_arguments(self.args, text, resolve, usage=self.usage)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.handler(*args, **kwargs)


@dataclass(frozen=True)
class Action:
    """A handler for the buttons and forms whose ``action`` is ``name``."""

    name: str
    handler: Handler
    payload: type[BaseModel] | None = None
    scopes: tuple[Scope, ...] | None = field(default=None)
    once: bool = False
    """Whether the screen is done once this ran: a later press on it runs nothing."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.handler(*args, **kwargs)


def command(
    name: str,
    *,
    help: str,
    args: type[BaseModel] = NoArgs,
    scopes: list[Scope] | None = None,
    public: bool = False,
) -> Callable[[Handler], Command]:
    """Declare ``handler(ctx, args)`` as the chat command ``/name``.

    ``scopes`` are the scopes of user data the command needs; the user is asked
    for any not yet granted before it runs.  ``None`` means all the scopes the
    manifest lists.

    The line typed (``/topup 500``) is seen by its sender only, as a slash
    command in Slack is, so a group does not learn what someone buys or holds.
    ``public=True`` says the line belongs to the conversation (a ``/poll``
    everyone should see asked).
    """
    if not _COMMAND_NAME.fullmatch(name):
        raise ValueError(f"command name {name!r}: use 1-32 lower-case letters, digits or _")
    if not help.strip() or "\n" in help:
        raise ValueError(f"command {name!r}: help must be one non-empty line")

    def decorate(handler: Handler) -> Command:
        _check_arity(handler, 2, f"command {name!r}")
        return Command(name, help.strip(), handler, args, None if scopes is None else tuple(scopes), public)

    return decorate


def action(
    name: str,
    *,
    payload: type[BaseModel] | None = None,
    scopes: list[Scope] | None = None,
    once: bool = False,
) -> Callable[[Handler], Action]:
    """Declare ``handler(ctx, press)`` for buttons and forms whose action is ``name``.

    ``payload``, when given, is a model the stored payload is validated into
    (``press.payload`` is then an instance of it).

    ``once=True`` makes the press final for its screen (Confirm, Pay, Decline):
    the core lets one press of that screen run at a time, and once the handler
    has returned, any later press on the same version of the screen answers
    "already done" and runs nothing.  A handler that raises leaves the screen
    live, and one that replaces the screen (``ctx.replace``) starts a new
    version whose buttons are live again.
    """

    def decorate(handler: Handler) -> Action:
        _check_arity(handler, 2, f"action {name!r}")
        return Action(name, handler, payload, None if scopes is None else tuple(scopes), once)

    return decorate


def _check_arity(handler: Handler, count: int, what: str) -> None:
    params = [
        p
        for p in inspect.signature(handler).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(params) != count:
        raise TypeError(f"{what}: the handler must take (ctx, args), got {len(params)} parameters")


def is_user_field(annotation: Any) -> bool:
    """Whether a field takes a person (`@handle`), resolved by the core to a PublicUser."""
    if annotation is PublicUser:
        return True
    return any(is_user_field(arg) for arg in typing.get_args(annotation))


def _is_text_field(annotation: Any) -> bool:
    if annotation is str:
        return True
    args = typing.get_args(annotation)
    return bool(args) and all(a is str or a is type(None) for a in args) and str in args


def usage_line(name: str, model: type[BaseModel]) -> str:
    """``/pay @to amount [note]``: required words bare, optional ones in brackets."""
    parts = [f"/{name}"]
    for field_name, info in model.model_fields.items():
        word = f"@{field_name}" if is_user_field(info.annotation) else field_name
        parts.append(word if info.is_required() else f"[{word}]")
    return " ".join(parts)


def split_words(text: str) -> list[str]:
    """Split like a shell (quotes group words); unbalanced quotes fall back to spaces."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse_arguments(
    model: type[BaseModel],
    text: str,
    resolve: MentionResolver | None = None,
    usage: str = "",
) -> BaseModel:
    """Fill ``model`` from the words of ``text``; raise :class:`UsageError` if they do not fit."""
    words = split_words(text)
    fields = list(model.model_fields.items())
    values: dict[str, Any] = {}
    for index, (field_name, info) in enumerate(fields):
        if not words:
            break
        is_last = index == len(fields) - 1
        if is_last and _is_text_field(info.annotation):
            values[field_name] = " ".join(words)
            words = []
            break
        word = words.pop(0)
        if is_user_field(info.annotation):
            values[field_name] = _resolve_mention(word, resolve, usage)
        else:
            values[field_name] = word
    if words:
        raise UsageError(f"Too many words: {' '.join(words)!r}", usage)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise UsageError(describe_validation_error(exc), usage) from None


def _resolve_mention(word: str, resolve: MentionResolver | None, usage: str) -> PublicUser:
    if not word.startswith("@") or len(word) < 2:
        raise UsageError(f"{word!r} is not a person: write @ and their handle, like @ana", usage)
    user = resolve(word[1:]) if resolve else None
    if user is None:
        raise UsageError(f"Nobody called {word} is in this conversation", usage)
    return user


def describe_validation_error(exc: ValidationError) -> str:
    """One readable line per problem, naming the field, without pydantic's URLs."""
    lines = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "value"
        if error["type"] == "missing":
            lines.append(f"{where} is missing")
        else:
            lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)
