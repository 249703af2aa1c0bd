# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the one planner of every way of renting (sinch_number_rent and sinch_number_rentals).

Pure functions: rentals, the organisation's rented numbers, the shop's groups, the cost guard and the
numbers of a pending purchase in; a plan out (per rental the numbers kept, taken and rented, per group
one reservation, per application and capability the numbers before and after), or one PlanError naming
every refusal. Nothing here sends a request, so every refusal is known before the first write, and
check mode predicts it exactly.

The meaning of a rental:

- without ``application_key``: the organisation holds at least ``count`` numbers matching the
  selector (numbers on applications count; a number also counts for other such rentals);
- with one: the application holds at least ``count`` matching numbers: those already on it (or given
  to it by another rental of the call) first, then free rented numbers (on no application, and not
  given to another application by this call), then new ones. Numbers of another application are
  never taken, and nothing is taken off an application.

Rentals with an application are planned first, application by application in list order (a free
number goes to the first application that can use it; of the free numbers it may take, it takes first
those the later rentals of other applications need least, so that overlapping rentals buy the same in
any order), the rentals of one application narrowest selector first; then those without, which count
every matching number the plan leaves the organisation with, the numbers it rents included; those are
planned narrowest selector first (a group, then more selector keys), so that a broad rental counts
what a narrower one rents. That is the default order; what is bought does not depend on the order of
the list: while it is cheap (SEARCH_BUDGET), every order of the organisation's rentals, and of the
rentals of each application, that may buy is planned, and the plan buying the fewest numbers is kept
(then the lowest known cost, the fewest numbers of unknown price, the default order), so that a
voice x1 and an sms x1 rental in the US buy one voice and sms number, not an sms-only one first.

A number the plan rents is known by its group only (Sinch chooses it at checkout): it carries every
capability of its group (the reservation asks for all of them), so rentals that split the
capabilities of one group (voice x1, then sms x1, from a voice+sms group) buy one number.

Unknown is never "no". A rented number whose field a rental reads (``groupId``, ``countryId``,
``city``, ``areaCode``, ``capabilities``, ``applicationKey``) cannot be read may or may not count for
it; when such a rental would have to buy (or an application with such a number would be overwritten),
the plan is refused before any reserve or write (UnreadableError), saying how many numbers could not
be read and which fields. A shop group that may offer what a rental buys but cannot be read (a field
the rental reads, or its availability) refuses that rental (UnreadableError) when, with its known
price, it would rank before the dearest group the plan chose for it (cheaper, or as cheap and more
available), or the plan cannot be made without it: the run never rents around it at a higher price.
An order refused so refuses the call when it might have bought less than the order kept (_least).
Removing a field from a record therefore never makes a plan buy more.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
from fractions import Fraction

from ansible_collections.sinch.numbers.plugins.module_utils import _money
from ansible_collections.sinch.numbers.plugins.module_utils._errors import PlanError, UnreadableError
from ansible_collections.sinch.numbers.plugins.module_utils._input import Selector
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import CAPABILITIES, e164, same_text

# The owner of a number whose applicationKey cannot be read: not "free", not anybody's for sure.
UNKNOWN_OWNER = object()
PLACEHOLDER = "(new number in group %d)"
PENDING_PLACEHOLDER = "(pending purchase in group %d)"


def group_text(group):
    """group 1 (PARIS), the way messages name a group."""
    return "group %d (%s)" % (group["group_id"], group.get("city") or group.get("country_id") or "?")


def unit_cost(group):
    """A group's monthly cost per number (Decimal), or None when Sinch gives no readable cost."""
    return _money.amount_of((group.get("cost") or {}).get("amount"))


def currency(group):
    return _money.currency_of((group.get("cost") or {}).get("currency_id"))


def reserve_capabilities(group):
    """What the reservation of a group asks for: every capability of the group Sinch knows (None: the group's own)."""
    known = [item for item in (group.get("capabilities") or []) if item in CAPABILITIES]
    return sorted(known) or None


