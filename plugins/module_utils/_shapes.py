# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: Sinch answers turned into snake_case results, and phone number parsing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from decimal import Decimal, InvalidOperation

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError

# Separators people write inside phone numbers; anything else makes the value invalid.
_SEPARATORS = re.compile(r"[\s().\-/]")
_DIGITS = re.compile(r"^[0-9]+$")
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


def as_int(value, field="id"):
    """An id or count from a Sinch answer as an int, whether Sinch sent 13, "13" or 13.0.

    Ids are compared as numbers whatever their JSON type. Raises ValueError naming the field
    when the value is not a whole number (bools are refused: JSON true is not an id).
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("Sinch answered %s %r, which is not a whole number" % (field, value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("Sinch answered %s %r, which is not a whole number" % (field, value))
    text = str(value).strip()
    if text.startswith("+"):
        text = text[1:]
    if not _DIGITS.match(text):
        raise ValueError("Sinch answered %s %r, which is not a whole number" % (field, value))
    return int(text)


def optional_int(value, field="id"):
    """as_int, with None (absent) kept as None."""
    return None if value is None else as_int(value, field)


def known_amount(value):
    """A Decimal from an amount Sinch sent as a number or a numeric string, or None when absent or unreadable.

    An unreadable price is never free: callers treat None as "unknown", never as 0.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def money(raw):
    """Money as returned: amount (float, or None when Sinch sent none or an unreadable one), currency_id,
    and formatted when Sinch sent it."""
    raw = raw if isinstance(raw, dict) else {}
    amount = known_amount(raw.get("amount"))
    result = {"amount": None if amount is None else float(amount), "currency_id": raw.get("currencyId")}
    if raw.get("formatted") is not None:
        result["formatted"] = raw["formatted"]
    return result


def decimal_amount(value):
    """A Decimal for cost arithmetic (never float sums); ValueError for None or an unreadable amount."""
    amount = known_amount(value)
    if amount is None:
        raise ValueError("%r is not an amount of money" % (value,))
    return amount


def lower_list(values):
    return sorted(set(str(v).lower() for v in (values or [])))


def organisation(raw):
    return {
        "id": as_int(raw.get("id"), "organisation id"),
        "name": raw.get("name"),
        "website": raw.get("website"),
        "country_id": raw.get("countryId"),
        "phone": raw.get("phone"),
        "vat_number": raw.get("vatnumber"),
    }


def number_group(raw):
    return {
        "group_id": as_int(raw.get("groupId"), "groupId"),
        "country": raw.get("country"),
        "country_id": raw.get("countryId"),
        "city": raw.get("city"),
        "type": raw.get("type"),
        "availability": as_int(raw.get("availability") or 0, "availability"),
        "area_code": raw.get("areaCode"),
        "cost": money(raw.get("cost")),
        "capabilities": lower_list(raw.get("capabilities")),
    }


def number(raw):
    return {
        "number": as_int(raw.get("number"), "number"),
        "e164": e164(as_int(raw.get("number"), "number")),
        "group_id": optional_int(raw.get("groupId"), "groupId"),
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


def listed_numbers(raw_numbers, what, method="GET", path=None, action=None):
    """``numbers``, with an answer the collection cannot read turned into a SinchError.

    An item that is not an object, or a number / groupId that is not a whole number, is Sinch's
    odd answer, not the user's mistake: callers handle it as they handle a failed request (after
    a write, as a write that may have been applied). ``outcome_unknown`` follows the request's
    method: a write's answer that cannot be read leaves its outcome unknown.
    """
    try:
        return numbers(raw_numbers)
    except (ValueError, TypeError, AttributeError) as err:
        detail = str(err) if isinstance(err, ValueError) else "an item is not an object"
        error = SinchError("the answer listing %s could not be read (%s)" % (what, detail.rstrip(".")),
                           method=method, path=path, outcome_unknown=method != "GET")
        error.action = action
        raise error


def listed_groups(raw_groups, what="the number shop's groups", method="GET", path=None, action=None):
    """``number_group`` for each item, with an answer the collection cannot read (an item that is not an
    object, a groupId or availability that is not a whole number) turned into a SinchError, as ``listed_numbers``."""
    try:
        return [number_group(raw) for raw in raw_groups]
    except (ValueError, TypeError, AttributeError) as err:
        detail = str(err) if isinstance(err, ValueError) else "an item is not an object"
        error = SinchError("the answer listing %s could not be read (%s)" % (what, detail.rstrip(".")),
                           method=method, path=path, outcome_unknown=False)
        error.action = action
        raise error


def same_text(left, right):
    """Case-insensitive, whitespace-trimmed comparison (the API capitalises inconsistently)."""
    return str(left).strip().lower() == str(right).strip().lower()
