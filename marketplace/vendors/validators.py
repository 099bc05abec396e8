"""Validators for French legal identifiers and opening hours.

Each raises ``django.core.exceptions.ValidationError`` with a code and one French sentence that
names the bad value, so forms and the admin show it next to the field.
"""

import re

from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.error_codes import error

# La Poste's establishments share this SIREN and follow a different checksum rule.
LA_POSTE_SIREN = "356000000"
_HHMM = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum (doubling every second digit from the right)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def validate_siret(value: str) -> None:
    """Check a SIRET: 14 digits whose Luhn checksum holds (La Poste: digit sum multiple of 5).

    Raises
    ------
    ValidationError
        Code ``siret_format`` when it is not 14 digits, ``siret_checksum`` when the key is wrong.
    """
    if not re.fullmatch(r"\d{14}", value or ""):
        raise error(Code.SIRET_FORMAT, value=value)
    ok = luhn_ok(value)
    if not ok and value.startswith(LA_POSTE_SIREN):
        ok = sum(int(c) for c in value) % 5 == 0
    if not ok:
        raise error(Code.SIRET_CHECKSUM, value=value)


def vat_key(siren: str) -> int:
    """The two-digit key of a French intra-community VAT number for a 9-digit SIREN."""
    return (12 + 3 * (int(siren) % 97)) % 97


def validate_vat_number(value: str) -> None:
    """Check a French intra-community VAT number ``FRkkSSSSSSSSS`` (key computed from the SIREN).

    Raises
    ------
    ValidationError
        Code ``vat_format`` for a malformed number, ``vat_checksum`` for a wrong key.
    """
    if not re.fullmatch(r"FR\d{11}", value or ""):
        raise error(Code.VAT_FORMAT, value=value)
    if int(value[2:4]) != vat_key(value[4:]):
        raise error(Code.VAT_CHECKSUM, value=value)


def validate_opening_hours(value: object) -> None:
    """Check opening hours: ``{"1".."7": [["HH:MM", "HH:MM"], ...]}`` with ordered, disjoint intervals.

    ``"1"`` is Monday (ISO weekday), the same shape as ``territory.RelayPoint.opening_hours``.

    Raises
    ------
    ValidationError
        Code ``hours_format`` naming the weekday or interval at fault.
    """
    if not isinstance(value, dict):
        raise error(Code.HOURS_NOT_A_WEEK)
    for day, intervals in value.items():
        if day not in {str(d) for d in range(1, 8)}:
            raise error(Code.HOURS_UNKNOWN_DAY, day=day)
        if not isinstance(intervals, list):
            raise error(Code.HOURS_NOT_A_LIST, day=day)
        previous_end = ""
        for interval in intervals:
            if (not isinstance(interval, list | tuple) or len(interval) != 2
                    or not all(isinstance(t, str) and _HHMM.match(t) for t in interval)):
                raise error(Code.HOURS_BAD_INTERVAL, interval=interval, day=day)
            start, end = interval
            if not start < end or start < previous_end:
                raise error(Code.HOURS_OVERLAP, start=start, end=end, day=day)
            previous_end = end
