# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: numbers on applications (sinch_app_numbers, and the assignments of sinch_number_rentals).

Sinch's only assigning call replaces an application's numbers of one capability, so every write here
is planned from two reads that must agree: the application's numbers and the rented numbers (which
show each number's application and capabilities). A number either read cannot read whole (its
capabilities, its application) could be dropped by the overwrite unseen: unknown is never "not on the
application", and the write is refused before it is sent. The overwrite's answer is compared with
everything the write should leave; an answer that leaves the outcome unknown is checked by one more
read, and only a write Sinch answered (an HTTP 5xx) is proven "not applied" by a read showing nothing
changed: a write whose answer never came may still be on its way.

The rented-numbers read is the only one that says which application a number is on, and the API
reference leaves ``applicationKey`` out for a number on no application, so a number listed without it
looks free whether it is or Sinch left the field out. Before a free-looking number is put on an
application, the numbers of every other application the organisation is known to use (the keys the
rented-numbers read shows) are read (``free_numbers_check``): a number one of them lists is not free.
An application that no listed number names cannot be read this way. Plain functions: client in, result
out.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import (
    InputError,
    NumbersError,
    PlanError,
    SinchError,
    UnreadableError,
)
from ansible_collections.sinch.numbers.plugins.module_utils._input import application_key as checked_key
from ansible_collections.sinch.numbers.plugins.module_utils._input import numbers_option
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED, NOT_APPLIED
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
from ansible_collections.sinch.numbers.plugins.module_utils._module import diff


def numbers_with(records, capability):
    """The set of numbers (ints) among records that have ``capability``."""
    return set(item["number"] for item in records if capability in (item["capabilities"] or []))


def words(numbers):
    """Numbers in a sentence: "+14150005550, +14150005551"; "none" when empty."""
    return ", ".join(_shapes.e164_list(numbers)) or "none"


def same_key(left, right):
    """Application keys compared as Sinch issues them (hex digits and dashes: case does not matter)."""
    return left is not None and right is not None and str(left).strip().lower() == str(right).strip().lower()


def read_numbers(client):
    """The organisation's rented numbers (a Listing), one request."""
    return _shapes.listing(client.list_numbers())


def read_application(client, application_key):
    """The application's numbers (a Listing), one request."""
    return _shapes.listing(client.list_application_numbers(application_key))


def known_application_keys(rented, skip_keys=()):
    """The application keys the rented-numbers Listing ``rented`` shows on its numbers, except ``skip_keys``.

    Keys compare as Sinch issues them (case does not matter); each appears once, as first listed, sorted.
    """
    skip = set(str(key).strip().lower() for key in skip_keys or () if key is not None)
    keys = {}
    for item in rented.records:
        key = item["application_key"]
        if key is not None and key.strip().lower() not in skip:
            keys.setdefault(key.strip().lower(), key)
    return [keys[lowered] for lowered in sorted(keys)]


