# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: what changed between two readings of the rented numbers (the number_events source).

``detect(before, listing, ...)`` is a pure function: the view the source held after its last read
(None on the first poll), the new listing (``_shapes.Listing``), the time and the options give the
events to put and the view to keep. Unknown is never "no": a field Sinch lists unreadably keeps its
last known value and decides nothing, so a listing with unreadable records never says a number is
``gone`` or ``unassigned`` because of what it could not read.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._filters import parse_expires

# Event types, in the order they are put for one reading.
EVENT_TYPES = ("snapshot", "rented", "gone", "assigned", "unassigned", "moved", "expiring")
# Events that mean an application lost a number, or a number is about to end: what the rulebook repairs.
REPAIR_TYPES = ("gone", "unassigned", "moved", "expiring")

# Record keys that keep their last known value when Sinch lists them unreadably, and their API field names.
_CARRIED = (("group_id", "groupId"), ("capabilities", "capabilities"), ("application_key", "applicationKey"),
            ("country_id", "countryId"), ("city", "city"), ("area_code", "areaCode"), ("cost", "cost"))


class View(object):
    """What the source knows after a reading: every number's record, and the expiry warnings already given.

    ``records`` maps a number (int) to its record, each field the last value read (``unreadable`` maps a
    number to the API fields the last listing could not read, ``unknown`` to those never read since the
    number was first listed); ``warned`` holds (number, expires, threshold) of the ``expiring`` events put,
    so that each is put once; ``identified`` says the last listing had no item without a readable number
    (a number first seen after such a listing may not be new).
    """

    def __init__(self, records=None, unreadable=None, unknown=None, warned=None, identified=True):
        self.records = dict(records or {})
        self.unreadable = dict(unreadable or {})
        self.unknown = dict(unknown or {})
        self.warned = set(warned or ())
        self.identified = identified


class Watch(object):
    """What the source watches: every number, or those of some applications and / or of a selection.

    ``application_keys`` (a list) keeps events about numbers on (or taken off) those applications;
    ``selector`` (an ``_input.Selector``, or None) keeps numbers it matches for sure (unknown is not "yes").
    """

    def __init__(self, application_keys=None, selector=None):
        self.application_keys = set(application_keys or ())
        self.selector = selector

    def selects(self, record):
        if self.selector is not None and self.selector.match(record) is not True:
            return False
        return True

    def concerns(self, event):
        if not self.application_keys:
            return True
        return bool(set((event.get("application_key"), event.get("previous_application_key"))) & self.application_keys)


def listing(raw_items):
    """The rented numbers of an answer (``_shapes.listing``), a number listed twice with different values counted as
    listed unreadably in those fields: which one holds is unknown, and the order Sinch lists them in must not decide
    a ``moved`` (or anything) at every reading."""
    read = _shapes.listing(raw_items)
    seen, conflicts = {}, {}
    for raw in raw_items or []:
        try:
            record, _fields = _shapes.number(raw)
        except ValueError:
            continue
        first = seen.setdefault(record["number"], record)
        differ = frozenset(field for key, field in _CARRIED if first.get(key) != record.get(key))
        if differ:
            conflicts[record["number"]] = conflicts.get(record["number"], frozenset()) | differ
    for number, fields in conflicts.items():
        read.unreadable[number] = read.unreadable.get(number, frozenset()) | fields
    return read


def known(previous, record, unreadable, unknown=()):
    """``record`` with each field Sinch listed unreadably taken from the previous record of the number.

    None when there is no previous record or the field was never read (``unknown``, API field names).
    """
    merged = dict(record)
    for key, field in _CARRIED:
        if field in unreadable:
            merged[key] = previous.get(key) if previous and field not in unknown else None
    if parse_expires(record.get("expires")) is None and previous:
        merged["expires"] = previous.get("expires")
    return merged


def number_event(kind, record, unreadable=(), organisation_id=None, previous_application_key=None, **extra):
    """One event about a number: E.164, group, capabilities, application, monthly cost (money shape), expiry.

    ``unreadable`` names the API fields the last listing could not read on it (their values are the last known).
    """
    cost = record.get("cost") or {}
    event = {
        "type": kind,
        "number": record.get("e164"),
        "group_id": record.get("group_id"),
        "capabilities": record.get("capabilities"),
        "application_key": record.get("application_key"),
        "previous_application_key": previous_application_key,
        "country_id": record.get("country_id"),
        "city": record.get("city"),
        "area_code": record.get("area_code"),
        "expires": record.get("expires"),
        "monthly_cost": {"amount": cost.get("amount"), "currency_id": cost.get("currency_id")},
        "unreadable": sorted(unreadable),
        "organisation_id": organisation_id,
    }
    event.update(extra)
    return event


