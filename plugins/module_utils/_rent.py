# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: renting numbers (selector, purchase plan, cost guard, reserve and checkout).

The planning half is pure (shop groups in, plan or ValueError out) so that it can be tested
without HTTP. The buying half (``Purchase``) holds the only decisions about repeating a
checkout, since renting costs money and cannot be undone.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._filters import has_capability, matches_place
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import decimal_amount, numbers, same_text

CENT = Decimal("0.01")
# Checkout answers that the module explains in plain words.
RESERVATION_EXPIRED = 40400
NOT_ENOUGH_CREDIT = 40200
NO_ACCOUNTING = 42200
NO_CANCEL = "they expire on their own, since Sinch offers no way to cancel a reservation"


class PlanError(ValueError):
    """The shortfall cannot be bought as asked (availability, currency, cost guard); nothing was written."""


def money_text(amount, currency_id):
    """4.00 USD (amounts rounded to two decimals, the currency's unit of account)."""
    text = str(decimal_amount(amount).quantize(CENT))
    return "%s %s" % (text, currency_id) if currency_id else text


def plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def group_text(group):
    """group 1 (PARIS), the way messages name a group."""
    return "group %d (%s)" % (group["group_id"], group.get("city") or group.get("country_id") or "?")


class Selector(object):
    """Which numbers count towards ``count``: those of a group, or of a place, optionally with a capability."""

    def __init__(self, group_id=None, country_id=None, city=None, area_code=None, capability=None):
        self.group_id = group_id
        self.country_id = country_id
        self.city = city
        self.area_code = area_code
        self.capability = capability

    def matches(self, item):
        """A shaped number or shop group is selected (text compares case-insensitively)."""
        return (matches_place(item, self.group_id, self.country_id, self.city, self.area_code)
                and has_capability(item, self.capability))

    @property
    def capabilities(self):
        """What reserve is asked for: the selector's capability, else the group's own (None)."""
        return [self.capability] if self.capability else None

    def describe(self):
        """in group 1 / in FR, city Paris, area code 01, with voice."""
        if self.group_id is not None:
            parts = ["in group %d" % self.group_id]
        else:
            parts = ["in %s" % self.country_id]
            if self.city is not None:
                parts.append("city %s" % self.city)
            if self.area_code is not None:
                parts.append("area code %s" % self.area_code)
        if self.capability:
            parts.append("with %s" % self.capability)
        return ", ".join(parts)