def free_numbers_check(client, numbers, rented_listing, skip_keys=()):
    """Which of ``numbers`` another application lists, although they are about to be used as free numbers.

    ``numbers`` are ints the caller is about to put on an application because the rented-numbers Listing
    ``rented_listing`` shows them on no application. That read is the only one naming a number's application,
    and Sinch leaves ``applicationKey`` out for a free number, so a number whose key Sinch left out looks free.
    This reads the numbers of every application ``rented_listing`` shows on some number (the applications the
    organisation is known to use), except ``skip_keys`` (the target application: compare it with its own read),
    one request each, and none at all when ``numbers`` is empty.

    Returns a dict: number (int) -> the key of the application that lists it; empty when none does. An
    application no listed number names cannot be read, so a number on it still looks free (a limit of the API).
    Raises UnreadableError when a read lists an item without a readable number, or when an application key is
    not one Sinch issues (never sent in a path): it may list one of ``numbers``, and unknown is never "free".
    Raises PlanError chained to the SinchError when a read fails. Writes nothing.
    """
    wanted = set(int(number) for number in numbers or ())
    found = {}
    if not wanted:
        return found
    for key in known_application_keys(rented_listing, skip_keys):
        try:
            checked_key(key)
        except InputError:
            # Nothing but a key Sinch issues goes into a path: that application cannot be read, and may list them.
            raise UnreadableError(
                "Whether %s %s free cannot be told: the rented-numbers read shows %s on no application, and names an "
                "application by a key that is not one Sinch issues (not hex digits and dashes), so that application, "
                "which may list %s, cannot be read" % (words(wanted), _is_are(wanted), _it_them(wanted), _it_them(wanted)),
                hint="Check the organisation's applications in the Sinch dashboard.")
        try:
            listed = read_application(client, key)
        except SinchError as err:
            raise PlanError(
                "Whether %s %s free cannot be told: the rented-numbers read shows %s on no application, and the read of "
                "application %s (which the rented-numbers read names), to check that it does not list %s, failed (%s)"
                % (words(wanted), _is_are(wanted), _it_them(wanted), key, _it_them(wanted), err.answer()),
                hint=err.hint or "Run the task again later.") from err
        if listed.unidentified:
            raise UnreadableError(
                "Whether %s %s free cannot be told: the rented-numbers read shows %s on no application, and the read of "
                "application %s lists %s without a readable number, which may be %s"
                % (words(wanted), _is_are(wanted), _it_them(wanted), key, _count_items(listed.unidentified),
                   "it" if len(wanted) == 1 else "one of them"),
                hint="Run the task again later; if Sinch keeps answering so, check the application in the Sinch dashboard.")
        for item in listed.records:
            if item["number"] in wanted:
                found.setdefault(item["number"], key)
    return found


def disagreement(application_key, app, rented):
    """None when the application read and the rented-numbers read agree on the application, else the reasons.

    ``app`` and ``rented`` are Listings. They agree when both show the same numbers on the application
    with the same capabilities, every one of them readable, and the rented read names every number's
    application. The reasons are clauses of a sentence.
    """
    reasons = []
    unreadable = [item["number"] for item in app.records if item["capabilities"] is None]
    if unreadable or app.unidentified:
        reasons.append("the application read lists %s without readable capabilities or numbers (%s), so an overwrite "
                       "could drop them unseen" % (_count(len(unreadable) + app.unidentified), app.describe()))
    ownerless = [item["number"] for item in rented.records if "applicationKey" in rented.fields(item)]
    if ownerless or rented.unidentified:
        reasons.append("the rented-numbers read lists %s whose application cannot be read (%s), so whether they are on "
                       "the application cannot be told" % (_count(len(ownerless) + rented.unidentified),
                                                           rented.describe(ownerless)))
    on_app = dict((item["number"], item) for item in rented.records if same_key(item["application_key"], application_key))
    listed = dict((item["number"], item) for item in app.records)
    only_listed = sorted(set(listed) - set(on_app))
    if only_listed:
        reasons.append("the application read lists %s, which the rented-numbers read does not show on the application"
                       % words(only_listed))
    only_rented = sorted(set(on_app) - set(listed))
    if only_rented:
        reasons.append("the rented-numbers read shows %s on the application, which the application read does not list"
                       % words(only_rented))
    for number in sorted(set(listed) & set(on_app)):
        left, right = listed[number]["capabilities"], on_app[number]["capabilities"]
        if left is not None and left != right:
            reasons.append("the application read gives %s the capabilities %s, the rented-numbers read %s"
                           % (_shapes.e164(number), _capability_words(left), _capability_words(right)))
    return reasons or None


def _count(count):
    return "%d number%s" % (count, "" if count == 1 else "s")


def _count_items(count):
    return "%d item%s" % (count, "" if count == 1 else "s")


