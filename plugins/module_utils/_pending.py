# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: purchases a run could not see in the listing, remembered until they are resolved.

A run may end with a purchase it cannot see: a checkout whose outcome is unknown (no usable answer,
also when sent again, and no read lists its numbers), or a successful checkout whose numbers the
listing does not show yet. An immediate re-run would read the same listing and buy the same numbers
again. So the run records such a purchase next to the organisation's lock
(``sinch-numbers-<organisation id>.pending.json``, a private file, see _lock): the reservation, its
group and quantity, what the numbers are for, when it was reserved, and the numbers of that group
held before.

The next run on the machine, holding the lock, resolves each record before it plans:

- its numbers show in the listing (numbers of its group not held before): bought, done;
- its outcome is unknown and the reservation may still be alive (``RESERVATION_LIFETIME`` after it was
  made): the same checkout is sent again; success means bought now, once (a reservation is bought at
  most once); another answer leaves it pending;
- the reservation's lifetime plus ``LISTING_GRACE`` has passed and the listing never showed its
  numbers: not bought (a bought number shows by then, and the reservation can no longer be bought).

Until then the run counts its numbers as held: it never buys what the purchase may have covered, and
it fails saying why (check mode warns). ``pending_purchase: forget`` drops the records by hand. Sinch
documents neither how long a reservation lives nor how far the listing may lag: both bounds below are
this collection's assumptions, deliberately generous.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import os
import time

from ansible_collections.sinch.numbers.plugins.module_utils import _money
from ansible_collections.sinch.numbers.plugins.module_utils._errors import LockError, SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._lock import DEFAULT_DIRECTORY, read_private, write_private
from ansible_collections.sinch.numbers.plugins.module_utils._planner import NewNumber, group_text

VERSION = 1
# The longest a reservation is assumed to live (Sinch does not document it; 15 minutes has been seen).
RESERVATION_LIFETIME = 1800.0
# The longest the rented-numbers listing is assumed to lag behind a checkout.
LISTING_GRACE = 1800.0
WHAT = "pending purchase record"
# Resolutions.
LISTED, BOUGHT_NOW, NOT_BOUGHT, FORGOTTEN, LAPSED = "listed", "bought now", "not bought", "forgotten", "lapsed"
GROUP_KEYS = ("group_id", "country_id", "city", "area_code", "capabilities", "cost", "country", "type")


def _problem(err):
    if isinstance(err, KeyError):
        return "it lacks %s" % err
    return "it is not a record of this collection: %s" % err


def record_path(organisation_id, directory=None):
    return os.path.join(directory or DEFAULT_DIRECTORY, "sinch-numbers-%d.pending.json" % int(organisation_id))


def iso(moment):
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).replace(microsecond=0).isoformat().replace(
        "+00:00", "Z")


