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
  - Rentals with an application are planned first, application by application in list order (narrowest selection
    first within one application); each takes first the free numbers that later rentals need least, so overlapping
    rentals leave each other the numbers only they can use. Then those without an application, which count every
    matching number the plan leaves the organisation with, new ones included, narrowest selection first (a
    O(rentals[].group_id), then more selection keys), so a broad rental counts what a narrower one rents. Rentals may
    share a selection without counting a number twice for two applications.
  - A number the plan rents carries every capability of its group (the reservation asks for all of them), so rentals
    that split the capabilities of one group (voice x1, then sms x1, from a voice and sms group) rent one number, in
    any order.
  - The whole call is planned before the first write (money in exact decimals), and every refusal is named at once
    (a group not in the shop or without the capability, too few numbers available, prices in several currencies,
    an unknown application, O(max_unit_cost), and O(max_total_cost) for the whole call). A refused call writes
    nothing.
  - Unknown is never "no". When Sinch lists rented numbers whose fields a rental reads (group, country, city, area
    code, capabilities, application) unreadably, and such a rental would have to rent (or an application with such a
    number would be overwritten), the call fails before any reserve or write, saying how many numbers could not be
    read and which fields.
  - Then it reserves once per number group (all reservations before any checkout), checks out B(each reservation in
    a request of its own) so that every answer speaks for one reservation, reads the rented numbers, and sends one
    overwrite per application and capability that changes (reading that application just before, since the
    overwrite replaces its numbers of that capability). See M(sinch.numbers.sinch_number_rent) for what each checkout
    answer leads to; a reservation that expired is renewed in the same run, for what a fresh read shows missing.
  - A purchase the run cannot see in the listing (an unknown outcome, or numbers not listed yet) is remembered on the
    machine (O(pending_purchase)); later runs there never buy it again before it is resolved.
  - Requests with an instance and O(organisation_id) given are one read of the rented numbers when every rental holds,
    plus one read per application no rented number shows (to prove it exists). When something is missing, one shop
    read, one reserve and one checkout per group, one read, and per application that changes one read and one
    overwrite per capability. When free rented numbers are put on applications, each other application the rented
    numbers name is read once first, to prove they are free (Sinch leaves a free number's application out, so a
    number whose application the listing dropped would look free).
  - Renting costs money every month and cannot be undone through this API.
  - The role C(sinch.numbers.number_rental) logs in, calls this module once and prints its summary.
author:
  - Sinch Numbers maintainers (@sinch-numbers)
extends_documentation_fragment:
  - sinch.numbers.connection
  - sinch.numbers.lock
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
        type: raw
        required: true
      group_id:
        description:
          - Select the numbers of this number group (see M(sinch.numbers.sinch_number_shop_info)).
          - Exactly one of O(rentals[].group_id) and O(rentals[].country_id) is required.
        type: raw
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
      - No number dearer than this a month is rented (checked before reserving anything); a group priced exactly at it
        may be rented.
      - A group whose price Sinch does not give is never rented under a cost guard.
      - A number such as V(2.5) (or a numeric string), V(0) or more, compared as an exact decimal; V(true), V(false),
        V(nan) and V(inf) fail the task.
    type: raw
  max_total_cost:
    description:
      - The most the whole call may add to the monthly bill, over all rentals, in O(currency_id).
      - A number, V(0) or more, as O(max_unit_cost).
    type: raw
  currency_id:
    description:
      - ISO 4217 currency of the cost guards, three letters, for example V(USD) (any case). When given, only groups
        priced in it are rented from.
      - Required with O(max_total_cost). Without it, a rental whose groups are priced in several currencies fails.
    type: str
  pending_purchase:
    description:
      - What to do with the organisation's pending purchases on this machine, purchases an earlier run could not see
        in the listing (a checkout whose outcome is unknown, or numbers Sinch does not list yet; see RV(pending_purchase)).
      - V(respect) resolves them first and never buys what they may have covered until they are resolved (their
        numbers are listed, a checkout of their reservation sent again succeeds, or an hour passes after the
        reservation without Sinch listing them).
      - A run resolves the organisation's pending purchases first, whatever its own rentals, and may send again the
        checkout of an earlier purchase (which may buy it; the result says so, and check mode says a real run would).
        With O(expected_plan_id) it does not, and fails before any write while one is pending, since an approved plan
        does not cover it.
      - V(forget) drops them, then plans as if they had not been bought. Use it only after checking, in the Sinch
        dashboard or with M(sinch.numbers.sinch_number_info), that they were not bought, or to stop waiting for
        numbers you know are there; the result says what was forgotten.
    type: str
    choices: [respect, forget]
    default: respect
    version_added: 0.3.0
  expected_plan_id:
    description:
      - The RV(plan_id) of an approved plan, as a run (usually in check mode) returned it. The run computes its plan
        afresh and, when its RV(plan_id) is another, fails before any write (in check mode too), naming what differs,
        the numbers to rent per group and the capabilities reserved and selected (availability or numbers held
        changed), the prices, the numbers the applications would hold (numbers rented, assigned or taken off since),
        the cost guards, or the organisation, with what the plan is now. With the same id, the run applies exactly the
        approved plan.
      - Plan ids of version 0.2 (C(snp1-)) are refused, since they covered neither the organisation nor the capabilities.
      - Plan in check mode, approve, then run with this option, and nothing else than what was approved is bought or
        assigned.
    type: str
  expiry_warning_days:
    description:
      - The C(expiring) part of RV(holdings) lists the numbers that expire within this many days (already expired ones
        included). From V(0) to V(3650).
    type: raw
    default: 14
