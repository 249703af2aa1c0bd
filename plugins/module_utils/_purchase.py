# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: buying plan lines, one checkout per reservation, never paying twice.

Every line of a plan (so many numbers of one group) is reserved first (all of them, before anything is
bought: a reserve that fails then costs nothing), then each reservation is checked out in a request of
its own, so that every answer speaks for exactly one reservation:

- success (204): bought;
- 40400: the reservation is gone, consumed or expired. This run made it and sent its checkout once, so
  it most likely expired, but a gateway that replays a request could have consumed it: the rented
  numbers are read (with backoff while they may lag) before anything is reserved again; when no read
  shows its numbers, what the line still misses is recomputed from those reads and only that is
  reserved again (at most ``renewals`` rounds), in the same run;
- another definite refusal (40200 not enough credit, 42200 no accounting, ...): nothing more is bought;
  the lines checked out before it stay bought and are said (a read still checks that the refused one
  was not applied after all);
- no usable answer (lost, 5xx, not JSON): unknown. A reservation is bought at most once (a checkout of
  a reservation already checked out is refused, as an expired one is), so the same checkout is sent
  again (``resend_delays``): success is bought now, once; any other answer leaves it to the reads.

Then the rented numbers are read: the numbers not held before are given to the lines of their group.
A line whose checkout succeeded but whose numbers no read lists yet, or whose outcome is unknown and
whose numbers no read lists, is read for again (``settle_delays``), then left pending: the caller
records it (_pending) so that no later run on this machine buys it again before it is resolved.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sinch.numbers.plugins.module_utils import _money
from ansible_collections.sinch.numbers.plugins.module_utils._errors import PurchaseError, SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED
from ansible_collections.sinch.numbers.plugins.module_utils._planner import group_text

RESERVATION_GONE = 40400
NOT_ENOUGH_CREDIT = 40200
NO_ACCOUNTING = 42200
# Waits (seconds) between the reads that look for bought numbers a lagging read does not list yet.
SETTLE_DELAYS = (0.5, 1.0, 2.0, 4.0)
# Waits before sending again the checkout of a reservation whose answer was lost or a 5xx.
RESEND_DELAYS = (1.0, 2.0)
RENEWALS = 2

PLANNED, RESERVED, BOUGHT, UNKNOWN, GONE, EXPIRED, REFUSED = (
    "planned", "reserved", "bought", "unknown", "gone", "expired", "refused")


class LineState(object):
    """One plan line during a purchase: its reservation, what its checkout answered, the numbers it got."""

    def __init__(self, line):
        self.line = line
        self.reservation = None     # the referenceId of its live reservation
        self.references = []        # every reservation made for it
        self.reserved_at = None     # clock() when the live reservation was made
        self.quantity = line.quantity  # what the live reservation holds
        self.status = PLANNED
        self.numbers = []           # records (ints) attributed to this line
        self.answer = None          # the last checkout failure, for messages

    @property
    def group_id(self):
        return self.line.group_id

    @property
    def missing(self):
        return self.line.quantity - len(self.numbers)

    def cost(self, count=None):
        count = self.line.quantity if count is None else count
        return None if self.line.unit_cost is None else self.line.unit_cost * count

    def describe(self):
        return "%s of %s, %s a month" % (_money.plural(self.quantity, "number"), group_text(self.line.group),
                                         _money.words(self.cost(self.quantity), self.line.currency_id))