class NewNumber(object):
    """A number the plan rents (or a pending purchase may have bought): known by its group only.

    ``owner`` is the application it is for (None: the organisation); ``pending`` marks a number of an
    earlier purchase whose outcome is not known yet: it counts as held, is never bought again, and is
    not assigned (there is no number to assign yet).
    """

    def __init__(self, ident, group, rental, owner, pending=False):
        self.ident = ident
        self.group = group
        self.rental = rental
        self.owner = owner
        self.pending = pending
        self.number = None  # set once the checkout is read back

    @property
    def group_id(self):
        return self.group["group_id"]

    def as_item(self):
        """Shaped like a rented number, for the selectors: every capability of its group."""
        return dict(self.group, number=self.number, application_key=self.owner)

    def label(self):
        if self.number is not None:
            return e164(self.number)
        return (PENDING_PLACEHOLDER if self.pending else PLACEHOLDER) % self.group_id

    @property
    def cost(self):
        return self.group.get("cost") or {}


def number_of(item):
    return item.number if isinstance(item, NewNumber) else item["number"]


def labels(items):
    """E.164 of known numbers, sorted, then placeholders of numbers not bought yet (in plan order)."""
    known = sorted(set(number_of(item) for item in items if number_of(item) is not None))
    placeholders = [item.label() for item in items if number_of(item) is None]
    return [e164(number) for number in known] + placeholders


class Line(object):
    """So many numbers of one group, reserved and checked out together (one reservation).

    ``unit_cost`` is None when Sinch lists no readable cost for the group; ``capabilities`` is what the
    reservation asks for (None: the group's own).
    """

    def __init__(self, group, quantity, capabilities=None):
        self.group = group
        self.quantity = quantity
        self.capabilities = capabilities
        self.unit_cost = unit_cost(group)
        self.currency_id = currency(group)

    @property
    def group_id(self):
        return self.group["group_id"]

    @property
    def subtotal(self):
        return None if self.unit_cost is None else self.unit_cost * self.quantity

    def describe(self):
        return "%s: %d x %s" % (group_text(self.group), self.quantity, _money.words(self.unit_cost, self.currency_id))

    def to_result(self):
        return {"group_id": self.group_id, "quantity": self.quantity,
                "unit_cost": _money.money(self.unit_cost, self.currency_id),
                "subtotal": _money.money(self.subtotal, self.currency_id),
                "capabilities": self.capabilities, "cost_known": self.unit_cost is not None}


class Outcome(object):
    """What the plan does for one rental."""

    def __init__(self, rental):
        self.rental = rental
        self.kept = []       # records (or NewNumber of an earlier rental, or pending) already counting for it
        self.taken = []      # free rented numbers it puts on its application
        self.new = []        # NewNumber it rents
        self.lines = []      # (group, quantity) it rents, as Line

    @property
    def numbers(self):
        return self.kept + self.taken + self.new

    def cost(self):
        totals = _money.Totals()
        for line in self.lines:
            totals.add(line.unit_cost, line.currency_id, line.quantity)
        return totals


