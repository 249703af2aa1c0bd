# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the fingerprint of a rentals plan (``plan_id``) and why two plans differ.

A plan id names everything a run of sinch_number_rentals would write, and the cost guards it was
planned under, so that a plan approved in check mode can be applied exactly, or refused when the
world changed in between. Pure functions: the same plan gives the same id on any machine.

The canonical plan (``plan_fingerprint_data``), version 2, is a dict of five categories:

- ``quantities``: per number group to rent, ``{"group_id": int, "quantity": int, "capabilities": [...] or None,
  "selected_capabilities": [...]}``, sorted by group: the quantity and the capabilities the reservation asks
  for (every capability of the group; None: the group's own), and the capabilities the rentals buying from it
  select (``"any"`` for a rental that selects none), so a plan approved for voice never applies to sms;
- ``prices``: per number group to rent, ``{"group_id": int, "unit_cost": str or None, "currency_id": str or None}``
  (the unit cost as the shortest exact decimal: ``"2"`` for 2, 2.0 and ``"2.00"``; None when unknown);
- ``applications``: per application and capability whose numbers change, the resulting number set
  ``{"application_key", "capability", "numbers": [E.164 sorted, then "(new number in group N)" placeholders]}``;
- ``guards``: ``{"max_unit_cost", "max_total_cost", "currency_id"}`` (amounts as above);
- ``organisation``: ``{"organisation_id": int}``, so a plan approved for one organisation never applies to another.

Each category is written as JSON with sorted keys and no spaces, and hashed with SHA-256; the id is
``snp2-`` followed by the first 16 hexadecimal digits of each category's hash, in the order
quantities, prices, applications, guards, organisation, separated by ``-``. A converged state writes
nothing: its id is that of empty quantities, prices and applications with the guards and organisation
of the call. Version 1 (``snp1-``, collection 0.2) covered neither the organisation nor the capabilities.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import re

from ansible_collections.sinch.numbers.plugins.module_utils._errors import PlanError
from ansible_collections.sinch.numbers.plugins.module_utils._money import amount_of as known_amount

PREFIX = "snp2"
VERSION = 2
CATEGORIES = ("quantities", "prices", "applications", "guards", "organisation")
DIGITS = 16
PLAN_ID = re.compile(r"^%s(-[0-9a-f]{%d}){%d}$" % (PREFIX, DIGITS, len(CATEGORIES)))

# What a changed category means to the operator, for the refusal's sentence.
MEANING = {
    "quantities": "the numbers to rent per group (availability in the shop, or the numbers held, changed)",
    "prices": "the prices of the groups to rent",
    "applications": "the numbers the applications would hold (numbers were rented, assigned or taken off since)",
    "guards": "the cost guards (max_unit_cost, max_total_cost, currency_id)",
    "organisation": "the organisation",
}


class PlanIdError(PlanError):
    """expected_plan_id names another plan than the one computed now; nothing was reserved or written."""


def decimal_text(value):
    """The shortest exact decimal of an amount ("2" for 2, 2.0, "2.00"), None when there is none."""
    amount = known_amount(value)
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return "%d" % amount
    return format(amount.normalize(), "f")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _text(value):
    return None if value is None else "%s" % value


def canonical(groups, applications, guard, organisation_id=None):
    """The canonical plan (version 2) from plain values.

    ``groups``: iterable of dicts with group_id, quantity, unit_cost (Decimal, number, string or None),
    currency_id, capabilities (what the reservation asks for) and selected_capabilities (what the rentals
    select, None for none); several entries of one group are added up (they must share one price).
    ``applications``: iterable of dicts with application_key, capability and numbers (E.164 strings,
    integers, or placeholders), only those the plan writes. ``guard``: dict with max_unit_cost,
    max_total_cost and currency_id (any may be None).
    """
    quantities, prices, sent, selected = {}, {}, {}, {}
    for group in groups or []:
        group_id = _int(group["group_id"])
        quantity = int(group["quantity"])
        if quantity <= 0:
            continue
        quantities[group_id] = quantities.get(group_id, 0) + quantity
        capabilities = group.get("capabilities")
        sent[group_id] = sorted(set(c.lower() for c in capabilities)) if capabilities else None
        selected.setdefault(group_id, set()).update(
            (c or "any").lower() for c in (group.get("selected_capabilities") or [None]))
        currency = group.get("currency_id")
        prices[group_id] = {"group_id": group_id, "unit_cost": decimal_text(group.get("unit_cost")),
                            "currency_id": currency.upper() if currency else None}
    order = sorted(quantities, key=lambda value: (str(type(value)), value))
    written = []
    for entry in applications or []:
        numbers = [_number_text(number) for number in entry.get("numbers") or []]
        known = sorted(set(n for n in numbers if n.startswith("+")), key=lambda n: int(n[1:]))
        others = sorted(n for n in numbers if not n.startswith("+"))
        written.append({"application_key": _text(entry["application_key"]), "capability": _text(entry.get("capability")),
                        "numbers": known + others})
    written.sort(key=lambda item: (item["application_key"] or "", item["capability"] or ""))
    guard = guard or {}
    currency = guard.get("currency_id")
    return {
        "version": VERSION,
        "quantities": [{"group_id": group_id, "quantity": quantities[group_id], "capabilities": sent[group_id],
                        "selected_capabilities": sorted(selected[group_id])} for group_id in order],
        "prices": [prices[group_id] for group_id in order],
        "applications": written,
        "guards": {"max_unit_cost": decimal_text(guard.get("max_unit_cost")),
                   "max_total_cost": decimal_text(guard.get("max_total_cost")),
                   "currency_id": currency.strip().upper() if currency else None},
        "organisation": {"organisation_id": _int(organisation_id) if organisation_id is not None else None},
    }


def _number_text(number):
    """E.164 for a number given as int, digits or E.164; anything else (a placeholder) as is."""
    text = ("%s" % number).strip()
    digits = text[1:] if text.startswith("+") else text
    if digits.isdigit():
        return "+%d" % int(digits)
    return text


def category_hash(data, category):
    text = json.dumps(data[category], sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def plan_id(data):
    """The id of a canonical plan: snp2-<quantities>-<prices>-<applications>-<guards>-<organisation>."""
    return "-".join([PREFIX] + [category_hash(data, category) for category in CATEGORIES])


def differing(expected, data):
    """The categories in which the plan ``data`` differs from the plan id ``expected``."""
    parts = expected.split("-")[1:]
    return [category for category, part in zip(CATEGORIES, parts) if part != category_hash(data, category)]


def describe(data, category):
    """A category of the current plan in words, for the refusal."""
    if category == "quantities":
        return ", ".join("group %s: %d (reserved with %s, for %s)" % (
            item["group_id"], item["quantity"], ", ".join(item["capabilities"] or ["its own capabilities"]),
            ", ".join(item["selected_capabilities"])) for item in data[category]) or "nothing to rent"
    if category == "organisation":
        return "organisation %s" % data[category]["organisation_id"]
    if category == "prices":
        return ", ".join("group %s: %s" % (item["group_id"], "unknown price" if item["unit_cost"] is None
                                           else "%s %s" % (item["unit_cost"], item["currency_id"] or ""))
                         for item in data[category]).replace(" ,", ",").strip() or "nothing to rent"
    if category == "applications":
        return "; ".join("%s numbers of application %s: %s" % (item["capability"], item["application_key"],
                                                               ", ".join(item["numbers"]) or "none")
                         for item in data[category]) or "no application changes"
    guards = data[category]
    return ", ".join("%s %s" % (key, guards[key] if guards[key] is not None else "unset")
                     for key in ("max_unit_cost", "max_total_cost", "currency_id"))


def check(expected, data):
    """PlanIdError when the plan computed now is not the approved one, naming what differs; None when it is.

    ``expected`` was checked by _input.plan_id (a version 2 plan id, lower case).
    """
    now = plan_id(data)
    if expected == now:
        return None
    changed = differing(expected, data)
    words = "; ".join("%s changed (now: %s)" % (MEANING[category], describe(data, category)) for category in changed)
    raise PlanIdError("Refused to apply: the plan computed now (plan_id %s) is not the approved plan %s: %s. Nothing "
                      "was reserved or assigned" % (now, expected, words),
                      hint="Review the new plan (run in check mode) and approve its plan_id.")
