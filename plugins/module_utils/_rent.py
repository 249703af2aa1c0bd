# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: sinch_number_rent, the one-rental, organisation-level case of the renting run.

No planning here: the rental is planned by _planner and bought by _purchase through
_rentals.Renting, exactly as a rental of sinch_number_rentals without an application; this file only
shapes the module's documented return values (plan, spent, rented, numbers, diff...).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils import _money, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._fields import put_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._input import Guard, Rental, Selector
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff
from ansible_collections.sinch.numbers.plugins.module_utils._planner import PLACEHOLDER, group_text
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import Renting

DIFF_HEADER = "rented numbers matching the selection"


def rental_of(params):
    """The module's options as the one rental it declares (parsed already by _input)."""
    selector = Selector(params["group_id"], params["country_id"], params["city"], params["area_code"],
                        params["capability"])
    rental = Rental("rent", selector, params["count"])
    rental.label = "the selection %s" % selector.words()
    return rental


def matching(renting, listing):
    """The numbers of ``listing`` the rental surely counts, sorted by number."""
    rental = renting.rentals[0]
    return [item for item in listing.records if rental.selector.match(item, listing.fields(item)) is True]


def number_rent(client, params, check_mode, **purchase_options):
    """Rent the shortfall of numbers matching the selection; see the module's documentation for the request budget.

    The result's ``numbers`` is shaped by ``fields`` (see _fields.shaped); ``held`` is always returned.
    """
    renting = Renting(client, [rental_of(params)], Guard.from_params(params), check_mode, options=params,
                      **purchase_options)
    client.journal.partial = lambda: rent_result(renting, failed=True)
    renting.run()
    result = rent_result(renting)
    result["held"] = len(result["numbers"])
    return put_numbers(result, "numbers", result["numbers"], params.get("fields"))


def plan_words(lines, quantity, cost):
    """2 numbers in group 1 (PARIS) for 4.00 USD a month."""
    if len(lines) == 1:
        where = group_text(lines[0].group)
    else:
        names = [group_text(line.group)[len("group "):] for line in lines]
        where = "groups %s and %s" % (", ".join(names[:-1]), names[-1])
    return "%s in %s for %s a month" % (_money.plural(quantity, "number"), where, cost.words())


def plan_result(plan):
    cost = plan.cost()
    lines = plan.lines
    total = None
    currencies = cost.currencies
    if not cost.unknown and len(currencies) <= 1:
        total = cost.in_currency(currencies[0] if currencies else None)
    return {"groups": [line.to_result() for line in lines],
            "total": _money.money(total, currencies[0] if currencies else None),
            "cost_known": not cost.unknown,
            "unknown_cost": cost.unknown}


def rent_result(renting, failed=False):
    """The documented return values of sinch_number_rent (on failure, what was bought so far)."""
    plan = renting.plan
    if failed and not renting.client.journal.changed:
        # Refused or failed before any write: the failure's sentence says it all.
        return {"pending_purchase": renting.pending.to_result() if renting.pending else [], "check_mode": renting.check_mode}
    if plan is None:
        return {}
    before = matching(renting, renting.listing)
    after = matching(renting, renting.after or renting.listing)
    known, count, maybe_count, maybe = renting.bought()
    purchase = renting.purchase
    bought = set(number for state in purchase.bought() for number in state.numbers) if purchase is not None else set()
    bought.update(number for entry, checkout in renting.resent() if checkout.status == APPLIED for number in entry.listed)
    rented = [item for item in (renting.after or renting.listing).records if item["number"] in bought]
    currency = known.currencies[0] if known.currencies else None
    spent = None if (known.unknown or maybe_count) else known.in_currency(currency)
    result = {
        "check_mode": renting.check_mode,
        "plan": plan_result(plan),
        "rented": rented,
        "rented_count": count,
        "unlisted_count": sum(state.missing for state in purchase.unlisted() if state.status == "bought") if purchase else 0,
        "spent": _money.money(spent, currency or (plan.lines[0].currency_id if plan.lines else renting.guard.currency_id)),
        "bought_per_group": [{"group_id": state.line.group_id, "quantity": state.line.quantity,
                              "bought": state.quantity if state.status == "bought" else 0}
                             for state in purchase.states] if purchase else [],
        "reference_ids": purchase.reference_ids if purchase else [],
        "pending_purchase": renting.pending.to_result() if renting.pending else [],
        "numbers": after,
    }
    if maybe_count:
        result["maybe_rented_count"] = maybe_count
        result["maybe_spent"] = maybe.to_result()
    if failed:
        return result
    if not plan.rents:
        result["msg"] = "The organisation already holds %s; nothing rented." % _money.plural(len(before), "matching number")
        # A checkout of an earlier purchase sent again (see _pending) is a change, even when the plan rents nothing.
        result["changed"] = renting.client.journal.changed or bool(renting.would_resend)
        if renting.notes():
            result["msg"] += " " + renting.notes()
        result["diff"] = diff(_e164(before), _e164(before), DIFF_HEADER)
        result["numbers"] = before
        return result
    words = plan_words(plan.lines, plan.quantity, plan.cost())
    count_wanted = renting.rentals[0].count
    if renting.check_mode:
        placeholders = [PLACEHOLDER % line.group_id for line in plan.lines for _unit in range(line.quantity)]
        result.update({
            "changed": True,
            "msg": "Would rent %s; the organisation would then hold %s.%s"
                   % (words, _money.plural(count_wanted, "matching number"),
                      (" " + renting.notes()) if renting.notes() else ""),
            "numbers": before,
            "diff": diff(_e164(before), _e164(before) + placeholders, DIFF_HEADER),
        })
        return result
    result.update({
        "changed": True,
        "msg": "Rented %s; the organisation now holds %s%s." % (
            words, _money.plural(len(after), "matching number"), _unreadable_words(renting)),
        "diff": diff(_e164(before), _e164(after), DIFF_HEADER),
    })
    return result


def _unreadable_words(renting):
    """ (and 2 more that may match, whose fields cannot be read): numbers the count leaves out as unknown."""
    listing = renting.after or renting.listing
    rental = renting.rentals[0]
    maybe = [item for item in listing.records if rental.selector.match(item, listing.fields(item)) is None]
    if not maybe:
        return ""
    return " (and %s that may match, whose fields Sinch lists unreadably)" % _money.plural(len(maybe), "more")


def _e164(records):
    return _shapes.e164_list(item["number"] for item in records)