class Plan(object):
    """The whole call: outcomes per rental (in the given order), reservations, application changes."""

    def __init__(self, rentals, listing, outcomes, new_numbers, pending, needs_shop):
        self.rentals = rentals
        self.listing = listing
        self.numbers = listing.records
        self.outcomes = outcomes
        self.new_numbers = new_numbers
        self.pending = pending
        self.needs_shop = needs_shop

    @property
    def lines(self):
        """One Line per group (one reservation each), in the order groups were first chosen."""
        by_group, order = {}, []
        for outcome in self.outcomes:
            for line in outcome.lines:
                if line.group_id not in by_group:
                    by_group[line.group_id] = [line.group, 0]
                    order.append(line.group_id)
                by_group[line.group_id][1] += line.quantity
        return [Line(by_group[gid][0], by_group[gid][1], reserve_capabilities(by_group[gid][0])) for gid in order]

    @property
    def rents(self):
        return bool(self.new_numbers)

    @property
    def quantity(self):
        return len(self.new_numbers)

    def cost(self):
        """What the numbers to rent add to the monthly bill (Totals)."""
        totals = _money.Totals()
        for line in self.lines:
            totals.add(line.unit_cost, line.currency_id, line.quantity)
        return totals

    def on_application(self, key, capability):
        """Records the rented-numbers read shows on application ``key`` with ``capability``."""
        return [item for item in self.numbers
                if _same_key(item["application_key"], key) and capability in (item["capabilities"] or [])]

    def changes(self):
        """Per application and capability that changes: (key, capability, records before, items added)."""
        added = {}
        for outcome in self.outcomes:
            rental = outcome.rental
            if rental.application_key is None:
                continue
            items = outcome.taken + list(outcome.new)
            if items:
                added.setdefault((rental.application_key, rental.capability), []).extend(items)
        return [(key, capability, self.on_application(key, capability), added[(key, capability)])
                for key, capability in sorted(added)]

    def application_numbers(self):
        """Every (key, capability) a rental names, with the numbers before and after (E.164 or placeholders).

        A number put on an application serves it with every capability it has (one application per number), so a
        voice and sms number added for voice is in the application's sms numbers afterwards too.
        """
        wanted = sorted(set((o.rental.application_key, o.rental.capability) for o in self.outcomes
                            if o.rental.application_key is not None))
        by_key = {}
        for key, _cap, _before, added in self.changes():
            by_key.setdefault(key, []).extend(added)
        result = []
        for key, capability in wanted:
            before = self.on_application(key, capability)
            added = [item for item in by_key.get(key, []) if capability in (_capabilities_of(item) or [])]
            result.append({"application_key": key, "capability": capability, "before": labels(before),
                           "after": labels(before + added), "added": labels(added), "changed": bool(added)})
        return result

    @property
    def changed(self):
        return self.rents or any(outcome.taken for outcome in self.outcomes)

    def attribute(self, bought):
        """Give each NewNumber its real number, in plan order, from the numbers bought for its group.

        ``bought`` maps a group id to the numbers (ints) the purchase matched to that group's line (see
        _purchase.Purchase.numbers_by_group): bought numbers are matched to plan lines once, there. Returns the
        NewNumbers left without a number (not listed yet, or listed without a readable group).
        """
        arrived = dict((group_id, list(numbers)) for group_id, numbers in bought.items())
        missing = []
        for new in self.new_numbers:
            pool = arrived.get(new.group_id, [])
            if pool:
                new.number = pool.pop(0)
            else:
                new.number = None
                missing.append(new)
        return missing


def _capabilities_of(item):
    return item.group.get("capabilities") if isinstance(item, NewNumber) else item["capabilities"]


def _same_key(left, right):
    """Application keys as Sinch issues them: hex digits and dashes, whose case does not matter."""
    if left is None or right is None or left is UNKNOWN_OWNER or right is UNKNOWN_OWNER:
        return False
    return str(left).strip().lower() == str(right).strip().lower()


