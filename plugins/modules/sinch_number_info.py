#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_number_info
short_description: List the numbers a Sinch organisation or application has rented, with filters
version_added: 0.1.0
description:
  - Lists the rented numbers of the organisation, or only those assigned to one application (O(application_key)),
    filtered on this side because the API offers no filters.
  - One request with an instance, and with O(organisation_id) when listing the organisation's numbers. Listing an
    application's numbers needs no organisation id, so none is looked up then.
author:
  - Sinch Numbers maintainers (@sinch-numbers)
extends_documentation_fragment:
  - sinch.numbers.connection
  - sinch.numbers.attributes
  - sinch.numbers.attributes.INFO_MODULE
  - ansible.builtin.action_common_attributes
attributes:
  platform:
    platforms: all
options:
  application_key:
    description:
      - List only the numbers assigned to this application (its key, not a secret).
      - Without it, all numbers rented by the organisation are listed.
      - Hex digits and dashes, as Sinch issues it (V(bb7b4e39-4227-4913-8c81-2db4abb54fb3)); any other value, an empty one
        included, fails the task before any request.
    type: str
  group_id:
    description: Only numbers rented from this number group.
    type: int
  country_id:
    description: Only numbers of this country (ISO 3166-1 alpha-2, case-insensitive), for example V(US).
    type: str
  city:
    description: Only numbers of this city (case-insensitive), for example V(San Francisco).
    type: str
  area_code:
    description:
      - Only numbers with this area code. Quote it in YAML to keep leading zeros (V("01")).
    type: str
  capability:
    description:
      - Only numbers with this capability, V(voice) or V(sms) (case-insensitive).
    type: str
  assigned:
    description:
      - V(true) keeps only numbers assigned to an application, V(false) only those assigned to none.
      - Without it, both are listed.
    type: bool
  expiring_within_days:
    description:
      - Only numbers whose current rental period ends within this many days from now (already ended ones included).
      - Numbers without an expiry date are left out.
      - From V(0) to V(3650) (ten years).
    type: int
seealso:
  - module: sinch.numbers.sinch_number_rent
  - module: sinch.numbers.sinch_session
"""

EXAMPLES = r"""
- name: All numbers of the organisation
  sinch.numbers.sinch_number_info:
  register: all_numbers

- name: Voice numbers in San Francisco that no application uses
  sinch.numbers.sinch_number_info:
    country_id: US
    city: San Francisco
    capability: voice
    assigned: false
  register: spare

- name: Numbers of one application that expire within a week
  sinch.numbers.sinch_number_info:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    expiring_within_days: 7
  register: expiring

- name: Show them in E.164
  ansible.builtin.debug:
    msg: "{{ expiring.numbers | map(attribute='e164') | list }}"
"""

RETURN = r"""
numbers:
  description: The matching rented numbers, sorted by number.
  returned: success
  type: list
  elements: dict
  contains:
    number:
      description: The phone number, as Sinch writes it (an integer without C(+)).
      type: int
      sample: 14150005550
    e164:
      description: The phone number in E.164.
      type: str
      sample: "+14150005550"
    group_id:
      description: The number group it was rented from.
      type: int
      sample: 13
    capabilities:
      description: Lower-case capabilities, sorted.
      type: list
      elements: str
      sample: [voice]
    application_key:
      description: The application the number is assigned to, or null.
      type: str
      sample: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    country_id:
      description: ISO 3166-1 alpha-2 country.
      type: str
      sample: US
    city:
      description: City, as Sinch spells it.
      type: str
      sample: SAN FRANCISCO
    country:
      description: Country, as Sinch names it.
      type: str
      sample: US
    area_code:
      description: Area code.
      type: str
      sample: "415"
    expires:
      description: When the current rental period ends, as Sinch writes it, or null.
      type: str
      sample: "2015-12-31T23:59:59+00:00"
    cost:
      description: Monthly cost of the number.
      type: dict
      contains:
        amount:
          description: The amount.
          type: float
          sample: 2.0
        currency_id:
          description: ISO 4217 currency.
          type: str
          sample: USD
        formatted:
          description: The amount formatted by Sinch, when it sends one.
          type: str
          returned: when Sinch sends it
summary:
  description:
    - What the matching numbers cost a month. C(numbers), how many matched; C(monthly_cost), their monthly cost by
      currency; C(unknown_cost), how many have no readable price (counted apart, never as 0); C(applications), per
      application key the same three; C(no_application), the same for the numbers on no application.
    - Amounts are strings of exact decimals (summed as decimals, at least two decimal places), never floats.
  returned: success
  type: dict
  sample: {"numbers": 3, "monthly_cost": {"USD": "6.00"}, "unknown_cost": 0,
           "applications": {"bb7b4e39-4227-4913-8c81-2db4abb54fb3": {"numbers": 2, "monthly_cost": {"USD": "4.00"},
                                                                     "unknown_cost": 0}},
           "no_application": {"numbers": 1, "monthly_cost": {"USD": "2.00"}, "unknown_cost": 0}}
"""

from ansible_collections.sinch.numbers.plugins.module_utils._filters import (
    capability_option,
    expires_within,
    has_capability,
    is_assigned,
    matches_place,
)
from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils import _costs, _shapes

ARGUMENTS = dict(
    application_key=dict(type="str", no_log=False),
    group_id=dict(type="int"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str"),
    assigned=dict(type="bool"),
    expiring_within_days=dict(type="int"),
)


def number_info(client, filters):
    """The rented numbers (of the organisation, or of one application) passing every filter (one request)."""
    capability = capability_option(filters.get("capability"))
    days = filters.get("expiring_within_days")
    if days is not None and days < 0:
        raise ValueError("expiring_within_days must be 0 or more (it is %d)." % days)
    if filters.get("application_key"):
        raw = client.list_application_numbers(filters["application_key"])
    else:
        raw = client.list_numbers()
    wanted = [
        item for item in _shapes.numbers(raw)
        if matches_place(item, filters.get("group_id"), filters.get("country_id"), filters.get("city"), filters.get("area_code"))
        and has_capability(item, capability)
        and is_assigned(item, filters.get("assigned"))
        and expires_within(item, days)
    ]
    return {"changed": False, "numbers": wanted, "summary": _costs.summary(wanted)}


def main():
    module = sinch_module(ARGUMENTS)
    run(module, number_info, dict((name, module.params[name]) for name in ARGUMENTS))


if __name__ == "__main__":
    main()