class Entry(object):
    """One reservation whose purchase was not seen: unknown (maybe bought) or bought (not listed yet)."""

    def __init__(self, data):
        self.reference_id = data["reference_id"]
        self.group = dict(data["group"])
        self.quantity = int(data["quantity"])
        self.owners = list(data.get("owners") or [None] * self.quantity)
        self.status = data.get("status", "unknown")
        self.reserved_at = float(data["reserved_at"])
        self.recorded_at = float(data.get("recorded_at", self.reserved_at))
        self.known_numbers = set(int(number) for number in data.get("known_numbers") or [])
        self.listed = []

    @classmethod
    def of_line(cls, state, known, owners, now):
        """A record of a purchase line (see _purchase.LineState) left unlisted."""
        group = dict((key, state.line.group.get(key)) for key in GROUP_KEYS)
        return cls({"reference_id": state.reservation, "group": group, "quantity": state.quantity,
                    "owners": owners, "status": "bought" if state.status == "bought" else "unknown",
                    "reserved_at": state.reserved_at, "recorded_at": now, "known_numbers": sorted(known)})

    def to_json(self):
        return {"reference_id": self.reference_id, "group": self.group, "quantity": self.quantity, "owners": self.owners,
                "status": self.status, "reserved_at": self.reserved_at, "recorded_at": self.recorded_at,
                "known_numbers": sorted(self.known_numbers)}

    @property
    def group_id(self):
        return int(self.group["group_id"])

    @property
    def resend_until(self):
        return self.reserved_at + RESERVATION_LIFETIME

    @property
    def settles_at(self):
        return self.reserved_at + RESERVATION_LIFETIME + LISTING_GRACE

    def unit_cost(self):
        return _money.amount_of((self.group.get("cost") or {}).get("amount"))

    def describe(self):
        unit = self.unit_cost()
        cost = _money.words(None if unit is None else unit * self.quantity, (self.group.get("cost") or {}).get("currency_id"))
        what = "may have bought" if self.status != "bought" else "bought"
        return ("reservation %s, checked out at %s (it %s %s of %s for %s a month)"
                % (self.reference_id, iso(self.recorded_at), what, _money.plural(self.quantity, "number"),
                   group_text(self.group), cost))

    def units(self):
        """The numbers still unseen, as NewNumbers marked pending (they count as held)."""
        left = self.quantity - len(self.listed)
        owners = (self.owners + [None] * self.quantity)[len(self.listed):len(self.listed) + left]
        return [NewNumber("pending-%s-%d" % (self.reference_id, index), self.group, None, owner, pending=True)
                for index, owner in enumerate(owners)]

    def to_result(self):
        cost = self.group.get("cost") or {}
        return {"reference_id": self.reference_id, "group_id": self.group_id, "quantity": self.quantity,
                "unlisted": self.quantity - len(self.listed),
                "unit_cost": _money.money(self.unit_cost(), cost.get("currency_id")),
                "status": "bought, not listed yet" if self.status == "bought" else "outcome unknown",
                "application_keys": sorted(set(owner for owner in self.owners if owner)),
                "checked_out_at": iso(self.recorded_at), "resolved_by": iso(self.settles_at)}