class _Planner(object):
    """The state of one planning pass: who owns which number, what the shop has left, what is refused.

    ``owners`` (number -> application key as read, UNKNOWN_OWNER when unreadable) and ``matched`` (what each
    rental's selector says of the listed numbers and of the groups) are read once and shared by the passes
    (one per order tried) of one plan.
    """

    def __init__(self, rentals, listing, shop, guard, pending, owners, matched):
        self.rentals = rentals
        self.listing = listing
        self.numbers = listing.records
        self.shop = shop
        self.groups = shop.records if shop is not None else None
        self.guard = guard
        self.owner = dict(owners)  # then as the plan gives free numbers away
        self.matched = matched
        self.available = dict((group["group_id"], group["availability"]) for group in self.groups or [])
        self.new = []
        self.pending = list(pending or [])
        self.refusals = []
        self.doubts = []
        self.doubt_groups = set()  # groups of the planned numbers that may count for a refused rental
        self.unsure = 0  # rentals refused because a shop group the plan might have rented from cannot be read
        self.before_doubt = None  # what the plan bought when the first unreadable value refused a rental
        self.needs_shop = False
        self.order = []

    def run(self, order):
        """Plan the rentals in ``order`` (see _orders: rentals with an application first); outcomes in list order."""
        outcomes = dict((id(rental), Outcome(rental)) for rental in self.rentals)
        self.order = [rental for rental in order if rental.application_key is not None]
        for rental in order:
            if rental.application_key is not None:
                self._for_application(rental, outcomes[id(rental)])
            else:
                self._for_organisation(rental, outcomes[id(rental)])
        return [outcomes[id(rental)] for rental in self.rentals]

    # --- matching ---------------------------------------------------------------------------------
    def _match(self, rental, item):
        if isinstance(item, NewNumber):
            return self._group_match(rental, item.group, item.pending)
        return rental.selector.match(item, self.listing.fields(item))

    def _group_match(self, rental, group, pending=False):
        """Whether a number of ``group`` (a shop record, or the group a pending purchase remembers) counts for
        ``rental``: it has every field of its group (read once per plan)."""
        key = (id(rental), id(group), pending)
        if key not in self.matched:
            fields = self.shop.fields(group) if self.shop is not None and not pending else frozenset()
            self.matched[key] = rental.selector.match(group, fields)
        return self.matched[key]

    def _listed(self, rental):
        """(record, True or None) for the listed numbers that may count for ``rental`` (read once per plan)."""
        if id(rental) not in self.matched:
            found = [(item, self._match(rental, item)) for item in self.numbers]
            self.matched[id(rental)] = [(item, match) for item, match in found if match is not False]
        return self.matched[id(rental)]

    def _matches(self, rental):
        """(item, True or None) for every listed or planned number that may count for ``rental``."""
        planned = [(item, self._match(rental, item)) for item in self._planned()]
        return self._listed(rental) + [(item, match) for item, match in planned if match is not False]

    def _owner(self, item):
        return item.owner if isinstance(item, NewNumber) else self.owner[item["number"]]

    def _planned(self):
        return self.pending + self.new

    def _doubt(self, rental, missing, items):
        """Refuse the rental: ``items`` may count for it but cannot be read, and it would have to buy."""
        numbers = [item["number"] for item in items if not isinstance(item, NewNumber)]
        numbers += ["%s" % item.label() for item in items if isinstance(item, NewNumber)]
        self.doubts.append((rental, missing, numbers))
        self.doubt_groups.update(item.group_id for item in items if isinstance(item, NewNumber) and not item.pending)
        self._unknown()

    def _unknown(self):
        if self.before_doubt is None:
            self.before_doubt = spend(self.new)

    # --- per rental -------------------------------------------------------------------------------
    def _for_application(self, rental, outcome):
        key = rental.application_key
        matches = self._matches(rental)
        mine = [item for item, match in matches if match and _same_key(self._owner(item), key)]
        outcome.kept = mine[:rental.count]
        missing = rental.count - len(outcome.kept)
        if missing <= 0:
            return
        doubtful = [item for item, match in matches
                    if (match is None and (self._owner(item) is None or self._owner(item) is UNKNOWN_OWNER
                                           or _same_key(self._owner(item), key)))
                    or (match is not False and self._owner(item) is UNKNOWN_OWNER)]
        if doubtful or self.listing.unidentified:
            self._doubt(rental, missing, doubtful)
            return
        free = [item for item, match in matches
                if match and not isinstance(item, NewNumber) and self._owner(item) is None]
        # The free numbers later rentals of other applications need least first (then in listing order): a number
        # counts for each such rental that may use it, the more the fewer free numbers that rental may use, so that
        # overlapping rentals leave each other the numbers only they can use, whatever their order.
        need = dict((item["number"], Fraction(0)) for item in free)
        for other in self.order[self.order.index(rental) + 1:]:
            if other.application_key is None or _same_key(other.application_key, key):
                continue
            usable = [item["number"] for item, _match in self._listed(other) if self.owner[item["number"]] is None]
            for number in usable:
                if number in need:
                    need[number] += Fraction(1, len(usable))
        free.sort(key=lambda item: need[item["number"]])
        for item in free[:missing]:
            self.owner[item["number"]] = key
            outcome.taken.append(item)
            missing -= 1
        if missing > 0:
            self._buy(rental, outcome, missing, owner=key)

    def _for_organisation(self, rental, outcome):
        matches = self._matches(rental)
        outcome.kept = [item for item, match in matches if match]
        missing = rental.count - len(outcome.kept)
        if missing <= 0:
            return
        doubtful = [item for item, match in matches if match is None]
        if doubtful or self.listing.unidentified:
            self._doubt(rental, missing, doubtful)
            return
        self._buy(rental, outcome, missing, owner=None)

    # --- buying -----------------------------------------------------------------------------------
    def _buy(self, rental, outcome, missing, owner):
        if self.groups is None:
            self.needs_shop = True
            return
        problem = self._group_problem(rental)
        if problem:
            self.refusals.append(_refusal(rental, problem))
            return
        offered = self._offered(rental)
        currencies = sorted(set(currency(g) for g in offered if unit_cost(g) is not None and currency(g)))
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
            lines.append(Line(group, take, reserve_capabilities(group)))
            left -= take
        unread = self._unread_cheaper(rental, None if left else lines)
        if unread:
            self.refusals.append(_refusal(rental, self._unread_words(unread, None if left else lines)))
            self.unsure += 1
            self._unknown()
            return
        if left:
            self.refusals.append(_refusal(rental, self._not_enough(rental, offered, missing)))
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
            return ("number group %d is not in the Sinch number shop: it does not exist, or it is sold out (the shop does "
                    "not list a group without numbers); check group_id (sinch.numbers.sinch_number_shop_info lists the "
                    "groups), or run again when the group has numbers" % group_id)
        group, fields = found[0], self.shop.fields(found[0])
        needed = set(["availability"]) | (set(["capabilities"]) if rental.capability else set())
        if fields & needed:
            return ("the shop lists number group %d without a readable %s, so what it offers cannot be told"
                    % (group_id, " or ".join(sorted(fields & needed))))
        if rental.capability and rental.capability not in group["capabilities"]:
            return "number group %d does not offer %s (it offers %s)" % (
                group_id, rental.capability, ", ".join(group["capabilities"]) or "nothing")
        return None

    def _offered(self, rental):
        """Groups it may rent from, best first: known price (cheapest first), most available, lowest id.

        A group must be proven to match: one whose fields the selector reads cannot be read is left out, as is one
        whose availability cannot be read (_unread_cheaper refuses the rental when such a group may do better).
        """
        chosen = [group for group in self.groups
                  if self._group_match(rental, group) is True
                  and "availability" not in self.shop.fields(group)
                  and self._priced_in(group) and self.available[group["group_id"]] > 0]

        return sorted(chosen, key=self._rank)

    def _rank(self, group):
        """Known price (cheapest first), most available (an unreadable availability as the most), lowest id."""
        amount = unit_cost(group)
        available = float("inf") if "availability" in self.shop.fields(group) else self.available[group["group_id"]]
        return (amount is None, amount or 0, -available, group["group_id"])

    def _unread_cheaper(self, rental, lines):
        """Groups that may offer what ``rental`` buys but cannot be read (a field it reads, or the availability), with a
        known price, that would rank before the last group of ``lines`` (None: the plan cannot be made): cheaper, or as
        cheap and first by availability, so renting around them could cost more, or buy numbers other rentals of the
        call cannot count.

        Unknown is never "no": such a group, were it readable, could be rented instead. Without currency_id, one priced
        in another currency would have made the rental name several currencies. A group without a known price
        never blocks: it ranks last anyway.
        """
        last = None if lines is None else self._rank(lines[-1].group)
        currencies = set(line.currency_id for line in lines or [] if line.unit_cost is not None)
        found = []
        for group in self.groups:
            fields = self.shop.fields(group)
            match = self._group_match(rental, group)
            if match is False or unit_cost(group) is None or not self._priced_in(group):
                continue
            if "availability" not in fields and (match or not self.available[group["group_id"]]):
                continue  # read whole (so offered), or none left
            other = self.guard.currency_id is None and currencies and currency(group) not in currencies
            if last is None or self._rank(group) < last or other:
                found.append(group)
        return found

    def _unread_words(self, groups, lines):
        listed = "%s with fields that cannot be read (%s)" % (
            ", ".join("%s at %s" % (group_text(group), _price(group)) for group in groups),
            self.shop.describe([group["group_id"] for group in groups]))
        if lines is None:
            said = "the groups that can be read cannot cover it, and the shop lists %s" % listed
        else:
            said = "the shop lists %s, which it might rent instead of %s at %s" % (listed, group_text(lines[-1].group),
                                                                                   _price(lines[-1].group))
        return "%s: whether %s what it needs cannot be told, and unknown is never taken as \"no\"" % (
            said, "that group offers" if len(groups) == 1 else "those groups offer")

    def _priced_in(self, group):
        if self.guard.currency_id is None:
            return True
        # A group without a price cannot be said to be priced in another currency: keep it, the guard refuses it.
        return unit_cost(group) is None or same_text(currency(group) or "", self.guard.currency_id)

    def _not_enough(self, rental, offered, missing):
        available = sum(self.available[group["group_id"]] for group in offered)
        if offered:
            listing = "; ".join("%s: %d at %s" % (group_text(group), self.available[group["group_id"]],
                                                  _price(group)) for group in offered)
            have = "the shop has only %d available (%s)" % (available, listing)
        else:
            have = "the shop has none available"
        if self.guard.currency_id:
            have += ", counting only groups priced in %s" % self.guard.currency_id
        if any(group["group_id"] in set(item.group_id for item in self.new) for group in offered):
            have += ", after what earlier rentals of this call take"
        unreadable = [group["group_id"] for group in self.groups
                      if self._group_match(rental, group) is not False
                      and (self._group_match(rental, group) is None
                           or "availability" in self.shop.fields(group))]
        if unreadable:
            have += (", leaving out %s the shop lists with unreadable fields (%s)"
                     % (_money.plural(len(unreadable), "group"), self.shop.describe(unreadable)))
        return ("cannot rent %s: %s; lower count or widen the selection, or run again when the shop has more"
                % (_money.plural(missing, "more number"), have))

    def _unit_guard(self, lines):
        unknown = [line for line in lines if line.unit_cost is None]
        if unknown and self.guard.active:
            names = " and ".join(self.guard.names())
            return ("%s has no readable price, and an unknown price is never taken as free: it cannot be rented under "
                    "%s; choose another group, or drop %s to rent it at whatever it costs"
                    % (group_text(unknown[0].group), names, names))
        limit = self.guard.max_unit_cost
        dear = [line for line in lines if limit is not None and line.unit_cost is not None and line.unit_cost > limit]
        if dear:
            return ("%s costs %s a number a month, more than max_unit_cost %s; raise max_unit_cost or choose another group"
                    % (group_text(dear[0].group), _money.words(dear[0].unit_cost, dear[0].currency_id),
                       _money.words(limit, self.guard.currency_id or dear[0].currency_id)))
        return None


