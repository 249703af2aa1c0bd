# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the journal of what a task wrote, the memory of the one failure carrier.

The client records every write request in the task's journal as it sends it (a checkout, an overwrite
of an application's numbers, a removal), keyed by what it writes, before the answer arrives: a write
whose answer never comes is already "may have been applied". The renting and assigning logic then
records what reads proved (the numbers a checkout bought, a write that a read shows applied or not).

When a task fails, whatever raised (a ``NumbersError``, or a ``KeyError`` from a bug), the runner asks
the journal: ``changed`` is True when anything was or may have been written, and ``words()`` says what,
so no failure after a write can report ``changed: false`` or "nothing was written". Reservations are
kept apart: they cost nothing and expire on their own, so they are not a change, but a failure names
those still held.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils import _money
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError

APPLIED = "applied"
UNKNOWN = "unknown"
NOT_APPLIED = "not applied"
NO_CANCEL = "they expire on their own, since Sinch offers no way to cancel a reservation"


def e164(number):
    return "+%d" % int(number)


def numbers_words(numbers):
    return ", ".join(e164(number) for number in sorted(numbers)) or "none"


class Write(object):
    """One thing written (or maybe written): a checkout of one reservation, an overwrite, a removal."""

    def __init__(self, kind, key, details):
        self.kind = kind
        self.key = key
        self.details = dict(details)
        self.status = None
        self.sends = 0

    def sending(self):
        self.sends += 1
        if self.status != APPLIED:
            # Until an answer says otherwise, a write on its way may be applied.
            self.status = UNKNOWN if self.sends > 1 or self.status == UNKNOWN else "sending"

    def answered(self, err=None):
        """Settle the status from the answer of the last send (None: a plain success)."""
        if err is None:
            self.status = APPLIED
        elif self.status == APPLIED:
            pass
        elif getattr(err, "definite", False) and self.sends == 1 and getattr(err, "attempts", 1) == 1:
            self.status = NOT_APPLIED
        else:
            # A lost or 5xx answer, or a refusal of a repeat whose first send's fate is open.
            self.status = UNKNOWN

    def learned(self, status, **details):
        """What a read proved (applied or not) and what it showed (the numbers bought)."""
        self.status = status
        self.details.update(details)

    @property
    def changed(self):
        return self.status in (APPLIED, UNKNOWN, "sending")

    def words(self):
        maybe = self.status != APPLIED
        details = self.details
        if self.kind == "checkout":
            quantity = details.get("quantity")
            what = _money.plural(quantity, "number") if quantity else "numbers"
            if details.get("group_id") is not None:
                what += " of group %s" % details["group_id"]
            numbers = details.get("numbers") or []
            if numbers and not maybe:
                shown = " (%s%s)" % (numbers_words(numbers), "" if not quantity or len(numbers) >= quantity
                                     else "; %d not listed by Sinch yet" % (quantity - len(numbers)))
            elif not maybe:
                shown = " (not listed by Sinch yet)"
            else:
                shown = ""
            cost = ""
            if quantity and "unit_cost" in details:
                unit = details["unit_cost"]
                cost = " for %s a month" % _money.words(None if unit is None else unit * quantity, details.get("currency_id"))
            verb = "may have bought" if maybe else "bought"
            return "%s %s%s%s (reservation %s)" % (verb, what, shown, cost, self.key[1])
        if self.kind == "overwrite":
            verb = "may have set" if maybe else "set"
            return "%s the %s numbers of application %s to %s" % (
                verb, details["capability"], details["application_key"], numbers_words(details.get("numbers") or []))
        if self.kind == "unassign":
            verb = "may have taken" if maybe else "took"
            return "%s %s off application %s" % (verb, e164(details["number"]), details["application_key"])
        return "%s %s" % ("may have sent" if maybe else "sent", self.kind)

    def to_result(self):
        result = {"kind": self.kind, "status": self.status if self.status != "sending" else UNKNOWN}
        if self.kind == "checkout":
            result["reference_id"] = self.key[1]
        for key, value in sorted(self.details.items()):
            if key == "unit_cost":
                result["unit_cost"] = _money.money(value, self.details.get("currency_id"))
            elif key == "numbers":
                result["numbers"] = [e164(number) for number in sorted(value)]
            elif key == "number":
                result["number"] = e164(value)
            elif key != "currency_id":
                result[key] = value
        return result


class Journal(object):
    """Every write of one task, in the order first sent, and the reservations it holds.

    ``partial`` may be set by the module's logic to a function returning its result so far (what the
    rentals bought and assigned, in the module's own return values); the runner calls it when the task
    fails, so even a bug's traceback comes with the module's account of what was written.
    """

    def __init__(self):
        self.writes = []
        self._by_key = {}
        self.held = []
        self.partial = None

    def sending(self, kind, key, **details):
        """Record a write about to be sent (again, when ``key`` was sent before); returns its Write."""
        full_key = (kind, key)
        write = self._by_key.get(full_key)
        if write is None:
            write = Write(kind, full_key, details)
            self._by_key[full_key] = write
            self.writes.append(write)
        else:
            write.details.update(details)
        write.sending()
        return write

    def send(self, kind, key, details, send):
        """Send a write with ``send()``: recorded before it leaves, settled by its answer (or its SinchError)."""
        write = self.sending(kind, key, **details)
        try:
            answer = send()
        except SinchError as err:
            write.answered(err)
            raise
        write.answered(None)
        return answer

    def find(self, kind, key):
        return self._by_key.get((kind, key))

    def reserved(self, reference_id, group_id, quantity):
        self.held.append({"reference_id": reference_id, "group_id": group_id, "quantity": quantity})

    def released(self, reference_id):
        """A reservation no longer held: checked out, or found expired."""
        self.held = [item for item in self.held if item["reference_id"] != reference_id]

    @property
    def changed(self):
        return any(write.changed for write in self.writes)

    def words(self):
        """A sentence saying what this task wrote, or may have written, and which reservations it holds; '' if none."""
        parts = [write.words() for write in self.writes if write.changed]
        text = ""
        if parts:
            text = "Before it failed, this task %s." % "; ".join(parts)
        if self.held:
            held = "Reservation%s %s %s held (%s)." % (
                "" if len(self.held) == 1 else "s", ", ".join(item["reference_id"] for item in self.held),
                "is" if len(self.held) == 1 else "are", NO_CANCEL)
            text = (text + " " + held).strip()
        return text

    def to_result(self):
        return {"writes": [write.to_result() for write in self.writes if write.changed]}
