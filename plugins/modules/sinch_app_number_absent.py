#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_app_number_absent
short_description: Take numbers off a Sinch application
version_added: 0.1.0
description:
  - Makes sure the given numbers are not assigned to an application. The numbers stay rented by the
    organisation; only their assignment to the application ends.
  - Reads the application's numbers, then removes each given number that is assigned to it with one
    request.
  - A number is taken off the application for all its capabilities (voice and sms).
  - An application read that lists an item without a readable number cannot show that a number is not on the
    application, since unknown is never "gone", so the task fails before any removal.
  - Nor can one read that omits a number. When a given number is not on the application read, the rented
    numbers are read too (they show each number's application) before it is said to be not assigned. If that
    read shows it on the application, lists it with an application that cannot be read, or lists an item
    without a readable number, the task fails before any removal, saying what disagrees.
  - A real run that removes holds the organisation's lock on the machine it runs on (see O(lock_path)), as every
    module that writes does, from its first removal to its last; without O(organisation_id) the organisation is
    looked up first (one more request, only when something is removed).
  - Requests, with an instance and O(organisation_id) given. One read of the application; one read of the rented
    numbers when a given number is not on the application read; one removal per given number that the
    application has. A removal whose answer leaves its outcome unknown (HTTP 5xx, no answer) or that Sinch
    answers with 40400 is followed by one more read of the application, which decides. If the number is gone,
    it counts as removed (with a warning when the answer was unknown). If it is still there and Sinch answered
    the removal (sent once), the task fails and says it was not removed. If it is still there but no answer came
    (a timeout, a dropped connection), or the removal was sent more than once, the removal may still reach Sinch
    and be applied later, so the task fails with C(changed=true), saying so. Check the application's numbers before
    running it again. If that read fails too, the task fails with C(changed=true), saying the number may have
    been removed.
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
    details: Sends only the reads and returns what a real run would remove.
  diff_mode:
    support: full
    details: The application's numbers (all capabilities), one E.164 number per line, before and after.
  platform:
    platforms: all
options:
  application_key:
    description:
      - The key of the Sinch application, as shown in the Sinch dashboard.
      - Hex digits and dashes, as Sinch issues it (V(bb7b4e39-4227-4913-8c81-2db4abb54fb3)); any other value, an empty one
        included, fails the task before any request.
    type: str
    required: true
  numbers:
    description:
      - One or more numbers to take off the application, as integers (V(14150005550)) or strings in
        international format (V(+14150005550), V(+1 415-000-5550)).
      - A value that is not a phone number fails the task before any request. The same number given twice
        in different forms counts once.
    type: list
    elements: raw
    required: true
notes:
  - If a removal fails after others succeeded, the task fails with C(changed=true) and says which numbers
    were already removed; running it again removes the rest.
seealso:
  - module: sinch.numbers.sinch_app_numbers
  - module: sinch.numbers.sinch_number_info
"""

EXAMPLES = r"""
- name: Take a number off the application (it stays rented)
  sinch.numbers.sinch_app_number_absent:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    numbers: "+1 415-000-5550"

- name: Take several numbers off the application
  sinch.numbers.sinch_app_number_absent:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    numbers:
      - 14150005550
      - "+14150005551"
  register: removal

- name: Show what was removed
  ansible.builtin.debug:
    msg: "{{ removal.removed }}"
"""

RETURN = r"""
msg:
  description: What was done (or, in check mode, would be done), in words.
  returned: always
  type: str
  sample: Removed +14150005550 from application bb7b4e39-4227-4913-8c81-2db4abb54fb3; +14150005551 was not assigned to it.
removed:
  description: The given numbers that were (in check mode, would be) taken off the application, in E.164, sorted by number.
  returned: success
  type: list
  elements: str
  sample: ["+14150005550"]
numbers:
  description:
    - The application's numbers after the task, all capabilities, sorted by number, in the shape
      M(sinch.numbers.sinch_number_info) returns.
    - In check mode, the numbers a real run would leave.
  returned: success
  type: list
  elements: dict
  contains:
    number:
      description: The number as Sinch writes it (an integer without C(+)).
      type: int
      sample: 14150005551
    e164:
      description: The number in E.164 format.
      type: str
      sample: "+14150005551"
    group_id:
      description: The number group the number was rented from.
      type: int
      sample: 13
    capabilities:
      description: Lower-case capabilities, sorted.
      type: list
      elements: str
      sample: [voice]
    application_key:
      description: The application the number is assigned to.
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
      description: When the rental ends, as Sinch writes it; null when Sinch did not say.
      type: str
      sample: "2015-12-31T23:59:59+00:00"
    cost:
      description: Monthly cost of the number, as money.
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
diff:
  description:
    - The application's numbers (all capabilities), one E.164 number per line, sorted by number, before and after.
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
      sample: numbers of application bb7b4e39-4227-4913-8c81-2db4abb54fb3
    after_header:
      description: The same as RV(diff.before_header).
      type: str
writes:
  description:
    - On failure, every write the task sent before it failed (C(kind) overwrite or unassign, C(status) applied or
      unknown, and what it wrote), so that nothing written goes unsaid.
  returned: failure after a write
  version_added: 0.3.0
  type: list
  elements: dict
error:
  description: What Sinch answered when a request failed.
  returned: failure after a request to Sinch
  type: dict
  contains:
    status:
      description: HTTP status, null when no answer arrived.
      type: int
    error_code:
      description: The errorCode Sinch sent.
      type: int
    message:
      description: The message Sinch sent, or what went wrong.
      type: str
    method:
      description: HTTP method of the failed request.
      type: str
    path:
      description: Path of the failed request.
      type: str
    outcome_unknown:
      description: True when the request may have been applied although no answer arrived.
      type: bool
"""

from ansible_collections.sinch.numbers.plugins.module_utils._app_number_absent import app_number_absent
from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._options import lock_argument_spec

ARGUMENT_SPEC = dict(
    application_key=dict(type="str", required=True, no_log=False),
    numbers=dict(type="list", elements="raw", required=True),
)
ARGUMENT_SPEC.update(lock_argument_spec())


def main():
    run(sinch_module(ARGUMENT_SPEC), app_number_absent)


if __name__ == "__main__":
    main()