def _narrow_first(rental):
    """Sort key: a group selector, then more selector keys, first (a selector refining another has more keys)."""
    selector = rental.selector
    return (selector.group_id is None, -len(selector.given()))


def _price(group):
    amount = unit_cost(group)
    return "unknown price" if amount is None else _money.words(amount, currency(group))


def _refusal(rental, problem):
    return "%s: %s" % (rental_label(rental), problem)


def rental_label(rental):
    """rental 'support' (FR, city Paris, voice); the label a module gives its one rental otherwise."""
    label = getattr(rental, "label", None)
    if label:
        return label
    return "rental '%s' (%s)" % (rental.name, rental.words())


# The most orders x numbers listed the planner tries (see _orders): beyond, the default order alone.
SEARCH_BUDGET = 250000


def plan(rentals, listing, shop, guard, pending=()):
    """The plan of the whole call, or PlanError naming every refusal (nothing has been written then).

    ``listing`` is the organisation's rented numbers (a _shapes.Listing); ``shop`` the shop's groups (a
    Listing), or None when the shop has not been read: the plan then says ``needs_shop`` when something
    is missing, and the caller reads the shop and plans again. ``pending`` are NewNumbers of an earlier
    purchase whose outcome is not known yet (see _pending): they count as held.

    What a call buys does not depend on the order of its rentals: the orders of the organisation's rentals, and
    of the rentals of each application, are all tried while that is cheap (SEARCH_BUDGET), and the plan that buys
    the fewest numbers is kept, then the one with the lowest known cost, then the fewest numbers of unknown price,
    then the default order (applications in list order, narrowest selector first). An order refused because a
    value cannot be read refuses the call when it might have bought less than the plan kept (see _least).
    """
    spell_keys(rentals, listing.records)
    owners = dict((item["number"], UNKNOWN_OWNER if "applicationKey" in listing.fields(item) else item["application_key"])
                  for item in listing.records)
    matched = {}

    def attempt(order):
        planner = _Planner(rentals, listing, shop, guard, pending, owners, matched)
        return _attempt(planner, order)

    default = _default_order(rentals)
    tries = [attempt(default)]
    first = tries[0]
    if shop is None or (first[1] is None and not first[0].quantity):
        if first[1] is not None:
            raise first[1]
        return first[0]  # nothing to buy (or the shop is needed to tell what): no order can do better
    probe = _Planner(rentals, listing, shop, guard, pending, owners, matched)
    tries.extend(attempt(order) for order in _orders(probe, default)[1:])
    fine = [index for index, (_result, error, _spent, _over) in enumerate(tries) if error is None]
    if not fine:
        # The least a complete plan adds is what max_total_cost must allow; else the default order's refusals.
        over = [index for index, (_result, _error, _spent, over) in enumerate(tries) if over]
        raise tries[min(over, key=lambda index: (tries[index][2], index))][1] if over else first[1]
    best = tries[min(fine, key=lambda index: (tries[index][2], index))]
    unsure = [(error, spent) for _result, error, spent, _over in tries if isinstance(error, UnreadableError)]
    if unsure:
        least = _least(probe)
        for error, spent in unsure:
            if (max(spent[0], least[0]), max(spent[1], least[1])) < best[2][:2]:
                raise error
    return best[0]


