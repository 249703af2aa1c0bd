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

import time
from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._filters import has_capability, matches_place
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import decimal_amount, known_amount, listed_numbers, same_text

CENT = Decimal("0.01")
# Checkout answers that the module explains in plain words.
RESERVATION_EXPIRED = 40400
NOT_ENOUGH_CREDIT = 40200
NO_ACCOUNTING = 42200
NO_CANCEL = "they expire on their own, since Sinch offers no way to cancel a reservation"
# Waits (seconds) between the reads that look for bought numbers a lagging read does not list yet.
SETTLE_DELAYS = (0.5, 1.0, 2.0, 4.0)
UNKNOWN = "unknown"


class PlanError(ValueError):
    """The shortfall cannot be bought as asked (availability, currency, cost guard); nothing was written."""


def money_text(amount, currency_id):
    """4.00 USD (amounts rounded to two decimals, the currency's unit of account); "an unknown amount" for None."""
    if known_amount(amount) is None:
        return "an unknown amount"
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
        """A group is a candidate: priced in the guard's currency, or any when none is given.

        A group whose price is unreadable stays a candidate (ranked last); the guard refuses it by name.
        """
        if self.currency_id is None or unit_cost(group) is None:
            return True
        return same_text(group["cost"]["currency_id"] or "", self.currency_id)


def unit_cost(group):
    """A shaped group's (or number's) monthly cost as a Decimal, or None when Sinch sent no readable cost."""
    return known_amount((group.get("cost") or {}).get("amount"))


class PlanLine(object):
    """So many numbers from one group, at its unit cost (None: Sinch lists no readable cost for the group).

    ``capabilities`` is what reserve asks for (None: the group's own). A multi-rental plan may hold
    several lines of one group; bought numbers are attributed to them in order.
    """

    def __init__(self, group, quantity, capabilities=None):
        self.group = group
        self.quantity = quantity
        self.unit_cost = unit_cost(group)
        self.currency_id = (group.get("cost") or {}).get("currency_id")
        self.capabilities = capabilities

    @property
    def group_id(self):
        return self.group["group_id"]

    @property
    def subtotal(self):
        """quantity x unit cost, or None when the cost is unknown."""
        return None if self.unit_cost is None else self.unit_cost * self.quantity

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
        """The monthly total, or None when a line's cost is unknown (an unknown price is never counted as 0)."""
        if self.unknown_cost_groups:
            return None
        return sum((line.subtotal for line in self.lines), Decimal(0))

    @property
    def unknown_cost_groups(self):
        """Ids of the plan's groups that Sinch lists without a readable cost."""
        return sorted(set(line.group_id for line in self.lines if line.unit_cost is None))

    def to_result(self):
        """The ``plan`` return value: floats rounded to cents, None where the cost is unknown."""
        return {
            "groups": [{"group_id": line.group_id, "quantity": line.quantity, "unit_cost": cents(line.unit_cost),
                        "subtotal": cents(line.subtotal), "currency_id": line.currency_id,
                        "cost_known": line.unit_cost is not None} for line in self.lines],
            "total": cents(self.total),
            "currency_id": self.currency_id,
            "cost_known": not self.unknown_cost_groups,
            "unknown_cost_groups": self.unknown_cost_groups,
        }

    def describe(self):
        """2 numbers in group 1 (PARIS) for 4.00 USD a month."""
        if len(self.lines) == 1:
            where = group_text(self.lines[0].group)
        else:
            # group 1 (PARIS), group 3 (PARIS) -> groups 1 (PARIS) and 3 (PARIS)
            names = [group_text(line.group)[len("group "):] for line in self.lines]
            where = "groups %s and %s" % (", ".join(names[:-1]), names[-1])
        if self.unknown_cost_groups:
            return "%s in %s for an unknown amount a month (Sinch lists no cost for group %s)" % (
                plural(self.quantity, "number"), where, ", ".join(str(gid) for gid in self.unknown_cost_groups))
        return "%s in %s for %s a month" % (plural(self.quantity, "number"), where, money_text(self.total, self.currency_id))

    def figures(self):
        """group 1 (PARIS): 2 x 2.00 USD; total 4.00 USD."""
        return "%s; total %s" % ("; ".join(line.describe() for line in self.lines), money_text(self.total, self.currency_id))


