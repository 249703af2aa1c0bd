# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: one renting run, shared by sinch_number_rentals and sinch_number_rent, and its results.

``Renting`` reads the rented numbers, resolves the organisation's pending purchases (_pending), plans
with the one planner (_planner; the shop is read only when something is missing), checks the plan id,
then buys (_purchase: one checkout per reservation), puts numbers on applications (_app_numbers) and
checks with the planner that the rentals now hold. A real run holds the organisation's lock (_lock)
from its first read to its last write. Every write is in the client's journal as it is sent, and the
module's partial result is registered with it, so any failure says what was written.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sinch.numbers.plugins.module_utils import _costs, _money, _plan_id, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import (
    cross_check,
    free_numbers_check,
    plan as plan_application,
    predicted_numbers,
    read_application,
    write,
)
from ansible_collections.sinch.numbers.plugins.module_utils._errors import (
    NumbersError,
    PlanError,
    PurchaseError,
    SinchError,
    UnreadableError,
)
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff
from ansible_collections.sinch.numbers.plugins.module_utils._pending import Entry, Pending
from ansible_collections.sinch.numbers.plugins.module_utils._planner import (
    UNKNOWN_OWNER,
    NewNumber,
    application_keys_to_read,
    labels,
    number_of,
    plan as make_plan,
    rental_label,
)
from ansible_collections.sinch.numbers.plugins.module_utils._purchase import Purchase


def read_numbers(client):
    """The organisation's rented numbers (a Listing), one request."""
    return _shapes.listing(client.list_numbers())


def read_shop(client):
    """The shop's groups (a Listing keyed by group id), one request."""
    return _shapes.shop(client.list_number_groups())


