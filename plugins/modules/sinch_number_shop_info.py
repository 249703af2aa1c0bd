#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_number_shop_info
short_description: List the Sinch number groups for sale, with filters
version_added: 0.1.0
description:
  - Lists the number groups of the Sinch number shop (country, city, area code, availability, unit cost,
    capabilities), filtered on this side because the API offers no filters.
  - Reading the shop reserves nothing and costs nothing.
  - One request with an instance and O(organisation_id); up to four with email and password.
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
  group_id:
    description: Only the group with this id.
    type: raw
  country_id:
    description: Only groups of this country (ISO 3166-1 alpha-2, case-insensitive), for example V(FR).
    type: str
  city:
    description: Only groups of this city (case-insensitive), for example V(Paris).
    type: str
  area_code:
    description:
      - Only groups with this area code. Quote it in YAML to keep leading zeros (V("01")).
    type: str
  capability:
    description:
      - Only groups offering this capability, V(voice) or V(sms) (case-insensitive).
      - A group matches when its capabilities hold it or its type is it.
    type: str
    aliases: [type]
  min_availability:
    description: Only groups with at least this many numbers available.
    type: raw
  max_unit_cost:
    description:
      - Only groups whose monthly cost per number is at most this amount (in the group's currency).
      - A number such as V(2.5) (or a numeric string), V(0) or more; V(true), V(false), V(nan) and V(inf) fail the
        task. Compared as an exact decimal; a group without a readable cost never passes.
    type: raw
seealso:
  - module: sinch.numbers.sinch_session
"""

EXAMPLES = r"""
- name: Voice numbers in Paris with at least 3 available, at most 2.50 a month
  sinch.numbers.sinch_number_shop_info:
    country_id: FR
    city: Paris
    capability: voice
    min_availability: 3
    max_unit_cost: 2.5
  register: shop

- name: Show each group and its price (amounts are exact decimal strings, such as "2.00")
  ansible.builtin.debug:
    msg: "Group {{ item.group_id }}: {{ item.cost.amount }} {{ item.cost.currency_id }} a month"
  loop: "{{ shop.number_groups }}"
"""

RETURN = r"""
number_groups:
  description:
    - The matching number groups, sorted by O(group_id).
    - A field Sinch lists unreadably is null (an unreadable availability is 0), with a warning.
  returned: success
  type: list
  elements: dict
  contains:
    group_id:
      description: The group id, used to rent from this group.
      type: int
      sample: 1
    country:
      description: Country name.
      type: str
      sample: France
    country_id:
      description: ISO 3166-1 alpha-2 country.
      type: str
      sample: FR
    city:
      description: City, as Sinch spells it.
      type: str
      sample: PARIS
    type:
      description: The group's number type, as Sinch spells it.
      type: str
      sample: Voice
    availability:
      description: How many numbers of the group can be rented now.
      type: int
      sample: 7
    area_code:
      description: Area code.
      type: str
      sample: "01"
    cost:
      description:
        - Monthly cost of one number, in the collection's money shape.
      type: dict
      contains:
        amount:
          description: The amount as an exact decimal string (at least two decimal places); null when Sinch gives none.
          type: str
          sample: "2.00"
        currency_id:
          description: ISO 4217 currency, upper case.
          type: str
          sample: USD
    capabilities:
      description: Lower-case capabilities, sorted.
      type: list
      elements: str
      sample: [voice]
"""

from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._reads import shop_info

FILTERS = dict(
    group_id=dict(type="raw"),
    country_id=dict(type="str"),
    city=dict(type="str"),
    area_code=dict(type="str"),
    capability=dict(type="str", aliases=["type"]),
    min_availability=dict(type="raw"),
    max_unit_cost=dict(type="raw"),
)


def main():
    run(sinch_module(FILTERS), shop_info)


if __name__ == "__main__":
    main()
