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
  - Requests, with an instance and O(organisation_id) given, are one read of the application's numbers, a
    second read of the rented numbers only when a given number is not on the application for that capability
    yet (it must be vetted), and, only when something changes, one write. Sinch answers the write with the
    application's numbers, which are checked against what the write should leave, all capabilities included;
    the task fails if any number is missing or unexpected.
author:
  - Sinch Numbers maintainers (@sinch-numbers)
extends_documentation_fragment:
  - sinch.numbers.connection
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
        result says from which application (RV(moved)).
      - If V(false), such numbers are refused and nothing is written.
    type: bool
    default: false
notes:
  - A number belongs to at most one application, for all its capabilities. Assigning a number that has both
    capabilities for one of them puts it on the application for both; taking it off with O(purge=true) takes it
    off for both, and the message says so.
  - When Sinch answers the write with HTTP 503, or its answer is lost, the write is sent again (up to O(retries)
    times). That is safe because it carries the whole list.
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
    numbers_with,
    words,
)
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff, run, sinch_module
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes

ARGUMENT_SPEC = dict(
    application_key=dict(type="str", required=True, no_log=False),
    capability=dict(type="str", required=True),
    numbers=dict(type="list", elements="raw", required=True),
    purge=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
)


def refusals(application_key, capability, given, current, rented, force, organisation_id):
    """Sentences naming every given number that must not be assigned, grouped by reason.

    ``rented`` maps each rented number to its shaped dict. Numbers already on the application for
    ``capability`` need no check: the write leaves them as they are.
    """
    not_rented, lacking, elsewhere = [], [], {}
    for number in given:
        if number in current:
            continue
        item = rented.get(number)
        if item is None:
            not_rented.append(number)
        elif capability not in item["capabilities"]:
            lacking.append(item)
        elif item["application_key"] not in (None, application_key) and not force:
            elsewhere.setdefault(item["application_key"], []).append(number)
    problems = []
    if not_rented:
        problems.append("%s %s not rented by organisation %s (rent %s first with sinch.numbers.sinch_number_rent)"
                        % (words(not_rented), _is_are(not_rented), organisation_id, _it_them(not_rented)))
    if lacking:
        problems.append("%s %s no %s capability (%s; choose numbers with %s, or manage %s with capability: %s)"
                        % (words(item["number"] for item in lacking), "has" if len(lacking) == 1 else "have", capability,
                           ", ".join("%s has %s" % (item["e164"], _capabilities(item)) for item in lacking),
                           capability, _it_them(lacking), _other(capability)))
    for other_key in sorted(elsewhere):
        numbers = elsewhere[other_key]
        problems.append("%s %s assigned to application %s (use force: true to move %s from application %s)"
                        % (words(numbers), _is_are(numbers), other_key, _it_them(numbers), other_key))
    return problems


def plan(application_key, capability, given, purge, force, before, rented_numbers, organisation_id):
    """What the write must do: the current and wanted sets, and what is added, removed and moved.

    ``before`` (the application's numbers) and ``rented_numbers`` are shaped numbers. Raises ValueError
    naming every refused number; nothing has been written then.
    """
    current = numbers_with(before, capability)
    rented = dict((item["number"], item) for item in rented_numbers)
    problems = refusals(application_key, capability, given, current, rented, force, organisation_id)
    if problems:
        raise ValueError("Refused to change the %s numbers of application %s, nothing was written: %s."
                         % (capability, application_key, "; ".join(problems)))
    wanted = set(given) if purge else current | set(given)
    added = wanted - current
    moved = [
        {"number": _shapes.e164(number), "from_application_key": rented[number]["application_key"]}
        for number in sorted(added)
        if number in rented and rented[number]["application_key"] not in (None, application_key)
    ]
    return {"current": current, "wanted": wanted, "added": added, "removed": current - wanted, "moved": moved}


def predicted_numbers(application_key, capability, wanted, before, rented_numbers):
    """The application's numbers a real write would leave (check mode).

    Sinch takes every number of ``capability`` off the application, then assigns the wanted ones;
    numbers without that capability stay.
    """
    records = dict((item["number"], item) for item in rented_numbers)
    records.update((item["number"], item) for item in before)
    after = [item for item in before if capability not in item["capabilities"]]
    after.extend(dict(records[number], application_key=application_key) for number in wanted)
    return sorted(after, key=lambda item: item["number"])