class Renting(object):
    """One renting run: read, resolve pending purchases, plan, check the plan id, buy, assign, verify.

    ``options``: ``lock_path``, ``lock_timeout``, ``pending_purchase`` ("respect" or "forget") and
    ``expected_plan_id`` (parsed). ``purchase_options`` go to _purchase.Purchase (sleep, delays, clock).
    """

    def __init__(self, client, rentals, guard, check_mode, options=None, clock=None, **purchase_options):
        self.client = client
        self.rentals = rentals
        self.guard = guard
        self.check_mode = check_mode
        self.options = options or {}
        self.clock = clock or time.time
        self.purchase_options = purchase_options
        self.listing = None
        self.before = set()
        self.pending = None
        self.plan = None
        self.data = None
        self.purchase = None
        self.after = None
        self.written = []
        self.shortfall = []
        self.would_resend = []
        self._own = []  # pending entries this run wrote ahead of its checkouts

    # --- the run ----------------------------------------------------------------------------------
    def run(self):
        """The whole run; a real run holds the organisation's lock throughout."""
        if self.check_mode:
            return self._run()
        with OrganisationLock(self.client.organisation_id, self.options.get("lock_timeout"),
                              self.client.session.warnings.append, self.options.get("lock_path")):
            return self._run()

    def _run(self):
        self.listing = read_numbers(self.client)
        self.before = set(item["number"] for item in self.listing.records)
        self._resolve_pending()
        self._check_applications(application_keys_to_read(self.rentals, self.listing.records))
        units = self.pending.units()
        self.plan = make_plan(self.rentals, self.listing, None, self.guard, units)
        if self.plan.needs_shop:
            self.plan = make_plan(self.rentals, self.listing, read_shop(self.client), self.guard, self.pending.units())
        # The plan's fingerprint, before anything is bought (new numbers are placeholders, as in check mode).
        self.data = fingerprint_data(self.plan, self.guard, self.client.organisation_id)
        if self.options.get("expected_plan_id") is not None:
            _plan_id.check(self.options["expected_plan_id"], self.data)  # refused before any write, in check mode too
        self._check_free_numbers()
        self.after = self.listing
        if not self.check_mode and self.plan.changed:
            if self.plan.rents:
                self._buy_or_say()
            self._assign()
            self._verify()
        if self.pending.entries and not self.check_mode:
            raise NumbersError(self.pending.words(), hint=self.pending.hint())
        return self

    def _resolve_pending(self):
        self.pending = Pending(self.client.organisation_id, self.options.get("lock_path"), self.clock)
        if self.options.get("pending_purchase") == "forget":
            self.pending.discard(self.check_mode)
        else:
            self.pending.load()
        self.pending.see(self.listing)
        if self.pending.entries and self.options.get("expected_plan_id") is not None:
            # An approved plan covers what it was planned with; an earlier purchase still open is not part of it.
            raise NumbersError(
                "%s; an approved plan (expected_plan_id) does not cover it, so nothing was reserved or assigned"
                % self.pending.words(),
                hint="Resolve it first: a run without expected_plan_id sends its checkout again, or wait until it is "
                     "listed; if you checked that nothing was bought, run with pending_purchase: forget. Then plan "
                     "and approve again.")
        self.would_resend = self.pending.resendable() if self.check_mode else []
        if not self.check_mode and self.pending.resend(self.client):
            # A recorded reservation was bought now: read, so its numbers count as rented numbers.
            self.listing = read_numbers(self.client)
            self.before = set(item["number"] for item in self.listing.records)
            self.pending.see(self.listing)
        if not self.check_mode:
            self.pending.save()
        for entry, checkout in self.resent():
            if checkout.status == APPLIED:
                checkout.details["numbers"] = list(entry.listed)
        for words in self.pending.resolved_words():
            self.client.session.warnings.append(words[0].upper() + words[1:] + ".")
        if self.pending.entries and self.check_mode:
            self.client.session.warnings.append("%s. A real run first checks them again. %s" % (
                self.pending.words(), self.pending.hint()))

    def _check_free_numbers(self):
        """Free numbers the plan puts on applications must be free: the listing leaves a free number's application
        out, so each application the listing names is read (only when the plan takes free numbers) and must not list
        them. Before any write, in check mode too."""
        target = {}
        for outcome in self.plan.outcomes:
            for item in outcome.taken:
                target[item["number"]] = outcome.rental.application_key
        if not target:
            return
        # A number already on the application that takes it is harmless (and that application is read and
        # cross-checked right before its overwrite): with one such application, it needs no read here.
        targets = set((key or "").lower() for key in target.values())
        skip = tuple(targets) if len(targets) == 1 else ()
        try:
            found = free_numbers_check(self.client, sorted(target), self.listing, skip)
        except NumbersError as err:
            raise type(err)("Refused to rent, nothing was reserved or assigned: %s" % err.message, hint=err.hint) from err
        taken = dict((number, key) for number, key in found.items() if key.lower() != (target[number] or "").lower())
        if taken:
            raise UnreadableError(
                "Refused to rent, nothing was reserved or assigned: the rented numbers show %s on no application, but "
                "%s; the listing cannot be trusted to say which numbers are free" % (
                    ", ".join(_shapes.e164_list(taken)), "; ".join(
                        "application %s lists %s" % (key, _shapes.e164(number)) for number, key in sorted(taken.items()))),
                hint="Run again later; if Sinch keeps answering so, check the numbers in the Sinch dashboard.")

    def _check_applications(self, keys):
        """Read each application no rented number shows: an unknown key fails before anything is bought."""
        unknown = []
        for key in keys:
            try:
                self.client.list_application_numbers(key)
            except SinchError as err:
                if err.status != 404:
                    raise
                unknown.append("%s (%s)" % (key, err.answer()))
        if unknown:
            raise PlanError("Refused to rent, nothing was reserved or assigned: application%s %s %s not known to this "
                            "organisation" % ("" if len(unknown) == 1 else "s", "; ".join(unknown),
                                              "is" if len(unknown) == 1 else "are"),
                            hint="Check the application_key of the rentals.")

    def _buy(self):
        purchase = Purchase(self.client, self.plan.lines, self.before, lambda: read_numbers(self.client),
                            clock=self.clock, remember=self._write_ahead, **self.purchase_options)
        self.purchase = purchase
        try:
            purchase.run()
        finally:
            if purchase.after is not None:
                self.after = purchase.after
                self.plan.attribute(purchase.numbers_by_group())
            recorded = self._remember(purchase)
        return recorded

    def _buy_or_say(self):
        """_buy, with a failure that says what may have been bought and that this machine remembers it."""
        try:
            return self._buy()
        except PurchaseError as err:
            err.outcome_unknown = err.outcome_unknown or bool(self.purchase.unknown())
            if self.purchase.unlisted():
                err.hint = ((err.hint + " ") if err.hint else "") + self.pending.hint(recorded=len(self.purchase.unlisted()))
            raise

    def _entry(self, state):
        owners = [new.owner for new in self.plan.new_numbers if new.group_id == state.group_id]
        known = set(item["number"] for item in self.listing.records if item["group_id"] == state.group_id)
        return Entry.of_line(state, known, owners[-state.quantity:], self.clock())

    def _write_ahead(self, state):
        """Before a checkout leaves: record it as a pending purchase, so that a run killed after sending it (or a
        task timeout) leaves a record the next run resolves, never a purchase nobody remembers."""
        entry = self._entry(state)
        entry.status = "unknown"
        self.pending.entries = [item for item in self.pending.entries if item.reference_id != entry.reference_id]
        self.pending.add([entry])
        self._own.append(entry.reference_id)
        self.pending.save()

    def _remember(self, purchase):
        """Keep, of this run's records, the lines bought (or maybe bought) that no read lists; drop the others."""
        open_states = list(purchase.unlisted())
        for state in purchase.states:
            write = self.client.journal.find("checkout", state.reservation) if state.reservation else None
            if state.status == "reserved" and write is not None and write.changed:
                open_states.append(state)  # its checkout left and no answer settled it (an interrupted run)
        entries = [self._entry(state) for state in open_states]
        self.pending.entries = [item for item in self.pending.entries if item.reference_id not in self._own]
        self.pending.add(entries)
        self.pending.save()
        return entries

    def _assign(self):
        """For each application and capability that changes: read it, cross-check, overwrite once."""
        current = self.after
        for key, capability, _before, added in self.plan.changes():
            given = sorted(set(number_of(item) for item in added if number_of(item) is not None))
            if not given:
                continue
            app = read_application(self.client, key)
            cross_check(key, capability, app, current)
            change = plan_application(key, capability, given, False, False, app, current, self.client.organisation_id)
            if not change["added"]:
                continue
            predicted = predicted_numbers(key, capability, change["wanted"], app, current)
            _records, warnings = write(self.client, key, capability, change, app, predicted)
            self.client.session.warnings.extend(warnings)
            self.written.append((key, capability))
            current = _with_owner(current, change["added"], key)
        self.after = current

    def _verify(self):
        """Plan again over what the run leaves: a rental still short is said (a warning), never bought for again."""
        try:
            again = make_plan(self.rentals, self.after, None, self.guard, self.pending.units())
        except PlanError as err:
            self.client.session.warnings.append("After this run, whether the rentals hold cannot be checked: %s"
                                                % err.describe())
            return
        for outcome in again.outcomes:
            held = len(outcome.kept)
            if held < outcome.rental.count:
                self.shortfall.append((outcome.rental, held))
        if self.shortfall:
            self.client.session.warnings.append(
                "After the checkout, the rented numbers show fewer matching numbers than wanted: %s. Sinch may have "
                "handed out numbers that do not match, or another writer changed them; check them "
                "(sinch.numbers.sinch_number_info) before running again." % "; ".join(
                    "%s holds %d of %d" % (rental_label(rental), held, rental.count) for rental, held in self.shortfall))

    # --- what happened ----------------------------------------------------------------------------
    def bought(self):
        """(known bought Totals, numbers bought count incl. unlisted, maybe bought count, maybe Totals).

        Counts the checkouts of earlier purchases this run sent again (_pending.resend) too: one that succeeded was
        paid by this run, one without a usable answer may have been.
        """
        known, count, maybe, maybe_count = _money.Totals(), 0, _money.Totals(), 0
        if self.purchase is not None:
            known = self.purchase.spent()
            count = sum(state.quantity for state in self.purchase.bought())
            maybe = self.purchase.maybe_spent()
            maybe_count = sum(state.quantity for state in self.purchase.unknown())
        for entry, checkout in self.resent():
            currency_id = (entry.group.get("cost") or {}).get("currency_id")
            if checkout.status == APPLIED:
                known.add(entry.unit_cost(), currency_id, entry.quantity)
                count += entry.quantity
            elif checkout.changed:
                maybe.add(entry.unit_cost(), currency_id, entry.quantity)
                maybe_count += entry.quantity
        return known, count, maybe_count, maybe

    def resent(self):
        """(pending Entry, journal Write) of each earlier purchase whose checkout this run sent again."""
        if self.pending is None:
            return []
        entries = dict((entry.reference_id, entry) for entry, _how in self.pending.resolved if entry is not None)
        entries.update((entry.reference_id, entry) for entry in self.pending.entries)
        own = set(self.purchase.reference_ids) if self.purchase is not None else set()
        found = [(entries[ref], self.client.journal.find("checkout", ref)) for ref in sorted(entries) if ref not in own]
        return [(entry, checkout) for entry, checkout in found if checkout is not None]

    def notes(self):
        """Sentences the result adds: the earlier checkouts this run sent again, or (check mode) would send again."""
        if self.check_mode and self.would_resend:
            return ("A real run would first send again the checkout of %s, which may buy %s for %s a month." % (
                ", ".join("reservation %s" % entry.reference_id for entry in self.would_resend),
                _money.plural(sum(entry.quantity for entry in self.would_resend), "number"),
                _costs_of(self.would_resend).words()))
        return self.resent_words()

    def resent_words(self):
        """A sentence saying what the checkouts of earlier purchases sent again by this run bought; '' if none."""
        parts = [checkout.words() for _entry, checkout in self.resent() if checkout.changed]
        if not parts:
            return ""
        return "This run sent again the checkout of an earlier purchase: it %s." % "; ".join(parts)

    def owner_unknown(self):
        return set(item["number"] for item in self.listing.records if "applicationKey" in self.listing.fields(item))