def cents(amount):
    """A Decimal as a float rounded to cents; None stays None (unknown)."""
    return None if amount is None else float(amount.quantize(CENT))


def candidates(groups, selector, guard):
    """The shop groups that may be rented from, best first: cheapest, then most available, then lowest id."""
    chosen = [group for group in groups
              if selector.matches(group) and guard.priced_in(group) and group["availability"] > 0]
    # An unknown price is never "cheapest": groups without a readable cost come last.
    return sorted(chosen, key=lambda group: (unit_cost(group) is None, unit_cost(group) or Decimal(0),
                                             -group["availability"], group["group_id"]))


def plan_purchase(groups, selector, shortfall, guard, capabilities=None):
    """The plan that buys ``shortfall`` numbers from shaped shop ``groups``, or PlanError.

    Every check happens here, before anything is reserved, so that check mode predicts
    failures exactly as a real run meets them.
    """
    if shortfall <= 0:
        return Plan(currency_id=guard.currency_id)
    _check_group_exists(groups, selector)
    offered = candidates(groups, selector, guard)
    currencies = sorted(set(group["cost"]["currency_id"] for group in offered
                            if unit_cost(group) is not None and group["cost"]["currency_id"]))
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
        lines.append(PlanLine(group, take, capabilities if capabilities is not None else selector.capabilities))
        missing -= take
    if missing:
        raise PlanError(_not_enough(offered, selector, shortfall, guard))
    known = [line.currency_id for line in lines if line.unit_cost is not None and line.currency_id]
    plan = Plan(lines, known[0] if known else guard.currency_id)
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
    """PlanError with the computed figures when the plan exceeds max_unit_cost or max_total_cost.

    Under either guard, a group whose cost Sinch does not list readably is refused by name.
    """
    if guard.active and plan.unknown_cost_groups:
        line = [item for item in plan.lines if item.unit_cost is None][0]
        names = [name for name in ("max_unit_cost", "max_total_cost") if getattr(guard, name) is not None]
        raise PlanError("The plan needs %s, but Sinch lists no readable cost for it, and an unknown price is never "
                        "taken as free: it cannot be rented under %s. Choose another group, or drop %s to rent it at "
                        "whatever it costs. Nothing was reserved."
                        % (group_text(line.group), " and ".join(names), " and ".join(names)))
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
    """The organisation's rented numbers, shaped and sorted (one request).

    An answer the collection cannot read is a SinchError like a failed read, never a ValueError:
    after a checkout it ends the purchase as a failed read does (bought, or outcome unknown).
    """
    return listed_numbers(client.list_numbers(), "the rented numbers", path="v1/organisations/id/%s/numbers"
                          % client.organisation_id, action="list the rented numbers of organisation %s" % client.organisation_id)


def _outcome(err):
    """What a failed request got, in words: an answer, or none."""
    if err.status is None:
        return "got no answer (%s)" % err.message.rstrip(".")
    code = " errorCode %s" % err.error_code if err.error_code is not None else ""
    return "was answered HTTP %s%s (%s)" % (err.status, code, err.message.rstrip("."))


def _refused(err):
    """A definite answer that applied nothing under either reading of the API (not 40400, not 5xx, not lost)."""
    return err.status is not None and not err.outcome_unknown and err.error_code != RESERVATION_EXPIRED and err.status < 500


