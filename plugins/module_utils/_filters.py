# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: client-side filters over number groups and numbers (the API has none)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

from ansible_collections.sinch.numbers.plugins.module_utils import _input
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import as_int, decimal_amount, known_amount, same_text


def capability_option(value):
    """The capability option, lower-cased (parsed by _input.capability; InputError when unknown)."""
    return _input.capability(value)


def has_capability(item, capability):
    """A shaped group or number offers ``capability`` (its capabilities, or a group's type)."""
    if capability is None:
        return True
    return capability in item.get("capabilities", []) or same_text(item.get("type") or "", capability)


def matches_place(item, group_id=None, country_id=None, city=None, area_code=None):
    """The selector shared by the shop and the rented numbers; text compares case-insensitively."""
    if group_id is not None and (item.get("group_id") is None or as_int(item["group_id"], "groupId") != as_int(group_id, "group_id")):
        return False
    if country_id is not None and not same_text(item.get("country_id") or "", country_id):
        return False
    if city is not None and not same_text(item.get("city") or "", city):
        return False
    if area_code is not None and not same_text(item.get("area_code") or "", area_code):
        return False
    return True


def within_cost(item, max_unit_cost=None):
    """The item costs at most ``max_unit_cost``; an item whose cost is unknown never is (an unknown price is never free)."""
    if max_unit_cost is None:
        return True
    amount = known_amount((item.get("cost") or {}).get("amount"))
    return amount is not None and amount <= decimal_amount(max_unit_cost)


def is_assigned(item, assigned=None):
    """A shaped number is (``assigned=True``) or is not (``False``) on an application; None keeps all."""
    if assigned is None:
        return True
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
        moment = datetime.datetime(*parts, tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    return moment - offset


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