def write(client, application_key, capability, change, predicted):
    """Send the whole wanted list in one overwrite; its answer is the read-back, checked here.

    The whole answer is compared with the prediction, not only the numbers of ``capability``:
    a number of the application that the overwrite dropped must never go unnoticed.
    """
    answer = _shapes.numbers(client.set_application_numbers(application_key, capability, sorted(change["wanted"])))
    got = set(item["number"] for item in answer)
    expected = set(item["number"] for item in predicted)
    if got != expected:
        cause = SinchError(
            "Sinch accepted the overwrite but its answer lists the application's numbers %s instead of the expected %s "
            "(missing: %s; unexpected: %s)" % (words(got), words(expected), words(expected - got), words(got - expected)),
            method="PUT",
            hint="Check the application's numbers in the Sinch dashboard or with sinch.numbers.sinch_number_info, "
                 "then run the task again: it reads them before writing.")
        cause.action = "set the %s numbers of application %s" % (capability, application_key)
        raise AfterWriteError(cause, {"numbers": answer,
                                      "diff": diff(_shapes.e164_list(change["current"]),
                                                   _shapes.e164_list(numbers_with(answer, capability)),
                                                   "%s numbers of application %s" % (capability, application_key))},
                              "Sinch applied the write, so the application's numbers may have changed.")
    return answer


def describe(application_key, capability, change, before, check_mode):
    """The result's msg: what was (or would be) added, moved, removed and kept."""
    if not change["added"] and not change["removed"]:
        return ("Application %s already has the wanted %s numbers (%s); nothing to change."
                % (application_key, capability, words(change["current"])))

    def verb(done, planned):
        return planned if check_mode else done

    where = "application %s (%s)" % (application_key, capability)
    parts = []
    if change["added"]:
        parts.append("%s %s to %s" % (verb("Added", "Would add"), words(change["added"]), where))
    for move in change["moved"]:
        parts.append("%s %s from application %s" % (verb("moved", "would move"), move["number"], move["from_application_key"]))
    if change["removed"]:
        removed = verb("removed", "would remove")
        if not parts:
            removed = removed.capitalize()
        parts.append("%s %s%s" % (removed, words(change["removed"]), "" if change["added"] else " from " + where))
        # One application per number: leaving for this capability means leaving for the other one too.
        both = [item["e164"] for item in before if item["number"] in change["removed"] and len(item["capabilities"]) > 1]
        if both:
            parts.append("%s %s %s too, so %s %s the application for %s as well"
                         % (", ".join(both), "has" if len(both) == 1 else "have", _other(capability),
                            "it" if len(both) == 1 else "they", verb("left", "would leave"), _other(capability)))
    parts.append("%s %d" % (verb("kept", "would keep"), len(change["current"] & change["wanted"])))
    return "; ".join(parts) + "."


def app_numbers(client, check_mode, application_key, capability, numbers, purge, force):
    """Make the application's numbers of ``capability`` hold (or, with purge, be) the given numbers.

    One or two reads, then at most one write; in check mode only the reads. The rented numbers
    are read only when a given number is not on the application for ``capability`` yet: only
    such numbers need vetting, so a converged run costs one request.
    """
    application_key = application_key_option(application_key)
    given = normalise_numbers(numbers)
    if not given and not purge:
        raise ValueError("numbers is empty, so there is nothing to add to application %s. To take every %s number off "
                         "the application, set purge: true; to remove some numbers, use sinch.numbers.sinch_app_number_absent."
                         % (application_key, capability))
    before = _shapes.numbers(client.list_application_numbers(application_key))
    rented, organisation_id = [], None
    if set(given) - numbers_with(before, capability):
        rented = _shapes.numbers(client.list_numbers())
        organisation_id = client.organisation_id
    change = plan(application_key, capability, given, purge, force, before, rented, organisation_id)
    changed = bool(change["added"] or change["removed"])
    if not changed:
        after = before
    elif check_mode:
        after = predicted_numbers(application_key, capability, change["wanted"], before, rented)
    else:
        after = write(client, application_key, capability, change,
                      predicted_numbers(application_key, capability, change["wanted"], before, rented))
    return {
        "changed": changed,
        "msg": describe(application_key, capability, change, before, check_mode),
        "numbers": after,
        "added": _shapes.e164_list(change["added"]),
        "removed": _shapes.e164_list(change["removed"]),
        "moved": change["moved"],
        "diff": diff(_shapes.e164_list(change["current"]), _shapes.e164_list(numbers_with(after, capability)),
                     "%s numbers of application %s" % (capability, application_key)),
    }


def _is_are(numbers):
    return "is" if len(numbers) == 1 else "are"


def _it_them(numbers):
    return "it" if len(numbers) == 1 else "them"


def _capabilities(item):
    return "only " + " and ".join(item["capabilities"]) if item["capabilities"] else "no capability at all"


def _other(capability):
    return "sms" if capability == "voice" else "voice"


def main():
    module = sinch_module(ARGUMENT_SPEC)
    params = module.params
    run(module, app_numbers, module.check_mode, params["application_key"], params["capability"], params["numbers"],
        params["purge"], params["force"])


if __name__ == "__main__":
    main()
