#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_number_rentals
short_description: Make a Sinch organisation and its applications hold a list of rentals, in one call
version_added: 0.2.0
description:
  - Declares a list of rentals, each B(at least) O(rentals[].count) rented numbers matching a selection (a number
    group, or a place, optionally with a capability), and makes them hold in one call.
  - A rental without O(rentals[].application_key) is met when the organisation holds at least
    O(rentals[].count) matching numbers (numbers on applications count, and one number counts for every such rental
    it matches).
  - A rental with O(rentals[].application_key) is met when that application holds at least O(rentals[].count)
    matching numbers. Those already on it count first, then free rented numbers (on no application) are put on it,
    then new numbers are rented for it. Numbers of another application are never taken, and nothing is ever taken
    off an application.
  - Rentals with an application are planned first, in list order, so a free number that two of them could use goes
    to the first and the other rents; then those without an application, which count every matching number the
    plan leaves the organisation with, new ones included, narrowest selection first (a O(rentals[].group_id), then
    more selection keys), so a broad rental counts what a narrower one rents. Rentals may share a selection without
    counting a number twice for two applications.
  - The whole call is planned before the first write (money in exact decimals), and every refusal is named at once
    (a group not in the shop or without the capability, too few numbers available, prices in several currencies,
    an unknown application, O(max_unit_cost), and O(max_total_cost) for the whole call). A refused call writes
    nothing.
  - Then it reserves once per number group, checks out B(once for the whole call), reads the rented numbers once,
    and sends one overwrite per application and capability that changes (reading that application just before,
    since the overwrite replaces its numbers of that capability).
  - A checkout whose answer is lost is never sent again blindly; the rented numbers are read first
    (see M(sinch.numbers.sinch_number_rent)).
  - Requests with an instance and O(organisation_id) given are one read of the rented numbers when every rental holds,
    plus one read per application no rented number shows (to prove it exists). When something is missing, one shop
    read, one reserve per group, one checkout, one read, and per application that changes one read and one overwrite
    per capability.
  - Renting costs money every month and cannot be undone through this API.
  - The role C(sinch.numbers.number_rental) logs in, calls this module once and prints its summary.
author:
  - Sinch Numbers maintainers (@sinch-numbers)
extends_documentation_fragment:
  - sinch.numbers.connection
  - sinch.numbers.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads (the rented numbers, the shop when something is missing, applications no number shows) and returns the
        full plan a real run would carry out; writes nothing. Fails exactly when a real run would fail before its
        first write. RV(check_mode) says that the result is a prediction.
  diff_mode:
    support: full
    details:
      - Each application's numbers of each capability a rental names, before and after. Numbers Sinch chooses only
        at checkout appear as placeholders naming their group in check mode.
  platform:
    platforms: all
