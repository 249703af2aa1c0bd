# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: what sinch_app_numbers and sinch_app_number_absent share.

Number lists given by users, the application's numbers as results, E.164 lists for diff and
messages, the error raised when a failure comes after a write already took effect, and the
whole of sinch_app_numbers as plain functions (client in, result out): the cross-check of the
application read against the rented-numbers read, the refusals, the plan, the predicted numbers
and the checked overwrite.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff
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


def same_key(left, right):
    """Application keys compared as Sinch issues them (hex digits and dashes: case does not matter)."""
    return left is not None and right is not None and str(left).strip().lower() == str(right).strip().lower()


def read_application(client, application_key):
    """The application's numbers, shaped, and the set of those listed without readable capabilities.

    A number whose ``capabilities`` is missing (or not a list) would look like a number of no
    capability once shaped, so the plan could not tell which overwrite drops it: it is named
    here, and ``disagreement`` refuses any write while there is one.
    """
    raw_numbers = client.list_application_numbers(application_key)
    unreadable = set()
    for raw in raw_numbers:
        capabilities = raw.get("capabilities")
        if not isinstance(capabilities, list) or not capabilities:
            unreadable.add(int(raw["number"]))
    return _shapes.numbers(raw_numbers), unreadable


def disagreement(application_key, before, unreadable, rented_numbers):
    """None when the application read and the rented-numbers read agree on the application, else the reasons.

    ``before`` is the application read (shaped), ``unreadable`` the numbers it listed without
    capabilities, ``rented_numbers`` the rented-numbers read (shaped). They agree when both show the
    same numbers on the application with the same capabilities. The reasons are clauses of a sentence.
    """
    on_app = dict((item["number"], item) for item in rented_numbers if same_key(item["application_key"], application_key))
    listed = dict((item["number"], item) for item in before)
    reasons = []
    if unreadable:
        reasons.append("the application read lists %s without capabilities, so an overwrite could drop %s unseen"
                       % (words(unreadable), "it" if len(unreadable) == 1 else "them"))
    only_listed = sorted(set(listed) - set(on_app))
    if only_listed:
        reasons.append("the application read lists %s, which the rented-numbers read does not show on the application"
                       % words(only_listed))
    only_rented = sorted(set(on_app) - set(listed))
    if only_rented:
        reasons.append("the rented-numbers read shows %s on the application, which the application read does not list"
                       % words(only_rented))
    for number in sorted(set(listed) & set(on_app) - set(unreadable)):
        if listed[number]["capabilities"] != on_app[number]["capabilities"]:
            reasons.append("the application read gives %s the capabilities %s, the rented-numbers read %s"
                           % (_shapes.e164(number), _capability_words(listed[number]), _capability_words(on_app[number])))
    return reasons or None


def cross_check(application_key, capability, before, unreadable, rented_numbers):
    """Raise SinchError (nothing written) unless the two reads agree; see ``disagreement``."""
    reasons = disagreement(application_key, before, unreadable, rented_numbers)
    if not reasons:
        return
    err = SinchError(
        "the two reads of its numbers disagree, so nothing was written: %s" % "; ".join(reasons),
        hint="Another writer may be changing the application's numbers, or Sinch answered incompletely: run the task "
             "again, and if the reads still disagree, check the application in the Sinch dashboard.")
    err.action = _action(application_key, capability)
    raise err


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
        elif item["application_key"] is not None and not same_key(item["application_key"], application_key) and not force:
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


def needs_change(capability, given, purge, before):
    """True when the application read alone shows that a write is needed (a converged run stops here)."""
    current = numbers_with(before, capability)
    return (set(given) != current) if purge else not set(given) <= current


def plan(application_key, capability, given, purge, force, before, rented_numbers, organisation_id):
    """What the write must do: dict of current, wanted, added, removed (sets of ints) and moved.

    ``before`` (the application's numbers) and ``rented_numbers`` are shaped numbers; ``moved`` lists
    ``{"number": e164, "from_application_key": key}``. Raises ValueError naming every refused
    number; nothing has been written then.
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
        if number in rented and rented[number]["application_key"] is not None
        and not same_key(rented[number]["application_key"], application_key)
    ]
    return {"current": current, "wanted": wanted, "added": added, "removed": current - wanted, "moved": moved}


def predicted_numbers(application_key, capability, wanted, before, rented_numbers):
    """The application's numbers (shaped, sorted) a real write would leave; also check mode's answer.

    Sinch takes every number of ``capability`` off the application, then assigns the wanted ones;
    numbers without that capability stay.
    """
    records = dict((item["number"], item) for item in rented_numbers)
    records.update((item["number"], item) for item in before)
    after = [item for item in before if capability not in item["capabilities"]]
    after.extend(dict(records[number], application_key=application_key) for number in wanted)
    return sorted(after, key=lambda item: item["number"])


def write(client, application_key, capability, change, before, predicted):
    """Send the whole wanted list in one overwrite and check what the application holds afterwards.

    Returns ``(numbers, warnings)``: the application's numbers after the write and the warnings
    to show. Sinch's answer is the read-back, compared whole with ``predicted`` (all
    capabilities: a number the overwrite dropped must never go unnoticed). When the answer
    leaves the outcome unknown (HTTP 5xx, an answer that is not JSON, no answer), the
    application is read again: the write counts as done when that read shows ``predicted``, as
    not applied (SinchError, nothing changed) when it shows ``before``; anything else, or a
    failed read, raises AfterWriteError (``changed: true``).
    """
    wanted = sorted(change["wanted"])
    try:
        answer = _shapes.numbers(client.set_application_numbers(application_key, capability, wanted))
        warnings = []
    except SinchError as err:
        if not err.outcome_unknown:
            raise  # refused by Sinch (4xx) or never sent: nothing was applied
        answer = _read_after_unknown(client, application_key, capability, change, before, predicted, err)
        warnings = ["Sinch answered the overwrite of the %s numbers of application %s with %s; the application read "
                    "right after shows the write applied." % (capability, application_key, _answer_words(err))]
    _check_found(application_key, capability, change, answer, predicted, "Sinch's answer to the overwrite lists")
    return answer, warnings


def _read_after_unknown(client, application_key, capability, change, before, predicted, err):
    """The application's numbers after an overwrite whose outcome is unknown; raises unless it applied."""
    written = _shapes.e164_list(change["wanted"])
    try:
        found = _shapes.numbers(client.list_application_numbers(application_key))
    except SinchError as read_err:
        raise AfterWriteError(
            err, {"written": written},
            "The overwrite (%s numbers %s) may have been applied, and the read to check failed too (%s): check the "
            "application's numbers with sinch.numbers.sinch_number_info before running the task again."
            % (capability, words(change["wanted"]), read_err.describe()))
    found_set = set(item["number"] for item in found)
    if found_set == set(item["number"] for item in before):
        err.message = "%s; the application read right after shows its numbers unchanged (%s), so nothing was changed" % (
            err.message.rstrip("."), words(found_set))
        raise err
    if found_set != set(item["number"] for item in predicted):
        _check_found(application_key, capability, change, found, predicted,
                     "Sinch answered the overwrite with %s; the application read right after lists" % _answer_words(err))
    return found


