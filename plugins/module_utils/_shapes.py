# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: Sinch answers turned into snake_case records, and phone number parsing.

The API reference says fields of an answer may be missing, and types drift (``13`` or ``"13"``). A
record is shaped with every field it can read; a field it cannot read is None in the record and named
in the listing's ``unreadable`` map (by the API's own name, ``capabilities``, ``groupId``...), so the
logic that decides what to buy or take off an application can tell "unknown" from "no" (see
_planner). ``applicationKey`` is the one field whose absence has a documented meaning: the reference
leaves it out for numbers on no application, so absent (or null) is "on no application", while a
value that is not a key is unreadable.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.sinch.numbers.plugins.module_utils import _money

# Separators people write inside phone numbers; anything else makes the value invalid.
_SEPARATORS = re.compile(r"[\s().\-/]")
_DIGITS = re.compile(r"^[0-9]+$")
_E164_DIGITS = re.compile(r"^[1-9][0-9]{6,14}$")
_COUNTRY_ID = re.compile(r"^[A-Za-z]{2}$")
CAPABILITIES = ("voice", "sms")


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
    result = int_or_none(value)
    if result is None:
        raise ValueError("Sinch answered %s %r, which is not a whole number" % (field, value))
    return result


def int_or_none(value):
    """``as_int`` without the error: None when the value is absent or not a whole number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("+"):
        text = text[1:]
    return int(text) if _DIGITS.match(text) else None


def _text(value):
    """A non-empty string, trimmed; None when absent or not text."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _capabilities(value):
    """Lower-case capabilities, sorted, from a non-empty list of strings; None when unreadable."""
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
        return None
    return sorted(set(item.strip().lower() for item in value))


def _country_id(value):
    """A country id as the API documents it (two letters, ISO 3166-1 alpha-2); None otherwise ("FRA" included)."""
    text = _text(value)
    return text if text is not None and _COUNTRY_ID.match(text) else None


def _area_code(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def money(raw):
    """Sinch's Money as the collection's money shape (amount an exact decimal string, or None when unknown)."""
    amount, currency = _money.from_sinch(raw)
    return _money.money(amount, currency)


def organisation(raw):
    return {
        "id": as_int(raw.get("id"), "organisation id"),
        "name": raw.get("name"),
        "website": raw.get("website"),
        "country_id": raw.get("countryId"),
        "phone": raw.get("phone"),
        "vat_number": raw.get("vatnumber"),
    }


def number(raw):
    """A rented number as (record, unreadable API field names); ValueError when it has no readable number."""
    if not isinstance(raw, dict):
        raise ValueError("an item is not an object")
    value = int_or_none(raw.get("number"))
    if value is None:
        raise ValueError("Sinch answered number %r, which is not a whole number" % (raw.get("number"),))
    unreadable = set()

    def read(field, parse):
        parsed = parse(raw.get(field))
        if parsed is None:
            unreadable.add(field)
        return parsed

    key = raw.get("applicationKey")
    if key is not None and _text(key) is None:
        unreadable.add("applicationKey")
    record = {
        "number": value,
        "e164": e164(value),
        "group_id": read("groupId", int_or_none),
        "capabilities": read("capabilities", _capabilities),
        "application_key": _text(key),
        "country_id": read("countryId", _country_id),
        "city": read("city", _text),
        "country": _text(raw.get("country")),
        "area_code": read("areaCode", _area_code),
        "expires": _text(raw.get("expires")),
        "cost": money(raw.get("cost")),
    }
    if record["cost"]["amount"] is None:
        unreadable.add("cost")  # counted apart in every sum, never as 0; it decides nothing bought
    return record, frozenset(unreadable)


def number_group(raw):
    """A shop group as (record, unreadable API field names); ValueError when it has no readable groupId."""
    if not isinstance(raw, dict):
        raise ValueError("an item is not an object")
    group_id = int_or_none(raw.get("groupId"))
    if group_id is None:
        raise ValueError("Sinch answered groupId %r, which is not a whole number" % (raw.get("groupId"),))
    unreadable = set()
    availability = int_or_none(raw.get("availability"))
    if availability is None or availability < 0:
        unreadable.add("availability")
        availability = 0
    capabilities = _capabilities(raw.get("capabilities"))
    if capabilities is None:
        unreadable.add("capabilities")
    record = {
        "group_id": group_id,
        "country": _text(raw.get("country")),
        "country_id": _country_id(raw.get("countryId")),
        "city": _text(raw.get("city")),
        "type": _text(raw.get("type")),
        "availability": availability,
        "area_code": _area_code(raw.get("areaCode")),
        "cost": money(raw.get("cost")),
        "capabilities": capabilities,
    }
    for field, key in (("countryId", "country_id"), ("city", "city"), ("areaCode", "area_code")):
        if record[key] is None:
            unreadable.add(field)
    if record["cost"]["amount"] is None:
        unreadable.add("cost")  # an unknown price: never free, ranked last (the planner's own rule)
    return record, frozenset(unreadable)


class Listing(object):
    """Records of one answer: those with a readable identity, sorted, and what could not be read.

    ``records`` are shaped dicts; ``unreadable`` maps a record's identity (the number, or the group id)
    to the API field names it lists unreadably; ``unidentified`` counts items without a readable identity
    (not an object, or a number / groupId that is not a whole number).
    """

    def __init__(self, records, unreadable, unidentified, identity):
        self.records = records
        self.unreadable = unreadable
        self.unidentified = unidentified
        self.identity = identity

    @classmethod
    def read(cls, raw_items, shape=None, identity="number"):
        """Shape every item of a JSON list answer (rented numbers by default)."""
        shape = shape or number
        records, unreadable, unidentified = {}, {}, 0
        for raw in raw_items or []:
            try:
                record, fields = shape(raw)
            except ValueError:
                unidentified += 1
                continue
            records[record[identity]] = record
            if fields:
                unreadable[record[identity]] = fields
        ordered = [records[key] for key in sorted(records)]
        return cls(ordered, unreadable, unidentified, identity)

    def fields(self, record):
        """The API field names ``record`` lists unreadably (empty when all are readable)."""
        return self.unreadable.get(record[self.identity], frozenset())

    @property
    def whole(self):
        """Every item read whole."""
        return not self.unreadable and not self.unidentified

    def describe(self, keys=None, limit=5):
        """Which records could not be read, and which fields: "capabilities on +14150005550; groupId on ..."."""
        keys = sorted(self.unreadable if keys is None else keys)
        by_field = {}
        for key in keys:
            for field in self.unreadable.get(key, ()):
                by_field.setdefault(field, []).append(key)
        parts = []
        for field in sorted(by_field):
            keys_of = by_field[field]
            shown = ", ".join(self._label(key) for key in keys_of[:limit])
            if len(keys_of) > limit:
                shown += " and %d more" % (len(keys_of) - limit)
            parts.append("%s on %s" % (field, shown))
        if self.unidentified:
            parts.append("%s without a readable %s" % (_money.plural(self.unidentified, "item"),
                                                       "number" if self.identity == "number" else "groupId"))
        return "; ".join(parts)

    def _label(self, key):
        return e164(key) if self.identity == "number" else "group %d" % key


def listing(raw_items):
    """The rented numbers (or an application's numbers) of an answer, as a Listing."""
    return Listing.read(raw_items)


def shop(raw_items):
    """The shop's groups of an answer, as a Listing keyed by group id."""
    return Listing.read(raw_items, number_group, "group_id")


def same_text(left, right):
    """Case-insensitive, whitespace-trimmed comparison (the API capitalises inconsistently)."""
    return str(left).strip().lower() == str(right).strip().lower()