def _costs_of(entries):
    totals = _money.Totals()
    for entry in entries:
        totals.add(entry.unit_cost(), (entry.group.get("cost") or {}).get("currency_id"), entry.quantity)
    return totals


def _with_owner(listing, numbers, key):
    """The listing with ``numbers`` now on application ``key``."""
    records = [dict(item, application_key=key) if item["number"] in numbers else item for item in listing.records]
    unreadable = dict((number, fields) for number, fields in listing.unreadable.items() if number not in numbers)
    return _shapes.Listing(records, unreadable, listing.unidentified, listing.identity)


def fingerprint_data(plan, guard, organisation_id):
    """The canonical plan (see _plan_id): what the plan sends and writes, the guards and the organisation."""
    groups = []
    for line in plan.lines:
        selected = sorted(set(new.rental.capability or "any" for new in plan.new_numbers if new.group_id == line.group_id))
        groups.append({"group_id": line.group_id, "quantity": line.quantity, "unit_cost": line.unit_cost,
                       "currency_id": line.currency_id, "capabilities": line.capabilities,
                       "selected_capabilities": [None if item == "any" else item for item in selected]})
    applications = [{"application_key": key, "capability": capability, "numbers": labels(before + added)}
                    for key, capability, before, added in plan.changes()]
    guards = {"max_unit_cost": guard.max_unit_cost, "max_total_cost": guard.max_total_cost,
              "currency_id": guard.currency_id}
    return _plan_id.canonical(groups, applications, guards, organisation_id)


