#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_organisation_info
short_description: Read the Sinch organisation of the logged-in user
version_added: 0.1.0
description:
  - Returns the organisation that owns the numbers (id, name, website, country and phone).
  - The id is returned as an integer even though Sinch sends it as a string.
  - One request with an instance; three with email and password (log in, instance, lookup).
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
notes:
  - O(organisation_id) is ignored here, since the organisation is always read from Sinch.
seealso:
  - module: sinch.numbers.sinch_session
"""

EXAMPLES = r"""
- name: Read the organisation
  sinch.numbers.sinch_organisation_info:
    email: "{{ sinch_email }}"
    password: "{{ sinch_password }}"
  register: org

- name: Show its id
  ansible.builtin.debug:
    msg: "Organisation {{ org.organisation.id }} ({{ org.organisation.name }})"
"""

RETURN = r"""
organisation:
  description: The organisation.
  returned: success
  type: dict
  contains:
    id:
      description: The organisation id, always an integer.
      type: int
      sample: 8888123
    name:
      description: The organisation's name.
      type: str
      sample: Acme
    website:
      description: The organisation's website.
      type: str
      sample: http://www.example.com
    country_id:
      description: ISO 3166-1 alpha-2 country of the organisation.
      type: str
      sample: US
    phone:
      description: The organisation's phone number.
      type: str
      sample: "+12055500000"
    vat_number:
      description: The organisation's VAT number.
      type: str
      sample: null
"""

from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._reads import organisation_info


def main():
    module = sinch_module()
    module.sinch_params["organisation_id"] = None
    run(module, organisation_info)


if __name__ == "__main__":
    main()
