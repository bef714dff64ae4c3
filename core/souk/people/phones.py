"""Phone numbers: E.164 in, region out, through Google's libphonenumber port."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
import phonenumbers.timezone
from babel.core import get_global

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

    @property
    def time_zone(self) -> str:
        """The time zone of the number's region (``Asia/Kolkata``, ``America/Sao_Paulo`` for +55 11).

        A country with one zone has it (CLDR's list, through Babel, which names
        zones as the IANA database does today); where it has several, the
        number says which; otherwise UTC.
        """
        territory = get_global("territory_zones").get(self.country, [])
        if len(territory) == 1:
            return territory[0]
        zones = phonenumbers.timezone.time_zones_for_number(phonenumbers.parse(self.e164, None))
        return next((zone for zone in zones if zone != "Etc/Unknown"), "UTC")


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