def _attempt(planner, order):
    """(plan, its refusal or None, spend, refused by max_total_cost alone): spend is what it buys, or what it bought
    when an unreadable value first refused it."""
    outcomes = planner.run(order)
    result = Plan(planner.rentals, planner.listing, outcomes, planner.new, planner.pending, planner.needs_shop)
    problems = list(planner.refusals)
    doubts = planner.doubts + _write_doubts(result, planner)
    if doubts:
        groups = planner.shop.describe(sorted(planner.doubt_groups)) if planner.doubt_groups else ""
        problems.insert(0, _doubt_words(planner.listing, doubts, groups))
    if problems:
        kind = UnreadableError if doubts or planner.unsure else PlanError
        error = kind("Refused to rent, nothing was reserved or assigned: %s" % "; ".join(problems),
                     hint=_hint(doubts, planner.unsure))
        return result, error, planner.before_doubt or spend(planner.new), False
    try:
        if planner.shop is not None:
            check_total(result, planner.guard)
    except PlanError as err:
        return result, err, spend(planner.new), True
    return result, None, spend(planner.new), False


def spend(new):
    """(numbers, known cost summed over currencies, numbers of unknown price) of NewNumbers, to rank plans."""
    known = [unit_cost(item.group) for item in new]
    return len(new), sum(amount for amount in known if amount is not None), sum(1 for amount in known if amount is None)


