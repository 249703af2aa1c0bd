# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: planning a list of rentals in one go (sinch_number_rentals).

Pure functions: rentals, the organisation's rented numbers, the shop's groups and the cost
guard in; a plan out (per rental the numbers kept, taken and rented, per application and
capability the numbers before and after, per currency the cost), or one PlanError naming every
refusal. Nothing here sends a request, so every refusal is known before the first write.

The meaning of a rental:
- without ``application_key``: the organisation holds at least ``count`` numbers matching the
  selector (numbers on applications count; a number also counts for other such rentals);
- with one: the application holds at least ``count`` matching numbers: those already on it (or
  given to it by another rental of the call) first, then free rented numbers (on no
  application, and not given to another application by this call), then new ones. Numbers of
  another application are never taken, and nothing is taken off an application.

Rentals with an application are planned first, in list order (a free number goes to the first
rental that can use it), then those without, which count every matching number the plan
leaves the organisation with, the numbers it rents included; those are planned narrowest
selector first (a group, then more selector keys), so that a broad rental counts what a
narrower one rents instead of renting its own cheapest numbers first.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils import _costs, _input, _plan_id
from ansible_collections.sinch.numbers.plugins.module_utils._filters import has_capability
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
from ansible_collections.sinch.numbers.plugins.module_utils._rent import PlanError, PlanLine, Selector, group_text, money_text, plural
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import e164, known_amount, same_text

CENT = Decimal("0.01")
SELECTOR_KEYS = ("group_id", "country_id", "city", "area_code", "capability")


class Rental(object):
    """One entry of ``rentals``, checked: a name, a selector, a count and maybe an application."""

    def __init__(self, name, selector, count, application_key=None):
        self.name = name
        self.selector = selector
        self.count = count
        self.application_key = application_key

    @property
    def capability(self):
        return self.selector.capability

    def words(self):
        """FR, city Paris, voice (the selector in the summary's words)."""
        sel = self.selector
        if sel.group_id is not None:
            parts = ["group %d" % sel.group_id]
        else:
            parts = [sel.country_id]
            if sel.city is not None:
                parts.append("city %s" % sel.city)
            if sel.area_code is not None:
                parts.append("area code %s" % sel.area_code)
        if sel.capability:
            parts.append(sel.capability)
        return ", ".join(parts)


def rentals_from_options(options):
    """The ``rentals`` option as Rental objects, or InputError naming every problem at once.

    The argument spec has already checked types, required keys and exclusive keys; each value is
    then parsed as the other modules parse the option of that name (``_input``), and what no
    single option can say (unique names, a two-letter country) is checked here, so nothing is
    sent when one is wrong.
    """
    problems, rentals, seen = [], [], set()
    for index, option in enumerate(options or []):
        name = (option.get("name") or "").strip()
        where = "rental '%s'" % name if name else "rental #%d" % (index + 1)
        if not name:
            problems.append("%s: name is empty" % where)
        elif name in seen:
            problems.append("the name '%s' is used by more than one rental (names must be unique)" % name)
        seen.add(name)
        parsed, found = _parse(option)
        problems.extend("%s: %s" % (where, problem) for problem in found)
        if not problems:
            rentals.append(_rental(name, parsed))
    if problems:
        raise InputError("rentals: %s. Nothing was sent to Sinch." % "; ".join(problems))
    return rentals


_PARSERS = (
    ("count", lambda value: _input.integer("count", value, minimum=0)),
    ("group_id", lambda value: _input.integer("group_id", value, minimum=1)),
    ("country_id", lambda value: _input.selection_text("country_id", value)),
    ("city", lambda value: _input.selection_text("city", value)),
    ("area_code", lambda value: _input.selection_text("area_code", value)),
    ("capability", _input.capability),
    ("application_key", _input.application_key),
)


def _parse(option):
    """The option's values parsed, and the sentences (without their full stop) of those that cannot be used."""
    parsed, problems = dict(option), []
    for key, parse in _PARSERS:
        try:
            parsed[key] = parse(option.get(key))
        except _input.InputError as err:
            parsed[key] = None
            problems.append(err.message.rstrip("."))
    if option.get("count") is None and not any("count" in problem for problem in problems):
        problems.append("count must be a whole number, 0 or more")
    if parsed.get("country_id") is not None and len(parsed["country_id"]) != 2:
        problems.append("country_id must be a two-letter country code, such as FR")
    for key in ("city", "area_code"):
        if option.get(key) is not None and option.get("country_id") is None:
            problems.append("%s needs country_id (a group_id selects one group already)" % key)
    return parsed, problems