options:
  rentals:
    description:
      - The wanted state, one entry per rental.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - A name for the rental, unique in the list; results and messages use it.
        type: str
        required: true
      count:
        description:
          - Without O(rentals[].application_key), how many matching numbers the organisation holds at least.
          - With it, how many matching numbers the application holds at least.
          - Lowering it never gives numbers back nor takes them off an application.
        type: int
        required: true
      group_id:
        description:
          - Select the numbers of this number group (see M(sinch.numbers.sinch_number_shop_info)).
          - Exactly one of O(rentals[].group_id) and O(rentals[].country_id) is required.
        type: int
      country_id:
        description:
          - Select the numbers of this country (ISO 3166-1 alpha-2, case-insensitive), for example V(FR).
        type: str
      city:
        description:
          - With O(rentals[].country_id), only numbers of this city (case-insensitive).
        type: str
      area_code:
        description:
          - With O(rentals[].country_id), only numbers with this area code. Quote it to keep leading zeros.
        type: str
      capability:
        description:
          - Only numbers with this capability, V(voice) or V(sms) (case-insensitive); new numbers are reserved with it.
          - With O(rentals[].application_key) it defaults to V(voice) and is also the capability the numbers serve
            the application with.
        type: str
      application_key:
        description:
          - The application the numbers serve. Numbers already on it are kept, free rented numbers are added;
            numbers on other applications are never taken.
        type: str
  max_unit_cost:
    description:
      - No number dearer than this a month is rented (checked before reserving anything).
      - A group whose price Sinch does not give is never rented under a cost guard.
    type: float
  max_total_cost:
    description:
      - The most the whole call may add to the monthly bill, over all rentals, in O(currency_id).
    type: float
  currency_id:
    description:
      - ISO 4217 currency of the cost guards, for example V(USD). When given, only groups priced in it are rented from.
      - Required with O(max_total_cost). Without it, a rental whose groups are priced in several currencies fails.
    type: str
  lock_timeout:
    description:
      - How many seconds a run waits for another run renting for the same organisation on this machine to finish,
        before failing without reading or buying anything. A real run holds that lock from its first read to its
        last write; runs on different machines are not covered, since the Sinch API has no lock.
      - Not used in check mode, which buys nothing.
    type: float
    default: 600
  expected_plan_id:
    description:
      - The RV(plan_id) of an approved plan, as a run (usually in check mode) returned it. The run computes its plan
        afresh and, when its RV(plan_id) is another, fails before any write (in check mode too), naming what differs,
        the numbers to rent per group (availability or numbers held changed), the prices, the numbers the
        applications would hold (numbers rented, assigned or taken off since), or the cost guards, with what the
        plan is now. With the same id, the run applies exactly the approved plan.
      - Plan in check mode, approve, then run with this option, and nothing else than what was approved is bought or
        assigned.
    type: str
  expiry_warning_days:
    description:
      - The C(expiring) part of RV(holdings) lists the numbers that expire within this many days (already expired ones
        included).
    type: int
    default: 14
notes:
  - Sinch offers no way to release a rented number or to cancel a reservation; this module only ever adds numbers.
  - Run it once per organisation (one host, C(run_once=true), or a play on C(localhost)). Runs on one machine wait
    for each other (O(lock_timeout)); Sinch has no lock for runs on different machines.
  - The overwrite of an application's numbers replaces that capability's numbers. The application is read just
    before it, and the overwrite sends its numbers plus the new ones, so another writer changing the application
    between that read and the overwrite (a fraction of a second) would be undone; the API offers no way to prevent it.
seealso:
  - module: sinch.numbers.sinch_number_rent
  - module: sinch.numbers.sinch_app_numbers
"""

EXAMPLES = r"""
- name: Support numbers on an application, and one spare London number
  sinch.numbers.sinch_number_rentals:
    max_unit_cost: 5
    max_total_cost: 20
    currency_id: USD
    rentals: &support_rentals
      - name: support-paris
        country_id: FR
        city: Paris
        count: 2
        application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
      - name: reserve-london
        country_id: GB
        count: 1
  register: rentals

- name: Show what the call added to the bill
  ansible.builtin.debug:
    msg: "{{ rentals.msg }} {{ rentals.totals.added_monthly_cost }}"

# Plan, approve, apply exactly: a check-mode run gives the plan_id, a later real run applies only that plan.
- name: Plan (check mode)
  sinch.numbers.sinch_number_rentals:
    max_unit_cost: 5
    max_total_cost: 20
    currency_id: USD
    rentals: *support_rentals
  check_mode: true
  register: planned

- name: Apply the approved plan, or fail before any write if prices, numbers or guards changed since
  sinch.numbers.sinch_number_rentals:
    max_unit_cost: 5
    max_total_cost: 20
    currency_id: USD
    rentals: *support_rentals
    expected_plan_id: "{{ planned.plan_id }}"
"""

RETURN = r"""
msg:
  description: What was done (or, in check mode, would be done), in words.
  returned: always
  type: str
  sample: Rented 2 numbers for 4.00 USD a month; put numbers on 1 application.
check_mode:
  description: True when the module ran in check mode (the result is a prediction, nothing was written).
  returned: always
  type: bool
  sample: false
