#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_number_rent
short_description: Make a Sinch organisation hold at least so many rented numbers of a group or place
version_added: 0.1.0
description:
  - Declares that the organisation holds B(at least) O(count) rented numbers matching a selection, either one number
    group (O(group_id)) or a place (O(country_id), optionally with O(city) and O(area_code)), optionally with a
    O(capability). Numbers already rented count, so running the task again rents nothing more.
  - When numbers are missing, the module reads the number shop and plans the purchase. It takes the given group, or
    the cheapest matching groups first (then the most available, then the lowest group id), and fails before
    reserving anything when the shop cannot cover the shortfall, saying what it has.
  - The cost guard (O(max_unit_cost), O(max_total_cost), in O(currency_id)) is checked before reserving; a plan that
    exceeds it fails with its figures.
  - An unknown price is never free. A group that Sinch lists without a readable cost is ranked after every priced
    group, is refused by name under O(max_unit_cost) or O(max_total_cost) (before any reserve), and without a guard
    may be rented, the result saying that its cost is unknown (RV(plan.total) and C(spent.amount) null, never 0).
  - Ids are compared as numbers whatever their JSON type (V(13) or V("13")).
  - This module is the one-rental, organisation-level case of M(sinch.numbers.sinch_number_rentals); one planner
    decides what both buy. A number it rents carries every capability of its group (the reservation asks for all of
    them).
  - Unknown is never "no". When Sinch lists rented numbers whose fields the selection reads (group, country, city,
    area code, capabilities) unreadably and numbers are missing, the module fails before reserving anything, saying
    how many numbers could not be read and which fields, instead of counting them as not matching and buying again.
  - Renting reserves each chosen group once for its whole quantity (every reservation before any checkout), then
    checks out B(each reservation in a request of its own), so that every answer speaks for exactly one reservation.
    Success is bought. 40400 to the first checkout of a reservation means it expired; the rented numbers are read
    again, and what is still missing is reserved again and checked out, in the same run (at most twice). 40200 (not
    enough credit) and other refusals stop the run, which says what the earlier reservations bought.
  - A checkout answered with a server error, an answer that is not JSON, or none at all, is sent again with the same
    reservation (twice at most); a reservation is bought at most once, so this never pays twice. Then the rented
    numbers are read, up to 4 more times over about 8 seconds while they lag.
  - A purchase the run cannot see in the listing (its outcome unknown, or its numbers not listed yet) fails the run
    with C(changed=true), saying what may have been bought, and is remembered on the machine, next to the lock. The
    next run there resolves it first (its numbers listed, the same checkout sent again succeeding, or an hour passing
    without Sinch listing them), and until then never buys what it may have covered (O(pending_purchase)).
  - A real run holds a lock on the machine it runs on, keyed by organisation, from its first read to its last; a
    second run for the same organisation on the same machine waits for it (up to O(lock_timeout), with a warning),
    then counts its purchase instead of buying the same shortfall. Runs on different machines are not covered, since
    the Sinch API has no lock.
  - Renting costs money every month and B(cannot be undone through this API). Sinch offers no endpoint to give a
    rented number back, nor one to cancel a reservation (reservations expire on their own). This module never
    releases or unassigns a number; lowering O(count) rents nothing and gives nothing back.
  - Requests with an instance and O(organisation_id) given are one read when nothing is missing; otherwise one read,
    one shop read, one reserve and one checkout per chosen group, and one read (more reads when the read lags, and
    more requests when a reservation expired or a checkout's answer was lost).
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
      - Reads the rented numbers and the shop, returns the exact plan a real run would buy, and reserves nothing.
      - Fails in check mode exactly when a real run would fail before buying (availability, currency, cost guard).
  diff_mode:
    support: full
    details:
      - The matching numbers before and after, in E.164. In check mode the numbers to be rented are not known yet,
        so RV(diff.after) lists them as placeholders naming their group.
  platform:
    platforms: all
options:
  count:
    description:
      - How many matching numbers the organisation must hold at least. V(0) never rents anything.
      - A whole number, V(0) or more; V(true) and V(false) fail the task.
    type: raw
    required: true
  group_id:
    description:
      - Count and rent numbers of this number group only (see M(sinch.numbers.sinch_number_shop_info)).
      - Exactly one of O(group_id) and O(country_id) is required.
    type: raw
  country_id:
    description:
      - Count and rent numbers of this country (ISO 3166-1 alpha-2, case-insensitive), for example V(FR).
      - Exactly one of O(group_id) and O(country_id) is required.
    type: str
  city:
    description:
      - With O(country_id), only numbers of this city (case-insensitive), for example V(Paris).
    type: str
  area_code:
    description:
      - With O(country_id), only numbers with this area code. Quote it in YAML to keep leading zeros (V("01")).
    type: str
  capability:
    description:
      - Only numbers with this capability, V(voice) or V(sms) (case-insensitive).
      - The capability is also asked for when reserving, so that the new numbers have it.
    type: str
  max_unit_cost:
    description:
      - Fail before reserving when a group of the plan costs more than this a number a month (a group priced exactly
        at it may be rented).
      - In O(currency_id) when given, else in the currency the candidate groups are priced in.
      - A number such as V(2.5) (or a numeric string), V(0) or more, compared as an exact decimal; V(true), V(false),
        V(nan) and V(inf) fail the task.
    type: raw
  max_total_cost:
    description:
      - Fail before reserving when the numbers to rent cost more than this a month in total, in O(currency_id).
      - A number, V(0) or more, as O(max_unit_cost).
    type: raw
  currency_id:
    description:
      - The ISO 4217 currency of O(max_unit_cost) and O(max_total_cost), three letters, for example V(USD) (any case).
      - Required with O(max_total_cost).
      - When given, groups priced in another currency are not rented from.
      - When a guard is set without it and the candidate groups are priced in several currencies, the module fails
        and asks for it.
    type: str
  fields:
    description:
      - The keys to return for each number in RV(numbers), the matching numbers held after the run, for example
        V([e164]).
      - Without it, every key is returned.
      - An empty list returns no RV(numbers) at all, only how many there are (RV(held)) and the numbers this run
        rented (RV(rented), always with every key). Use it when the organisation holds many numbers; the request
        sent is the same, but a long result costs Ansible time in proportion to its size.
    type: list
    elements: str
    choices: [number, e164, group_id, capabilities, application_key, country_id, city, country, area_code, expires, cost]
  pending_purchase:
    description:
      - What to do with the organisation's pending purchases on this machine (see RV(pending_purchase)).
      - V(respect) resolves them first and never buys what they may have covered until they are resolved.
      - A run resolves the organisation's pending purchases first, whatever its own rentals, and may send again the
        checkout of an earlier purchase (which may buy it; the result says so, and check mode says a real run would).
      - V(forget) drops them, then plans as if they had not been bought. Use it only after checking, in the Sinch
        dashboard or with M(sinch.numbers.sinch_number_info), that they were not bought; the result says what was
        forgotten.
    type: str
    choices: [respect, forget]
    default: respect
    version_added: 0.3.0
notes:
  - Sinch offers no way to release a rented number or to cancel a reservation; this module only ever adds numbers.
  - Checkout answers without saying which numbers were bought, so the new numbers are learnt by reading the rented
    numbers again.
  - Amounts are computed exactly (decimal) and returned in one shape, a dictionary of C(amount), an exact decimal
    string such as V(4.00) (null when unknown, never 0 for unknown), and C(currency_id), such as V(USD).
  - Run it once per organisation, for example with C(run_once=true) or in a play on C(localhost). Runs on one machine
    wait for each other (O(lock_path)), but tasks that run at the same time for the same organisation on different
    machines would each see the same shortfall and each buy it, since Sinch offers no lock.
seealso:
  - module: sinch.numbers.sinch_number_shop_info
  - module: sinch.numbers.sinch_number_info
  - module: sinch.numbers.sinch_session
"""

EXAMPLES = r"""
- name: The organisation holds 5 voice numbers in Paris, for at most 2.50 USD each and 10 USD a month more
  sinch.numbers.sinch_number_rent:
    count: 5
    country_id: FR
    city: Paris
    capability: voice
    max_unit_cost: 2.5
    max_total_cost: 10
    currency_id: USD
  register: paris

- name: Show what was rented
  ansible.builtin.debug:
    msg: "{{ paris.msg }} New: {{ paris.rented | map(attribute='e164') | list }}"

- name: Preview the purchase without buying (check mode returns the plan)
  sinch.numbers.sinch_number_rent:
    count: 2
    group_id: 75
  check_mode: true
  register: preview

- name: Show the plan's total
  ansible.builtin.debug:
    msg: "{{ preview.plan.total.amount }} {{ preview.plan.total.currency_id }} a month"

- name: Hold 200 sms numbers in the US; return what was rented and how many are held, not all 200
  sinch.numbers.sinch_number_rent:
    count: 200
    country_id: US
    capability: sms
    fields: []
  register: us_sms

- name: Show how many are held
  ansible.builtin.debug:
    msg: "{{ us_sms.held }} numbers held, {{ us_sms.rented | length }} rented now"
"""

RETURN = r"""
msg:
  description: What was done, in words.
  returned: success, and failures after the first reserve
  type: str
  sample: Rented 2 numbers in group 1 (PARIS) for 4.00 USD a month; the organisation now holds 5 matching numbers.
check_mode:
  description: Whether the module ran in check mode (so a summary never has to guess it from the result's shape).
  returned: success, and failures after the first reserve
  type: bool
  sample: false
rented_count:
  description:
    - How many numbers this run bought, including numbers bought but not listed yet by Sinch. Also returned when the
      run failed after buying, so that every purchase can be counted.
  returned: success, and failures after the first reserve
  type: int
  sample: 2
unlisted_count:
  description: How many of RV(rented_count) Sinch does not list yet (a failed run only; 0 otherwise).
  returned: success, and failures after the first reserve
  type: int
  sample: 0
spent:
  description:
    - The monthly cost of what this run bought, as money (C(amount), an exact decimal string, and C(currency_id)).
    - C(amount) is null when a group bought from has no readable cost, or when the outcome of a checkout is unknown
      (see RV(maybe_spent)); it is never V(0.00) for something unknown.
  returned: success, and failures after the first reserve
  type: dict
  sample: {"amount": "4.00", "currency_id": "USD"}
maybe_rented_count:
  description: How many numbers checkouts whose outcome is unknown may have bought (never counted in RV(rented_count)).
  returned: failures after a checkout whose outcome is unknown
  version_added: 0.3.0
  type: int
  sample: 2
maybe_spent:
  description: What the numbers of RV(maybe_rented_count) would cost a month, one money value per currency.
  returned: failures after a checkout whose outcome is unknown
  version_added: 0.3.0
  type: list
  elements: dict
  sample: [{"amount": "4.00", "currency_id": "USD"}]
pending_purchase:
  description:
    - Purchases this machine waits to see in the listing, after the run (see O(pending_purchase)). Each has
      C(reference_id), C(group_id), C(quantity), C(unlisted), C(unit_cost) (money), C(status) (C(outcome unknown) or
      C(bought, not listed yet)), C(application_keys), C(checked_out_at) and C(resolved_by).
    - Where no record persists between runs (each AWX job runs in a fresh container), publish it with C(set_stats).
  returned: always, when the module got as far as reading the rented numbers
  version_added: 0.3.0
  type: list
  elements: dict
writes:
  description: On failure, every write the task sent before it failed (C(kind), C(status) applied or unknown, and what).
  returned: failure after a write
  version_added: 0.3.0
  type: list
  elements: dict
bought_per_group:
  description: Per plan line, the group, the quantity planned and the quantity bought (also on failure).
  returned: success, and failures after the first reserve
  type: list
  elements: dict
  sample: [{"group_id": 1, "quantity": 2, "bought": 2}]
rented:
  description:
    - The numbers this run rented (empty when nothing was rented, and in check mode), sorted by number.
    - Also returned when a run fails after buying, listing the numbers known bought.
  returned: success, and failures after the first reserve
  type: list
  elements: dict
  contains:
    number:
      description: The phone number, as Sinch writes it (an integer without C(+)).
      type: int
      sample: 33100000001
    e164:
      description: The phone number in E.164.
      type: str
      sample: "+33100000001"
    group_id:
      description: The number group it was rented from.
      type: int
      sample: 1
    capabilities:
      description: Lower-case capabilities, sorted.
      type: list
      elements: str
      sample: [voice]
    application_key:
      description: The application the number is assigned to, or null.
      type: str
    country_id:
      description: ISO 3166-1 alpha-2 country.
      type: str
      sample: FR
    city:
      description: City, as Sinch spells it.
      type: str
      sample: PARIS
    country:
      description: Country, as Sinch names it.
      type: str
      sample: France
    area_code:
      description: Area code.
      type: str
      sample: "01"
    expires:
      description: When the current rental period ends, as Sinch writes it, or null.
      type: str
      sample: "2025-12-31T23:59:59+00:00"
    cost:
      description: Monthly cost of the number, as money (C(amount) an exact decimal string, C(currency_id)).
      type: dict
      sample: {"amount": "2.00", "currency_id": "USD"}
held:
  description:
    - How many rented numbers match the selection after the run (in check mode, before it), also when RV(numbers) is
      not returned.
  returned: success
  type: int
  sample: 5
numbers:
  description:
    - All rented numbers matching the selection after the run (in check mode, before it), sorted by number.
    - With O(fields), each number has only the keys listed there.
  returned: success, unless O(fields) is an empty list
  type: list
  elements: dict
  contains:
    number:
      description: The phone number, as Sinch writes it (an integer without C(+)).
      type: int
      sample: 33100000001
    e164:
      description: The phone number in E.164.
      type: str
      sample: "+33100000001"
    group_id:
      description: The number group it was rented from.
      type: int
      sample: 1
    capabilities:
      description: Lower-case capabilities, sorted.
      type: list
      elements: str
      sample: [voice]
    application_key:
      description: The application the number is assigned to, or null.
      type: str
    country_id:
      description: ISO 3166-1 alpha-2 country.
      type: str
      sample: FR
    city:
      description: City, as Sinch spells it.
      type: str
      sample: PARIS
    country:
      description: Country, as Sinch names it.
      type: str
      sample: France
    area_code:
      description: Area code.
      type: str
      sample: "01"
    expires:
      description: When the current rental period ends, as Sinch writes it, or null.
      type: str
      sample: "2025-12-31T23:59:59+00:00"
    cost:
      description: Monthly cost of the number, as money (C(amount) an exact decimal string, C(currency_id)).
      type: dict
      sample: {"amount": "2.00", "currency_id": "USD"}
plan:
  description:
    - The purchase plan; in check mode what a real run would buy. Empty groups and a total of 0 when nothing is missing.
  returned: success
  type: dict
  contains:
    groups:
      description: One entry per group to rent from (one reservation and one checkout each).
      type: list
      elements: dict
      contains:
        group_id:
          description: The group.
          type: int
        quantity:
          description: How many numbers of it.
          type: int
        unit_cost:
          description: Monthly cost of one number, as money; C(amount) null when Sinch lists no readable cost.
          type: dict
        subtotal:
          description: quantity x unit_cost, as money; C(amount) null when the cost is unknown.
          type: dict
        capabilities:
          description: What the reservation asks for (every capability of the group), or null for the group's own.
          type: list
          elements: str
        cost_known:
          description: Whether Sinch lists a readable cost for the group.
          type: bool
    total:
      description: Monthly cost of all numbers to rent, as money; C(amount) null when a group's cost is unknown.
      type: dict
      sample: {"amount": "4.00", "currency_id": "USD"}
    cost_known:
      description: Whether every group of the plan has a readable cost.
      type: bool
      sample: true
    unknown_cost:
      description: How many numbers of the plan have no readable price.
      type: int
      sample: 0
  sample: {"groups": [{"group_id": 1, "quantity": 2, "unit_cost": {"amount": "2.00", "currency_id": "USD"},
                       "subtotal": {"amount": "4.00", "currency_id": "USD"}, "capabilities": ["voice"],
                       "cost_known": true}],
           "total": {"amount": "4.00", "currency_id": "USD"}, "cost_known": true, "unknown_cost": 0}
reference_ids:
  description:
    - The reservations made and checked out, one checkout each (empty when nothing was rented, and in check mode),
      including those found expired and renewed.
  returned: success, and failures after the first reserve
  type: list
  elements: str
  sample: ["c8b27491-3379-44f3-af31-fbbfbb2ba510"]
diff:
  description:
    - The matching numbers, one E.164 number per line, before and after (in check mode, placeholders stand for the new ones).
    - Returned as text so that C(--diff) shows a unified diff of numbers.
  returned: success
  type: dict
  contains:
    before:
      description: Before the task, one number per line.
      type: str
      sample: "+14150005551\n"
    after:
      description: After the task (in check mode, what a real run would leave), one number per line.
      type: str
      sample: "+14150005550\n+14150005551\n"
    before_header:
      description: What is compared.
      type: str
      sample: rented numbers matching the selection
    after_header:
      description: The same as RV(diff.before_header).
      type: str
error:
  description: What Sinch answered when a request failed (no secrets).
  returned: failure from Sinch
  type: dict
"""

from ansible_collections.sinch.numbers.plugins.module_utils._fields import fields_argument
from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._options import lock_argument_spec
from ansible_collections.sinch.numbers.plugins.module_utils._rent import number_rent

ARGUMENTS = dict(
    count=dict(type="raw", required=True),
    group_id=dict(type="raw"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str"),
    max_unit_cost=dict(type="raw"),
    max_total_cost=dict(type="raw"),
    currency_id=dict(type="str"),
    fields=fields_argument(),
    pending_purchase=dict(type="str", choices=["respect", "forget"], default="respect"),
)
ARGUMENTS.update(lock_argument_spec())


def main():
    module = sinch_module(
        ARGUMENTS,
        required_one_of=[("group_id", "country_id")],
        mutually_exclusive=[("group_id", "country_id")],
        required_by={"city": "country_id", "area_code": "country_id"},
    )
    run(module, number_rent)


if __name__ == "__main__":
    main()