def _rental(name, option):
    application_key = option.get("application_key")
    capability = option.get("capability")
    if capability is None and application_key is not None:
        capability = "voice"  # the capability the numbers serve the application with
    country_id = option.get("country_id")
    selector = Selector(option.get("group_id"), country_id.upper() if country_id else None,
                        option.get("city"), option.get("area_code"), capability)
    return Rental(name, selector, option["count"], application_key)


# --- Money ------------------------------------------------------------------------------------


def amount_of(cost):
    """The Decimal amount of a shaped cost, or None when Sinch gave no readable price."""
    return known_amount((cost or {}).get("amount"))


def cents(amount):
    return float(amount.quantize(CENT))


def add_cost(totals, amount, currency_id):
    """Add to a {currency: Decimal} mapping; unknown amounts are counted apart (key None)."""
    key = currency_id or ""
    if amount is None:
        totals[None] = totals.get(None, 0) + 1
    else:
        totals[key] = totals.get(key, Decimal(0)) + amount


def costs_result(totals):
    """{currency: float}, without the count of unknown prices."""
    return dict((currency, cents(amount)) for currency, amount in sorted(totals.items(), key=lambda kv: str(kv[0]))
                if currency is not None)


def costs_words(totals):
    known = ["%s" % money_text(amount, currency) for currency, amount in sorted(totals.items(), key=lambda kv: str(kv[0]))
             if currency is not None]
    text = " + ".join(known) or "0.00"
    if totals.get(None):
        text += " (and %s of unknown price)" % plural(totals[None], "number")
    return text


# --- The plan ---------------------------------------------------------------------------------


class NewNumber(object):
    """A number the plan rents: Sinch chooses it at checkout, so it is known by its group only."""

    def __init__(self, ident, group, rental, owner):
        self.ident = ident
        self.group = group
        self.rental = rental
        self.owner = owner
        self.number = None  # set once the checkout is read back

    @property
    def group_id(self):
        return self.group["group_id"]

    def as_item(self):
        """Shaped like a rented number, for the selectors: the rental's capability, else the group's."""
        capabilities = [self.rental.capability] if self.rental.capability else self.group["capabilities"]
        return dict(self.group, number=self.number, application_key=self.owner, capabilities=capabilities)

    def label(self):
        return e164(self.number) if self.number is not None else "(new number in group %d)" % self.group_id

    @property
    def cost(self):
        return self.group["cost"]


class Line(PlanLine):
    """So many numbers of one group for one rental."""

    def __init__(self, rental, group, quantity):
        super(Line, self).__init__(group, quantity, [rental.capability] if rental.capability else None)
        self.rental = rental


def line_result(line):
    """A plan line as returned: floats rounded to cents, None where the price is unknown."""
    return {"group_id": line.group_id, "quantity": line.quantity,
            "unit_cost": None if line.unit_cost is None else cents(line.unit_cost),
            "subtotal": None if line.subtotal is None else cents(line.subtotal), "currency_id": line.currency_id}


class Outcome(object):
    """What the plan does for one rental."""

    def __init__(self, rental):
        self.rental = rental
        self.kept = []       # shaped numbers (or NewNumber of an earlier rental) already counting for it
        self.taken = []      # free rented numbers it puts on its application
        self.new = []        # NewNumber it rents
        self.lines = []      # Line per group it rents from

    @property
    def numbers(self):
        return self.kept + self.taken + self.new

    def cost_by_currency(self):
        totals = {}
        for line in self.lines:
            add_cost(totals, line.subtotal, line.currency_id)
        return totals