class Guard(object):
    """The cost guard: highest unit cost, highest total, and the currency they are in (all optional)."""

    def __init__(self, max_unit_cost=None, max_total_cost=None, currency_id=None):
        self.max_unit_cost = None if max_unit_cost is None else decimal_amount(max_unit_cost)
        self.max_total_cost = None if max_total_cost is None else decimal_amount(max_total_cost)
        self.currency_id = currency_id.strip().upper() if currency_id else None
        for name in ("max_unit_cost", "max_total_cost"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                raise ValueError("%s must be 0 or more." % name)

    @property
    def active(self):
        return self.max_unit_cost is not None or self.max_total_cost is not None

    def priced_in(self, group):
        """A group is a candidate: priced in the guard's currency, or any when none is given."""
        return self.currency_id is None or same_text(group["cost"]["currency_id"] or "", self.currency_id)


class PlanLine(object):
    """So many numbers from one group, at its unit cost."""

    def __init__(self, group, quantity):
        self.group = group
        self.quantity = quantity
        self.unit_cost = decimal_amount(group["cost"]["amount"])
        self.currency_id = group["cost"]["currency_id"]

    @property
    def group_id(self):
        return self.group["group_id"]

    @property
    def subtotal(self):
        return self.unit_cost * self.quantity

    def describe(self):
        return "%s: %d x %s" % (group_text(self.group), self.quantity, money_text(self.unit_cost, self.currency_id))


class Plan(object):
    """What a run buys: lines (one per group) in one currency. Money stays Decimal until returned."""

    def __init__(self, lines=None, currency_id=None):
        self.lines = lines or []
        self.currency_id = currency_id

    @property
    def quantity(self):
        return sum(line.quantity for line in self.lines)

    @property
    def total(self):
        return sum((line.subtotal for line in self.lines), Decimal(0))

    def to_result(self):
        """The ``plan`` return value: floats rounded to cents."""
        def cents(amount):
            return float(amount.quantize(CENT))
        return {
            "groups": [{"group_id": line.group_id, "quantity": line.quantity, "unit_cost": cents(line.unit_cost),
                        "subtotal": cents(line.subtotal), "currency_id": line.currency_id} for line in self.lines],
            "total": cents(self.total),
            "currency_id": self.currency_id,
        }

    def describe(self):
        """2 numbers in group 1 (PARIS) for 4.00 USD a month."""
        if len(self.lines) == 1:
            where = group_text(self.lines[0].group)
        else:
            # group 1 (PARIS), group 3 (PARIS) -> groups 1 (PARIS) and 3 (PARIS)
            names = [group_text(line.group)[len("group "):] for line in self.lines]
            where = "groups %s and %s" % (", ".join(names[:-1]), names[-1])
        return "%s in %s for %s a month" % (plural(self.quantity, "number"), where, money_text(self.total, self.currency_id))

    def figures(self):
        """group 1 (PARIS): 2 x 2.00 USD; total 4.00 USD."""
        return "%s; total %s" % ("; ".join(line.describe() for line in self.lines), money_text(self.total, self.currency_id))


def candidates(groups, selector, guard):
    """The shop groups that may be rented from, best first: cheapest, then most available, then lowest id."""
    chosen = [group for group in groups
              if selector.matches(group) and guard.priced_in(group) and group["availability"] > 0]
    return sorted(chosen, key=lambda group: (decimal_amount(group["cost"]["amount"]), -group["availability"], group["group_id"]))


def plan_purchase(groups, selector, shortfall, guard):
    """The plan that buys ``shortfall`` numbers from shaped shop ``groups``, or PlanError.

    Every check happens here, before anything is reserved, so that check mode predicts
    failures exactly as a real run meets them.
    """
    if shortfall <= 0:
        return Plan(currency_id=guard.currency_id)
    _check_group_exists(groups, selector)
    offered = candidates(groups, selector, guard)
    currencies = sorted(set(group["cost"]["currency_id"] for group in offered))
    if guard.currency_id is None and len(currencies) > 1:
        # Prices in different currencies cannot be ranked "cheapest first", nor summed, nor guarded.
        raise PlanError("The groups %s are priced in several currencies (%s), so they cannot be compared or summed: "
                        "set currency_id to rent in one of them. Nothing was reserved."
                        % (selector.describe(), ", ".join(currencies)))
    lines, missing = [], shortfall
    for group in offered:
        if missing == 0:
            break
        take = min(group["availability"], missing)
        lines.append(PlanLine(group, take))
        missing -= take
    if missing:
        raise PlanError(_not_enough(offered, selector, shortfall, guard))
    plan = Plan(lines, lines[0].currency_id)
    check_guard(plan, guard)
    return plan


def _check_group_exists(groups, selector):
    """A given group_id that the shop does not list at all is named as such."""
    if selector.group_id is None:
        return
    found = [group for group in groups if group["group_id"] == selector.group_id]
    if not found:
        raise PlanError("Number group %d is not in the Sinch number shop: it does not exist, or it is sold out (the shop "
                        "does not list a group without numbers). Check group_id (sinch.numbers.sinch_number_shop_info lists "
                        "the groups), or run again when the group has numbers. Nothing was reserved." % selector.group_id)
    if not has_capability(found[0], selector.capability):
        raise PlanError("Number group %d does not offer %s (it offers %s). Nothing was reserved."
                        % (selector.group_id, selector.capability, ", ".join(found[0]["capabilities"]) or "nothing"))


def _not_enough(offered, selector, shortfall, guard):
    """The sentence for a shortfall the shop cannot cover, saying what it does offer."""
    available = sum(group["availability"] for group in offered)
    if offered:
        listing = "; ".join("%s: %d at %s" % (group_text(group), group["availability"],
                                              money_text(group["cost"]["amount"], group["cost"]["currency_id"]))
                            for group in offered)
        have = "the shop has only %d available (%s)" % (available, listing)
    else:
        have = "the shop has none available"
    if guard.currency_id:
        have += ", counting only groups priced in %s" % guard.currency_id
    return ("Cannot rent %d more %s %s: %s. Lower count or widen the selection, or run again when the shop has more. "
            "Nothing was reserved." % (shortfall, "number" if shortfall == 1 else "numbers", selector.describe(), have))


def check_guard(plan, guard):
    """PlanError with the computed figures when the plan exceeds max_unit_cost or max_total_cost."""
    if guard.max_unit_cost is not None:
        dear = [line for line in plan.lines if line.unit_cost > guard.max_unit_cost]
        if dear:
            raise PlanError("The plan exceeds max_unit_cost %s: %s costs %s a number a month (plan %s). "
                            "Raise max_unit_cost or choose another group. Nothing was reserved."
                            % (money_text(guard.max_unit_cost, plan.currency_id), group_text(dear[0].group),
                               money_text(dear[0].unit_cost, plan.currency_id), plan.figures()))
    if guard.max_total_cost is not None and plan.total > guard.max_total_cost:
        raise PlanError("The plan costs %s a month, more than max_total_cost %s (plan %s). "
                        "Raise max_total_cost or lower count. Nothing was reserved."
                        % (money_text(plan.total, plan.currency_id), money_text(guard.max_total_cost, plan.currency_id),
                           plan.figures()))


def read_numbers(client):
    """The organisation's rented numbers, shaped and sorted (one request)."""
    return numbers(client.list_numbers())


def _outcome(err):
    """What a failed checkout got, in words: an answer, or none."""
    if err.status is None:
        return "got no answer (%s)" % err.message.rstrip(".")
    code = " errorCode %s" % err.error_code if err.error_code is not None else ""
    return "was answered HTTP %s%s (%s)" % (err.status, code, err.message.rstrip("."))


def _expired(err):
    """Checkout refused because the reservations expired (and nothing else is uncertain)."""
    return err.error_code == RESERVATION_EXPIRED and not err.outcome_unknown


class Purchase(object):
    """Reserve a plan and check it out, never paying twice.

    ``covered(numbers)`` tells whether shaped rented numbers hold what was wanted; it decides,
    after a checkout whose answer was lost, whether that checkout was applied. After ``run``,
    ``reference_ids`` are the reservations checked out, and ``after`` the rented numbers when a
    recovery read already fetched them (None otherwise: the caller reads them).
    """

    def __init__(self, client, plan, capabilities, covered):
        self.client = client
        self.plan = plan
        self.capabilities = capabilities
        self.covered = covered
        self.reference_ids = []
        self.after = None

    def run(self):
        self._reserve()
        try:
            self._checkout()
        except SinchError as err:
            if not _expired(err):
                raise self._held(err, checkout=True)
            # Nothing was charged: renew the reservations once, for the same plan.
            self._reserve()
            try:
                self._checkout()
            except SinchError as again:
                raise self._held(again, checkout=True)
        return self

    def _reserve(self):
        """One reserve per group, for its whole quantity."""
        self.reference_ids = []
        try:
            for line in self.plan.lines:
                self.reference_ids.append(self.client.reserve(line.group_id, line.quantity, self.capabilities))
        except SinchError as err:
            raise self._held(err, checkout=False)

    def _checkout(self):
        """Check out; when the answer is lost, look before checking out again (once)."""
        try:
            self.client.checkout(self.reference_ids)
            return
        except SinchError as err:
            if not err.outcome_unknown:
                raise
            lost = err
        # The checkout may have been applied although no answer came: never POST again blindly.
        if self._bought(lost):
            return
        try:
            self.client.checkout(self.reference_ids)
            return
        except SinchError as err:
            # Whatever the second answer (40400, 40200, 5xx...), the first checkout may have been
            # applied late and consumed the reservations or the credit: look again before saying so.
            again = err
        if self._bought(lost):
            return
        second = "got no answer either" if again.status is None and lost.status is None else _outcome(again)
        raise self._unknown(lost, "a second checkout with the same reservations %s, and the rented numbers do not "
                                  "show the new numbers" % second)

    def _bought(self, lost):
        """Re-read the rented numbers; True (and keep them) when they hold what was wanted."""
        try:
            rented = read_numbers(self.client)
        except SinchError as err:
            raise self._unknown(lost, "and the rented numbers could not be read to learn whether it was applied (%s)"
                                % err.describe())
        if self.covered(rented):
            self.after = rented
            return True
        return False

    def _unknown(self, lost, why):
        """The checkout may or may not have been applied: say so, and never let it be renewed."""
        failure = SinchError(
            "the checkout %s; %s" % (_outcome(lost), why), method=lost.method, path=lost.path, outcome_unknown=True,
            hint="Sinch may still apply the checkout: read the rented numbers (sinch.numbers.sinch_number_info) before "
                 "running again. Reservation(s) %s were held; %s." % (", ".join(self.reference_ids), NO_CANCEL))
        failure.action = lost.action
        return failure

    def _held(self, err, checkout):
        """Add to a failure that nothing was bought and which reservations are still held."""
        if checkout and err.outcome_unknown:
            return err  # from _unknown, which already said it all
        if checkout and err.error_code == NOT_ENOUGH_CREDIT:
            err.hint = ("The organisation's credit does not cover this plan (%s): add credit to the Sinch account, "
                        "then run again." % self.plan.figures())
        elif checkout and err.error_code == NO_ACCOUNTING:
            err.hint = ("Renting needs accounting set up for the organisation: set it up in the Sinch dashboard, "
                        "then run again.")
        elif checkout and err.error_code == RESERVATION_EXPIRED:
            err.hint = "The reservations expired again after they were renewed once; run again."
        held = "Nothing was bought."
        if self.reference_ids:
            held += " Reservation(s) %s are held; %s." % (", ".join(self.reference_ids), NO_CANCEL)
        if err.outcome_unknown:
            held += " The failed reservation may have been made too; it costs nothing and expires on its own."
        err.hint = ((err.hint + " ") if err.hint else "") + held
        return err