# --- The rentals result -----------------------------------------------------------------------------


def summary(plan, check_mode, only_bought=False):
    """The structured result: per rental, per application, and totals (each number counted once).

    New numbers not bought yet are placeholders (check mode); with ``only_bought`` (a failure during the
    purchase) they are left out, so the result lists only what was bought.
    """
    def shown(items):
        return [item for item in items
                if not (only_bought and isinstance(item, NewNumber) and not item.pending and item.number is None)]

    rentals, listed, seen = [], [], set()
    for outcome in plan.outcomes:
        rental = outcome.rental
        items, new = shown(outcome.numbers), shown(outcome.new)
        for item in items:
            ident = _ident(item)
            if ident not in seen:
                seen.add(ident)
                listed.append(item)
        rentals.append({
            "name": rental.name,
            "selector": rental.words(),
            "count": rental.count,
            "application_key": rental.application_key,
            "capability": rental.capability,
            "numbers": labels(items),
            "kept": labels(shown(outcome.kept)),
            "assigned": labels(outcome.taken),
            "rented_this_run": [item.label() for item in new],
            "groups": [line.to_result() for line in outcome.lines],
            "added_monthly_cost": _one_cost(new, outcome),
            "monthly_cost": _costs.totals(items).to_result(),
            "changed": bool(new or outcome.taken),
            "previewed": bool(check_mode and (new or outcome.taken)),
        })
    applications = {}
    for outcome in plan.outcomes:
        key = outcome.rental.application_key
        if key is not None:
            applications.setdefault(key, {})
            applications[key].update((_ident(item), item) for item in shown(outcome.numbers))
    applications = dict((key, labels(list(items.values()))) for key, items in applications.items())
    bought = shown(plan.new_numbers)
    held = _costs.totals(listed)
    added = _costs.totals(bought)
    return {
        "rentals": rentals,
        "applications": applications,
        "application_numbers": plan.application_numbers(),
        "reservations": [line.to_result() for line in plan.lines],
        "totals": {
            "numbers": len(listed),
            "rented_this_run": len(bought),
            "added_monthly_cost": added.to_result(),
            "added_unknown_cost": added.unknown,
            "monthly_cost": held.to_result(),
            "unknown_cost": held.unknown,
        },
    }


def _one_cost(new, outcome):
    """What a rental adds (one money value): a rental rents in one currency (several are refused)."""
    if not new:
        return _money.money(_money.Totals().in_currency(None), None)
    totals = _costs.totals(new)
    currency = outcome.lines[0].currency_id if outcome.lines else None
    if totals.unknown or not totals.currencies:
        return _money.money(None, currency)
    return _money.money(totals.amounts[totals.currencies[0]], totals.currencies[0])