class RentalsPlan(object):
    """The whole call: outcomes per rental (in the given order), reservations, application changes."""

    def __init__(self, rentals, numbers, outcomes, new_numbers, needs_shop):
        self.rentals = rentals
        self.numbers = numbers
        self.outcomes = outcomes
        self.new_numbers = new_numbers
        self.needs_shop = needs_shop

    @property
    def reservations(self):
        """One PlanLine per group (one reserve each), in the order groups were first chosen."""
        by_group, order = {}, []
        for outcome in self.outcomes:
            for line in outcome.lines:
                if line.group_id not in by_group:
                    by_group[line.group_id] = [line.group, 0, set()]
                    order.append(line.group_id)
                entry = by_group[line.group_id]
                entry[1] += line.quantity
                entry[2].add(line.rental.capability)
        result = []
        for group_id in order:
            group, quantity, capabilities = by_group[group_id]
            # A rental without a capability takes the group's own (None asks Sinch for all of them).
            asked = None if None in capabilities else sorted(capabilities)
            result.append(PlanLine(group, quantity, asked))
        return result

    @property
    def rents(self):
        return bool(self.new_numbers)

    def cost_by_currency(self):
        totals = {}
        for reservation in self.reservations:
            add_cost(totals, reservation.subtotal, reservation.currency_id)
        return totals

    def changes(self):
        """Per application and capability that changes: (key, capability, numbers before, numbers added).

        ``before`` are the numbers the rented-numbers read shows on the application with that
        capability; ``added`` the numbers (or NewNumber) the plan puts on it for that capability.
        """
        added = {}
        for outcome in self.outcomes:
            rental = outcome.rental
            if rental.application_key is None:
                continue
            items = outcome.taken + list(outcome.new)
            if items:
                added.setdefault((rental.application_key, rental.capability), []).extend(items)
        result = []
        for key, capability in sorted(added):
            before = [item for item in self.numbers
                      if item["application_key"] == key and capability in item["capabilities"]]
            result.append((key, capability, before, added[(key, capability)]))
        return result

    def application_numbers(self):
        """Every (key, capability) a rental names, with the numbers before and after, as E.164 or placeholders."""
        wanted = sorted(set((o.rental.application_key, o.rental.capability) for o in self.outcomes
                            if o.rental.application_key is not None))
        changes = dict(((key, cap), added) for key, cap, _before, added in self.changes())
        result = []
        for key, capability in wanted:
            before = [item for item in self.numbers
                      if item["application_key"] == key and capability in item["capabilities"]]
            added = changes.get((key, capability), [])
            result.append({
                "application_key": key,
                "capability": capability,
                "before": labels(before),
                "after": labels(before + added),
                "added": labels(added),
                "changed": bool(added),
            })
        return result

    @property
    def changed(self):
        return self.rents or any(outcome.taken for outcome in self.outcomes)


def labels(items):
    """E.164 of known numbers, sorted, then placeholders of numbers not bought yet (in plan order)."""
    known = sorted(set(number_of(item) for item in items if number_of(item) is not None))
    placeholders = [item.label() for item in items if number_of(item) is None]
    return [e164(number) for number in known] + placeholders


def number_of(item):
    return item.number if isinstance(item, NewNumber) else item["number"]


