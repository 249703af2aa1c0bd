# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: lists of numbers returned as small as asked (the fields option).

Ansible's cost of a module result grows with its size (the no_log scrub of every value, JSON
encoding, the controller's decoding and callbacks), far more than the module's own work: a
module returning 10,000 full numbers spends most of its time there. Returning only the keys
asked for, or only a count, keeps large lists fast.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# The keys of a number as _shapes.number returns them, in that order.
NUMBER_FIELDS = ("number", "e164", "group_id", "capabilities", "application_key", "country_id", "city", "country",
                 "area_code", "expires", "cost")


def fields_argument():
    """The fields option's spec: a list of number keys, validated by Ansible against NUMBER_FIELDS."""
    return dict(type="list", elements="str", choices=list(NUMBER_FIELDS))


def shaped(numbers, fields):
    """The numbers with only the keys in ``fields`` (all keys when ``fields`` is None); None for ``[]``.

    None means "return no list": the caller leaves the key out of the result.
    """
    if fields is None:
        return numbers
    if not fields:
        return None
    keys = [key for key in NUMBER_FIELDS if key in fields]
    return [dict((key, item[key]) for key in keys) for item in numbers]


def put_numbers(result, key, numbers, fields):
    """Set ``result[key]`` to the shaped numbers, or leave it out when ``fields`` is ``[]``; returns result."""
    value = shaped(numbers, fields)
    if value is None:
        result.pop(key, None)
    else:
        result[key] = value
    return result