rentals:
  description: One entry per rental, in the given order.
  returned: success, and failures after a purchase
  type: list
  elements: dict
  contains:
    name:
      description: The rental's name.
      type: str
    selector:
      description: The selection in words.
      type: str
      sample: FR, city Paris, voice
    count:
      description: The rental's count.
      type: int
    application_key:
      description: The rental's application, or null.
      type: str
    capability:
      description: The capability selected (with an application, the one it is served with), or null.
      type: str
    numbers:
      description:
        - The numbers the rental counts, in E.164 (with an application, at most O(rentals[].count) of those on it).
        - Numbers Sinch chooses only at checkout are placeholders C((new number in group N)) when not bought.
      type: list
      elements: str
    kept:
      description: Numbers already counting for it (on its application, or any matching number without one).
      type: list
      elements: str
    assigned:
      description: Free rented numbers put on its application.
      type: list
      elements: str
    rented_this_run:
      description: Numbers rented for it (placeholders in check mode).
      type: list
      elements: str
    groups:
      description: Number groups it rents from (C(group_id), C(quantity), C(unit_cost), C(subtotal), C(currency_id)).
      type: list
      elements: dict
    added_monthly_cost:
      description: What its new numbers add to the monthly bill, by currency.
      type: dict
      sample: {"USD": 4.0}
    monthly_cost:
      description: The monthly cost of RV(rentals[].numbers), by currency.
      type: dict
    changed:
      description: Whether it rents or assigns anything.
      type: bool
    previewed:
      description: True when it would rent or assign, in check mode.
      type: bool
applications:
  description: Per application named, the numbers its rentals count, in E.164.
  returned: success, and failures after a purchase
  type: dict
  sample: {"bb7b4e39-4227-4913-8c81-2db4abb54fb3": ["+14150005551", "+33170000000"]}
application_numbers:
  description: Per application and capability named, the numbers before and after (E.164), and those added.
  returned: success, and failures after a purchase
  type: list
  elements: dict
reservations:
  description: One reserve per group (C(group_id), C(quantity), C(unit_cost), C(subtotal), C(currency_id)).
  returned: success, and failures after a purchase
  type: list
  elements: dict
totals:
  description:
    - C(numbers) counted once each over all rentals, C(rented_this_run), C(added_monthly_cost) and C(monthly_cost)
      by currency, and C(unknown_cost) (numbers whose price Sinch did not give).
    - After a failed purchase, only what was bought is listed, and C(unlisted) says how many bought numbers the
      rented numbers did not list yet.
  returned: success, and failures after a purchase
  type: dict
  sample: {"numbers": 5, "rented_this_run": 4, "added_monthly_cost": {"USD": 8.0}, "monthly_cost": {"USD": 8.0},
           "unknown_cost": 0}
reference_ids:
  description: The reservations checked out (empty when nothing was rented, and in check mode).
  returned: success
  type: list
  elements: str
diff:
  description: One before/after pair per application and capability named, one E.164 number per line.
  returned: success
  type: list
  elements: dict
plan_id:
  description:
    - The fingerprint of everything the run writes (or, in check mode, would write) and of the cost guards, computed
      before any write; give it as O(expected_plan_id) to apply exactly this plan.
    - C(snp1-) then four groups of 16 hexadecimal digits, each the start of the SHA-256 of one category of
      RV(plan_fingerprint_data) as JSON with sorted keys and no spaces, in the order quantities, prices,
      applications, guards. The same plan gives the same id on any machine (numbers and group ids compared as
      numbers, amounts as exact decimals, so V(2) and V(2.00) are one price).
    - A converged run (nothing to rent or assign) has a stable id, that of empty quantities, prices and
      applications with the call's guards.
  returned: success, and failures after a purchase
  type: str
  sample: snp1-f0ed40ec6f9a636c-209cd1700189503d-dad7d0fb1d5ae57e-16c51b407f07141c