class _Planner(object):
    """The state of one planning pass: who owns which number, what the shop has left, what is refused."""

    def __init__(self, rentals, numbers, groups, guard):
        self.rentals = rentals
        self.numbers = sorted(numbers, key=lambda item: item["number"])
        self.groups = groups
        self.guard = guard
        # number -> application key, as read, then as the plan gives free numbers away.
        self.owner = dict((item["number"], item["application_key"]) for item in self.numbers)
        self.available = dict((group["group_id"], group["availability"]) for group in groups or [])
        self.new = []
        self.refusals = []
        self.needs_shop = False

    def run(self):
        outcomes = dict((id(rental), Outcome(rental)) for rental in self.rentals)
        for rental in self.rentals:
            if rental.application_key is not None:
                self._for_application(rental, outcomes[id(rental)])
        # Narrower selectors first: the numbers a narrow rental rents count for a broader one it lies in, while
        # the broader one, planned first, would rent its cheapest group and leave the narrow one to rent again.
        for rental in sorted((r for r in self.rentals if r.application_key is None), key=_narrow_first):
            self._for_organisation(rental, outcomes[id(rental)])
        return [outcomes[id(rental)] for rental in self.rentals]

    def _matching(self, rental):
        """Rented and planned numbers the rental's selector matches: rented ones by number, then new ones."""
        rented = [item for item in self.numbers if rental.selector.matches(item)]
        planned = [item for item in self.new if rental.selector.matches(item.as_item())]
        return rented, planned

    def _owner(self, item):
        return item.owner if isinstance(item, NewNumber) else self.owner[item["number"]]

    def _for_application(self, rental, outcome):
        key = rental.application_key
        rented, planned = self._matching(rental)
        mine = [item for item in rented + planned if self._owner(item) == key]
        outcome.kept = mine[:rental.count]
        missing = rental.count - len(outcome.kept)
        for item in rented + planned:
            if missing <= 0:
                break
            if self._owner(item) is None:
                if isinstance(item, NewNumber):
                    item.owner = key
                else:
                    self.owner[item["number"]] = key
                outcome.taken.append(item)
                missing -= 1
        if missing > 0:
            self._buy(rental, outcome, missing, owner=key)

    def _for_organisation(self, rental, outcome):
        rented, planned = self._matching(rental)
        outcome.kept = rented + planned
        missing = rental.count - len(outcome.kept)
        if missing > 0:
            self._buy(rental, outcome, missing, owner=None)

    def _buy(self, rental, outcome, missing, owner):
        if self.groups is None:
            self.needs_shop = True
            return
        problem = self._group_problem(rental)
        if problem:
            self.refusals.append(_refusal(rental, problem))
            return
        offered = self._offered(rental)
        currencies = sorted(set(g["cost"]["currency_id"].strip().upper() for g in offered if g["cost"].get("currency_id")))
        if self.guard.currency_id is None and len(currencies) > 1:
            self.refusals.append(_refusal(rental, "the groups it selects are priced in several currencies (%s), so they "
                                                  "cannot be compared or summed: set currency_id to rent in one of them"
                                          % ", ".join(currencies)))
            return
        lines, left = [], missing
        for group in offered:
            if left == 0:
                break
            take = min(self.available[group["group_id"]], left)
            lines.append(Line(rental, group, take))
            left -= take
        if left:
            self.refusals.append(_refusal(rental, self._not_enough(offered, missing)))
            return
        problem = self._unit_guard(lines)
        if problem:
            self.refusals.append(_refusal(rental, problem))
            return
        for line in lines:
            self.available[line.group_id] -= line.quantity
            for _unit in range(line.quantity):
                item = NewNumber(len(self.new), line.group, rental, owner)
                self.new.append(item)
                outcome.new.append(item)
        outcome.lines = lines

    def _group_problem(self, rental):
        group_id = rental.selector.group_id
        if group_id is None:
            return None
        found = [group for group in self.groups if group["group_id"] == group_id]
        if not found:
            return ("number group %d is not in the Sinch number shop: check group_id "
                    "(sinch.numbers.sinch_number_shop_info lists the groups)" % group_id)
        if not has_capability(found[0], rental.capability):
            return "number group %d does not offer %s (it offers %s)" % (
                group_id, rental.capability, ", ".join(found[0]["capabilities"]) or "nothing")
        return None

    def _offered(self, rental):
        """Groups it may rent from, best first: known price (cheapest first), most available, lowest id."""
        chosen = [group for group in self.groups
                  if rental.selector.matches(group) and self._priced_in(group) and self.available[group["group_id"]] > 0]

        def order(group):
            amount = amount_of(group["cost"])
            return (amount is None, amount or Decimal(0), -self.available[group["group_id"]], group["group_id"])
        return sorted(chosen, key=order)

    def _priced_in(self, group):
        currency_id = (group.get("cost") or {}).get("currency_id")
        if self.guard.currency_id is None:
            return True
        # A group without a price cannot be said to be priced in another currency: keep it, the guard refuses it.
        return amount_of(group["cost"]) is None or same_text(currency_id or "", self.guard.currency_id)

    def _not_enough(self, offered, missing):
        available = sum(self.available[group["group_id"]] for group in offered)
        if offered:
            listing = "; ".join("%s: %d at %s" % (group_text(group), self.available[group["group_id"]], _price(group))
                                for group in offered)
            have = "the shop has only %d available (%s)" % (available, listing)
        else:
            have = "the shop has none available"
        if self.guard.currency_id:
            have += ", counting only groups priced in %s" % self.guard.currency_id
        if any(group["group_id"] in self._taken_groups() for group in offered):
            have += ", after what earlier rentals of this call take"
        return ("cannot rent %d more %s: %s; lower count or widen the selection, or run again when the shop has more"
                % (missing, "number" if missing == 1 else "numbers", have))

    def _taken_groups(self):
        return set(item.group_id for item in self.new)

    def _unit_guard(self, lines):
        unknown = [line for line in lines if line.unit_cost is None]
        if unknown and self.guard.active:
            return ("%s has no readable price, and a cost guard is set (max_unit_cost or max_total_cost): an unknown "
                    "price is never taken for free; choose another group or remove the guard"
                    % group_text(unknown[0].group))
        limit = self.guard.max_unit_cost
        dear = [line for line in lines if limit is not None and line.unit_cost is not None and line.unit_cost > limit]
        if dear:
            return ("%s costs %s a number a month, more than max_unit_cost %s; raise max_unit_cost or choose another group"
                    % (group_text(dear[0].group), money_text(dear[0].unit_cost, dear[0].currency_id),
                       money_text(limit, self.guard.currency_id or dear[0].currency_id)))
        return None