def _check_found(application_key, capability, change, found, predicted, source):
    """Raise AfterWriteError (changed) when the application holds other numbers than the write should leave."""
    got = set(item["number"] for item in found)
    expected = set(item["number"] for item in predicted)
    if got == expected:
        return
    cause = SinchError(
        "%s the application's numbers %s instead of the expected %s (missing: %s; unexpected: %s)"
        % (source, words(got), words(expected), words(expected - got), words(got - expected)),
        method="PUT",
        hint="Another writer may have changed the application's numbers between this task's read and its write. "
             "Check the application's numbers in the Sinch dashboard or with sinch.numbers.sinch_number_info, "
             "then run the task again: it reads them before writing.")
    cause.action = _action(application_key, capability)
    raise AfterWriteError(cause, {"numbers": found, "written": _shapes.e164_list(change["wanted"]),
                                  "found": _shapes.e164_list(got),
                                  "diff": diff(_shapes.e164_list(change["current"]),
                                               _shapes.e164_list(numbers_with(found, capability)), _header(application_key, capability))},
                          "Sinch applied the write (%s numbers %s), so the application's numbers have changed."
                          % (capability, words(change["wanted"])))


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

    Returns the module's result dict. Requests: the application read; when that read shows a
    change is needed, the rented-numbers read (to vet the given numbers and to cross-check the
    application read) and, unless in check mode, one overwrite (plus one application read when
    the overwrite's answer leaves its outcome unknown). A converged run costs one request.
    """
    application_key = application_key_option(application_key)
    given = normalise_numbers(numbers)
    if not given and not purge:
        raise ValueError("numbers is empty, so there is nothing to add to application %s. To take every %s number off "
                         "the application, set purge: true; to remove some numbers, use sinch.numbers.sinch_app_number_absent."
                         % (application_key, capability))
    before, unreadable = read_application(client, application_key)
    rented, organisation_id = [], None
    if needs_change(capability, given, purge, before) or (purge and unreadable):
        # The last read before the overwrite: it also shows which numbers are on the application,
        # so the window for another writer is this one request.
        rented = _shapes.numbers(client.list_numbers())
        organisation_id = client.organisation_id
        cross_check(application_key, capability, before, unreadable, rented)
    change = plan(application_key, capability, given, purge, force, before, rented, organisation_id)
    changed = bool(change["added"] or change["removed"])
    warnings = []
    if not changed:
        after = before
    elif check_mode:
        after = predicted_numbers(application_key, capability, change["wanted"], before, rented)
    else:
        after, warnings = write(client, application_key, capability, change, before,
                                predicted_numbers(application_key, capability, change["wanted"], before, rented))
    result = {
        "changed": changed,
        "msg": describe(application_key, capability, change, before, check_mode),
        "numbers": after,
        "added": _shapes.e164_list(change["added"]),
        "removed": _shapes.e164_list(change["removed"]),
        "moved": change["moved"],
        "diff": diff(_shapes.e164_list(change["current"]), _shapes.e164_list(numbers_with(after, capability)),
                     _header(application_key, capability)),
    }
    if warnings:
        result["warnings"] = warnings
    return result


def _action(application_key, capability):
    return "set the %s numbers of application %s" % (capability, application_key)


def _header(application_key, capability):
    return "%s numbers of application %s" % (capability, application_key)


def _answer_words(err):
    """How Sinch answered a write whose outcome is unknown, in words."""
    if err.status is not None:
        return "HTTP %s" % err.status
    return "no usable answer (%s)" % err.message.rstrip(".")


def _capability_words(item):
    return " and ".join(item["capabilities"]) or "none"


def _is_are(numbers):
    return "is" if len(numbers) == 1 else "are"


def _it_them(numbers):
    return "it" if len(numbers) == 1 else "them"


def _capabilities(item):
    return "only " + " and ".join(item["capabilities"]) if item["capabilities"] else "no capability at all"


def _other(capability):
    return "sms" if capability == "voice" else "voice"
