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
    type: raw
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
      - A number Sinch lists with an application that cannot be read (an C(applicationKey) that is not a key) is
        neither, and either value leaves it out, with a warning. A number listed without C(applicationKey) is on no
        application, as the API reference says.
      - Without it, both are listed.
    type: bool
  expiring_within_days:
    description:
      - Only numbers whose current rental period ends within this many days from now (already ended ones included).
      - Numbers without an expiry date are left out.
      - From V(0) to V(3650) (ten years).
    type: raw
  fields:
    description:
      - The keys to return for each number in RV(numbers), for example V([e164]) or V([number, application_key]).
      - Without it, every key is returned.
      - An empty list returns no RV(numbers) at all; RV(count) and RV(summary) are returned either way.
      - Returning less makes long lists much faster (most of the time of a 10,000-number listing goes into
        handing the result over to Ansible, in proportion to its size); the request sent is the same.
    type: list
    elements: str
    choices: [number, e164, group_id, capabilities, application_key, country_id, city, country, area_code, expires, cost]
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

- name: Only the E.164 form of each number (a smaller, faster result for long lists)
  sinch.numbers.sinch_number_info:
    fields: [e164]
  register: e164_only

- name: Only how many numbers are not on any application
  sinch.numbers.sinch_number_info:
    assigned: false
    fields: []
  register: spare_count

- name: Show the count
  ansible.builtin.debug:
    msg: "{{ spare_count.count }} numbers are on no application"
"""

RETURN = r"""
count:
  description: How many rented numbers matched the filters (also when RV(numbers) is not returned).
  returned: success
  type: int
  sample: 2
numbers:
  description:
    - The matching rented numbers, sorted by number.
    - With O(fields), each number has only the keys listed there.
    - A field Sinch lists unreadably is null (never an empty list or a guess), with a warning; a filter on such a
      field leaves the number out.
  returned: success, unless O(fields) is an empty list
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
      description: Lower-case capabilities, sorted; null when Sinch lists none readable.
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
      description: Monthly cost of the number, in the collection's money shape.
      type: dict
      contains:
        amount:
          description: The amount as an exact decimal string (at least two decimal places); null when Sinch gives none.
          type: str
          sample: "0.00"
        currency_id:
          description: ISO 4217 currency, upper case.
          type: str
          sample: USD
summary:
  description:
    - What the matching numbers cost a month. C(numbers), how many matched; C(monthly_cost), their monthly cost, a
      list of money values (C(amount), an exact decimal string, and C(currency_id)), one per currency;
      C(unknown_cost), how many numbers have no readable price (counted apart, never as 0); C(applications), per
      application key the same three; C(no_application), the same for the numbers on no application;
      C(unknown_application), only when Sinch lists numbers whose application cannot be read, the same for them
      (they are counted under no application key and never under C(no_application)).
  returned: success
  type: dict
  sample: {"numbers": 3, "monthly_cost": [{"amount": "6.00", "currency_id": "USD"}], "unknown_cost": 0,
           "applications": {"bb7b4e39-4227-4913-8c81-2db4abb54fb3": {
               "numbers": 2, "monthly_cost": [{"amount": "4.00", "currency_id": "USD"}], "unknown_cost": 0}},
           "no_application": {"numbers": 1, "monthly_cost": [{"amount": "2.00", "currency_id": "USD"}],
                              "unknown_cost": 0}}
"""

from ansible_collections.sinch.numbers.plugins.module_utils._fields import fields_argument
from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._reads import number_info

ARGUMENTS = dict(
    application_key=dict(type="str", no_log=False),
    group_id=dict(type="raw"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str"),
    assigned=dict(type="bool"),
    expiring_within_days=dict(type="raw"),
    fields=fields_argument(),
)


def main():
    run(sinch_module(ARGUMENTS), number_info)


if __name__ == "__main__":
    main()