def _narrow_first(rental):
    """Sort key: a group selector, then more selector keys, first (a selector refining another has more keys)."""
    selector = rental.selector
    given = sum(1 for key in SELECTOR_KEYS if getattr(selector, key) is not None)
    return (selector.group_id is None, -given)


def _price(group):
    amount = amount_of(group["cost"])
    return "unknown price" if amount is None else money_text(amount, group["cost"].get("currency_id"))


def _refusal(rental, problem):
    return "rental '%s' (%s): %s" % (rental.name, rental.words(), problem)


def plan_rentals(rentals, numbers, groups, guard):
    """The plan of the whole call, or PlanError naming every refusal (nothing has been written then).

    ``numbers`` are the organisation's shaped rented numbers; ``groups`` the shaped shop groups,
    or None when the shop has not been read: the plan then says ``needs_shop`` when something is
    missing, and the caller reads the shop and plans again.
    """
    spell_keys(rentals, numbers)
    planner = _Planner(rentals, numbers, groups, guard)
    outcomes = planner.run()
    if planner.refusals:
        raise PlanError("Refused to rent, nothing was reserved or assigned: %s." % "; ".join(planner.refusals))
    plan = RentalsPlan(rentals, planner.numbers, outcomes, planner.new, planner.needs_shop)
    if groups is not None:
        check_total(plan, guard)
    return plan


def check_total(plan, guard):
    """PlanError when the whole call adds more than max_total_cost (in guard.currency_id)."""
    if guard.max_total_cost is None:
        return
    totals = plan.cost_by_currency()
    # Groups were chosen by a case-insensitive currency match: sum every spelling Sinch used of it.
    total = sum((amount for currency, amount in totals.items()
                 if currency is not None and same_text(currency, guard.currency_id or "")), Decimal(0))
    if total > guard.max_total_cost:
        dear = ", ".join("'%s' %s" % (outcome.rental.name, costs_words(outcome.cost_by_currency()))
                         for outcome in plan.outcomes if outcome.lines)
        raise PlanError("Refused to rent, nothing was reserved or assigned: the rentals together would add %s a month, "
                        "more than max_total_cost %s, which is for the whole call (%s). Raise max_total_cost or ask "
                        "for fewer numbers." % (money_text(total, guard.currency_id),
                                                money_text(guard.max_total_cost, guard.currency_id), dear))


def spell_keys(rentals, numbers):
    """Write each rental's application key as Sinch spells it on the rented numbers (else as its first rental does).

    Keys are hex digits and dashes, whose case does not matter (as sinch_app_numbers compares them); the planner
    compares them exactly, so a key given in another case than Sinch's would find its numbers on "another"
    application and rent again on every run.
    """
    spelling = {}
    for item in numbers:
        if item["application_key"]:
            spelling.setdefault(item["application_key"].strip().lower(), item["application_key"])
    for rental in rentals:
        if rental.application_key is not None:
            rental.application_key = spelling.setdefault(rental.application_key.strip().lower(), rental.application_key)


def application_keys_to_read(rentals, numbers):
    """Applications the rentals name that no rented number shows: read them to prove they exist."""
    spell_keys(rentals, numbers)
    visible = set(item["application_key"] for item in numbers if item["application_key"])
    keys = []
    for rental in rentals:
        key = rental.application_key
        if key is not None and key not in visible and key not in keys:
            keys.append(key)
    return keys


# --- After the checkout -------------------------------------------------------------------------