def _expiring(number, record, unreadable, now, thresholds, warned, organisation_id):
    """The ``expiring`` event of a number, once per (number, expiry, smallest threshold crossed); None otherwise.

    Every threshold the number has crossed is marked, so that a number first seen 3 days before its end
    warns once (at the smallest threshold), not once per larger threshold.
    """
    expires = parse_expires(record.get("expires"))
    if expires is None or not thresholds:
        return None
    left = expires - now
    crossed = [days for days in thresholds if left <= datetime.timedelta(days=days)]
    if not crossed:
        return None
    smallest = min(crossed)
    # Keyed by the moment, not its text: the same expiry written another way ("Z", "+00:00") warns no more.
    moment = expires.isoformat()
    if (number, moment, smallest) in warned:
        return None
    for days in crossed:
        warned.add((number, moment, days))
    return number_event("expiring", record, unreadable, organisation_id, expiry_warning_days=smallest,
                        days_left=int(left.total_seconds() // 86400))


def detect(before, listing, now=None, thresholds=(), watch=None, organisation_id=None):
    """(events, the view to keep) after reading ``listing``; ``before`` is the view of the last reading, None at first.

    - First reading: one ``snapshot`` event (the watched numbers), then ``expiring`` events.
    - Then, per number: ``rented`` (not listed before; only when the last listing had no item without
      a readable number, which might have been it), ``gone`` (listed before, not now; only when this listing
      is read whole), ``assigned`` / ``unassigned`` / ``moved`` (its application changed, only when both
      listings could read it; a listing not read whole never takes a number off its application), and
      ``expiring`` (within a threshold of ``thresholds``, days).
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    watch = watch or Watch()
    thresholds = sorted(set(thresholds or ()))
    previous = before.records if before is not None else {}
    records, unreadable, unknown = {}, {}, {}
    whole = listing.whole
    for record in listing.records:
        number = record["number"]
        fields = listing.fields(record)
        old = previous.get(number)
        if not whole and old is not None and old.get("application_key") and not record.get("application_key"):
            # No applicationKey means "on no application", but a listing that cannot be read whole may have
            # dropped it: the number keeps its application until a whole listing says otherwise.
            fields = fields | frozenset(["applicationKey"])
        never = before.unknown.get(number, frozenset()) if old is not None else frozenset(fields)
        records[number] = known(old, record, fields, never)
        if fields:
            unreadable[number] = fields
        if never & fields:
            unknown[number] = frozenset(never & fields)
    warned = set(before.warned) if before is not None else set()
    events = []
    if before is None:
        watched = [number_event("number", records[number], unreadable.get(number, ()))
                   for number in sorted(records) if watch.selects(records[number])]
        watched = [item for item in watched if not watch.application_keys or item["application_key"] in watch.application_keys]
        for item in watched:
            for key in ("type", "previous_application_key", "organisation_id"):
                item.pop(key)
        events.append({"type": "snapshot", "organisation_id": organisation_id, "numbers": watched,
                       "count": len(watched), "unreadable_count": len(unreadable) + listing.unidentified})
    else:
        events.extend(_changes(before, records, unreadable, whole, organisation_id))
    if not whole:
        # Unknown is not "gone": a number listed before and not now stays, as it was last read.
        for number, record in previous.items():
            if number not in records:
                records[number] = record
                unreadable[number] = before.unreadable.get(number, frozenset())
                unknown[number] = before.unknown.get(number, frozenset())
    for number in sorted(records):
        event = _expiring(number, records[number], unreadable.get(number, ()), now, thresholds, warned, organisation_id)
        if event is not None:
            events.append(event)
    # Warnings of numbers no longer held are forgotten.
    warned = set(key for key in warned if key[0] in records)
    events = [event for event in events if event["type"] == "snapshot"
              or (watch.concerns(event) and watch.selects(records.get(_number_of(event)) or _record_of(event)))]
    return events, View(records, unreadable, unknown, warned, not listing.unidentified)


def _number_of(event):
    return int(event["number"][1:])


def _record_of(event):
    """The record a ``gone`` event speaks of (no longer in the view), for the selector."""
    record = dict(event)
    record["cost"] = event["monthly_cost"]
    return record


def _changes(before, records, unreadable, whole, organisation_id):
    """The events of every number between two readings (see ``detect``)."""
    events = []
    for number in sorted(set(records) | set(before.records)):
        old, new = before.records.get(number), records.get(number)
        fields = unreadable.get(number, frozenset())
        if old is None:
            if before.identified:
                events.append(number_event("rented", new, fields, organisation_id))
        elif new is None:
            if whole:
                events.append(number_event("gone", dict(old, application_key=None), before.unreadable.get(number, ()),
                                           organisation_id, previous_application_key=old.get("application_key")))
        elif "applicationKey" not in fields and "applicationKey" not in before.unknown.get(number, ()):
            # Compared with the last key read (kept while Sinch listed it unreadably), never with an unknown one.
            was, now = old.get("application_key"), new.get("application_key")
            if was == now:
                continue
            kind = "assigned" if was is None else "unassigned" if now is None else "moved"
            events.append(number_event(kind, new, fields, organisation_id, previous_application_key=was))
    return events


def confirm_unassigned(events, view, application_numbers):
    """The events without the ``unassigned`` ones an application read does not confirm; ``view`` is kept in step.

    Sinch leaves ``applicationKey`` out for a number on no application, so a listing that drops the key of an
    assigned number reads as that number taken off: as ``sinch_app_numbers`` does before a write, the application
    the number left is read (``application_numbers(key)``: the numbers it lists, as ints; a NumbersError when it
    cannot say). A number it still lists, or a read that fails, keeps the number on its application (unknown is
    not "no"), and the next whole listing is compared with that again.
    """
    from ansible_collections.sinch.numbers.plugins.module_utils._errors import NumbersError
    kept, listed = [], {}
    for event in events:
        if event["type"] != "unassigned":
            kept.append(event)
            continue
        key = event["previous_application_key"]
        if key not in listed:
            try:
                listed[key] = set(application_numbers(key))
            except NumbersError:
                listed[key] = None
        number = int(event["number"][1:])
        if listed[key] is not None and number not in listed[key]:
            kept.append(event)
        elif number in view.records:
            view.records[number] = dict(view.records[number], application_key=key)
    return kept