def cross_check(application_key, capability, app, rented):
    """PlanError (nothing written) unless the two reads agree; see ``disagreement``."""
    reasons = disagreement(application_key, app, rented)
    if reasons:
        raise PlanError(
            "Refused to set the %s numbers of application %s, nothing was written: its numbers cannot be told for sure, "
            "since %s" % (capability, application_key, "; ".join(reasons)),
            hint="Another writer may be changing the application's numbers, or Sinch answered incompletely: run the task "
                 "again, and if the reads still disagree, check the application in the Sinch dashboard.")


def refusals(application_key, capability, given, current, rented, force, organisation_id):
    """Sentences naming every given number that must not be assigned, grouped by reason.

    ``rented`` is the rented-numbers Listing. Numbers already on the application for ``capability``
    need no check: the write leaves them as they are.
    """
    by_number = dict((item["number"], item) for item in rented.records)
    not_rented, lacking, elsewhere, unknown = [], [], {}, []
    for number in given:
        if number in current:
            continue
        item = by_number.get(number)
        if item is None:
            if rented.unidentified:
                unknown.append(number)
            else:
                not_rented.append(number)
            continue
        fields = rented.fields(item)
        if item["capabilities"] is None or ("applicationKey" in fields and not force):
            unknown.append(number)
        elif capability not in item["capabilities"]:
            lacking.append(item)
        elif item["application_key"] is not None and not same_key(item["application_key"], application_key) and not force:
            elsewhere.setdefault(item["application_key"], []).append(number)
    problems = []
    if unknown:
        problems.append("Sinch lists %s unreadably (%s), so whether %s rented, free and with %s cannot be told"
                        % (words(unknown), rented.describe(unknown) or "items without a readable number", _is_are(unknown),
                           capability))
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


def needs_change(capability, given, purge, app):
    """True when the application read alone shows that a write may be needed (a converged run stops here)."""
    current = numbers_with(app.records, capability)
    if purge and (app.unidentified or any(item["capabilities"] is None for item in app.records)):
        return True  # it cannot know it is converged
    return (set(given) != current) if purge else not set(given) <= current


def plan(application_key, capability, given, purge, force, app, rented, organisation_id):
    """What the write must do: dict of current, wanted, added, removed (sets of ints) and moved.

    ``app`` and ``rented`` are Listings; ``moved`` lists ``{"number": e164, "from_application_key": key}``.
    Raises PlanError naming every refused number; nothing has been written then.
    """
    current = numbers_with(app.records, capability)
    problems = refusals(application_key, capability, given, current, rented, force, organisation_id)
    if problems:
        raise PlanError("Refused to change the %s numbers of application %s, nothing was written: %s"
                        % (capability, application_key, "; ".join(problems)))
    by_number = dict((item["number"], item) for item in rented.records)
    wanted = set(given) if purge else current | set(given)
    added = wanted - current
    moved = [
        {"number": _shapes.e164(number), "from_application_key": by_number[number]["application_key"]}
        for number in sorted(added)
        if number in by_number and by_number[number]["application_key"] is not None
        and not same_key(by_number[number]["application_key"], application_key)
    ]
    return {"current": current, "wanted": wanted, "added": added, "removed": current - wanted, "moved": moved}


def predicted_numbers(application_key, capability, wanted, app, rented):
    """The application's numbers (records, sorted) a real write would leave; also check mode's answer.

    Sinch takes every number of ``capability`` off the application, then assigns the wanted ones;
    numbers without that capability stay.
    """
    records = dict((item["number"], item) for item in rented.records)
    records.update((item["number"], item) for item in app.records)
    after = [item for item in app.records if capability not in (item["capabilities"] or [])]
    after.extend(dict(records[number], application_key=application_key) for number in wanted)
    return sorted(after, key=lambda item: item["number"])