def attribute(plan, before, after):
    """Give each NewNumber its real number: the numbers ``after`` holds and ``before`` did not, by group.

    Returns the NewNumbers left without one (the read does not show them yet).
    """
    known = set(item["number"] for item in before)
    arrived = {}
    for item in sorted(after, key=lambda x: x["number"]):
        if item["number"] not in known:
            arrived.setdefault(_group_key(item.get("group_id")), []).append(item["number"])
    missing = []
    for new in plan.new_numbers:
        pool = arrived.get(_group_key(new.group_id), [])
        if pool:
            new.number = pool.pop(0)
        else:
            missing.append(new)
    return missing


def _group_key(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


# --- The summary --------------------------------------------------------------------------------


def summary(plan, check_mode, only_bought=False):
    """The structured result: per rental, per application, and totals (each number counted once).

    New numbers not bought yet are placeholders (check mode); with ``only_bought`` (a failure
    during the purchase) they are left out, so the result lists only what was bought.
    """
    def shown(items):
        return [item for item in items if not (only_bought and isinstance(item, NewNumber) and item.number is None)]

    rentals, listed, seen = [], [], set()
    for outcome in plan.outcomes:
        rental = outcome.rental
        items, new = shown(outcome.numbers), shown(outcome.new)
        held, added = {}, {}
        for item in items:
            add_cost(held, amount_of(_cost(item)), (_cost(item) or {}).get("currency_id"))
            ident = _ident(item)
            if ident not in seen:
                seen.add(ident)
                listed.append(item)
        for item in new:
            add_cost(added, amount_of(item.cost), (item.cost or {}).get("currency_id"))
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
            "groups": [line_result(line) for line in outcome.lines],
            "added_monthly_cost": _one_cost(added, outcome, new),
            "monthly_cost": costs_result(held),
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
    held_total, added_total, bought = {}, {}, shown(plan.new_numbers)
    for item in listed:
        add_cost(held_total, amount_of(_cost(item)), (_cost(item) or {}).get("currency_id"))
    for item in bought:
        add_cost(added_total, amount_of(item.cost), (item.cost or {}).get("currency_id"))
    return {
        "rentals": rentals,
        "applications": applications,
        "application_numbers": plan.application_numbers(),
        "reservations": [line_result(line) for line in plan.reservations],
        "totals": {
            "numbers": len(listed),
            "rented_this_run": len(bought),
            "added_monthly_cost": costs_result(added_total),
            "monthly_cost": costs_result(held_total),
            "unknown_cost": held_total.get(None, 0),
        },
    }


def _one_cost(totals, outcome, new):
    """What a rental adds, {amount, currency_id}: a rental rents in one currency (several are refused)."""
    currencies = [currency for currency in totals if currency is not None]
    if not new:
        return {"amount": 0.0, "currency_id": None}
    if None in totals or not currencies:
        return {"amount": None, "currency_id": outcome.lines[0].currency_id}
    return {"amount": cents(totals[currencies[0]]), "currency_id": currencies[0] or None}


def _cost(item):
    return item.cost if isinstance(item, NewNumber) else item.get("cost")


def _ident(item):
    if isinstance(item, NewNumber):
        return ("new", item.ident) if item.number is None else item.number
    return item["number"]


# --- The plan id ------------------------------------------------------------------------------------


def fingerprint_data(plan, guard):
    """The canonical plan (see _plan_id): what the plan writes and the guards, before anything is bought.

    Call it before the purchase: new numbers are then placeholders naming their group, as in check mode.
    """
    groups = [{"group_id": line.group_id, "quantity": line.quantity, "unit_cost": line.unit_cost,
               "currency_id": line.currency_id} for line in plan.reservations]
    applications = [{"application_key": key, "capability": capability, "numbers": labels(before + added)}
                    for key, capability, before, added in plan.changes()]
    guards = {"max_unit_cost": guard.max_unit_cost, "max_total_cost": guard.max_total_cost,
              "currency_id": guard.currency_id}
    return _plan_id.canonical(groups, applications, guards)


def holdings_of(plan, days, now=None):
    """Numbers held that no rental counts, numbers on no application, numbers expiring within ``days`` (see _costs).

    Over the rented numbers as read, with the free numbers the plan puts on applications counted as on them.
    """
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
    return _costs.holdings(numbers, claimed, days, now)
