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
  - Renting reserves each chosen group once for its whole quantity, then checks all reservations out in one request.
  - After any checkout answer that is not a plain success (errorCode 40400, a server error, a lost answer), the
    module never sends it again blindly. It reads the rented numbers first and gives the new numbers to the plan's
    groups; a group whose numbers did not arrive has its reservation checked out on its own (a reservation already
    used is refused, so this never pays twice); a group is reserved again, once and only for what it still misses,
    only when reads show that its numbers did not arrive and a definite answer proves its reservation was not used
    (it was alone in a checkout answered 40400, or another group of that checkout was then bought on its own). This
    is right whether Sinch applies a checkout all or nothing, or applies the still-valid reservations of it.
  - Without such a proof (a lost or 5xx checkout, or a 40400 of several groups under which every lone checkout is
    refused too, which is also what a used reservation answers) the module stops with C(changed=true) and "outcome
    unknown", listing what is known bought, and never reserves again; read the rented numbers, then run again.
  - When the outcome cannot be learnt (the read after a lost checkout fails, or the lone checkout is lost too), the
    module stops, never checking out again, with C(changed=true) and a message saying that numbers may have been
    bought.
  - A read that does not list the bought numbers yet is read again, up to 4 more times over about 8 seconds; if they
    never show, the module fails saying how many numbers were bought and are not listed yet (C(changed=true)).
  - A real run holds a lock on the host it runs on, keyed by organisation, from its first read to its last; a second
    run for the same organisation on the same machine waits for it (up to O(lock_timeout), with a warning), then
    counts its purchase instead of buying the same shortfall. Runs on different machines are not covered, since
    the Sinch API has no lock.
  - Renting costs money every month and B(cannot be undone through this API). Sinch offers no endpoint to give a
    rented number back, nor one to cancel a reservation (reservations expire on their own). This module never
    releases or unassigns a number; lowering O(count) rents nothing and gives nothing back.
  - Requests with an instance and O(organisation_id) given are one read when nothing is missing; otherwise one read,
    one shop read, one reserve per chosen group, one checkout and one read (more reads when the read lags, and the
    requests of the recovery above after a failed checkout).
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
    type: int
    required: true
  group_id:
    description:
      - Count and rent numbers of this number group only (see M(sinch.numbers.sinch_number_shop_info)).
      - Exactly one of O(group_id) and O(country_id) is required.
    type: int
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
      - Fail before reserving when a group of the plan costs more than this a number a month.
      - In O(currency_id) when given, else in the currency the candidate groups are priced in.
      - A finite number, V(0) or more (V(nan) and V(inf) fail the task).
    type: float
  max_total_cost:
    description:
      - Fail before reserving when the numbers to rent cost more than this a month in total.
      - In O(currency_id) when given, else in the currency the candidate groups are priced in.
      - A finite number, V(0) or more (V(nan) and V(inf) fail the task).
    type: float
  currency_id:
    description:
      - The ISO 4217 currency of O(max_unit_cost) and O(max_total_cost), for example V(USD).
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
  lock_timeout:
    description:
      - How many seconds a run waits for another run renting for the same organisation on this machine to finish,
        before failing without reading or buying anything.
      - Not used in check mode, which buys nothing.
    type: float
    default: 600
notes:
  - Sinch offers no way to release a rented number or to cancel a reservation; this module only ever adds numbers.
  - Checkout answers without saying which numbers were bought, so the new numbers are learnt by reading the rented
    numbers again.
  - Amounts are computed exactly (decimal) and returned rounded to two decimals.
  - Run it once per organisation, for example with C(run_once=true) or in a play on C(localhost). Runs on one machine
    wait for each other (a file lock in the temporary directory, named after the organisation id), but tasks that
    run at the same time for the same organisation on different machines would each see the same shortfall and
    each buy it, since Sinch offers no lock.
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
    msg: "{{ preview.plan.total }} {{ preview.plan.currency_id }} a month"

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
    - The monthly cost of what this run bought (C(amount), C(currency_id), C(cost_known)). C(amount) is null when a
      group bought from has no readable cost, or when the outcome of a checkout is unknown (C(error.outcome_unknown)).
  returned: success, and failures after the first reserve
  type: dict
  sample: {"amount": 4.0, "currency_id": "USD", "cost_known": true}
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
      description: Monthly cost of the number (C(amount), C(currency_id)).
      type: dict
      sample: {"amount": 2.0, "currency_id": "USD"}
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
      description: Monthly cost of the number (C(amount), C(currency_id)).
      type: dict
      sample: {"amount": 2.0, "currency_id": "USD"}