def write(client, application_key, capability, change, app, predicted):
    """Send the whole wanted list in one overwrite and check what the application holds afterwards.

    Returns ``(numbers, warnings)``: the application's records after the write and the warnings to show.
    Sinch's answer is the read-back, compared whole with ``predicted`` (all capabilities: a number the
    overwrite dropped must never go unnoticed). When the answer leaves the outcome unknown (HTTP 5xx, an
    answer that is not JSON, no answer), the application is read again: the write counts as done when
    that read shows ``predicted``. A read showing what was there before proves "not applied" only when
    Sinch answered the one send (see ``answered``): after a lost answer the write may still be applied
    later, so the task fails with ``changed: true`` and the journal keeps the write unknown. Anything else,
    or a failed read, fails the task with ``changed: true`` (the journal says so).
    """
    wanted = sorted(change["wanted"])
    journal_write = None
    try:
        answer = _shapes.listing(client.set_application_numbers(application_key, capability, wanted))
        warnings = []
    except SinchError as err:
        journal_write = client.journal.find("overwrite", (application_key, capability))
        if not err.outcome_unknown:
            raise  # refused by Sinch (4xx) or never sent: nothing was applied
        answer = _read_after_unknown(client, application_key, capability, change, app, predicted, err, journal_write)
        warnings = ["Sinch answered the overwrite of the %s numbers of application %s with %s; the application read "
                    "right after shows the write applied." % (capability, application_key, _answer_words(err))]
    _check_found(application_key, capability, change, answer, predicted, "Sinch's answer to the overwrite lists")
    return answer.records, warnings


def _read_after_unknown(client, application_key, capability, change, app, predicted, err, journal_write):
    """The application's numbers after an overwrite whose outcome is unknown; raises unless it applied."""
    try:
        found = read_application(client, application_key)
    except SinchError as read_err:
        raise NumbersError(
            "The overwrite of the %s numbers of application %s (%s) %s, and the read to check whether it was applied "
            "failed too (%s)" % (capability, application_key, words(change["wanted"]), _outcome(err), read_err.answer()),
            hint="Check the application's numbers with sinch.numbers.sinch_number_info before running the task again.",
            changed=True, result={"written": _shapes.e164_list(change["wanted"])}) from err
    found_set = set(item["number"] for item in found.records)
    if found.whole and found_set == set(item["number"] for item in app.records):
        if not answered(err):
            # The read came before a write that may still be on its way: it proves nothing about it.
            raise NumbersError(
                "The overwrite of the %s numbers of application %s (%s) %s; the application read right after shows its "
                "numbers unchanged (%s), but a write whose answer never came may still reach Sinch and be applied later"
                % (capability, application_key, words(change["wanted"]), _outcome(err), words(found_set)),
                hint="Check the application's numbers with sinch.numbers.sinch_number_info (or in the Sinch dashboard) in "
                     "a few minutes, before running the task again.",
                changed=True, result={"written": _shapes.e164_list(change["wanted"]),
                                      "found": _shapes.e164_list(found_set)}) from err
        if journal_write is not None:
            journal_write.learned(NOT_APPLIED)
        raise NumbersError(
            "Could not set the %s numbers of application %s: %s; the application read right after shows its numbers "
            "unchanged (%s), so nothing was changed" % (capability, application_key, err.answer(), words(found_set)),
            hint=err.hint) from err
    if journal_write is not None and found.whole and found_set == set(item["number"] for item in predicted):
        journal_write.learned(APPLIED)
    if found_set != set(item["number"] for item in predicted) or not found.whole:
        _check_found(application_key, capability, change, found, predicted,
                     "Sinch answered the overwrite with %s; the application read right after lists" % _answer_words(err))
    return found


def _check_found(application_key, capability, change, found, predicted, source):
    """Fail (changed) when the application holds other numbers than the write should leave, or unreadable ones."""
    got = set(item["number"] for item in found.records)
    expected = set(item["number"] for item in predicted)
    if got == expected and not found.unidentified:
        return
    unreadable = " and %d it cannot read" % found.unidentified if found.unidentified else ""
    raise NumbersError(
        "%s the application's numbers %s%s instead of the expected %s (missing: %s; unexpected: %s)"
        % (source, words(got), unreadable, words(expected), words(expected - got), words(got - expected)),
        hint="Another writer may have changed the application's numbers between this task's read and its write. Check "
             "the application's numbers in the Sinch dashboard or with sinch.numbers.sinch_number_info, then run the task "
             "again: it reads them before writing.",
        changed=True,
        result={"numbers": found.records, "written": _shapes.e164_list(change["wanted"]), "found": _shapes.e164_list(got),
                "diff": diff(_shapes.e164_list(change["current"]), _shapes.e164_list(numbers_with(found.records, capability)),
                             _header(application_key, capability))})


