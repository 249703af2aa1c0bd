# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: what rented numbers cost a month, in exact decimals.

Pure functions over shaped numbers (see _shapes.number). Amounts are summed as Decimal and
returned as strings of exact decimals (at least two decimal places: ``"4.00"``, ``"0.125"``), by
currency; a number whose price Sinch did not give is counted apart (``unknown_cost``), never as 0.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils._filters import expires_within
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import known_amount

CENT = Decimal("0.01")


def amount_text(amount):
    """An exact decimal as a string with at least two decimal places."""
    if amount.as_tuple().exponent > -2:
        amount = amount.quantize(CENT)
    return format(amount, "f")


def cost(numbers):
    """{"numbers": n, "monthly_cost": {currency: "amount"}, "unknown_cost": n} over shaped numbers."""
    totals, unknown = {}, 0
    for item in numbers:
        money = item.get("cost") or {}
        amount = known_amount(money.get("amount"))
        if amount is None:
            unknown += 1
            continue
        currency = (money.get("currency_id") or "").upper()
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return {"numbers": len(numbers),
            "monthly_cost": dict((currency, amount_text(totals[currency])) for currency in sorted(totals)),
            "unknown_cost": unknown}


def summary(numbers):
    """How many numbers, their monthly cost by currency, and the same per application and for none.

    ``applications`` maps each application key to its cost(); numbers on no application are in
    ``no_application`` (never under an application key).
    """
    result = cost(numbers)
    by_key = {}
    for item in numbers:
        if item.get("application_key"):
            by_key.setdefault(item["application_key"], []).append(item)
    result["applications"] = dict((key, cost(items)) for key, items in sorted(by_key.items()))
    result["no_application"] = cost([item for item in numbers if not item.get("application_key")])
    return result


def holdings(numbers, claimed, days, now=None):
    """What the organisation holds beyond the rentals: waste and coming expiries, with their cost.

    ``claimed`` is the set of numbers (integers) some rental counts. Returns ``unclaimed`` (held, no
    rental counts them), ``no_application`` (held, on no application) and ``expiring`` (expiring
    within ``days`` days, already expired included), each cost() with its E.164 ``list``.
    """
    def part(items):
        result = cost(items)
        result["list"] = [item["e164"] for item in items]
        return result
    expiring = [item for item in numbers if expires_within(item, days, now)]
    result = {
        "unclaimed": part([item for item in numbers if item["number"] not in claimed]),
        "no_application": part([item for item in numbers if not item.get("application_key")]),
        "expiring": part(expiring),
        "expiry_warning_days": days,
    }
    result["expiring"]["expires"] = dict((item["e164"], item.get("expires")) for item in expiring)
    return result