plan:
  description:
    - The purchase plan; in check mode what a real run would buy. Empty groups and a total of 0 when nothing is missing.
  returned: success
  type: dict
  contains:
    groups:
      description: One entry per group to rent from.
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
          description: Monthly cost of one number, rounded to two decimals; null when Sinch lists no readable cost.
          type: float
        subtotal:
          description: quantity x unit_cost, rounded to two decimals; null when the cost is unknown.
          type: float
        currency_id:
          description: ISO 4217 currency of the amounts.
          type: str
        cost_known:
          description: Whether Sinch lists a readable cost for the group.
          type: bool
    total:
      description: Monthly cost of all numbers to rent, rounded to two decimals; null when a group's cost is unknown.
      type: float
      sample: 4.0
    cost_known:
      description: Whether every group of the plan has a readable cost.
      type: bool
      sample: true
    unknown_cost_groups:
      description: The plan's groups that Sinch lists without a readable cost.
      type: list
      elements: int
      sample: []
    currency_id:
      description: ISO 4217 currency of the total (null when nothing is to be bought and no O(currency_id) was given).
      type: str
      sample: USD
  sample: {"groups": [{"group_id": 1, "quantity": 2, "unit_cost": 2.0, "subtotal": 4.0, "currency_id": "USD",
                       "cost_known": true}],
           "total": 4.0, "currency_id": "USD", "cost_known": true, "unknown_cost_groups": []}
reference_ids:
  description:
    - The reservations sent in a checkout (empty when nothing was rented, and in check mode), including those found
      expired or already used during a recovery.
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

from ansible_collections.sinch.numbers.plugins.module_utils._fields import fields_argument, put_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._filters import capability_option
from ansible_collections.sinch.numbers.plugins.module_utils._lock import DEFAULT_LOCK_TIMEOUT, LockTimeout, OrganisationLock
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff, run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._rent import (
    Guard,
    Plan,
    Purchase,
    Selector,
    plan_purchase,
    plural,
    read_numbers,
)
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes

ARGUMENTS = dict(
    count=dict(type="int", required=True),
    group_id=dict(type="int"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str"),
    max_unit_cost=dict(type="float"),
    max_total_cost=dict(type="float"),
    currency_id=dict(type="str"),
    fields=fields_argument(),
    lock_timeout=dict(type="float", default=DEFAULT_LOCK_TIMEOUT),
)


DIFF_HEADER = "rented numbers matching the selection"


def matching(numbers, selector):
    """The selected numbers, sorted by number."""
    return sorted((item for item in numbers if selector.matches(item)), key=lambda item: item["number"])


def e164_list(numbers):
    return _shapes.e164_list(item["number"] for item in numbers)


def number_rent(client, wanted, check_mode, sleep=None, lock_directory=None):
    """Rent the shortfall of numbers matching the selection; see DOCUMENTATION for the request budget.

    The result's ``numbers`` is shaped by ``wanted["fields"]`` (see _fields.shaped); ``held`` is always returned.
    """
    result = _number_rent(client, wanted, check_mode, sleep, lock_directory)
    result["held"] = len(result["numbers"])
    return put_numbers(result, "numbers", result["numbers"], wanted.get("fields"))


def _number_rent(client, wanted, check_mode, sleep=None, lock_directory=None):
    """The renting itself. A real run holds the organisation's renting lock on this machine from its first read
    to its last.
    """
    count = wanted["count"]
    if count < 0:
        raise ValueError("count must be 0 or more (it is %d)." % count)
    selector = Selector(wanted["group_id"], wanted["country_id"], wanted["city"], wanted["area_code"],
                        capability_option(wanted["capability"]))
    guard = Guard(wanted["max_unit_cost"], wanted["max_total_cost"], wanted["currency_id"])
    timeout = wanted.get("lock_timeout")
    timeout = DEFAULT_LOCK_TIMEOUT if timeout is None else timeout
    if not 0 <= timeout < float("inf"):
        raise ValueError("lock_timeout must be a number of seconds, 0 or more (it is %r)." % (timeout,))
    if check_mode:
        return _rent(client, count, selector, guard, True, sleep)
    try:
        with OrganisationLock(client.organisation_id, timeout, client.session.warnings.append, lock_directory):
            return _rent(client, count, selector, guard, False, sleep)
    except LockTimeout as err:
        raise ValueError(str(err))


def _rent(client, count, selector, guard, check_mode, sleep):
    held = read_numbers(client)
    before = matching(held, selector)
    shortfall = count - len(before)
    if shortfall <= 0:
        return _unchanged(before, guard, check_mode)
    groups = _shapes.listed_groups(
        client.list_number_groups(), path="v1/organisations/id/%s/numbers/shop" % client.organisation_id,
        action="list the number shop of organisation %s" % client.organisation_id)
    plan = plan_purchase(groups, selector, shortfall, guard)
    if check_mode:
        return _planned(before, plan, count)
    purchase = Purchase(client, plan.lines, held, sleep=sleep).run()
    after = matching(purchase.after, selector)
    return _rented(client, before, after, plan, purchase, count)


def _nothing_bought():
    return {"rented": [], "rented_count": 0, "unlisted_count": 0, "bought_per_group": [], "reference_ids": []}


def _unchanged(before, guard, check_mode):
    result = {
        "changed": False,
        "check_mode": check_mode,
        "msg": "The organisation already holds %s; nothing rented." % plural(len(before), "matching number"),
        "numbers": before,
        "plan": Plan(currency_id=guard.currency_id).to_result(),
        "spent": {"amount": 0.0, "currency_id": guard.currency_id, "cost_known": True},
        "diff": diff(e164_list(before), e164_list(before), DIFF_HEADER),
    }
    result.update(_nothing_bought())
    return result


def _planned(before, plan, count):
    """Check mode: the plan, with placeholders for numbers Sinch will only choose at checkout."""
    placeholders = ["(new number in group %d)" % line.group_id for line in plan.lines for _unit in range(line.quantity)]
    result = {
        "changed": True,
        "check_mode": True,
        "msg": "Would rent %s; the organisation would then hold %s." % (plan.describe(), plural(count, "matching number")),
        "numbers": before,
        "plan": plan.to_result(),
        "spent": {"amount": 0.0, "currency_id": plan.currency_id, "cost_known": True},
        "diff": diff(e164_list(before), e164_list(before) + placeholders, DIFF_HEADER),
    }
    result.update(_nothing_bought())
    return result


def _rented(client, before, after, plan, purchase, count):
    msg = "Rented %s; the organisation now holds %s." % (plan.describe(), plural(len(after), "matching number"))
    if len(after) < count:
        # Every bought number is listed, yet fewer match than wanted (another writer?): say so rather than buy again.
        client.session.warnings.append(
            "Sinch accepted the checkout of reservation(s) %s, but the rented numbers show %d of the %d matching numbers "
            "wanted; check them before running again." % (", ".join(purchase.reference_ids), len(after), count))
    result = {
        "changed": True,
        "check_mode": False,
        "msg": msg,
        "numbers": after,
        "plan": plan.to_result(),
        "diff": diff(e164_list(before), e164_list(after), DIFF_HEADER),
    }
    result.update(purchase.to_result())
    return result


def main():
    module = sinch_module(
        ARGUMENTS,
        required_one_of=[("group_id", "country_id")],
        mutually_exclusive=[("group_id", "country_id")],
        required_by={"city": "country_id", "area_code": "country_id"},
    )
    run(module, number_rent, dict((name, module.params[name]) for name in ARGUMENTS), module.check_mode)


if __name__ == "__main__":
    main()