def describe(application_key, capability, change, app, check_mode):
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
        both = [item["e164"] for item in app.records
                if item["number"] in change["removed"] and len(item["capabilities"] or []) > 1]
        if both:
            parts.append("%s %s %s too, so %s %s the application for %s as well"
                         % (", ".join(both), "has" if len(both) == 1 else "have", _other(capability),
                            "it" if len(both) == 1 else "they", verb("left", "would leave"), _other(capability)))
    parts.append("%s %d" % (verb("kept", "would keep"), len(change["current"] & change["wanted"])))
    return "; ".join(parts) + "."


def app_numbers(client, params, check_mode):
    """Make the application's numbers of ``capability`` hold (or, with purge, be) the given numbers.

    Requests: the application read. Without purge, when that read alone shows the given numbers there, it
    is the only one (1). Otherwise the rented numbers are read too, to vet the given numbers and to
    cross-check the application read (2): with purge always, since one read cannot prove that no other
    number is on the application (a read can omit one). When the write adds a number the rented-numbers
    read shows on no application, the numbers of each other application that read names are read (k more,
    see ``free_numbers_check``). Unless in check mode, one overwrite follows (plus one application read when
    its answer leaves the outcome unknown). A real run that writes holds the organisation's lock (see
    _lock) from the rented-numbers read to the overwrite; when it had to wait for another run, it reads the
    application again first. A run that writes nothing takes no lock.
    """
    application_key, capability, purge, force = (params["application_key"], params["capability"], params["purge"],
                                                 params["force"])
    given = numbers_option(params["numbers"])
    if not given and not purge:
        raise InputError("numbers is empty, so there is nothing to add to application %s. To take every %s number off "
                         "the application, set purge: true; to remove some numbers, use sinch.numbers.sinch_app_number_absent."
                         % (application_key, capability))
    app = read_application(client, application_key)
    if not needs_change(capability, given, purge, app):
        if not purge:
            change = plan(application_key, capability, given, purge, force, app, _shapes.Listing([], {}, 0, "number"), None)
            return _result(application_key, capability, change, app, app.records, check_mode)
        # With purge, "nothing else is on the application" needs the rented-numbers read to agree: the application
        # read may omit a number. Converged, nothing is written, so no lock is needed.
        return _change(client, params, given, app, check_mode)
    if check_mode:
        return _change(client, params, given, app, check_mode)
    with OrganisationLock(client.organisation_id, params.get("lock_timeout"), client.session.warnings.append,
                          params.get("lock_path")) as lock:
        if lock.waited:
            app = read_application(client, application_key)
        return _change(client, params, given, app, check_mode)


def _change(client, params, given, app, check_mode):
    application_key, capability = params["application_key"], params["capability"]
    # The last read before the overwrite: it also shows which numbers are on the application, so the window
    # for another writer is this one request (or the reads of the other applications, when a number looks free).
    rented = read_numbers(client)
    cross_check(application_key, capability, app, rented)
    change = plan(application_key, capability, given, params["purge"], params["force"], app, rented,
                  client.organisation_id)
    vet_free(client, application_key, capability, change, rented, params["force"])
    warnings = []
    if not (change["added"] or change["removed"]):
        after = app.records
    elif check_mode:
        after = predicted_numbers(application_key, capability, change["wanted"], app, rented)
    else:
        after, warnings = write(client, application_key, capability, change, app,
                                predicted_numbers(application_key, capability, change["wanted"], app, rented))
    client.session.warnings.extend(warnings)
    return _result(application_key, capability, change, app, after, check_mode)


