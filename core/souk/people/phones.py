"""Phone numbers: E.164 in, region out, through Google's libphonenumber port."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

PHONE_FORM = r"^ *\+[1-9][0-9 ().-]*$"
"""How a number is written: ``+``, the country code, digits with spaces, dots, dashes or brackets.

A full match (never a search): the API publishes it as the phone fields' pattern.
"""
_PHONE_FORM = re.compile(PHONE_FORM)


class InvalidPhone(ValueError):
    pass


@dataclass(frozen=True)
class Phone:
    e164: str
    country: str


def parse_phone(text: str) -> Phone:
    """Parse an international number (``+91 98765 43210``); the country comes from it."""
    if not isinstance(text, str) or not _PHONE_FORM.fullmatch(text) or len(text) > 32:
        raise InvalidPhone("write the number in international form, starting with + and the country code")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise InvalidPhone("this is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("this number does not exist in its country's numbering plan")
    region = phonenumbers.region_code_for_number(number)
    if not region or region == "001":
        raise InvalidPhone("numbers that belong to no country cannot sign in")
    return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), region)
