# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: Sinch answers turned into snake_case results, and phone number parsing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from decimal import Decimal, InvalidOperation

# Separators people write inside phone numbers; anything else makes the value invalid.
_SEPARATORS = re.compile(r"[\s().\-/]")
_E164_DIGITS = re.compile(r"^[1-9][0-9]{6,14}$")


def parse_number(value):
    """A phone number as the API's long (int), from 14150005550, "+14150005550" or "+1 415-000-5550".

    Raises ValueError with a sentence naming the value when it is not an E.164 phone number.
    """
    if isinstance(value, bool):
        raise ValueError("%r is not a phone number" % (value,))
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = _SEPARATORS.sub("", value.strip())
        if text.startswith("+"):
            text = text[1:]
        elif text.startswith("00"):
            text = text[2:]
    else:
        raise ValueError("%r is not a phone number" % (value,))
    if not _E164_DIGITS.match(text):
        raise ValueError("%r is not a phone number in international format (7 to 15 digits, country code first)" % (value,))
    return int(text)


def e164(number):
    return "+%d" % int(number)


def e164_list(numbers):
    """Sorted (by number) E.164 strings of integer numbers, for diffs, messages and returns."""
    return [e164(number) for number in sorted(numbers)]


def money(raw):
    """Money as returned: amount (float), currency_id, and formatted when Sinch sent it."""
    raw = raw or {}
    result = {"amount": float(raw.get("amount", 0)), "currency_id": raw.get("currencyId")}
    if raw.get("formatted") is not None:
        result["formatted"] = raw["formatted"]
    return result


def decimal_amount(value):
    """A Decimal for cost arithmetic (never float sums)."""
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError("%r is not an amount of money" % (value,))


def lower_list(values):
    return sorted(set(str(v).lower() for v in (values or [])))


def organisation(raw):
    return {
        "id": int(raw["id"]),
        "name": raw.get("name"),
        "website": raw.get("website"),
        "country_id": raw.get("countryId"),
        "phone": raw.get("phone"),
        "vat_number": raw.get("vatnumber"),
    }


def number_group(raw):
    return {
        "group_id": int(raw["groupId"]),
        "country": raw.get("country"),
        "country_id": raw.get("countryId"),
        "city": raw.get("city"),
        "type": raw.get("type"),
        "availability": int(raw.get("availability") or 0),
        "area_code": raw.get("areaCode"),
        "cost": money(raw.get("cost")),
        "capabilities": lower_list(raw.get("capabilities")),
    }


def number(raw):
    return {
        "number": int(raw["number"]),
        "e164": e164(raw["number"]),
        "group_id": raw.get("groupId"),
        "capabilities": lower_list(raw.get("capabilities")),
        "application_key": raw.get("applicationKey"),
        "country_id": raw.get("countryId"),
        "city": raw.get("city"),
        "country": raw.get("country"),
        "area_code": raw.get("areaCode"),
        "expires": raw.get("expires"),
        "cost": money(raw.get("cost")),
    }


def numbers(raw_numbers):
    """API numbers as the collection's number dicts, sorted by number."""
    return sorted((number(raw) for raw in raw_numbers), key=lambda item: item["number"])


def same_text(left, right):
    """Case-insensitive, whitespace-trimmed comparison (the API capitalises inconsistently)."""
    return str(left).strip().lower() == str(right).strip().lower()