plan_fingerprint_data:
  description:
    - The canonical plan the RV(plan_id) fingerprints (version 1). C(quantities), per group to rent, C(group_id) and
      C(quantity); C(prices), per group to rent, C(group_id), C(unit_cost) (exact decimal string, null when Sinch
      gives none) and C(currency_id); C(applications), per application and capability whose numbers change,
      C(application_key), C(capability) and the resulting C(numbers) (E.164 sorted, then placeholders
      C((new number in group N)) for numbers Sinch chooses at checkout); C(guards), C(max_unit_cost),
      C(max_total_cost) and C(currency_id).
  returned: success, and failures after a purchase
  type: dict
  sample: {"version": 1, "quantities": [{"group_id": 3, "quantity": 2}],
           "prices": [{"group_id": 3, "unit_cost": "2", "currency_id": "USD"}],
           "applications": [{"application_key": "bb7b4e39-4227-4913-8c81-2db4abb54fb3", "capability": "voice",
                             "numbers": ["+33170000000", "(new number in group 3)", "(new number in group 3)"]}],
           "guards": {"max_unit_cost": "5", "max_total_cost": "20", "currency_id": "USD"}}
holdings:
  description:
    - What the organisation holds beyond the rentals, from the rented numbers the run reads (no extra request), with
      the free numbers this run puts on applications counted as on them; numbers rented by this run are not in it.
    - C(unclaimed), numbers no rental counts; C(no_application), numbers on no application; C(expiring), numbers
      expiring within O(expiry_warning_days) days (already expired included; C(expires) maps each to its date).
      Each has C(numbers), C(list) (E.164), C(monthly_cost) by currency as exact decimal strings, and
      C(unknown_cost) (numbers without a readable price, never counted as 0).
    - The Sinch API cannot give numbers back; release unused numbers in the Sinch Customer Dashboard.
  returned: success, and failures after a purchase
  type: dict
  sample: {"unclaimed": {"numbers": 1, "list": ["+14150005551"], "monthly_cost": {"USD": "2.00"}, "unknown_cost": 0},
           "no_application": {"numbers": 1, "list": ["+14150005551"], "monthly_cost": {"USD": "2.00"},
                              "unknown_cost": 0},
           "expiring": {"numbers": 0, "list": [], "monthly_cost": {}, "unknown_cost": 0, "expires": {}},
           "expiry_warning_days": 14}
error:
  description: What Sinch answered when a request failed (no secrets).
  returned: failure from Sinch
  type: dict