def vet_free(client, application_key, capability, change, rented, force):
    """Check the numbers ``change`` adds that the rented-numbers read shows on no application (``free_numbers_check``).

    Without force, a number another application lists is refused (PlanError, nothing written), naming that
    application; with force, it is moved, and ``change["moved"]`` says from where. Costs nothing when the
    write adds no number that looks free. (A number whose application the rented-numbers read cannot read
    never gets here: ``cross_check`` refuses it first.)
    """
    by_number = dict((item["number"], item) for item in rented.records)
    looks_free = sorted(number for number in change["added"]
                        if number in by_number and by_number[number]["application_key"] is None)
    if not looks_free:
        return
    try:
        elsewhere = free_numbers_check(client, looks_free, rented, [application_key])
    except PlanError as err:
        raise type(err)("Refused to change the %s numbers of application %s, nothing was written: %s%s"
                        % (capability, application_key, err.message[:1].lower(), err.message[1:]), hint=err.hint) from err
    if elsewhere and not force:
        by_key = {}
        for number in sorted(elsewhere):
            by_key.setdefault(elsewhere[number], []).append(number)
        raise PlanError(
            "Refused to change the %s numbers of application %s, nothing was written: %s" % (
                capability, application_key, "; ".join(
                    "%s %s assigned to application %s, whose read lists %s although the rented-numbers read shows %s on "
                    "no application (use force: true to move %s from application %s)"
                    % (words(numbers), _is_are(numbers), key, _it_them(numbers), _it_them(numbers), _it_them(numbers), key)
                    for key, numbers in sorted(by_key.items()))),
            hint="Sinch's rented-numbers listing leaves out the application of %s, so %s looked free."
                 % (words(elsewhere), _it_them(elsewhere)))
    for number in sorted(elsewhere):
        change["moved"].append({"number": _shapes.e164(number), "from_application_key": elsewhere[number]})
    change["moved"].sort(key=lambda move: int(move["number"][1:]))


def _result(application_key, capability, change, app, after, check_mode):
    return {
        "changed": bool(change["added"] or change["removed"]),
        "msg": describe(application_key, capability, change, app, check_mode),
        "numbers": after,
        "added": _shapes.e164_list(change["added"]),
        "removed": _shapes.e164_list(change["removed"]),
        "moved": change["moved"],
        "diff": diff(_shapes.e164_list(change["current"]), _shapes.e164_list(numbers_with(after, capability)),
                     _header(application_key, capability)),
    }


def _header(application_key, capability):
    return "%s numbers of application %s" % (capability, application_key)


def answered(err):
    """True when Sinch answered the write (an HTTP status), so that a read right after it speaks for it.

    A write whose answer never came (a timeout, a dropped connection) may still be on its way and be applied
    after any read: a read showing nothing changed then proves nothing. The transport does not say how each
    of several sends ended (it repeats a write after a lost answer too), so a write sent more than once never
    counts as answered: one of its earlier sends may be the one still on its way.
    """
    return err.status is not None and getattr(err, "attempts", 1) <= 1


def _outcome(err):
    sends = " (sent %d times)" % err.attempts if getattr(err, "attempts", 1) > 1 else ""
    if err.status is None:
        return "got no answer (%s)%s" % (err.message.rstrip("."), sends)
    return "was answered HTTP %s%s" % (err.status, sends)


def _answer_words(err):
    """How Sinch answered a write whose outcome is unknown, in words."""
    if err.status is not None:
        return "HTTP %s" % err.status
    return "no usable answer (%s)" % err.message.rstrip(".")


def _capability_words(capabilities):
    return " and ".join(capabilities or []) or "none"


def _is_are(numbers):
    return "is" if len(numbers) == 1 else "are"


def _it_them(numbers):
    return "it" if len(numbers) == 1 else "them"


def _capabilities(item):
    return "only " + " and ".join(item["capabilities"]) if item["capabilities"] else "no capability at all"


def _other(capability):
    return "sms" if capability == "voice" else "voice"
