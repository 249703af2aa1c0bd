# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: sinch_app_number_absent, numbers taken off an application (they stay rented).

One read of the application, then one removal per given number it holds. A removal whose answer
leaves its outcome open (40400, a 5xx, no answer) is checked by reading the application again; a read
that still lists the number proves "not removed" only when Sinch answered the removal (a removal whose
answer never came may still be applied later). An application read that lists an item without a
readable number cannot say a number is not there: unknown is never "gone", so the task stops before any
removal. Nor can one read that omits a number: a given number it does not list is confirmed by the
rented-numbers read (which shows each number's application) before it is reported as not assigned.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import (
    answered,
    read_application,
    read_numbers,
    same_key,
    words,
)
from ansible_collections.sinch.numbers.plugins.module_utils._errors import (
    InputError,
    NumbersError,
    PlanError,
    SinchError,
    UnreadableError,
)
from ansible_collections.sinch.numbers.plugins.module_utils._input import numbers_option
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED, NOT_APPLIED
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff


def remove(client, application_key, number):
    """One removal; returns a warning (or None) when the number is off the application afterwards, else raises.

    The transport repeats a removal whose answer was lost; if the first attempt had been applied, Sinch
    answers the repeat with 40400 (not assigned). After a 40400, an HTTP 5xx or no answer at all, the
    application is read again: the number gone proves the removal was applied. The number still there
    proves it was not only when Sinch answered the one send (``_app_numbers.answered``); after a lost answer
    the removal may still reach Sinch later, so the task fails with ``changed: true`` and the journal keeps
    it unknown. A read that fails, or cannot be read whole, leaves it unknown (changed).
    """
    try:
        client.unassign_number(application_key, number)
        return None
    except SinchError as err:
        if err.error_code != 40400 and not err.outcome_unknown:
            raise
        journal_write = client.journal.find("unassign", (application_key, number))
        try:
            after = read_application(client, application_key)
        except SinchError as read_err:
            raise NumbersError(
                "The removal of %s from application %s %s, and the read to check whether it was applied failed too (%s)"
                % (_shapes.e164(number), application_key, _outcome(err), read_err.answer()),
                hint="Check the application's numbers with sinch.numbers.sinch_number_info, then run the task again.",
                changed=True) from err
        still = set(item["number"] for item in after.records)
        if number in still and not answered(err):
            raise NumbersError(
                "The removal of %s from application %s %s; the application read right after still lists it, but a "
                "removal whose answer never came may still reach Sinch and be applied later"
                % (_shapes.e164(number), application_key, _outcome(err)),
                hint="Check the application's numbers with sinch.numbers.sinch_number_info (or in the Sinch dashboard) "
                     "in a few minutes, before running the task again.",
                changed=True) from err
        if number in still:
            if journal_write is not None:
                journal_write.learned(NOT_APPLIED)
            raise NumbersError("Could not remove %s from application %s: %s; the application read right after still lists "
                               "it, so it was not removed" % (_shapes.e164(number), application_key, err.answer()),
                               hint=err.hint) from err
        if after.unidentified:
            raise NumbersError(
                "The removal of %s from application %s %s, and the application read right after lists %s without a "
                "readable number, so whether it was applied cannot be told" % (
                    _shapes.e164(number), application_key, _outcome(err), _count(after.unidentified)),
                hint="Check the application's numbers with sinch.numbers.sinch_number_info, then run the task again.",
                changed=True) from err
        if journal_write is not None:
            journal_write.learned(APPLIED)
        if err.outcome_unknown:
            return ("Sinch answered the removal of %s from application %s with %s; the application read right after no "
                    "longer lists it, so it was removed." % (_shapes.e164(number), application_key, _answer(err)))
        return None