def _default_order(rentals):
    """Rentals with an application first, application by application in list order, then those without; each part
    narrowest selector first (then in list order)."""
    first = {}
    for index, rental in enumerate(rentals):
        first.setdefault(rental.application_key, index)
    by_application = sorted((r for r in rentals if r.application_key is not None),
                            key=lambda r: (first[r.application_key], _narrow_first(r)))
    return by_application + sorted((r for r in rentals if r.application_key is None), key=_narrow_first)


def _orders(probe, default):
    """``default``, then its other orders that may buy differently; ``default`` alone when there are so many that the
    orders times the numbers listed exceed SEARCH_BUDGET.

    Only rentals the listed (or pending) numbers proven to count do not hold already can change anything, and only
    where they may share a number: those are permuted among their own places, the organisation's among themselves
    and each application's among its own, in parts that may share a group of the shop (or, for an application, a
    listed number). Rentals of different parts never see each other's numbers, so their relative order changes
    nothing.
    """
    parts = []  # [application key, places in default, groups and numbers they may share]
    for index, rental in enumerate(default):
        key = rental.application_key
        held = [item for item, match in probe._matches(rental) if match and (key is None or _same_key(probe._owner(item), key))]
        if len(held) >= rental.count:
            continue
        reach = set(("group", group["group_id"]) for group in probe.groups if probe._group_match(rental, group) is not False)
        if key is not None:
            reach.update(item["number"] for item, _match in probe._listed(rental))
        joined = [part for part in parts if part[0] == key and part[2] & reach]
        parts = [part for part in parts if part not in joined]
        parts.append([key, sorted(sum((part[1] for part in joined), [index])), reach.union(*(part[2] for part in joined))])
    count = 1
    for _key, places, _reach in parts:
        for size in range(2, len(places) + 1):
            count *= size
    if count == 1 or count * max(1, len(probe.numbers) + len(probe.pending)) > SEARCH_BUDGET:
        return [default]
    choices = [[(places, order) for order in itertools.permutations([default[index] for index in places])]
               for _key, places, _reach in parts]
    orders = []
    for combination in itertools.product(*choices):
        order = list(default)
        for places, rentals in combination:
            for index, rental in zip(places, rentals):
                order[index] = rental
        orders.append(order)
    return orders