notes:
  - Sinch offers no way to release a rented number or to cancel a reservation; this module only ever adds numbers.
  - Run it once per organisation (one host, C(run_once=true), or a play on C(localhost)). Runs on one machine wait
    for each other (O(lock_timeout)); Sinch has no lock for runs on different machines.
  - Amounts in the results have one shape, a dictionary of C(amount), an exact decimal string such as V(4.00) (null
    when unknown), and C(currency_id), such as V(USD); a sum over currencies is a list of them.
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
    msg: "{{ rentals.msg }} Added: {{ rentals.totals.added_monthly_cost | map(attribute='amount') | join(' + ') }}"

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
      description:
        - Number groups it rents from (C(group_id), C(quantity), C(unit_cost) and C(subtotal) as money, C(capabilities)
          reserved, C(cost_known)).
      type: list
      elements: dict
    added_monthly_cost:
      description: What its new numbers add to the monthly bill (C(amount) null when a group's price is unknown).
      type: dict
      sample: {"amount": "4.00", "currency_id": "USD"}
    monthly_cost:
      description: The monthly cost of RV(rentals[].numbers), one money value per currency.
      type: list
      elements: dict
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
  description:
    - One reservation (and one checkout) per group (C(group_id), C(quantity), C(unit_cost) and C(subtotal) as money,
      C(capabilities) reserved, C(cost_known)).
  returned: success, and failures after a purchase
  type: list
  elements: dict
totals:
  description:
    - C(numbers) counted once each over all rentals, C(rented_this_run), C(added_monthly_cost) and C(monthly_cost)
      (lists of money values, one per currency), C(unknown_cost) (numbers held whose price Sinch did not give) and
      C(added_unknown_cost) (numbers rented this run whose price Sinch did not give, not in C(added_monthly_cost)).
    - After a failed purchase, only what was bought is listed; C(unlisted) says how many bought numbers the rented
      numbers did not list yet, and, when a checkout's outcome is unknown, C(maybe_rented) and
      C(maybe_added_monthly_cost) say what may have been bought (never counted as bought, nor as nothing).
  returned: success, and failures after a purchase
  type: dict
  sample: {"numbers": 5, "rented_this_run": 4, "added_monthly_cost": [{"amount": "8.00", "currency_id": "USD"}],
           "added_unknown_cost": 0, "monthly_cost": [{"amount": "8.00", "currency_id": "USD"}], "unknown_cost": 0}
reference_ids:
  description: The reservations made and checked out, one checkout each (empty when nothing was rented, and in check mode).
  returned: success, and failures after a purchase
  type: list
  elements: str
pending_purchase:
  description:
    - Purchases this machine waits to see in the listing (see O(pending_purchase)), after the run. Each has
      C(reference_id), C(group_id), C(quantity), C(unlisted) (how many of its numbers are not listed yet),
      C(unit_cost) (money), C(status) (C(outcome unknown) or C(bought, not listed yet)), C(application_keys) they
      are for, C(checked_out_at), and C(resolved_by) (when it is taken as not bought if never listed).
    - A run that leaves one fails, saying why; where no record persists between runs (each AWX job runs in a fresh
      container), publish it with C(set_stats) and check it before the next run.
  returned: always, when the module got as far as reading the rented numbers
  version_added: 0.3.0
  type: list
  elements: dict
writes:
  description:
    - On failure, every write the task sent before it failed (C(kind) checkout, overwrite or unassign, C(status)
      applied or unknown, and what it wrote), so that nothing written goes unsaid.
  returned: failure after a write
  version_added: 0.3.0
  type: list
  elements: dict
diff:
  description: One before/after pair per application and capability named, one E.164 number per line.
  returned: success
  type: list
  elements: dict
plan_id:
  description:
    - The fingerprint of everything the run writes (or, in check mode, would write) and of the cost guards, computed
      before any write; give it as O(expected_plan_id) to apply exactly this plan.
    - C(snp2-) then five groups of 16 hexadecimal digits, each the start of the SHA-256 of one category of
      RV(plan_fingerprint_data) as JSON with sorted keys and no spaces, in the order quantities, prices,
      applications, guards, organisation. The same plan gives the same id on any machine (numbers and group ids
      compared as numbers, amounts as exact decimals, so V(2) and V(2.00) are one price).
    - A converged run (nothing to rent or assign) has a stable id, that of empty quantities, prices and
      applications with the call's guards and organisation.
  returned: success, and failures after a purchase
  type: str
  sample: snp2-56051df28dceb5ae-209cd1700189503d-dad7d0fb1d5ae57e-16c51b407f07141c-836bdb5f4ce78870
plan_fingerprint_data:
  description:
    - The canonical plan the RV(plan_id) fingerprints (version 2). C(quantities), per group to rent, C(group_id),
      C(quantity), C(capabilities) (what the reservation asks for, null for the group's own) and
      C(selected_capabilities) (what the rentals renting from it select, V(any) for none); C(prices), per group to
      rent, C(group_id), C(unit_cost) (exact decimal string, null when Sinch gives none) and C(currency_id);
      C(applications), per application and capability whose numbers change, C(application_key), C(capability) and
      the resulting C(numbers) (E.164 sorted, then placeholders C((new number in group N)) for numbers Sinch chooses
      at checkout); C(guards), C(max_unit_cost), C(max_total_cost) and C(currency_id); C(organisation),
      C(organisation_id).
  returned: success, and failures after a purchase
  type: dict
  sample: {"version": 2, "quantities": [{"group_id": 3, "quantity": 2, "capabilities": ["voice"],
                                         "selected_capabilities": ["voice"]}],
           "prices": [{"group_id": 3, "unit_cost": "2", "currency_id": "USD"}],
           "applications": [{"application_key": "bb7b4e39-4227-4913-8c81-2db4abb54fb3", "capability": "voice",
                             "numbers": ["+33170000000", "(new number in group 3)", "(new number in group 3)"]}],
           "guards": {"max_unit_cost": "5", "max_total_cost": "20", "currency_id": "USD"},
           "organisation": {"organisation_id": 8888123}}
holdings:
  description:
    - What the organisation holds beyond the rentals, from the rented numbers the run reads (no extra request), with
      the free numbers this run puts on applications counted as on them; numbers rented by this run are not in it.
    - C(unclaimed), numbers no rental counts; C(no_application), numbers on no application; C(expiring), numbers
      expiring within O(expiry_warning_days) days (already expired included; C(expires) maps each to its date).
      Each has C(numbers), C(list) (E.164), C(monthly_cost) (a list of money values, one per currency), and
      C(unknown_cost) (numbers without a readable price, never counted as 0). A number whose application Sinch lists
      unreadably is never counted as on no application.
    - The Sinch API cannot give numbers back; release unused numbers in the Sinch Customer Dashboard.
  returned: success, and failures after a purchase
  type: dict
  sample: {"unclaimed": {"numbers": 1, "list": ["+14150005551"], "monthly_cost": [{"amount": "2.00", "currency_id": "USD"}],
                         "unknown_cost": 0},
           "no_application": {"numbers": 1, "list": ["+14150005551"],
                              "monthly_cost": [{"amount": "2.00", "currency_id": "USD"}], "unknown_cost": 0},
           "expiring": {"numbers": 0, "list": [], "monthly_cost": [], "unknown_cost": 0, "expires": {}},
           "expiry_warning_days": 14}
error:
  description: What Sinch answered when a request failed (no secrets).
  returned: failure from Sinch
  type: dict
"""

from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._options import lock_argument_spec
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import number_rentals

RENTAL_OPTIONS = dict(
    name=dict(type="str", required=True),
    count=dict(type="raw", required=True),
    group_id=dict(type="raw"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str"),
    application_key=dict(type="str", no_log=False),
)

ARGUMENTS = dict(
    rentals=dict(type="list", elements="dict", required=True, options=RENTAL_OPTIONS),
    max_unit_cost=dict(type="raw"),
    max_total_cost=dict(type="raw"),
    currency_id=dict(type="str"),
    pending_purchase=dict(type="str", choices=["respect", "forget"], default="respect"),
    expected_plan_id=dict(type="str"),
    expiry_warning_days=dict(type="raw", default=14),
)
ARGUMENTS.update(lock_argument_spec())


def main():
    run(sinch_module(ARGUMENTS), number_rentals)


if __name__ == "__main__":
    main()
