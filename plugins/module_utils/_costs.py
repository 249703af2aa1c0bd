# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: what rented numbers cost a month, in exact decimals.

Pure functions over shaped numbers (see _shapes.number). Amounts are summed as Decimal and returned
in the collection's money shape (see _money): a list of ``{"amount": "4.00", "currency_id": "USD"}``, one
per currency; a number whose price Sinch did not give is counted apart (``unknown_cost``), never as 0.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils import _money
from ansible_collections.sinch.numbers.plugins.module_utils._filters import expires_within


def totals(numbers):
    """The monthly cost of shaped numbers (or of objects with a ``cost``), as _money.Totals."""
    result = _money.Totals()
    for item in numbers:
        money = (item.cost if hasattr(item, "cost") else item.get("cost")) or {}
        result.add(_money.amount_of(money.get("amount")), money.get("currency_id"))
    return result


def cost(numbers):
    """{"numbers": n, "monthly_cost": [money, ...], "unknown_cost": n} over shaped numbers."""
    summed = totals(numbers)
    return {"numbers": len(numbers), "monthly_cost": summed.to_result(), "unknown_cost": summed.unknown}


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


def holdings(numbers, claimed, days, now=None, owner_unknown=()):
    """What the organisation holds beyond the rentals: waste and coming expiries, with their cost.

    ``claimed`` is the set of numbers (integers) some rental counts. Returns ``unclaimed`` (held, no
    rental counts them), ``no_application`` (held, on no application) and ``expiring`` (expiring
    within ``days`` days, already expired included), each cost() with its E.164 ``list``. Numbers whose
    application cannot be read (``owner_unknown``) are never said to be on no application.
    """
    def part(items):
        result = cost(items)
        result["list"] = [item["e164"] for item in items]
        return result
    expiring = [item for item in numbers if expires_within(item, days, now)]
    result = {
        "unclaimed": part([item for item in numbers if item["number"] not in claimed]),
        "no_application": part([item for item in numbers
                                if not item.get("application_key") and item["number"] not in owner_unknown]),
        "expiring": part(expiring),
        "expiry_warning_days": days,
    }
    result["expiring"]["expires"] = dict((item["e164"], item.get("expires")) for item in expiring)
    return result