def _least(probe):
    """What any order buys at least, whatever the unreadable values are: (numbers, known cost), the most one rental
    misses after every listed or pending number that may count for it, at the lowest price of a group that may
    offer it (no known cost when such a group has no readable price)."""
    quantity, cost = 0, 0
    for rental in probe.rentals:
        key = rental.application_key
        usable = [item for item, _match in probe._matches(rental)
                  if key is None or probe._owner(item) in (None, UNKNOWN_OWNER) or _same_key(probe._owner(item), key)]
        missing = rental.count - len(usable)
        if missing <= 0:
            continue
        prices = [unit_cost(group) for group in probe.groups
                  if probe._group_match(rental, group) is not False and probe._priced_in(group)]
        cheapest = min(prices) if prices and None not in prices else 0
        quantity, cost = max(quantity, missing), max(cost, missing * cheapest)
    return quantity, cost


def _write_doubts(result, planner):
    """An application whose numbers are overwritten must be read whole: one of its numbers whose capabilities,
    or any number whose application, cannot be read could be dropped by the overwrite."""
    doubts = []
    for key, capability, _before, _added in result.changes():
        unsure = [item for item in result.numbers
                  if planner.owner[item["number"]] is UNKNOWN_OWNER
                  or (_same_key(item["application_key"], key) and item["capabilities"] is None)]
        if unsure or result.listing.unidentified:
            rental = [o.rental for o in result.outcomes if o.rental.application_key == key][0]
            doubts.append((rental, None, [item["number"] for item in unsure]))
    return doubts


def _doubt_words(listing, doubts, groups=""):
    items = [item for _rental, _missing, found in doubts for item in found]
    numbers = sorted(set(item for item in items if not isinstance(item, str)))
    planned = [item for item in items if isinstance(item, str)]
    total = len(listing.records) + listing.unidentified
    count = len(numbers) + listing.unidentified
    needs = []
    for rental, missing, _items in doubts:
        if missing is None:
            needs.append("%s would overwrite numbers of application %s" % (rental_label(rental), rental.application_key))
        else:
            needs.append("%s needs %s" % (rental_label(rental), _money.plural(missing, "more number")))
    what = []
    if count:
        what.append("Sinch listed %d of the organisation's %d numbers with fields that cannot be read (%s)"
                    % (count, total, listing.describe(numbers)))
    if planned:
        what.append("%s not listed yet (%s) belong%s to a group whose fields Sinch listed unreadably%s"
                    % (_money.plural(len(planned), "number"), ", ".join(sorted(set(planned))),
                       "s" if len(planned) == 1 else "", " (%s)" % groups if groups else ""))
    return ("%s, and they may count for what is asked (%s): whether those numbers are held, free or on an application "
            "cannot be told, and unknown is never taken as \"no\"" % ("; ".join(what), "; ".join(needs)))


def _hint(doubts, unsure=0):
    if unsure:
        return ("Run again later; if Sinch keeps listing the groups so, check them with "
                "sinch.numbers.sinch_number_shop_info, or narrow the selection to groups that can be read.")
    if not doubts:
        return None
    return ("Run again later; if Sinch keeps listing the numbers so, check them in the Sinch dashboard "
            "(sinch.numbers.sinch_number_info shows what can be read).")


def check_total(result, guard):
    """PlanError when the whole call adds more than max_total_cost (in guard.currency_id)."""
    if guard.max_total_cost is None:
        return
    total = result.cost().in_currency(guard.currency_id)
    if total > guard.max_total_cost:
        dear = ", ".join("%s %s" % (rental_label(outcome.rental), outcome.cost().words())
                         for outcome in result.outcomes if outcome.lines)
        raise PlanError("Refused to rent, nothing was reserved or assigned: the plan would add %s a month, more than "
                        "max_total_cost %s, which is for the whole call (%s)"
                        % (_money.words(total, guard.currency_id), _money.words(guard.max_total_cost, guard.currency_id),
                           dear),
                        hint="Raise max_total_cost or ask for fewer numbers.")


def spell_keys(rentals, numbers):
    """Write each rental's application key as Sinch spells it on the rented numbers (else as its first rental does).

    Keys are hex digits and dashes, whose case does not matter; results then name each application once.
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
    visible = set(item["application_key"].lower() for item in numbers if item["application_key"])
    keys = []
    for rental in rentals:
        key = rental.application_key
        if key is not None and key.lower() not in visible and key not in keys:
            keys.append(key)
    return keys


__all__ = ["Selector", "plan", "Plan", "Line", "NewNumber"]
