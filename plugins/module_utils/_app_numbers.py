# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: what sinch_app_numbers and sinch_app_number_absent share.

Number lists given by users, the application's numbers as results, E.164 lists for diff and
messages, and the error raised when a failure comes after a write already took effect.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes


def application_key_option(value):
    """The application key, trimmed; ValueError when empty (it would name no application)."""
    key = (value or "").strip()
    if not key:
        raise ValueError("application_key is empty: give the key of the Sinch application (as shown in the dashboard).")
    return key


def normalise_numbers(values):
    """The given numbers as a sorted list of distinct ints (the API's long).

    Every value that is not a phone number is named in one ValueError, so a playbook is fixed
    in one go; nothing is sent to Sinch before this has passed.
    """
    numbers, bad = set(), []
    for value in values or []:
        try:
            numbers.add(_shapes.parse_number(value))
        except ValueError:
            bad.append(repr(value))
    if bad:
        what = "a value that is not a phone number" if len(bad) == 1 else "values that are not phone numbers"
        raise ValueError("numbers holds %s: %s. Give numbers in international format, for example 14150005550 "
                         "or '+1 415-000-5550'; nothing was sent to Sinch." % (what, ", ".join(bad)))
    return sorted(numbers)


def numbers_with(shaped, capability):
    """The set of numbers (ints) among shaped numbers that have ``capability`` (case-insensitive)."""
    return set(item["number"] for item in shaped if capability in item["capabilities"])


def words(numbers):
    """Numbers in a sentence: "+14150005550, +14150005551"; "none" when empty."""
    return ", ".join(_shapes.e164_list(numbers)) or "none"


class AfterWriteError(SinchError):
    """A failure that came after Sinch already applied a write.

    The failed task must still say ``changed: true`` and what was done, so operators know the
    application's numbers are no longer what they were before the task.
    """

    def __init__(self, cause, done, done_words):
        super(AfterWriteError, self).__init__(
            cause.message, status=cause.status, error_code=cause.error_code, method=cause.method, path=cause.path,
            outcome_unknown=cause.outcome_unknown, hint=cause.hint)
        self.action = cause.action
        self.done = done
        self.done_words = done_words

    def describe(self, action=None):
        return "%s %s" % (super(AfterWriteError, self).describe(action), self.done_words)

    def to_result(self):
        result = super(AfterWriteError, self).to_result()
        result.update(self.done)
        result["changed"] = True
        return result
