#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: sinch_app_numbers
short_description: Assign rented Sinch numbers to an application without losing the others
version_added: 0.1.0
description:
  - Makes the given rented numbers serve an application for one capability (V(voice) or V(sms)).
  - Sinch offers only one way to assign numbers, a request that B(replaces) all of the application's numbers
    of that capability. Sent naively, adding one number would silently take every other number off the
    application, and calls or messages to them would stop reaching it. This module reads the application's
    numbers first and always sends the whole list, so by default the numbers already there stay.
  - With O(purge=false) (the default) the application keeps its numbers of that capability and gains the given
    ones. With O(purge=true) its numbers of that capability become exactly the given ones.
  - Before anything is written, it refuses numbers the organisation does not rent, numbers without the
    capability, and numbers assigned to another application (unless O(force=true)). Every offending number is
    named in one message.
  - When the application already has the wanted numbers, nothing is written.
  - Before any overwrite (and in check mode, before predicting one) the application's numbers are
    B(cross-checked). The application read and the rented-numbers read must show the same numbers on the
    application with the same capabilities, and every number the application read lists must have readable
    capabilities; otherwise the task fails before writing, saying what disagrees. So a number the application
    read omits is never removed with O(purge=false), and a number whose capabilities are unknown is never
    dropped by an overwrite.
  - With O(purge=true) the cross-check is made even when the application read alone shows the wanted numbers,
    since one read cannot prove that no other number is on the application (a read can omit one). So
    "already has the wanted numbers" is said only when both reads agree.
  - B(Numbers that look free.) The rented-numbers read is the only one that says which application a number is
    on, and Sinch leaves C(applicationKey) out for a number on no application, so a number whose application
    Sinch left out looks free. Before a number that read shows on no application is put on this one, the
    numbers of every other application that read names (the applications the organisation is known to use)
    are read, one request each. A number one of them lists is refused, naming that application (with
    O(force=true) it is moved, and RV(moved) says from where). A failed or unreadable read of one of them also
    fails the task before writing.
  - The limit of that check. An application that no listed number names (for example one whose only number is
    the one Sinch listed without its application) cannot be read this way, since nothing gives its key. A
    number on such an application still looks free, and the overwrite would move it.
  - A real run that writes holds the organisation's lock on the machine it runs on (see O(lock_path)), as every
    module that writes does, from the rented-numbers read to the overwrite; when it had to wait for another run, it
    reads the application again first (one more request). A run that writes nothing takes no lock.
  - Requests, with an instance and O(organisation_id) given. With O(purge=false), when the application read
    alone shows the given numbers there, that read is the only request (1). Otherwise, and always with
    O(purge=true), the rented numbers are read too (2 reads). When the write adds a number the rented-numbers
    read shows on no application, each other application that read names is read (2 + k reads for k such
    applications). Outside check mode one overwrite follows (3 + k requests). When the overwrite's answer
    leaves its outcome unknown (HTTP 5xx, an answer that is not JSON, no answer at all), the application is
    read once more (4 + k requests).
  - Sinch answers the overwrite with the application's numbers; they are compared with what the write should
    leave, all capabilities included. When they differ, the task fails with C(changed=true), giving what was
    written (RV(written)) and what was found (RV(found)).
  - When the overwrite's outcome is unknown, the application read that follows decides. If it shows the
    expected numbers, the task succeeds with C(changed=true) and a warning. If it shows the numbers unchanged
    and Sinch answered the overwrite (an HTTP 5xx, sent once), the task fails and says nothing was changed. If
    it shows them unchanged but no answer came (a timeout, a dropped connection), or the overwrite was sent more
    than once, the overwrite may still reach Sinch and be applied later, so the task fails with
    C(changed=true), saying so. Check the application's numbers before running it again. Anything else, or a failed read, fails
    with C(changed=true).
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
    details: Sends only the reads and returns what a real run would add, remove, move and leave.
  diff_mode:
    support: full
    details: The application's numbers of O(capability), one E.164 number per line, before and after.
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
  capability:
    description:
      - Which of the application's numbers to manage, V(voice) or V(sms) (case-insensitive).
      - Each given number must have this capability.
    type: str
    required: true
  numbers:
    description:
      - The numbers, as integers (V(14150005550)) or strings in international format (V(+14150005550),
        V(+1 415-000-5550)). A value that is not a phone number fails the task before any request.
      - The same number given twice in different forms counts once.
      - An empty list is allowed only with O(purge=true), and then means that the application keeps no number
        of this capability.
    type: list
    elements: raw
    required: true
  purge:
    description:
      - If V(false), the application keeps the numbers of O(capability) it already has and gains the given ones.
      - If V(true), the application's numbers of O(capability) become exactly O(numbers); the others are taken off
        the application (they stay rented).
    type: bool
    default: false
  force:
    description:
      - If V(true), numbers assigned to another application of the organisation are moved to this one, and the
        result says from which application (RV(moved)), also when Sinch's rented-numbers listing left their
        application out but that application's read lists them.
      - If V(false), such numbers are refused and nothing is written.
    type: bool
    default: false