def _ident(item):
    if isinstance(item, NewNumber):
        return ("new", item.ident) if item.number is None else item.number
    return item["number"]


def holdings_of(renting, days, now=None):
    """Numbers held that no rental counts, numbers on no application, numbers expiring within ``days`` (see _costs).

    Over the rented numbers as read, with the free numbers the plan puts on applications counted as on them.
    """
    plan = renting.plan
    claimed, owner = set(), {}
    for outcome in plan.outcomes:
        for item in outcome.kept + outcome.taken:
            if not isinstance(item, NewNumber):
                claimed.add(item["number"])
        for item in outcome.taken:
            if not isinstance(item, NewNumber):
                owner[item["number"]] = outcome.rental.application_key
    numbers = [dict(item, application_key=owner[item["number"]]) if item["number"] in owner else item
               for item in plan.numbers]
    return _costs.holdings(numbers, claimed, days, now, renting.owner_unknown())


def rentals_result(renting, days, failed=False):
    """The result of sinch_number_rentals (also the partial result of a failed run: only what was bought)."""
    plan = renting.plan
    if failed and not renting.client.journal.changed:
        # Refused or failed before any write: the failure's sentence says it all, no partial plan is returned.
        return {"pending_purchase": renting.pending.to_result() if renting.pending else [], "check_mode": renting.check_mode}
    if plan is None:
        return {}
    result = summary(plan, renting.check_mode, only_bought=failed)
    known, count, maybe_count, maybe = renting.bought()
    if renting.purchase is not None or count:
        # What the checkouts bought, listed or not, at the price of their reservations.
        result["totals"]["rented_this_run"] = count
        result["totals"]["added_monthly_cost"] = known.to_result()
        result["totals"]["added_unknown_cost"] = known.unknown
        result["totals"]["unlisted"] = sum(state.missing for state in renting.purchase.unlisted()
                                           if state.status == "bought") if renting.purchase is not None else 0
    if maybe_count:
        result["totals"]["maybe_rented"] = maybe_count
        result["totals"]["maybe_added_monthly_cost"] = maybe.to_result()
    result.update({
        "plan_id": _plan_id.plan_id(renting.data) if renting.data else None,
        "plan_fingerprint_data": renting.data,
        "holdings": holdings_of(renting, days),
        "check_mode": renting.check_mode,
        "reference_ids": renting.purchase.reference_ids if renting.purchase else [],
        "pending_purchase": renting.pending.to_result() if renting.pending else [],
        "diff": [diff(item["before"], item["after"], "%s numbers of application %s" % (item["capability"],
                                                                                       item["application_key"]))
                 for item in result["application_numbers"]],
    })
    if not failed:
        # A checkout of an earlier purchase sent again is a change too, even when the plan has nothing to do.
        result["changed"] = plan.changed or renting.client.journal.changed or bool(renting.would_resend)
        result["msg"] = _msg(plan, result, renting.check_mode)
        if renting.notes():
            result["msg"] += " " + renting.notes()
    return result


def _msg(plan, result, check_mode):
    if not plan.changed:
        return "Every rental holds its numbers (%s); nothing rented or assigned." % _money.plural(
            result["totals"]["numbers"], "number")
    parts = []
    if plan.new_numbers:
        verb = "Would rent" if check_mode else "Rented"
        parts.append("%s %s for %s a month" % (verb, _money.plural(len(plan.new_numbers), "number"), plan.cost().words()))
    changed = [item for item in result["application_numbers"] if item["changed"]]
    if changed:
        keys = sorted(set(item["application_key"] for item in changed))
        verb = "would put" if check_mode else "put"
        verb = verb if parts else verb.capitalize()
        parts.append("%s numbers on %s (%s)" % (verb, _money.plural(len(keys), "application"), ", ".join(keys)))
    return "; ".join(parts) + "."


def number_rentals(client, params, check_mode, **purchase_options):
    """sinch_number_rentals: plan every rental, then reserve, check out each reservation, read, and assign."""
    days = params.get("expiry_warning_days")
    days = 14 if days is None else days
    renting = Renting(client, params["rentals"], _guard(params), check_mode, options=params, **purchase_options)
    client.journal.partial = lambda: rentals_result(renting, days, failed=True)
    renting.run()
    return rentals_result(renting, days)


def _guard(params):
    from ansible_collections.sinch.numbers.plugins.module_utils._input import Guard
    return Guard.from_params(params)


__all__ = ["Renting", "number_rentals", "UNKNOWN_OWNER"]
