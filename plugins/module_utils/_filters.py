# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: client-side filters over number groups and numbers (the API has none)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

from ansible_collections.sinch.numbers.plugins.module_utils._money import amount_of
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import same_text


def has_capability(item, capability):
    """A shaped group or number offers ``capability`` (its capabilities, or a group's type)."""
    if capability is None:
        return True
    return capability in (item.get("capabilities") or []) or same_text(item.get("type") or "", capability)


def matches_place(item, group_id=None, country_id=None, city=None, area_code=None):
    """The filter shared by the shop and the rented numbers; text compares case-insensitively.

    A field that could not be read (None) never matches a filter on it (these are reads: a
    module that decides what to buy uses _input.Selector, which tells unknown from "no").
    """
    if group_id is not None and item.get("group_id") != group_id:
        return False
    if country_id is not None and not same_text(item.get("country_id") or "", country_id):
        return False
    if city is not None and not same_text(item.get("city") or "", city):
        return False
    if area_code is not None and not same_text(item.get("area_code") or "", area_code):
        return False
    return True


def within_cost(item, max_unit_cost=None):
    """The item costs at most ``max_unit_cost`` (Decimal); an item whose cost is unknown never does (never free)."""
    if max_unit_cost is None:
        return True
    amount = amount_of((item.get("cost") or {}).get("amount"))
    return amount is not None and amount <= max_unit_cost


def is_assigned(item, assigned=None, unreadable=()):
    """A shaped number is (``assigned=True``) or is not (``False``) on an application; None keeps all.

    ``unreadable`` holds the API field names the listing could not read on ``item`` (``Listing.fields``).
    A number whose ``applicationKey`` Sinch lists unreadably has ``application_key`` None, yet may be on an
    application: it never matches either filter (unknown is never "no", and never "yes").
    """
    if assigned is None:
        return True
    if "applicationKey" in (unreadable or ()):
        return False
    return bool(item.get("application_key")) == bool(assigned)


# The API writes expires as 2015-12-31T23:59:59+00:00; Z, fractions and other offsets are accepted too.
_EXPIRES = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_expires(value):
    """The ``expires`` of a number as an aware UTC datetime, or None when absent or unreadable.

    Hand-parsed because datetime.fromisoformat refuses "Z" before Python 3.11.
    """
    match = _EXPIRES.match(str(value or "").strip())
    if not match:
        return None
    parts = [int(part) for part in match.groups()[:6]]
    zone = match.group(7) or "Z"
    offset = datetime.timedelta(0)
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if zone[0] == "-":
            offset = -offset
    try:
        # A date out of the calendar (February 30th), or one the offset moves past year 1 or 9999, is unreadable.
        return datetime.datetime(*parts, tzinfo=datetime.timezone.utc) - offset
    except (ValueError, OverflowError):
        return None


def expires_within(item, days=None, now=None):
    """A shaped number expires at most ``days`` days from ``now`` (already expired ones included).

    Numbers without a readable ``expires`` are left out, since nothing says when they end.
    """
    if days is None:
        return True
    expires = parse_expires(item.get("expires"))
    if expires is None:
        return False
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return expires <= now + datetime.timedelta(days=days)
