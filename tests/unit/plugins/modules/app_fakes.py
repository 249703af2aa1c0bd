# -*- coding: utf-8 -*-
"""A fake SinchClient for the application-number modules: Sinch's rules in a few lines, every call recorded."""
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import Journal

APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
OTHER = "cc8c5f4a-5338-4a24-9d92-3ec5bcc65fc4"
ORG = 8888123


def without(field, *numbers):
    """A read filter leaving ``field`` out of the items of ``numbers`` (of every item when none is given)."""
    def rewrite(answer):
        return [dict((key, value) for key, value in raw.items() if key != field or (numbers and raw["number"] not in numbers))
                for raw in answer]
    return rewrite


def rented(number, capabilities=("voice",), application_key=None):
    """A rented number as Sinch lists it."""
    raw = {"number": number, "groupId": 13, "capabilities": list(capabilities), "countryId": "US",
           "city": "SAN FRANCISCO", "country": "US", "areaCode": "415", "cost": {"amount": 2.0, "currencyId": "USD"}}
    if application_key:
        raw["applicationKey"] = application_key
    return raw


class FakeSession(object):
    def __init__(self):
        self.warnings = []


class FakeClient(object):
    """Holds the organisation's rented numbers; applications are the keys in ``applications``.

    ``calls`` records (method name, arguments) in order. ``put_answer`` replaces the overwrite's
    answer (to test the read-back check); ``fail_unassign`` maps a number to the SinchError its
    removal raises. Faults for the cross-check and uncertain writes: ``put_error`` /
    ``unassign_error_after`` (number -> error) are raised after the write was applied;
    ``app_read_filter`` rewrites every application read's answer, ``app_read_filters`` (key -> filter) that of one
    application; ``rented_read_filter`` rewrites the rented-numbers read's answer (a field
    Sinch leaves out); ``before`` maps a method name to a
    list of callables, the first of which runs (and is dropped) before the next such call: another
    writer, or a raised error. ``fail_from`` and ``failure``: every call from that index of ``calls`` on
    raises ``failure()`` (Sinch gone, or a bug). Every write goes to ``journal`` as the real client records it: in the
    journal before it is sent (a hook raising is an answer to a write that left), settled by its answer.
    """

    organisation_id = ORG

    def __init__(self, numbers, applications=(APP, OTHER)):
        self.numbers = dict((raw["number"], copy.deepcopy(raw)) for raw in numbers)
        self.applications = set(applications)
        self.calls = []
        self.put_answer = None
        self.fail_unassign = {}
        self.put_error = None
        self.unassign_error_after = {}
        self.app_read_filter = None
        self.app_read_filters = {}
        self.rented_read_filter = None
        self.before = {}
        self.journal = Journal()
        self.session = FakeSession()
        self.fail_from = None    # with ``failure``: every call from this index (of ``calls``) on raises failure()
        self.failure = None

    def _fault(self):
        """Raise the scripted failure when the call just recorded is at or past ``fail_from``."""
        if self.fail_from is not None and len(self.calls) - 1 >= self.fail_from:
            raise self.failure()

    @property
    def warnings(self):
        return self.session.warnings

    def _write(self, kind, key, details, send):
        """As SinchClient._write."""
        return self.journal.send(kind, key, details, send)

    def _before(self, name):
        hooks = self.before.get(name)
        if hooks:
            hooks.pop(0)()

    def _app(self, key):
        if key not in self.applications:
            raise SinchError("Application with the key %s was not found." % key, status=404, error_code=40400, method="GET")

    def _on(self, key):
        return [copy.deepcopy(self.numbers[n]) for n in sorted(self.numbers) if self.numbers[n].get("applicationKey") == key]

    def list_numbers(self):
        self.calls.append(("list_numbers",))
        self._fault()
        self._before("list_numbers")
        answer = [copy.deepcopy(self.numbers[n]) for n in sorted(self.numbers)]
        return self.rented_read_filter(answer) if self.rented_read_filter else answer

    def list_application_numbers(self, application_key):
        self.calls.append(("list_application_numbers", application_key))
        self._fault()
        self._before("list_application_numbers")
        self._app(application_key)
        answer = self._on(application_key)
        if application_key in self.app_read_filters:
            answer = self.app_read_filters[application_key](answer)
        return self.app_read_filter(answer) if self.app_read_filter else answer

    def set_application_numbers(self, application_key, capability, numbers):
        numbers = sorted(set(int(n) for n in numbers))
        self.calls.append(("set_application_numbers", application_key, capability, list(numbers)))
        details = {"application_key": application_key, "capability": capability, "numbers": numbers}
        return self._write("overwrite", (application_key, capability), details,
                           lambda: self._overwrite(application_key, capability, numbers))

    def _overwrite(self, application_key, capability, numbers):
        self._fault()
        self._before("set_application_numbers")
        self._app(application_key)
        for raw in self.numbers.values():
            if raw.get("applicationKey") == application_key and capability in raw["capabilities"]:
                raw.pop("applicationKey")
        for number in numbers:
            self.numbers[number]["applicationKey"] = application_key
        if self.put_error is not None:
            raise self.put_error
        if self.put_answer is not None:
            return self.put_answer
        return self._on(application_key)

    def unassign_number(self, application_key, number):
        self.calls.append(("unassign_number", application_key, number))
        details = {"application_key": application_key, "number": int(number)}
        self._write("unassign", (application_key, int(number)), details,
                    lambda: self._unassign(application_key, int(number)))

    def _unassign(self, application_key, number):
        self._fault()
        self._before("unassign_number")
        self._app(application_key)
        if number in self.fail_unassign:
            raise self.fail_unassign[number]
        raw = self.numbers.get(number)
        if raw is None or raw.get("applicationKey") != application_key:
            raise SinchError("The number %d is not assigned to application %s." % (number, application_key),
                             status=404, error_code=40400, method="DELETE")
        raw.pop("applicationKey")
        if number in self.unassign_error_after:
            raise self.unassign_error_after[number]

    def writes(self):
        return [call for call in self.calls if call[0] in ("set_application_numbers", "unassign_number")]

    def assign(self, number, application_key):
        """Another writer: put ``number`` on ``application_key`` (None: on no application)."""
        self.numbers[number].pop("applicationKey", None)
        if application_key:
            self.numbers[number]["applicationKey"] = application_key

    def assigned(self, application_key):
        return sorted(n for n, raw in self.numbers.items() if raw.get("applicationKey") == application_key)
