#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_session
short_description: Log in to Sinch once and get an instance for the rest of the play
version_added: 0.1.0
description:
  - Logs in with O(email) and O(password), creates a Sinch instance (valid 48 hours) and looks up the organisation.
  - Returns the instance id and secret and the organisation, so later tasks sign their requests with the
    instance through C(module_defaults) instead of logging in again (two requests saved per task).
  - Changes nothing on the account, so it always reports C(changed=false) and runs the same in check mode.
  - The result holds the instance secret. The task must set C(no_log=true), or the module refuses to run;
    the registered result still holds every value, only the display is hidden.
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
  - O(instance_id), O(instance_secret) and O(organisation_id) are ignored here; this module always logs in.
  - Because the task runs under C(no_log), Ansible hides a failure's message too. Register the result and
    show C(result.msg) to read why a log-in failed; it never contains the password.
seealso:
  - module: sinch.numbers.sinch_organisation_info
"""

EXAMPLES = r"""
- name: Log in once for the whole play
  sinch.numbers.sinch_session:
    email: "{{ sinch_email }}"
    password: "{{ sinch_password }}"
  no_log: true
  register: sinch

- name: Every later Sinch task signs with the instance
  module_defaults:
    group/sinch.numbers.sinch:
      instance_id: "{{ sinch.instance_id }}"
      instance_secret: "{{ sinch.instance_secret }}"
      organisation_id: "{{ sinch.organisation.id }}"
  block:
    - name: List the number shop
      sinch.numbers.sinch_number_shop_info:
        country_id: FR
      register: shop
"""

RETURN = r"""
instance_id:
  description: The id of the new instance; pass it as O(instance_id) to the other modules.
  returned: success
  type: str
  sample: 00a3ffb1-0808-4dd4-9c7d-e4383d82e445
instance_secret:
  description: The Base64 secret of the instance; pass it as O(instance_secret). Keep it secret.
  returned: success
  type: str
  sample: bRo76GRddEyetgJDTgkLHA==
expires_at:
  description: When the instance expires (UTC, ISO 8601); null when Sinch did not say.
  returned: success
  type: str
  sample: "2026-12-01T10:00:00Z"
organisation:
  description: The organisation of the logged-in user, as M(sinch.numbers.sinch_organisation_info) returns it.
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
from ansible_collections.sinch.numbers.plugins.module_utils._reads import open_session


def main():
    module = sinch_module()
    if not module.no_log:
        module.fail_json(msg="sinch_session returns the instance secret: set 'no_log: true' on this task "
                             "(the registered result keeps every value; only the display is hidden).")
    # An instance or organisation given through module_defaults must not short-cut the log-in.
    for name in ("instance_id", "instance_secret", "organisation_id"):
        module.sinch_params[name] = None
    run(module, open_session)


if __name__ == "__main__":
    main()
