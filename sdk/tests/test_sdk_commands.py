"""Declared commands: words fill typed fields, and a wrong argument gets a usage reply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel, Field
from souk_sdk import Command, NoArgs, PublicUser, UsageError, action, command
from souk_sdk.commands import parse_arguments, split_words, usage_line


class PayArgs(BaseModel):
    to: PublicUser
    amount: Decimal = Field(gt=0)
    note: str | None = None


class PairArgs(BaseModel):
    first: str
    second: str


class CountArgs(BaseModel):
    count: int


PEOPLE = {
    "ana": PublicUser(id="u_ana", display_name="Ana"),
    "bob": PublicUser(id="u_bob", display_name="Bob"),
}


def resolve(handle: str) -> PublicUser | None:
    return PEOPLE.get(handle)


@command("pay", help="Pay someone", args=PayArgs)
async def pay(ctx, args):  # type: ignore[no-untyped-def]
    return "paid"


def test_the_last_str_field_takes_the_rest_of_the_line() -> None:
    args = pay.parse("@ana 12.50 lunch with   ana", resolve)
    assert args == PayArgs(to=PEOPLE["ana"], amount=Decimal("12.50"), note="lunch with ana")


def test_optional_fields_may_be_left_out() -> None:
    args = pay.parse("@bob 3", resolve)
    assert args.note is None and args.amount == Decimal(3)


def test_quotes_group_words() -> None:
    assert split_words('"hello world" x') == ["hello world", "x"]
    args = parse_arguments(PairArgs, "'São Paulo' Rio de Janeiro")
    assert args.first == "São Paulo"
    assert args.second == "Rio de Janeiro"


def test_unbalanced_quotes_fall_back_to_spaces() -> None:
    assert split_words('it"s fine') == ['it"s', "fine"]
    assert parse_arguments(PairArgs, 'it"s fine').first == 'it"s'


def test_a_mention_resolves_to_the_person_as_the_mini_app_sees_them() -> None:
    assert pay.parse("@bob 1", resolve).to == PublicUser(id="u_bob", display_name="Bob")


def test_an_unknown_mention_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        pay.parse("@zoe 1", resolve)
    assert caught.value.args[0] == "Nobody called @zoe is in this conversation"
    assert str(caught.value) == "Nobody called @zoe is in this conversation\nUsage: /pay @to amount [note]"


def test_a_word_without_at_is_not_a_person() -> None:
    with pytest.raises(UsageError, match="'ana' is not a person: write @ and their handle"):
        pay.parse("ana 1", resolve)
    with pytest.raises(UsageError, match="is not a person"):
        pay.parse("@ 1", resolve)


def test_without_a_resolver_nobody_can_be_mentioned() -> None:
    with pytest.raises(UsageError, match="Nobody called @ana"):
        pay.parse("@ana 1")


def test_the_usage_line_marks_optional_words_and_mentions() -> None:
    assert pay.usage == "/pay @to amount [note]"
    assert usage_line("pair", PairArgs) == "/pair first second"
    assert usage_line("none", NoArgs) == "/none"


def test_too_many_words_are_refused() -> None:
    with pytest.raises(UsageError) as caught:
        parse_arguments(CountArgs, "1 2 3", usage="/count count")
    assert caught.value.args[0] == "Too many words: '2 3'"
    assert caught.value.usage == "/count count"
    with pytest.raises(UsageError, match="Too many words: 'extra'"):
        parse_arguments(NoArgs, "extra")


def test_validation_errors_name_the_field_without_urls() -> None:
    with pytest.raises(UsageError) as caught:
        pay.parse("@ana lots", resolve)
    message = caught.value.args[0]
    assert message.startswith("amount: ")
    assert "decimal" in message.lower()
    assert "http" not in message
    with pytest.raises(UsageError, match="amount: Input should be greater than 0"):
        pay.parse("@ana -5", resolve)


def test_a_missing_argument_is_named() -> None:
    with pytest.raises(UsageError) as caught:
        pay.parse("", resolve)
    assert caught.value.args[0] == "to is missing; amount is missing"
    with pytest.raises(UsageError, match=r"^amount is missing\n"):
        pay.parse("@ana", resolve)


def test_an_empty_line_fits_no_arguments() -> None:
    assert parse_arguments(NoArgs, "   ") == NoArgs()


def test_command_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        command("Pay", help="x")
    with pytest.raises(ValueError, match="lower-case"):
        command("a" * 33, help="x")
    with pytest.raises(ValueError, match="one non-empty line"):
        command("pay", help="two\nlines")
    with pytest.raises(ValueError, match="one non-empty line"):
        command("pay", help="  ")
    with pytest.raises(TypeError, match="must take \\(ctx, args\\)"):
        command("pay", help="x")(lambda ctx: None)
    with pytest.raises(TypeError, match="action 'buy'"):
        action("buy")(lambda ctx, press, extra: None)


def test_a_command_keeps_what_it_was_declared_with() -> None:
    assert isinstance(pay, Command)
    assert (pay.name, pay.help, pay.args, pay.scopes) == ("pay", "Pay someone", PayArgs, None)
    limited = command("see", help="  Look  ", scopes=["profile"])(lambda ctx, args: "seen")
    assert limited.help == "Look" and limited.scopes == ("profile",)
    assert limited(None, None) == "seen"
    buy = action("buy", scopes=[])(lambda ctx, press: "bought")
    assert buy.scopes == () and buy.payload is None and buy(None, None) == "bought"
