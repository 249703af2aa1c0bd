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
  - Reads the application's numbers once, then removes each given number that is assigned to it with one
    request. Numbers that are not assigned to the application cost no further request.
  - A number is taken off the application for all its capabilities (voice and sms).
  - Requests, with an instance and O(organisation_id) given, are one read and one removal per given number
    that the application has. A removal whose answer leaves its outcome unknown (HTTP 5xx, no answer) or that
    Sinch answers with 40400 is followed by one more read of the application, which decides. If the number is
    gone, it counts as removed (with a warning when the answer was unknown). If it is still there, the task
    fails and says it was not removed. If that read fails too, the task fails with C(changed=true), saying the
    number may have been removed.
author:
  - Sinch Numbers maintainers (@sinch-numbers)
extends_documentation_fragment:
  - sinch.numbers.connection
  - sinch.numbers.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Sends only the read and returns what a real run would remove.
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

from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import (
    AfterWriteError,
    application_key_option,
    normalise_numbers,
    words,
)
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff, run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes

ARGUMENT_SPEC = dict(
    application_key=dict(type="str", required=True, no_log=False),
    numbers=dict(type="list", elements="raw", required=True),
)


def remove(client, application_key, number):
    """One removal; returns None when the number is off the application afterwards, else raises.

    Returns a warning (text) when Sinch's answer left the outcome unknown and a read proved the
    number gone. The transport repeats a removal whose answer was lost; if the first attempt had
    been applied, Sinch answers the repeat with 40400 (not assigned). After a 40400, an HTTP 5xx or
    no answer at all, the application is read again: the number still there proves the removal
    was not applied (the error is raised as it is); the number gone proves it was; a failed read
    leaves it unknown (MaybeRemovedError).
    """
    try:
        client.unassign_number(application_key, number)
        return None
    except SinchError as err:
        if err.error_code != 40400 and not err.outcome_unknown:
            raise
        try:
            still = set(item["number"] for item in _shapes.numbers(client.list_application_numbers(application_key)))
        except SinchError as read_err:
            raise MaybeRemovedError(err, read_err)
        if number in still:
            if err.outcome_unknown:
                err.message = "%s; the application read right after still lists %s, so it was not removed" % (
                    err.message.rstrip("."), _shapes.e164(number))
            raise
        if err.outcome_unknown:
            answer = "HTTP %s" % err.status if err.status else "no answer"
            return ("Sinch answered the removal of %s from application %s with %s; the application read right after "
                    "no longer lists it, so it was removed." % (_shapes.e164(number), application_key, answer))
        return None


class MaybeRemovedError(SinchError):
    """A removal whose outcome is unknown and whose checking read failed: it may have been applied."""

    def __init__(self, cause, read_err):
        super(MaybeRemovedError, self).__init__(
            "%s; the read to check whether it was applied failed too (%s)" % (cause.message.rstrip("."), read_err.describe()),
            status=cause.status, error_code=cause.error_code, method=cause.method, path=cause.path, outcome_unknown=True,
            hint="Check the application's numbers with sinch.numbers.sinch_number_info, then run the task again.")
        self.action = cause.action


def remove_all(client, application_key, numbers, before):
    """Remove each number; returns the warnings. After a failure, say which were (or may have been) removed.

    A failure after a removal that was (or may have been) applied raises AfterWriteError, so the
    task says ``changed: true`` and what was done.
    """
    removed, warnings = [], []
    for number in numbers:
        try:
            warning = remove(client, application_key, number)
        except SinchError as err:
            maybe = [number] if isinstance(err, MaybeRemovedError) else []
            if not removed and not maybe:
                raise
            left = [item for item in before if item["number"] not in removed]
            done = []
            if removed:
                done.append("Already removed before this failure: %s" % words(removed))
            if maybe:
                done.append("%s may have been removed%s" % (words(maybe), " too" if removed else ""))
            raise AfterWriteError(err, {"removed": _shapes.e164_list(removed), "numbers": left,
                                        "diff": diff(_shapes.e164_list(item["number"] for item in before),
                                                     _shapes.e164_list(item["number"] for item in left),
                                                     "numbers of application %s" % application_key)},
                                  "%s; run the task again to remove the rest." % "; ".join(done))
        if warning:
            warnings.append(warning)
        removed.append(number)
    return warnings


def describe(application_key, removing, not_assigned, check_mode):
    """The result's msg."""
    if not removing:
        return ("%s %s not assigned to application %s; nothing to remove."
                % (words(not_assigned), "is" if len(not_assigned) == 1 else "are", application_key))
    sentence = "%s %s from application %s" % ("Would remove" if check_mode else "Removed", words(removing), application_key)
    if not_assigned:
        sentence += "; %s %s not assigned to it" % (words(not_assigned), "was" if len(not_assigned) == 1 else "were")
    return sentence + "."


def app_number_absent(client, check_mode, application_key, numbers):
    """Take the given numbers off the application: one read, then one removal per assigned number."""
    application_key = application_key_option(application_key)
    given = normalise_numbers(numbers)
    if not given:
        raise ValueError("numbers is empty: give at least one number to take off application %s." % application_key)
    before = _shapes.numbers(client.list_application_numbers(application_key))
    assigned = set(item["number"] for item in before)
    removing = [number for number in given if number in assigned]
    warnings = []
    if removing and not check_mode:
        warnings = remove_all(client, application_key, removing, before)
    after = [item for item in before if item["number"] not in removing]
    result = {
        "changed": bool(removing),
        "msg": describe(application_key, removing, [number for number in given if number not in assigned], check_mode),
        "removed": _shapes.e164_list(removing),
        "numbers": after,
        "diff": diff(_shapes.e164_list(assigned), _shapes.e164_list(item["number"] for item in after),
                     "numbers of application %s" % application_key),
    }
    if warnings:
        result["warnings"] = warnings
    return result


def _app_number_absent(client, *args):
    """app_number_absent, its warnings handed to the one place that shows warnings (the session's list)."""
    result = app_number_absent(client, *args)
    client.session.warnings.extend(result.pop("warnings", []))
    return result


def main():
    module = sinch_module(ARGUMENT_SPEC)
    run(module, _app_number_absent, module.check_mode, module.params["application_key"], module.params["numbers"])


if __name__ == "__main__":
    main()