"""

from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import (
    AfterWriteError,
    cross_check,
    plan as plan_application,
    predicted_numbers,
    read_application,
    write,
)
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._lock import DEFAULT_LOCK_TIMEOUT, LockTimeout, OrganisationLock
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff, run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._rent import Guard, PlanError, Purchase, PurchaseError, plural
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import (
    application_keys_to_read,
    attribute,
    costs_words,
    fingerprint_data,
    holdings_of,
    number_of,
    plan_rentals,
    rentals_from_options,
    summary,
)
from ansible_collections.sinch.numbers.plugins.module_utils import _plan_id, _shapes

RENTAL_OPTIONS = dict(
    name=dict(type="str", required=True),
    count=dict(type="int", required=True),
    group_id=dict(type="int"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str"),
    application_key=dict(type="str", no_log=False),
)

ARGUMENTS = dict(
    rentals=dict(type="list", elements="dict", required=True, options=RENTAL_OPTIONS,
                 mutually_exclusive=[("group_id", "country_id")], required_one_of=[("group_id", "country_id")]),
    max_unit_cost=dict(type="float"),
    max_total_cost=dict(type="float"),
    currency_id=dict(type="str"),
    lock_timeout=dict(type="float", default=DEFAULT_LOCK_TIMEOUT),
    expected_plan_id=dict(type="str"),
    expiry_warning_days=dict(type="int", default=14),
)


class _Bought(SinchError):
    """A purchase that failed after buying: the purchase's own sentence, with the call's summary of what it bought."""

    def __init__(self, cause, result):
        super(_Bought, self).__init__(cause.message, status=cause.status, error_code=cause.error_code, method=cause.method,
                                      path=cause.path, outcome_unknown=cause.outcome_unknown, hint=cause.hint)
        self.action = cause.action
        self.cause = cause
        self.result = result

    def describe(self, action=None):
        return self.cause.describe(action)

    def to_result(self):
        result = self.cause.to_result()
        result.update(self.result)
        result["changed"] = True
        return result


def number_rentals(client, params, check_mode, sleep=None, lock_directory=None):
    """Plan every rental, then reserve, check out once, read, and overwrite what changes.

    A real run holds the organisation's renting lock on this machine from its first read to its last write.
    """
    rentals = rentals_from_options(params["rentals"])
    guard = _guard(params)
    expected = params.get("expected_plan_id")
    if expected is not None:
        expected = _plan_id.parse(expected)
    days = params.get("expiry_warning_days")
    days = 14 if days is None else days
    if days < 0:
        raise ValueError("expiry_warning_days must be 0 or more (it is %d). Nothing was sent to Sinch." % days)
    extra = dict(expected=expected, days=days)
    timeout = params.get("lock_timeout")
    timeout = DEFAULT_LOCK_TIMEOUT if timeout is None else timeout
    if not 0 <= timeout < float("inf"):
        raise ValueError("lock_timeout must be a number of seconds, 0 or more (it is %r)." % (timeout,))
    if check_mode:
        return _rentals(client, rentals, guard, True, sleep, **extra)
    try:
        with OrganisationLock(client.organisation_id, timeout, client.session.warnings.append, lock_directory):
            return _rentals(client, rentals, guard, False, sleep, **extra)
    except LockTimeout as err:
        raise ValueError(str(err))


def _rentals(client, rentals, guard, check_mode, sleep, expected=None, days=14):
    numbers = _shapes.numbers(client.list_numbers())
    _check_applications(client, application_keys_to_read(rentals, numbers))
    plan = plan_rentals(rentals, numbers, None, guard)
    if plan.needs_shop:
        groups = [_shapes.number_group(raw) for raw in client.list_number_groups()]
        plan = plan_rentals(rentals, numbers, groups, guard)
    # The plan's fingerprint, before anything is bought (new numbers are placeholders, as in check mode).
    data = fingerprint_data(plan, guard)
    if expected is not None:
        _plan_id.check(expected, data)  # refused before any write, in check mode as in a real run
    plan.fingerprint = (_plan_id.plan_id(data), data, holdings_of(plan, days))
    if check_mode or not plan.changed:
        return _result(plan, check_mode, [])
    reference_ids, after = [], numbers
    if plan.rents:
        purchase = _buy(client, plan, numbers, sleep)
        reference_ids, after = purchase.reference_ids, purchase.after
    written = []
    try:
        for key, capability, _before, added in plan.changes():
            after = _assign(client, key, capability, added, after)
            written.append((key, capability))
    except SinchError as err:
        if not reference_ids and not written and not isinstance(err, AfterWriteError):
            raise  # nothing was bought nor written: the failure's own sentence says so
        raise _after_purchase(err, plan, reference_ids, written)
    return _result(plan, False, reference_ids)


def _guard(params):
    try:
        return Guard(params["max_unit_cost"], params["max_total_cost"], params["currency_id"])
    except ValueError as err:
        raise ValueError("%s Nothing was sent to Sinch." % err)


def _check_applications(client, keys):
    """Read each application no rented number shows: an unknown key fails before anything is bought."""
    unknown = []
    for key in keys:
        try:
            client.list_application_numbers(key)
        except SinchError as err:
            if err.status != 404:
                raise
            unknown.append("%s (Sinch answered HTTP 404 errorCode %s: %s)" % (key, err.error_code, err.message.rstrip(".")))
    if unknown:
        raise PlanError("Refused to rent, nothing was reserved or assigned: application%s %s %s not known to this "
                        "organisation; check the application_key of the rentals."
                        % ("" if len(unknown) == 1 else "s", "; ".join(unknown), "is" if len(unknown) == 1 else "are"))


def _buy(client, plan, before, sleep):
    """Reserve per group, check out once, read until every bought number shows (see Purchase)."""
    purchase = Purchase(client, plan.reservations, before, sleep=sleep)
    try:
        purchase.run()
    except PurchaseError as err:
        if not err.changed:
            raise  # nothing was bought: its sentence says so
        attribute(plan, before, purchase.after or before)
        result = _result(plan, False, purchase.reference_ids, only_bought=True)
        del result["msg"]  # the failure's own sentence says it
        # Numbers a checkout bought that no read lists yet count too, and the money is what the purchase spent.
        result["totals"]["unlisted"] = purchase.unlisted()
        result["totals"]["rented_this_run"] += purchase.unlisted()
        spent = purchase.spent()
        if spent is not None and not err.outcome_unknown:
            result["totals"]["added_monthly_cost"] = {purchase.to_result()["spent"]["currency_id"] or "": float(spent)}
        raise _Bought(err, result)
    missing = attribute(plan, before, purchase.after)
    if missing:
        # Purchase settles every line it bought; a number not attributed here would be a bug, never a re-buy. The
        # checkout succeeded, so the failure is a change that says what was bought.
        raise _after_purchase(SinchError("the rented numbers do not show %s bought" % plural(len(missing), "number")),
                              plan, purchase.reference_ids, [])
    return purchase


def _assign(client, key, capability, added, rented):
    """Read the application just before one overwrite of its ``capability`` numbers with those plus ``added``.

    The application read is cross-checked with the rented-numbers read (``rented``) before anything is
    written; returns the rented numbers as they are after the write.
    """
    before, unreadable = read_application(client, key)
    cross_check(key, capability, before, unreadable, rented)
    given = sorted(set(number_of(item) for item in added))
    change = plan_application(key, capability, given, False, False, before, rented, client.organisation_id)
    if not change["added"]:
        return rented
    predicted = predicted_numbers(key, capability, change["wanted"], before, rented)
    _answer, warnings = write(client, key, capability, change, before, predicted)
    client.session.warnings.extend(warnings)
    return [dict(item, application_key=key) if item["number"] in change["added"] else item for item in rented]


def _after_purchase(err, plan, reference_ids, written):
    """A failure after money was spent or an application was written: changed, with the summary of what was done."""
    result = _result(plan, False, reference_ids)
    del result["msg"]  # the failure's own sentence says it
    parts = []
    if plan.new_numbers:
        parts.append("rented %s (reservation(s) %s) for %s a month" % (
            plural(len(plan.new_numbers), "number"), ", ".join(reference_ids), costs_words(plan.cost_by_currency())))
    if written:
        parts.append("wrote the %s" % ", ".join("%s numbers of application %s" % (cap, key) for key, cap in written))
    words_done = ("Before it failed, this call %s; a re-run counts what it did and buys nothing twice."
                  % " and ".join(parts)) if parts else ""
    if isinstance(err, AfterWriteError):
        words_done = ("%s %s" % (err.done_words, words_done)).strip()
    return AfterWriteError(err, result, words_done)


def _result(plan, check_mode, reference_ids, only_bought=False):
    result = summary(plan, check_mode, only_bought)
    identity, data, held = plan.fingerprint
    result.update({
        "plan_id": identity,
        "plan_fingerprint_data": data,
        "holdings": held,
        "changed": plan.changed,
        "check_mode": check_mode,
        "msg": _msg(plan, result, check_mode),
        "reference_ids": list(reference_ids),
        "diff": [diff(item["before"], item["after"], "%s numbers of application %s" % (item["capability"], item["application_key"]))
                 for item in result["application_numbers"]],
    })
    return result


def _msg(plan, result, check_mode):
    if not plan.changed:
        return "Every rental holds its numbers (%s); nothing rented or assigned." % plural(result["totals"]["numbers"], "number")
    parts = []
    if plan.new_numbers:
        verb = "Would rent" if check_mode else "Rented"
        cost = costs_words(plan.cost_by_currency())
        parts.append("%s %s for %s a month" % (verb, plural(len(plan.new_numbers), "number"), cost))
    changed = [item for item in result["application_numbers"] if item["changed"]]
    if changed:
        keys = sorted(set(item["application_key"] for item in changed))
        verb = "would put" if check_mode else "put"
        verb = verb if parts else verb.capitalize()
        parts.append("%s numbers on %s (%s)" % (verb, plural(len(keys), "application"), ", ".join(keys)))
    return "; ".join(parts) + "."


def main():
    module = sinch_module(ARGUMENTS, required_by={"max_total_cost": "currency_id"})
    run(module, number_rentals, dict((name, module.params[name]) for name in ARGUMENTS), module.check_mode)


if __name__ == "__main__":
    main()