class Purchase(object):
    """Buy plan lines; see the module docstring. ``read()`` returns the rented numbers (a Listing), one request."""

    def __init__(self, client, lines, before, read, sleep=None, clock=None, settle_delays=None, resend_delays=None,
                 renewals=RENEWALS, remember=None):
        self.client = client
        self.states = [LineState(line) for line in lines]
        self.before = set(before)
        self.read_numbers = read
        self.sleep = sleep or time.sleep
        self.clock = clock or time.time
        self.settle_delays = tuple(SETTLE_DELAYS if settle_delays is None else settle_delays)
        self.resend_delays = tuple(RESEND_DELAYS if resend_delays is None else resend_delays)
        self.renewals = renewals
        # Called with a line's state just before its checkout is sent (see _rentals: the pending purchase record).
        self.remember = remember
        self.after = None           # the last read (Listing)
        self.reads = 0
        self.unrecognised = 0       # new numbers listed without a readable group
        self._fresh = False         # the last request was a read
        self.read_error = None      # why the last read after the checkouts failed

    # --- results ----------------------------------------------------------------------------------
    @property
    def reference_ids(self):
        return [ref for state in self.states for ref in state.references]

    def bought(self):
        return [state for state in self.states if state.status == BOUGHT]

    def numbers_by_group(self):
        """The numbers matched to each line, by group id: the one place bought numbers meet plan lines."""
        return dict((state.group_id, list(state.numbers)) for state in self.states)

    def unknown(self):
        return [state for state in self.states if state.status == UNKNOWN]

    def unlisted(self):
        """Lines bought (or maybe bought) whose numbers no read lists in full: left pending."""
        return [state for state in self.states if state.status in (BOUGHT, UNKNOWN) and state.missing > 0]

    def spent(self):
        """What the lines known bought cost a month (Totals): their live reservations (a renewal may hold fewer)."""
        totals = _money.Totals()
        for state in self.bought():
            totals.add(state.line.unit_cost, state.line.currency_id, state.quantity)
        return totals

    def maybe_spent(self):
        """What the lines whose outcome is unknown would cost a month (Totals)."""
        totals = _money.Totals()
        for state in self.unknown():
            totals.add(state.line.unit_cost, state.line.currency_id, state.quantity)
        return totals

    # --- the machine ------------------------------------------------------------------------------
    def run(self):
        """Reserve every line, check each out alone, read; raise PurchaseError when not all is bought and listed.

        Rounds: every line still to buy is checked out; then the rented numbers are read (with backoff while a
        line that may be bought does not show); a line whose reservation was gone (40400) and whose numbers no
        read shows expired: it is reserved again, for what the reads show it still misses, in the next round.
        """
        for state in self.states:
            self._reserve(state, state.line.quantity)
        todo, rounds, stop = list(self.states), 0, None
        while todo and stop is None:
            for state in todo:
                try:
                    self._checkout(state)
                except PurchaseError as err:
                    stop = err
                    break
            self._settle()
            if stop is not None:
                stop = self._refusal_after_reads(stop)
                break
            expired = [state for state in self.states if state.status == GONE]
            for state in expired:
                state.status = EXPIRED
            todo = [state for state in expired if state.missing > 0]
            if not todo:
                break
            if rounds >= self.renewals:
                again = (" again, after it was renewed %s" % _times(rounds)) if rounds else ""
                stop = PurchaseError(
                    "Renting stopped: the reservation of %s expired before its checkout%s" % (
                        ", ".join(state.describe() for state in todo), again),
                    hint="Run again; Sinch may be slow to answer, or its reservations short-lived.", changed=False)
                break
            rounds += 1
            try:
                for state in todo:
                    self._reserve(state, state.missing)
            except PurchaseError as err:
                stop = err
        if stop is not None:
            raise stop
        if self.unlisted():
            raise self._unlisted_error()
        return self

    def _reserve(self, state, quantity):
        try:
            state.reservation = self.client.reserve(state.line.group_id, quantity, state.line.capabilities)
        except SinchError as err:
            what = "%s of %s" % (_money.plural(quantity, "number"), group_text(state.line.group))
            raise PurchaseError("Renting stopped while reserving %s: %s" % (what, err.answer()),
                                hint=self._reserve_hint(err), changed=False) from err
        self._fresh = False
        state.quantity = quantity
        state.reserved_at = self.clock()
        state.references.append(state.reservation)
        state.status = RESERVED

    def _checkout(self, state):
        """One reservation, sent alone: bought, gone (40400), unknown (after sending it again), or PurchaseError."""
        reference = state.reservation
        about = dict(group_id=state.line.group_id, quantity=state.quantity, unit_cost=state.line.unit_cost,
                     currency_id=state.line.currency_id)
        if self.remember is not None:
            # Written down before it leaves: a run killed after this send leaves a pending purchase, never a blind spot.
            self.remember(state)
        try:
            self.client.checkout(reference, **about)
        except SinchError as err:
            state.answer = err
            self._fresh = False
            if err.definite and err.error_code == RESERVATION_GONE:
                self.client.journal.released(reference)
                # Consumed or expired: only the rented numbers can tell (a gateway may have replayed the checkout);
                # the reads decide before anything is reserved again.
                state.status = GONE
                return GONE
            if err.definite:
                state.status = REFUSED
                raise PurchaseError(
                    "Renting stopped: Sinch refused the checkout of reservation %s (%s): %s" % (
                        reference, state.describe(), err.answer()),
                    hint=self._refusal_hint(err), changed=False) from err
            self.client.journal.released(reference)  # consumed, or said as maybe bought: never "held"
            return self._resend(state, about, err)
        self._fresh = False
        self.client.journal.released(reference)
        state.status = BOUGHT
        return BOUGHT

    def _resend(self, state, about, first):
        """The checkout's answer was lost or a 5xx: send the same checkout again (a reservation is bought once)."""
        reference = state.reservation
        for delay in self.resend_delays:
            self.sleep(delay)
            try:
                self.client.checkout(reference, **about)
            except SinchError as err:
                state.answer = err
                if err.definite:
                    # 40400: consumed by the first send, or expired; another refusal: the first send's fate is open.
                    break
                continue
            state.status = BOUGHT
            return BOUGHT
        state.status = UNKNOWN
        state.answer = state.answer or first
        return UNKNOWN

    def _refusal_after_reads(self, stop):
        """A refused checkout whose numbers the reads show was applied after all (a gateway's replay): say so."""
        refused = [state for state in self.states if state.answer is not None and state.status == BOUGHT
                   and getattr(state.answer, "definite", False) and state.answer.error_code != RESERVATION_GONE]
        if not refused:
            return stop
        state = refused[0]
        error = PurchaseError(
            "Renting stopped: Sinch answered the checkout of reservation %s (%s) with a refusal (%s), yet the rented "
            "numbers show its numbers, so it was bought" % (state.reservation, state.describe(), state.answer.answer()),
            hint=stop.hint, changed=True)
        error.__cause__ = stop.__cause__
        return error

    # --- reads ------------------------------------------------------------------------------------
    def _read(self):
        self.after = self.read_numbers()
        self.reads += 1
        self._fresh = True
        self._attribute(self.after)
        return self.after

    def _attribute(self, listing):
        """Give each new number (not held before) to the line of its group, up to the line's quantity.

        A line whose checkout's fate was open (unknown, gone, or refused) and whose numbers show was bought: the
        journal learns that its live reservation was applied (a reservation found expired before stays not applied).
        """
        arrived, unrecognised = {}, 0
        for item in listing.records:
            if item["number"] in self.before:
                continue
            if item["group_id"] is None:
                unrecognised += 1
                continue
            arrived.setdefault(item["group_id"], []).append(item["number"])
        self.unrecognised = unrecognised + listing.unidentified
        for state in self.states:
            pool = arrived.get(state.group_id, [])
            state.numbers = pool[:state.line.quantity]
            del pool[:state.line.quantity]
            # A lost answer whose numbers start to show was applied; a refusal (40400 included) is overturned only
            # when its whole reservation shows, since numbers of the group could be another writer's.
            applied = (state.status == UNKNOWN and state.numbers) or (
                state.status in (GONE, REFUSED) and len(state.numbers) >= state.quantity)
            if applied:
                state.status = BOUGHT
                write = self.client.journal.find("checkout", state.references[-1]) if state.references else None
                if write is not None:
                    write.learned(APPLIED)
            if state.numbers:
                for reference in state.references[-1:]:
                    write = self.client.journal.find("checkout", reference)
                    if write is not None:
                        write.details["numbers"] = list(state.numbers)

    def _settle(self):
        """Read after the checkouts, then again with backoff while a line that is or may be bought does not show.

        A refused line is read for once (its numbers showing prove it applied); a gone line (40400) is waited for
        like a maybe-bought one: only when no read shows it is it taken as expired.
        """
        sent = [state for state in self.states if state.status in (BOUGHT, UNKNOWN, GONE, REFUSED)]
        if not sent:
            return
        try:
            if not self._fresh:
                self._read()
            for delay in self.settle_delays:
                if not self._waiting():
                    return
                self.sleep(delay)
                self._read()
        except SinchError as err:
            # The numbers bought stay bought (the journal says so); what they are is not known yet.
            self.read_error = err

    def _waiting(self):
        return [state for state in self.states if state.status in (BOUGHT, UNKNOWN, GONE) and state.missing > 0]

    # --- failures ---------------------------------------------------------------------------------
    def _unlisted_error(self):
        unknown = [state for state in self.unlisted() if state.status == UNKNOWN]
        bought = [state for state in self.unlisted() if state.status == BOUGHT]
        parts = []
        if bought:
            parts.append("Sinch accepted the checkout of %s, but %s not list %s yet" % (
                ", ".join("reservation %s (%s)" % (s.reservation, s.describe()) for s in bought),
                self._reads_words(), _them(bought)))
        if unknown:
            parts.append("the checkout of %s got no answer it could use (%s), also when sent again, and %s not list "
                         "%s: whether %s bought is unknown" % (
                             ", ".join("reservation %s (%s)" % (s.reservation, s.describe()) for s in unknown),
                             "; ".join(sorted(set(_answer_words(s.answer) for s in unknown))), self._reads_words(),
                             _them(unknown),
                             "it was" if len(unknown) == 1 else "they were"))
        if self.unrecognised:
            parts.append("the rented numbers list %s without a readable group, which cannot be told apart"
                         % _money.plural(self.unrecognised, "new number"))
        return PurchaseError("Renting stopped: %s" % "; ".join(parts), changed=True, outcome_unknown=bool(unknown))

    def _reads_words(self):
        if self.read_error is not None:
            return "the rented numbers could not be read (%s), so they do" % self.read_error.answer()
        return "%s of the rented numbers do" % _money.plural(self.reads, "read")

    def _reserve_hint(self, err):
        if err.error_code == 40003:
            return ("The group no longer has that many numbers: run again to plan from what the shop offers now. "
                    "Nothing was bought.")
        hint = "Nothing was bought."
        if err.outcome_unknown:
            hint += " The failed reservation may have been made; it costs nothing and expires on its own."
        return ((err.hint + " ") if err.hint else "") + hint

    def _refusal_hint(self, err):
        if err.error_code == NOT_ENOUGH_CREDIT:
            return ("The organisation's credit does not cover this purchase: add credit to the Sinch account, then run "
                    "again; what was bought before is counted, never bought twice.")
        if err.error_code == NO_ACCOUNTING:
            return "Renting needs accounting set up for the organisation: set it up in the Sinch dashboard, then run again."
        return err.hint


def _times(count):
    return "once" if count == 1 else "%d times" % count


def _them(states):
    return "its numbers" if len(states) == 1 else "their numbers"


def _answer_words(err):
    if err is None:
        return "no answer"
    if err.status is not None:
        return "HTTP %s" % err.status
    return err.message.rstrip(".")