def confirm_not_assigned(client, application_key, numbers):
    """Confirm with the rented-numbers read that ``numbers``, which the application read does not list, are not on it.

    One read can omit a number (unknown is never "not assigned"). The rented-numbers read shows each number's
    application: one request, none when ``numbers`` is empty. A number it shows on the application (the reads
    disagree), with an application it cannot read, or an item it cannot read at all (it may be one of
    ``numbers``), fails the task before any removal (PlanError or UnreadableError, nothing written).
    """
    if not numbers:
        return
    rented = read_numbers(client)
    by_number = dict((item["number"], item) for item in rented.records)
    on_app, unreadable = [], []
    for number in numbers:
        item = by_number.get(number)
        if item is None:
            continue  # not rented by the organisation, so on none of its applications
        if "applicationKey" in rented.fields(item):
            unreadable.append(number)
        elif same_key(item["application_key"], application_key):
            on_app.append(number)
    reasons = []
    if on_app:
        reasons.append("the application read does not list %s, which the rented-numbers read shows on the application"
                       % words(on_app))
    if unreadable:
        reasons.append("the rented-numbers read lists %s with an application that cannot be read (%s)"
                       % (words(unreadable), rented.describe(unreadable)))
    if rented.unidentified:
        reasons.append("the rented-numbers read lists %s without a readable number, which may be %s"
                       % (_count(rented.unidentified), "it" if len(numbers) == 1 else "among them"))
    if reasons:
        error = PlanError if on_app else UnreadableError
        raise error(
            "Refused to remove numbers from application %s, nothing was written: whether %s %s on it cannot be told for "
            "sure, since %s" % (application_key, words(numbers), _is_are(numbers), "; ".join(reasons)),
            hint="Another writer may be changing the application's numbers, or Sinch answered incompletely: run the task "
                 "again, and if the reads still disagree, check the application in the Sinch dashboard.")


def describe(application_key, removing, not_assigned, check_mode):
    """The result's msg."""
    if not removing:
        return ("%s %s not assigned to application %s; nothing to remove."
                % (words(not_assigned), "is" if len(not_assigned) == 1 else "are", application_key))
    sentence = "%s %s from application %s" % ("Would remove" if check_mode else "Removed", words(removing), application_key)
    if not_assigned:
        sentence += "; %s %s not assigned to it" % (words(not_assigned), "was" if len(not_assigned) == 1 else "were")
    return sentence + "."


def app_number_absent(client, params, check_mode):
    """Take the given numbers off the application: one read, the rented-numbers read when a given number is not on
    the application read (``confirm_not_assigned``), then (holding the organisation's lock) one removal per
    assigned number."""
    application_key = params["application_key"]
    given = numbers_option(params["numbers"])
    if not given:
        raise InputError("numbers is empty: give at least one number to take off application %s." % application_key)
    before = read_application(client, application_key)
    if before.unidentified:
        raise UnreadableError(
            "Refused to remove numbers from application %s, nothing was written: its read lists %s without a readable "
            "number, so whether %s on it cannot be told"
            % (application_key, _count(before.unidentified), "they are" if len(given) > 1 else "it is"),
            hint="Run again later; if Sinch keeps answering so, check the application in the Sinch dashboard.")
    assigned = set(item["number"] for item in before.records)
    removing = [number for number in given if number in assigned]
    confirm_not_assigned(client, application_key, [number for number in given if number not in assigned])
    result = {
        "changed": bool(removing),
        "msg": describe(application_key, removing, [number for number in given if number not in assigned], check_mode),
        "removed": _shapes.e164_list(removing),
        "numbers": [item for item in before.records if item["number"] not in removing],
        "diff": diff(_shapes.e164_list(assigned), _shapes.e164_list(assigned - set(removing)),
                     "numbers of application %s" % application_key),
    }
    if not removing or check_mode:
        return result
    removed = []

    def partial():
        left = [item for item in before.records if item["number"] not in removed]
        return {"removed": _shapes.e164_list(removed), "numbers": left,
                "diff": diff(_shapes.e164_list(assigned), _shapes.e164_list(item["number"] for item in left),
                             "numbers of application %s" % application_key)}
    client.journal.partial = partial
    with OrganisationLock(client.organisation_id, params.get("lock_timeout"), client.session.warnings.append,
                          params.get("lock_path")):
        for number in removing:
            warning = remove(client, application_key, number)
            if warning:
                client.session.warnings.append(warning)
            removed.append(number)
    return result


def _count(count):
    return "%d item%s" % (count, "" if count == 1 else "s")


def _is_are(numbers):
    return "is" if len(numbers) == 1 else "are"


def _outcome(err):
    sends = " (sent %d times)" % err.attempts if getattr(err, "attempts", 1) > 1 else ""
    if err.status is None:
        return "got no answer (%s)%s" % (err.message.rstrip("."), sends)
    return "was answered HTTP %s%s%s" % (err.status, " errorCode %s" % err.error_code if err.error_code else "", sends)


def _answer(err):
    return "HTTP %s" % err.status if err.status else "no answer"