notes:
  - A number belongs to at most one application, for all its capabilities. Assigning a number that has both
    capabilities for one of them puts it on the application for both; taking it off with O(purge=true) takes it
    off for both, and the message says so.
  - When Sinch answers the write with HTTP 503, or its answer is lost, the write is sent again (up to O(retries)
    times). That is safe because it carries the whole list.
  - Other writers. Sinch has no conditional write, so another writer (a person in the dashboard, another play)
    can change the application's numbers between this module's reads and its overwrite. The window is kept as
    small as the API allows. The rented-numbers read, which also shows which numbers are on the application, is
    the last request before the overwrite, and a change between the two reads makes them disagree, so the task
    fails before writing. A change during the one remaining round trip is caught afterwards when it concerns
    the other capability (the overwrite's answer lists an unexpected number); a number of the same capability
    assigned by another writer in that round trip is replaced by the overwrite, as with any overwrite.
seealso:
  - module: sinch.numbers.sinch_app_number_absent
  - module: sinch.numbers.sinch_number_info
  - module: sinch.numbers.sinch_number_rent
"""

EXAMPLES = r"""
- name: Add a voice number to the application, keeping the numbers it already has
  sinch.numbers.sinch_app_numbers:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    capability: voice
    numbers:
      - "+1 415-000-5550"

- name: The application's SMS numbers are exactly these two
  sinch.numbers.sinch_app_numbers:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    capability: sms
    numbers: [15040005550, "+15040005551"]
    purge: true

- name: Move a number from another application to this one
  sinch.numbers.sinch_app_numbers:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    capability: voice
    numbers: [14150005551]
    force: true
  register: assigned

- name: Say where it came from
  ansible.builtin.debug:
    msg: "{{ item.number }} came from {{ item.from_application_key }}"
  loop: "{{ assigned.moved }}"

- name: Take every voice number off the application (they stay rented)
  sinch.numbers.sinch_app_numbers:
    application_key: bb7b4e39-4227-4913-8c81-2db4abb54fb3
    capability: voice
    numbers: []
    purge: true
"""

RETURN = r"""
msg:
  description: What was done (or, in check mode, would be done), in words.
  returned: always
  type: str
  sample: Added +14150005550 to application bb7b4e39-4227-4913-8c81-2db4abb54fb3 (voice); kept 1.
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
      sample: 14150005550
    e164:
      description: The number in E.164 format.
      type: str
      sample: "+14150005550"
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
added:
  description: The numbers given that were not on the application for O(capability), in E.164, sorted by number.
  returned: success
  type: list
  elements: str
  sample: ["+14150005550"]
removed:
  description:
    - The numbers of O(capability) taken off the application, in E.164, sorted by number.
    - Only ever non-empty with O(purge=true).
  returned: success
  type: list
  elements: str
  sample: []
moved:
  description: The numbers taken from another application (O(force=true)), each with that application's key.
  returned: success
  type: list
  elements: dict
  contains:
    number:
      description: The number, in E.164.
      type: str
      sample: "+14150005551"
    from_application_key:
      description: The application the number was assigned to before.
      type: str
      sample: cc8c5f4a-5338-4a24-9d92-3ec5bcc65fc4
diff:
  description:
    - The application's numbers of O(capability), one E.164 number per line, sorted by number, before and after.
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
      sample: voice numbers of application bb7b4e39-4227-4913-8c81-2db4abb54fb3
    after_header:
      description: The same as RV(diff.before_header).
      type: str
written:
  description: The numbers the overwrite sent for O(capability), in E.164, sorted by number.
  returned: failure after an overwrite that was or may have been applied (or may still be)
  type: list
  elements: str
  sample: ["+14150005550", "+14150005551"]
found:
  description:
    - The application's numbers (all capabilities) that Sinch's answer or the read after the overwrite showed,
      in E.164, sorted by number, when they are not what the overwrite should have left.
  returned: failure after an overwrite, when the application holds numbers that were not expected (also the unchanged
    numbers, when the overwrite's answer never came and it may still be applied)
  type: list
  elements: str
  sample: ["+14150005550", "+14150005551", "+15040005551"]
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

from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import app_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._module import run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils._options import lock_argument_spec

ARGUMENT_SPEC = dict(
    application_key=dict(type="str", required=True, no_log=False),
    capability=dict(type="str", required=True),
    numbers=dict(type="list", elements="raw", required=True),
    purge=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
)
ARGUMENT_SPEC.update(lock_argument_spec())


def main():
    run(sinch_module(ARGUMENT_SPEC), app_numbers)


if __name__ == "__main__":
    main()