class PurchaseError(SinchError):
    """A purchase failed; says exactly what was (or may have been) bought.

    ``changed`` is True when numbers were bought or may have been. ``bought`` lists the shaped numbers
    known bought (per line in ``lines``), ``unlisted`` how many were bought but not listed yet,
    ``outcome_unknown`` that a checkout's outcome could not be learnt.
    """

    def __init__(self, message, purchase, cause, changed, hint=None, outcome_unknown=False):
        super(PurchaseError, self).__init__(message, status=cause.status, error_code=cause.error_code,
                                            method=cause.method, path=cause.path, outcome_unknown=outcome_unknown,
                                            hint=hint)
        self.action = cause.action
        self.changed = changed
        self.purchase = purchase

    def describe(self, action=None):
        # The message is the whole sentence: it names the request, the answer and what was bought.
        return self.message + ((" " + self.hint) if self.hint else "")

    def to_result(self):
        result = super(PurchaseError, self).to_result()
        result.update(self.purchase.to_result())
        if self.outcome_unknown:
            # What a lost checkout bought is not known: never report it as 0.
            result["spent"]["amount"] = None
        result["changed"] = self.changed
        result["check_mode"] = False
        return result


class LineState(object):
    """One plan line during a purchase: its live reservation and the numbers attributed to it."""

    def __init__(self, line):
        self.line = line
        self.reservation = None     # the referenceId held for this line, if any
        self.reserved = 0           # its quantity
        self.maybe_applied = False  # it went through a checkout whose answer leaves its fate open
        self.applied = False        # a checkout containing it succeeded
        self.numbers = []           # shaped numbers attributed to this line

    @property
    def missing(self):
        return self.line.quantity - len(self.numbers)