class Pending(object):
    """The organisation's pending purchases on this machine, and what resolving them found."""

    def __init__(self, organisation_id, directory=None, clock=None):
        self.path = record_path(organisation_id, directory)
        self.clock = clock or time.time
        self.entries = []
        self.resolved = []   # (entry, how)
        self.loaded = 0

    def load(self):
        """Read the record; LockError (one sentence, what to do) when it is not one this collection wrote."""
        document = read_private(self.path, WHAT)
        if document:
            try:
                if document.get("version") != VERSION:
                    raise ValueError("version %r" % (document.get("version"),))
                self.entries = [Entry(item) for item in document["purchases"]]
            except (AttributeError, KeyError, TypeError, ValueError) as err:
                raise LockError(
                    "The %s %s cannot be read (%s); nothing was read or written." % (WHAT, self.path, _problem(err)),
                    hint="Check the rented numbers (sinch.numbers.sinch_number_info) or the Sinch dashboard, then run "
                         "with pending_purchase: forget, which removes it.")
        self.loaded = len(self.entries)
        return self

    def discard(self, check_mode=False):
        """pending_purchase: forget. Drop every record, readable or not (what could be read is said); a file of
        another user is refused. In check mode nothing is removed."""
        try:
            self.load()
        except LockError:
            self.resolved.append((None, FORGOTTEN))
        self.forget()
        if check_mode:
            return self
        try:
            info = os.lstat(self.path)
        except OSError:
            return self
        if info.st_uid != os.geteuid():
            raise LockError("The %s %s belongs to another user; it was not removed, and nothing was read or written."
                            % (WHAT, self.path), hint="Run as that user, or set lock_path to a directory of your own.")
        os.unlink(self.path)
        self.loaded = 0
        return self

    def save(self):
        document = None
        if self.entries:
            document = {"version": VERSION, "purchases": [entry.to_json() for entry in self.entries]}
        if document is None and not self.loaded and not os.path.lexists(self.path):
            return
        write_private(self.path, document, WHAT)

    def forget(self):
        for entry in self.entries:
            self.resolved.append((entry, FORGOTTEN))
        self.entries = []

    def add(self, entries):
        self.entries.extend(entries)

    def units(self):
        return [unit for entry in self.entries for unit in entry.units()]

    def see(self, listing):
        """Resolve by the listing alone: entries whose numbers show are done, those past their time are not bought."""
        now = self.clock()
        left = []
        claimed = set()  # a number shown counts for one entry only (two entries may be of one group)
        for entry in self.entries:
            arrived = [item["number"] for item in listing.records if item["group_id"] == entry.group_id
                       and item["number"] not in entry.known_numbers and item["number"] not in claimed]
            entry.listed = arrived[:entry.quantity]
            claimed.update(entry.listed)
            if len(entry.listed) >= entry.quantity:
                self.resolved.append((entry, LISTED))
            elif now >= entry.settles_at:
                self.resolved.append((entry, NOT_BOUGHT if entry.status != "bought" and not entry.listed else LAPSED))
            else:
                if entry.listed:
                    entry.status = "bought"
                left.append(entry)
        self.entries = left

    def resendable(self):
        """The unknown entries whose reservation may still be alive: a real run sends their checkout again."""
        now = self.clock()
        return [entry for entry in self.entries if entry.status != "bought" and now < entry.resend_until]

    def resend(self, client):
        """Send again the checkout of each unknown entry whose reservation may still be alive; True when one succeeded."""
        bought = False
        for entry in self.resendable():
            if entry.status == "bought":
                continue
            try:
                client.checkout(entry.reference_id, group_id=entry.group_id, quantity=entry.quantity,
                                unit_cost=entry.unit_cost(), currency_id=(entry.group.get("cost") or {}).get("currency_id"))
            except SinchError:
                continue  # consumed or expired, or no usable answer: still pending, until its time
            entry.status = "bought"
            self.resolved.append((entry, BOUGHT_NOW))
            bought = True
        return bought

    def words(self):
        """The sentence for a run that meets unresolved purchases."""
        return ("%s on this machine %s not seen in the rented numbers yet: %s" % (
            _money.plural(len(self.entries), "earlier purchase"), "was" if len(self.entries) == 1 else "were",
            "; ".join(entry.describe() for entry in self.entries)))

    def hint(self, recorded=0):
        """What to do about unresolved purchases; ``recorded``: how many this run has just recorded."""
        until = max(entry.settles_at for entry in self.entries) if self.entries else self.clock()
        one = (recorded or len(self.entries)) == 1
        if recorded:
            them = "it" if one else "them"
            first = ("This machine keeps %s as %s (record %s): a re-run here will not buy %s again, and checks %s "
                     "first: " % (them, "a pending purchase" if one else "pending purchases", self.path, them, them))
        else:
            first = ("%s counted as held, so nothing was bought for %s again. A run here checks %s first: "
                     % ("Its numbers were" if one else "Their numbers were", "them", "it" if one else "them"))
        kinds = set(entry.status for entry in self.entries)
        if kinds == set(["bought"]):
            end = "no longer waited for"
        elif "bought" in kinds:
            end = "no longer waited for (those Sinch accepted) or taken as not bought (the others)"
        else:
            end = "taken as not bought"
        return (first + "%s done once Sinch lists %s numbers or a checkout of %s reservation sent again succeeds, and "
                "%s after %s if Sinch never lists them. Check the rented numbers (sinch.numbers.sinch_number_info) or "
                "the Sinch dashboard; if you are sure nothing was bought, run with pending_purchase: forget."
                % ("it is" if one else "each is", "its", "its", end, iso(until)))

    def resolved_words(self):
        parts = []
        for entry, how in self.resolved:
            if how == LISTED:
                parts.append("the earlier purchase of reservation %s is now listed" % entry.reference_id)
            elif how == BOUGHT_NOW:
                parts.append("the earlier checkout of reservation %s was sent again and bought it now" % entry.reference_id)
            elif how == NOT_BOUGHT:
                parts.append("the earlier checkout of reservation %s was not bought (Sinch never listed its numbers by "
                             "%s)" % (entry.reference_id, iso(entry.settles_at)))
            elif how == LAPSED:
                parts.append("the earlier purchase of reservation %s is no longer waited for (Sinch lists its numbers by "
                             "%s, or they cannot be recognised)" % (entry.reference_id, iso(entry.settles_at)))
            elif entry is None:
                parts.append("the pending purchase record, which could not be read, was removed as asked")
            else:
                parts.append("the pending purchase of reservation %s was forgotten as asked" % entry.reference_id)
        return parts

    def to_result(self):
        return [entry.to_result() for entry in self.entries]