class Purchase(object):
    """Buy plan lines, never paying twice: a small state machine over lines (reserve, checkout, read, attribute).

    ``lines`` are PlanLine objects (group, quantity, unit_cost, capabilities); ``before`` the numbers the
    organisation held before (ints, or shaped numbers). Bought numbers are recognised by reading the rented
    numbers: those not held before are attributed to lines of their group, in line order, up to each
    line's quantity. After ``run()``, ``bought(line_index)`` / ``states[i].numbers`` are the numbers bought
    per line, ``reference_ids`` the reservations checked out, ``after`` the last read (shaped).

    After a checkout answer that is not a plain success (40400, 5xx, lost answer) the rented numbers are
    read first; lines whose numbers arrived are done; a still-missing line's reservation is checked out on
    its own (a consumed reservation answers 40400, so this never pays twice); a line is re-reserved, for
    its missing quantity only and at most ``renewals`` times, only when the (settling) reads do not show
    its numbers AND a definite answer proves it was not applied, since 40400 means consumed as well as
    expired and reads may lag beyond the settling reads. Proofs: it was the only line of a checkout
    answered a definite 40400 (not lost, not 5xx); or the checkout answered a definite 40400 and another
    of its lines was bought by its lone checkout (the checkout was then all or nothing: nothing applied).
    Without a proof (a lost or 5xx checkout; a 40400 of several lines whose lone checkouts all answer
    40400, which a still-valid line applied under the partial reading answers too) it stops with
    "outcome unknown" (changed) and never reserves again. Trade-off: a reservation that merely expired
    in those cases ends the run unknown instead of renewed (a re-run after reading the rented numbers
    buys the rest); the common case, one group expired under all or nothing, still buys exactly the plan.
    When the outcome cannot be learnt (the recovery read fails, or a lone checkout is lost too),
    it stops with a PurchaseError saying so, and never checks out again.
    """

    def __init__(self, client, lines, before=(), sleep=None, settle_delays=None, renewals=1):
        self.client = client
        self.states = [LineState(line) for line in lines]
        self.before = set(item["number"] if isinstance(item, dict) else int(item) for item in before)
        self.sleep = sleep or time.sleep
        self.settle_delays = tuple(SETTLE_DELAYS if settle_delays is None else settle_delays)
        self.renewals = renewals
        self.reference_ids = []   # every reservation checked out (or tried)
        self.held = []            # reservations made and not known consumed
        self.after = None
        self.reads = 0
        self._renewed = 0

    # --- results ----------------------------------------------------------------------------------
    @property
    def lines(self):
        return [state.line for state in self.states]

    def bought(self):
        """Every shaped number bought and listed, sorted by number."""
        return sorted((item for state in self.states for item in state.numbers), key=lambda item: item["number"])

    def unlisted(self):
        """How many numbers a successful checkout bought that no read lists yet."""
        return sum(state.missing for state in self.states if state.applied)

    def spent(self):
        """Monthly cost of what was bought (listed or not), Decimal; None when a bought line's cost is unknown."""
        total = Decimal(0)
        for state in self.states:
            count = len(state.numbers) + (state.missing if state.applied else 0)
            if count and state.line.unit_cost is None:
                return None
            if count:
                total += state.line.unit_cost * count
        return total

    def to_result(self):
        """Result fields saying what this purchase bought (for success and failure alike)."""
        bought = self.bought()
        spent = self.spent()
        return {
            "rented": bought,
            "rented_count": len(bought) + self.unlisted(),
            "unlisted_count": self.unlisted(),
            "spent": {"amount": cents(spent), "currency_id": self._currency(), "cost_known": spent is not None},
            "reference_ids": list(self.reference_ids),
            "bought_per_group": [{"group_id": state.line.group_id, "quantity": state.line.quantity,
                                  "bought": len(state.numbers) + (state.missing if state.applied else 0)}
                                 for state in self.states],
        }

    def _currency(self):
        known = [state.line.currency_id for state in self.states if state.line.currency_id]
        return known[0] if known else None

    # --- the machine ------------------------------------------------------------------------------
    def run(self):
        while True:
            pending = [state for state in self.states if state.missing > 0]
            if not pending:
                return self
            self._reserve(pending)
            refs = [state.reservation for state in pending]
            try:
                self.client.checkout(refs)
            except SinchError as err:
                self._recover(err, pending)
                continue
            for state in pending:
                self._consumed(state, applied=True)
                state.maybe_applied = False
            self._settle(pending, lambda: self._fail_unlisted(None))
            return self

    def _reserve(self, pending):
        """One reserve per line without a live reservation, for what it still misses."""
        for state in pending:
            if state.reservation is not None:
                continue
            try:
                state.reservation = self.client.reserve(state.line.group_id, state.missing, state.line.capabilities)
            except SinchError as err:
                what = "reserving %d number(s) of %s %s" % (state.missing, group_text(state.line.group), _outcome(err))
                raise self._fail(err, what, reserve_unknown=err.outcome_unknown)
            state.reserved = state.missing
            state.maybe_applied = False
            self.held.append(state.reservation)

    def _consumed(self, state, applied):
        if state.reservation in self.held:
            self.held.remove(state.reservation)
        if state.reservation not in self.reference_ids:
            self.reference_ids.append(state.reservation)
        state.applied = applied
        state.reservation = None if not applied else state.reservation

    def _recover(self, err, pending):
        """After a checkout that was not a plain success: read, attribute, check out lone, re-reserve proven lines."""
        sent = [state.reservation for state in pending]
        for state in pending:
            if state.reservation not in self.reference_ids:
                self.reference_ids.append(state.reservation)
        definite = (err.error_code == RESERVATION_EXPIRED and not err.outcome_unknown
                    and err.status is not None and err.status < 500)
        definite_lone = definite and len(pending) == 1
        lone_applied = False
        if not _refused(err):
            # Even a lone 40400 may hide a reservation consumed by an earlier attempt: reads decide, not the answer.
            for state in pending:
                state.maybe_applied = True
        self._read(err, "the checkout of reservation(s) %s %s" % (", ".join(s.reservation for s in pending), _outcome(err)))
        if _refused(err):
            # Credit, accounting, a bad request: nothing applied (the read above shows it); renewing cannot help.
            raise self._fail(err, "the checkout of reservation(s) %s %s" % (", ".join(sent), _outcome(err)),
                             hint=self._hint(err))
        missing = [state for state in pending if state.missing > 0]
        for state in pending:
            if state.missing <= 0:
                self._consumed(state, applied=False)
        gone = []
        for state in missing:
            if definite_lone:
                gone.append(state)
                continue
            try:
                self.client.checkout([state.reservation])
            except SinchError as lone:
                if lone.error_code == RESERVATION_EXPIRED and not lone.outcome_unknown:
                    gone.append(state)
                    continue
                if _refused(lone) and not state.maybe_applied:
                    self._read(lone, "the checkout of reservation %s alone %s" % (state.reservation, _outcome(lone)))
                    raise self._fail(lone, "the checkout of reservation %s alone %s" % (state.reservation, _outcome(lone)),
                                     hint=self._hint(lone))
                # Lost or 5xx again: look once more, then stop; never a third checkout of it.
                self._read(lone, "the checkout of reservation %s alone %s" % (state.reservation, _outcome(lone)))
                if state.missing > 0:
                    raise self._unknown(lone, "the checkout of reservation %s alone %s, and the rented numbers do not show "
                                              "its numbers" % (state.reservation, _outcome(lone)))
                self._consumed(state, applied=False)
                continue
            self._consumed(state, applied=True)
            lone_applied = True
        # A gone line may be reserved again only when its non-application is proven by a definite answer that no
        # other outcome explains: it was the only line of a checkout answered 40400, or the checkout answered 40400
        # and another line's lone checkout succeeded (so that checkout applied nothing: all or nothing). Otherwise
        # (a lost or 5xx checkout, or a 40400 that may have applied the still-valid lines) reads alone decide.
        proven = definite_lone or (definite and lone_applied)
        for state in gone:
            self._consumed(state, applied=False)
        # Lines bought by a lone checkout must show; lines whose reservation is gone but may have been applied
        # are looked for until the reads settle, before anything is reserved again.
        waiting = [state for state in missing if state.applied or (state in gone and state.maybe_applied)]
        if waiting:
            # A lone checkout was sent since the last read when any line was applied by it.
            self._settle(waiting, lambda: None, read_first=any(state.applied for state in waiting))
            unlisted = [state for state in missing if state.applied and state.missing > 0]
            if unlisted and (proven or not any(state.missing > 0 for state in gone)):
                self._fail_unlisted(err)
        for state in gone:
            if state.missing > 0 and not proven:
                # Said as unknown (with what is known bought, listed or not): this line may have been bought too.
                raise self._unknown(err, "the checkout of reservation(s) %s %s, so it may have been applied, and the "
                                         "rented numbers do not list the numbers of %s yet (its reservation, checked out "
                                         "alone, was answered that it is consumed or expired)"
                                    % (", ".join(sent), _outcome(err), group_text(state.line.group)))
        for state in gone:
            if state.missing > 0:
                if self._renewed >= self.renewals:
                    times = "once" if self.renewals == 1 else "%d times" % self.renewals
                    what = ("the checkout of reservation(s) %s %s: the reservations expired again after they were "
                            "renewed %s" % (", ".join(sent), _outcome(err), times))
                    raise self._fail(err, what, hint="Run again.")
                state.reservation = None
        if any(state.missing > 0 and state.reservation is None for state in self.states):
            self._renewed += 1

    def _read(self, cause, what):
        """Read and attribute; a failed read ends the purchase as "outcome unknown" (nothing is checked out again),
        or, when every checkout sent is known applied, as bought but not listed."""
        try:
            rented = read_numbers(self.client)
        except SinchError as err:
            if cause is None:
                raise PurchaseError(
                    "The checkout of reservation(s) %s succeeded: it %s; but the rented numbers could not be read to "
                    "list them (%s)." % (", ".join(self.reference_ids), self._summary(), err.describe()), self, err,
                    changed=True, hint="Run again to see the new numbers (a re-run counts them and does not rent them twice).")
            raise self._unknown(cause, "%s, and the rented numbers could not be read to learn what was bought (%s)"
                                % (what, err.describe()))
        self.reads += 1
        self._attribute(rented)
        return rented

    def _attribute(self, rented):
        """Give each new number (not held before) to the first line of its group that still misses numbers."""
        self.after = rented
        for state in self.states:
            state.numbers = []
        for item in rented:
            if item["number"] in self.before:
                continue
            for state in self.states:
                if item.get("group_id") == state.line.group_id and len(state.numbers) < state.line.quantity:
                    state.numbers.append(item)
                    break

    def _settle(self, states, on_timeout, read_first=True):
        """Read until ``states`` show all their numbers, with backoff (bounded); then ``on_timeout()``."""
        known = all(state.applied for state in states)
        cause = None if known else SinchError("read")
        if read_first:
            self._read(cause, "a checkout was sent")
        for delay in self.settle_delays:
            if all(state.missing <= 0 for state in states):
                return
            self.sleep(delay)
            self._read(cause, "a checkout was sent")
        if any(state.missing > 0 for state in states):
            on_timeout()

    # --- failures ---------------------------------------------------------------------------------
    def _summary(self):
        """What was bought, in words, for failure messages."""
        bought = self.bought()
        unlisted = self.unlisted()
        if not bought and not unlisted:
            return None
        parts = []
        if bought:
            parts.append("bought %s (%s)" % (plural(len(bought), "number"),
                                             ", ".join("+%d" % item["number"] for item in bought)))
        if unlisted:
            parts.append("bought %s that the rented numbers do not list yet"
                         % plural(unlisted, "more number" if bought else "number"))
        spent = self.spent()
        return "%s, for %s a month" % (" and ".join(parts), money_text(spent, self._currency()))

    def _held_text(self):
        if not self.held:
            return ""
        return " Reservation(s) %s are held; %s." % (", ".join(self.held), NO_CANCEL)

    def _fail(self, cause, what, hint=None, reserve_unknown=False):
        """A failure after which the rented numbers are known (or nothing was checked out)."""
        summary = self._summary()
        if summary:
            text = "Renting failed after it %s: %s." % (summary, what)
            tail = " Run again to rent the rest (numbers bought are counted, never bought twice)."
        else:
            text = "Renting failed: %s." % what
            tail = " Nothing was bought."
        if reserve_unknown:
            tail += " The failed reservation may have been made too; it costs nothing and expires on its own."
        return PurchaseError(text, self, cause, changed=bool(summary),
                             hint=((hint + " ") if hint else "") + tail.strip() + self._held_text())

    def _fail_unlisted(self, cause):
        cause = cause or SinchError("read")
        text = ("The checkout of reservation(s) %s succeeded, but after %d reads the rented numbers still do not list "
                "all it bought: it %s." % (", ".join(self.reference_ids), self.reads, self._summary()))
        raise PurchaseError(text, self, cause, changed=True,
                            hint="Read the rented numbers (sinch.numbers.sinch_number_info) before running again; a re-run "
                                 "counts them once Sinch lists them.")

    def _unknown(self, cause, why):
        """The outcome of a checkout cannot be learnt: say so, name the reservations, never check out again."""
        summary = self._summary()
        text = "Renting stopped with an unknown outcome: %s." % why
        if summary:
            text += " Known so far: it %s." % summary
        error = PurchaseError(text, self, cause, changed=True, outcome_unknown=True,
                              hint="Numbers may have been bought: read the rented numbers (sinch.numbers.sinch_number_info) "
                                   "before running again. Reservation(s) %s were checked out or held; %s."
                                   % (", ".join(self.reference_ids + [r for r in self.held if r not in self.reference_ids]),
                                      NO_CANCEL))
        return error

    def _hint(self, err):
        if err.error_code == NOT_ENOUGH_CREDIT:
            return ("The organisation's credit does not cover this plan (%s): add credit to the Sinch account, then run "
                    "again." % Plan(self.lines, self._currency()).figures())
        if err.error_code == NO_ACCOUNTING:
            return "Renting needs accounting set up for the organisation: set it up in the Sinch dashboard, then run again."
        return err.hint
