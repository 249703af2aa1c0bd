# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Buying plan lines (_purchase.Purchase), one checkout per reservation, against a fake client keeping Sinch's ledger.

The fault matrix: 1 to 3 lines x a fault on the checkout of each line (none, applied then lost, lost, 5xx before
or after applying, an HTML page or an answer that is not JSON after applying, 40200, 42200, expiry) x a listing
that is up to date, lags 2 or 5 reads, never lists the new numbers, or lists them without their groupId. Every case:
nobody pays twice, and the run ends with exactly the plan bought and listed, or with a PurchaseError whose journal
says what was (or may have been) bought. Then sequences of faults on one line, and single cases.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
from ansible_collections.sinch.numbers.plugins.module_utils._errors import PurchaseError, SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED, NOT_APPLIED, UNKNOWN
from ansible_collections.sinch.numbers.plugins.module_utils._pending import Entry
from ansible_collections.sinch.numbers.plugins.module_utils._purchase import BOUGHT, Purchase
from ansible_collections.sinch.numbers.plugins.module_utils._purchase import UNKNOWN as LINE_UNKNOWN
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Response
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.purchase_fakes import (
    APPLIED_FIRST, APPLIED_LOST, CHECKOUT_FAULTS, ERROR_AFTER, EXPIRED, GONE_AFTER, LOST, NEVER, NO_ACCOUNTING, NO_CREDIT,
    NO_GROUP, NOT_JSON_AFTER, OK, REFUSED_AFTER, UNAVAILABLE_BEFORE, FakeLedgerClient, http_error, line)

QUANTITY = {1: 2, 2: 1, 3: 3}
HELD = 33199990001          # a number of group 1 the organisation held before the run
LAGS = (0, 2, 5, NEVER, NO_GROUP)
SETTLE = (0, 0, 0, 0)       # four waits: five reads after the last checkout
REFUSALS = {NO_CREDIT: 40200, NO_ACCOUNTING: 42200}


def ledger(**kwargs):
    kwargs.setdefault("held", ((HELD, 1),))
    return FakeLedgerClient(**kwargs)


def buy(client, lines, **options):
    """Run a purchase with no waiting; (purchase, PurchaseError or None)."""
    options.setdefault("settle_delays", SETTLE)
    options.setdefault("resend_delays", (0, 0))
    purchase = Purchase(client, lines, set(client.numbers), lambda: _shapes.listing(client.list_numbers()),
                        sleep=lambda _seconds: None, clock=lambda: 1000.0, **options)
    try:
        purchase.run()
    except PurchaseError as err:
        return purchase, err
    return purchase, None


def usd(totals):
    return totals.in_currency("USD")


def check_invariants(client, purchase, err, planned):
    """What holds whatever the faults: never more than the plan, and an error that tells what was bought."""
    journal = client.journal
    before = client.before
    # Each reservation is charged at most once, each number at most once, never more than the plan.
    charged_refs = client.charged_references()
    assert len(charged_refs) == len(set(charged_refs))
    bought = client.bought_numbers()
    assert len(bought) == len(set(bought)) and not set(bought) & before
    for gid, quantity in planned.items():
        assert client.charged(gid) <= quantity, "group %d: paid for more than the plan" % gid
    # Only reservations of this run are checked out, one reference id each; after an answer that is not definite,
    # the next request about that group is the same reference id sent again (never a new reservation).
    made = set(item[4] for item in client.reserves())
    assert set(client.checkouts()) <= made
    for index, item in enumerate(client.requests):
        if item[0] != "checkout" or item[2] is None or item[2].definite:
            continue
        gid = client.group_of(item[1])
        later = [req for req in client.requests[index + 1:] if req[0] != "read"
                 and (req[1] == gid if req[0] == "reserve" else client.group_of(req[1]) == gid)]
        if later:
            assert later[0][0] == "checkout" and later[0][1] == item[1], client.requests
    # A renewal follows a 40400 to the first checkout of the line's reservation, after a fresh read.
    for gid in planned:
        reserves = client.reserves(gid)
        for renewal in reserves[1:]:
            at = client.requests.index(renewal)
            previous = client.requests[:at]
            assert previous[-1] == ("read",), client.requests
            checkouts = [req for req in previous if req[0] == "checkout" and client.group_of(req[1]) == gid]
            assert checkouts[-1][2] is not None and checkouts[-1][2].error_code == 40400
            assert len([req for req in checkouts if req[1] == checkouts[-1][1]]) == 1
    # The journal: a charged reservation is said bought or maybe bought, one not charged is never said bought.
    for ref in made:
        write = journal.find("checkout", ref)
        if ref in charged_refs:
            assert write is not None and write.status in (APPLIED, UNKNOWN), (ref, write and write.status)
        elif write is not None:
            assert write.status != APPLIED, "reservation %s was not charged, the journal says bought" % ref
    # Known spending is never more than what was charged, and known + maybe never less.
    assert usd(purchase.spent()) <= client.spent() <= usd(purchase.spent()) + usd(purchase.maybe_spent())
    # What the journal holds as reserved is still held by Sinch.
    assert set(item["reference_id"] for item in journal.held) <= set(client.held())
    if err is None:
        assert purchase.unlisted() == [] and purchase.unknown() == []
        listed = set(item["number"] for item in purchase.after.records)
        for state in purchase.states:
            assert state.status == BOUGHT and len(state.numbers) == planned[state.group_id]
            assert set(state.numbers) <= listed - before
            assert set(client.bought_numbers(state.group_id)) <= set(state.numbers)
        assert journal.changed
        return
    assert isinstance(err, PurchaseError)
    maybe = [write for write in journal.writes if write.status == UNKNOWN]
    changed = bool(err.changed or journal.changed)
    assert changed == bool(client.charges or maybe), (err.describe(), journal.words())
    words = journal.words()
    for ref in charged_refs:
        write = journal.find("checkout", ref)
        assert ("reservation %s)" % ref) in words
        assert write.words() in words
        assert write.words().startswith("bought" if write.status == APPLIED else "may have bought")
    assert bool(err.outcome_unknown) == bool(purchase.unknown())
    if not changed:
        assert "bought" not in words
    # What is left pending is in the journal's account, said bought or maybe bought.
    for state in purchase.unlisted():
        assert ("reservation %s)" % state.reservation) in words


MATRIX = [(count, position, fault, lag) for count in (1, 2, 3) for position in range(count)
          for fault in CHECKOUT_FAULTS for lag in LAGS]


@pytest.mark.parametrize("count, position, fault, lag", MATRIX,
                         ids=["%d lines, fault on line %d: %s, lag %s" % case for case in MATRIX])
def test_fault_matrix_pays_the_plan_at_most_once_and_tells_what_was_bought(count, position, fault, lag):
    gids = (1, 2, 3)[:count]
    planned = dict((gid, QUANTITY[gid]) for gid in gids)
    faulty = gids[position]
    client = ledger(lag=lag)
    client.faults = {faulty: [fault]}
    purchase, err = buy(client, [line(gid, planned[gid]) for gid in gids])
    check_invariants(client, purchase, err, planned)

    refusal = fault in REFUSALS
    reached = gids[:position] if refusal else gids
    # The ledger: exactly the plan bought, or the lines before a refusal and nothing after it.
    assert dict((gid, client.charged(gid)) for gid in gids) == dict((gid, planned[gid] if gid in reached else 0)
                                                                    for gid in gids)
    # One reservation per line, and one more only for a reservation found expired (for what a read shows missing).
    for gid in gids:
        reserves = client.reserves(gid)
        if gid == faulty and fault == EXPIRED:
            assert [item[2] for item in reserves] == [planned[gid], planned[gid]]
        else:
            assert [item[2] for item in reserves] == [planned[gid]]
    # A checkout without a usable answer is sent again with the same reference id, and never charged twice.
    if fault not in (OK, EXPIRED) and not refusal:
        sent = client.checkouts(faulty)
        assert len(sent) == 2 and len(set(sent)) == 1
    if refusal:
        for gid in gids[position + 1:]:
            assert client.checkouts(gid) == []
        assert [state.group_id for state in purchase.bought()] == list(gids[:position])
        assert err is not None and str(REFUSALS[fault]) in err.describe()
        assert client.reserves(faulty)[0][4] in err.describe()
        words = client.journal.words()
        for gid in gids[:position]:
            ref = client.reserves(gid)[0][4]
            assert client.journal.find("checkout", ref).status == APPLIED
            assert "bought %d number" % planned[gid] in words and ("reservation %s)" % ref) in words
        assert client.journal.find("checkout", client.reserves(faulty)[0][4]).status == NOT_APPLIED
        if position == 0:
            assert not err.changed and not client.journal.changed
        else:
            assert client.journal.changed
        return
    if lag in (0, 2):
        assert err is None, err.describe()
        assert client.charged() == sum(planned.values())
        return
    # The numbers are not listed (in time, or recognisably): every line stays pending, said bought or maybe bought.
    assert err is not None
    assert err.changed and client.journal.changed
    last_read = client.reads - 1
    not_seen = [gid for gid in gids if any(client.visible_from[number] > last_read or number in client.no_group
                                           for number in client.bought_numbers(gid))]
    assert not_seen and [state.group_id for state in purchase.unlisted()] == not_seen
    unknown = fault in APPLIED_FIRST and faulty in not_seen
    assert [state.group_id for state in purchase.unknown()] == ([faulty] if unknown else [])
    assert err.outcome_unknown == unknown
    message = err.describe()
    for state in purchase.unlisted():
        assert state.reservation in message
    if unknown:
        assert "unknown" in message
        assert client.journal.find("checkout", purchase.states[position].reservation).words().startswith("may have bought")
        assert usd(purchase.maybe_spent()) == Decimal(client.groups[faulty]["cost"]["amount"]) * planned[faulty]
    if lag == NO_GROUP:
        assert "without a readable group" in message


SEQUENCES = [(first, second, third, lag) for first, second, third in itertools.product(CHECKOUT_FAULTS, repeat=3)
             if first != OK and (second != OK or third == OK) for lag in (0, 2, NEVER)]


@pytest.mark.parametrize("first, second, third, lag", SEQUENCES,
                         ids=["%s, then %s, then %s; lag %s" % case for case in SEQUENCES])
def test_fault_sequences_on_one_line_never_pay_twice(first, second, third, lag):
    # The faults fall on the successive checkouts of the line: first send, re-sends, checkouts of renewals.
    client = ledger(lag=lag)
    client.faults = {1: [first, second, third]}
    planned = {1: 2}
    purchase, err = buy(client, [line(1, 2)])
    check_invariants(client, purchase, err, planned)
    # A line is bought whole or not at all; bought and listable, the run ends converged.
    assert client.charged(1) in (0, 2)
    if err is None:
        assert client.charged(1) == 2
    elif lag != NEVER:
        assert client.charged(1) == 0


def test_two_groups_are_reserved_then_checked_out_one_by_one_then_read():
    client = ledger()
    purchase, err = buy(client, [line(1, 2), line(2, 1)])
    assert err is None
    assert client.names() == ["reserve", "reserve", "checkout", "checkout", "read"]
    assert client.checkouts() == [client.reserves(1)[0][4], client.reserves(2)[0][4]]
    assert [len(state.numbers) for state in purchase.states] == [2, 1]
    assert purchase.reads == 1


class SignedSession(object):
    """The session under the real SinchClient: signed requests answered from a ledger; bodies recorded."""

    def __init__(self, ledger_client):
        self.ledger = ledger_client
        self.warnings = []
        self.organisation_id = ledger_client.organisation_id
        self.sent = []

    def signed(self, api, method, path, payload=None, retry=False, action=None):
        self.sent.append((method, path, payload, retry))
        if method == "PUT":
            reference = self.ledger.reserve(payload["groupId"], payload["quantity"], payload.get("capabilities"))
            return Response(200, {"referenceId": reference}, {})
        if method == "POST":
            for reference in payload["referenceIds"]:
                self.ledger._checkout(reference)
            return Response(204, None, {})
        return Response(200, self.ledger.list_numbers(), {})


@pytest.mark.parametrize("count", (1, 2, 3))
def test_k_groups_send_k_checkouts_each_with_one_reference_id_through_the_real_client(count):
    books = ledger()
    session = SignedSession(books)
    client = SinchClient(session)
    gids = (1, 2, 3)[:count]
    purchase = Purchase(client, [line(gid, QUANTITY[gid]) for gid in gids], set(books.numbers),
                        lambda: _shapes.listing(client.list_numbers()), sleep=lambda _s: None, settle_delays=SETTLE)
    purchase.run()
    assert [item[0] for item in session.sent] == ["PUT"] * count + ["POST"] * count + ["GET"]
    bodies = [item[2] for item in session.sent if item[0] == "POST"]
    assert [len(body["referenceIds"]) for body in bodies] == [1] * count
    assert [body["referenceIds"][0] for body in bodies] == [item[4] for item in books.reserves()]
    assert all(item[3] is False for item in session.sent if item[0] == "POST"), "the transport must never repeat a checkout"
    assert [books.charged(gid) for gid in gids] == [QUANTITY[gid] for gid in gids]
    assert [write.status for write in client.journal.writes] == [APPLIED] * count


def test_a_lost_answer_sends_the_same_reservation_again_and_buys_it_once():
    client = ledger()
    client.faults = {1: [LOST]}
    purchase, err = buy(client, [line(1, 2)])
    assert err is None
    ref = client.reserves(1)[0][4]
    assert client.checkouts() == [ref, ref]
    assert len(client.reserves()) == 1
    assert client.charged(1) == 2 and len(client.charges) == 1
    assert client.journal.find("checkout", ref).status == APPLIED


def test_an_applied_checkout_whose_answer_was_lost_is_learnt_from_the_read():
    client = ledger()
    client.faults = {1: [APPLIED_LOST]}
    purchase, err = buy(client, [line(1, 2)])
    assert err is None
    ref = client.reserves(1)[0][4]
    # The repeat is refused (the reservation was consumed): the read tells, and nothing is charged twice.
    assert client.checkouts() == [ref, ref] and client.requests[-2][2].error_code == 40400
    assert client.charged(1) == 2
    write = client.journal.find("checkout", ref)
    assert write.status == APPLIED and sorted(write.details["numbers"]) == sorted(client.bought_numbers(1))
    assert usd(purchase.spent()) == Decimal("2.00") and usd(purchase.maybe_spent()) == 0


def test_no_usable_answer_to_any_send_is_maybe_bought_never_known_nothing():
    client = ledger(lag=NEVER)
    client.faults = {1: [LOST, LOST, LOST]}
    purchase, err = buy(client, [line(1, 2)])
    ref = client.reserves(1)[0][4]
    assert client.checkouts() == [ref, ref, ref] and len(client.reserves()) == 1
    assert client.charges == []
    assert err.outcome_unknown and err.changed and client.journal.changed
    assert "unknown" in err.describe() and ref in err.describe()
    assert client.journal.words().startswith("Before it failed, this task may have bought 2 numbers of group 1")
    # The spend is not said known (0.00 USD): it may be 2.00 USD.
    assert usd(purchase.spent()) == 0 and usd(purchase.maybe_spent()) == Decimal("2.00")
    assert [state.reservation for state in purchase.unlisted()] == [ref]


def test_a_refused_repeat_leaves_the_first_send_open():
    # The first send was lost; the repeat meets no credit. Whether the first send bought is not known.
    client = ledger(lag=NEVER)
    client.faults = {1: [LOST, NO_CREDIT]}
    purchase, err = buy(client, [line(1, 2)])
    assert client.charges == []
    assert [state.status for state in purchase.states] == [LINE_UNKNOWN]
    assert err.outcome_unknown and client.journal.changed


def test_expired_reservation_is_renewed_for_what_a_fresh_read_shows_missing():
    client = ledger()
    client.faults = {1: [EXPIRED]}

    def another_writer(books, reservation):
        books.rent(reservation.group_id)  # someone bought one number of the group meanwhile
    client.on_expire = another_writer
    purchase, err = buy(client, [line(1, 3)])
    assert err is None
    first, renewal = client.reserves(1)
    assert first[2] == 3 and renewal[2] == 2
    # The 40400 leaves "consumed or expired" open: the reads wait (with backoff) for the whole reservation to show
    # before concluding it expired; only reads come between the first checkout and the renewal.
    names = client.names()
    assert names[:3] == ["reserve", "checkout", "read"] and names[-3:] == ["reserve", "checkout", "read"]
    assert set(names[3:-3]) == set(["read"])
    assert client.charged(1) == 2
    assert len(purchase.states[0].numbers) == 3
    # What is said spent is what this run paid: 2 numbers, not the line's 3.
    assert usd(purchase.spent()) == client.spent() == Decimal("2.00")
    assert client.journal.find("checkout", first[4]).status == NOT_APPLIED
    assert client.journal.find("checkout", renewal[4]).status == APPLIED


def test_expired_reservation_that_a_read_shows_covered_is_not_renewed():
    client = ledger()
    client.faults = {1: [EXPIRED]}

    def another_writer(books, reservation):
        for _unit in range(reservation.quantity):
            books.rent(reservation.group_id)
    client.on_expire = another_writer
    purchase, err = buy(client, [line(1, 2)])
    # A 40400 whose whole reservation then shows cannot be told from a checkout a gateway replayed (consumed): the
    # run takes it as bought (changed), never buys again, and pays nothing more.
    assert len(client.reserves(1)) == 1
    assert client.charges == []
    assert err is None and client.journal.changed


def test_renewed_line_whose_checkout_was_lost_is_bought_once_and_the_expired_one_stays_not_bought():
    client = ledger()
    client.faults = {1: [EXPIRED, APPLIED_LOST]}
    purchase, err = buy(client, [line(1, 2)])
    assert err is None
    first, renewal = [item[4] for item in client.reserves(1)]
    assert client.charged_references() == [renewal]
    assert client.journal.find("checkout", first).status == NOT_APPLIED
    assert client.journal.find("checkout", renewal).status == APPLIED
    assert "reservation %s)" % first not in client.journal.words()


def test_expiry_beyond_the_renewals_stops_without_a_charge():
    client = ledger()
    client.faults = {1: [EXPIRED, EXPIRED, EXPIRED]}
    purchase, err = buy(client, [line(1, 2)], renewals=2)
    assert len(client.reserves(1)) == 3 and client.charges == []
    assert "expired before its checkout again, after it was renewed 2 times" in err.describe()
    assert not err.changed and not client.journal.changed


def test_expiry_of_a_later_line_keeps_the_earlier_lines_bought():
    client = ledger()
    client.faults = {2: [EXPIRED, EXPIRED]}
    purchase, err = buy(client, [line(1, 2), line(2, 1)], renewals=1)
    assert client.charged(1) == 2 and client.charged(2) == 0
    assert err is not None and client.journal.changed
    assert client.journal.words().startswith("Before it failed, this task bought 2 numbers of group 1")


def test_failed_reserve_stops_before_any_checkout():
    client = ledger(stock=2)
    purchase, err = buy(client, [line(1, 2), line(2, 3)])
    assert client.names() == ["reserve", "reserve"]
    assert not err.changed and not client.journal.changed
    assert "40003" in err.describe() and "Nothing was bought" in err.describe()
    # The reservation made is named as held (it expires on its own).
    assert client.reserves(1)[0][4] in client.journal.words()


def test_a_read_that_fails_after_the_checkout_still_says_what_was_bought():
    client = ledger()
    reads = client.list_numbers

    def failing_read():
        if client.charges:
            raise http_error(503, 50300, "Service temporarily unavailable", method="GET")
        return reads()
    client.list_numbers = failing_read
    purchase, err = buy(client, [line(1, 2)])
    assert client.charged(1) == 2
    assert err.changed and not err.outcome_unknown
    assert "could not be read" in err.describe()
    assert client.journal.words().startswith("Before it failed, this task bought 2 numbers of group 1 (not listed")
    assert [state.group_id for state in purchase.unlisted()] == [1]


def test_unlisted_is_what_is_left_pending():
    # Group 1 is listed at once; group 2 never; group 3's checkout answer was lost and it is never listed.
    client = ledger(lag={1: 0, 2: NEVER, 3: NEVER})
    client.faults = {3: [APPLIED_LOST]}
    purchase, err = buy(client, [line(1, 2), line(2, 1), line(3, 3)])
    unlisted = purchase.unlisted()
    assert [(state.group_id, state.status) for state in unlisted] == [(2, BOUGHT), (3, LINE_UNKNOWN)]
    assert [state.reservation for state in unlisted] == [client.reserves(2)[0][4], client.reserves(3)[0][4]]
    assert err.outcome_unknown
    # Each becomes a pending record of its reservation, quantity and status.
    entries = [Entry.of_line(state, set(), [None] * state.quantity, 2000.0) for state in unlisted]
    assert [(entry.reference_id, entry.group_id, entry.quantity, entry.status) for entry in entries] == [
        (client.reserves(2)[0][4], 2, 1, "bought"), (client.reserves(3)[0][4], 3, 3, "unknown")]
    assert [entry.reserved_at for entry in entries] == [1000.0, 1000.0]


def test_lagging_listing_is_read_again_until_the_numbers_show():
    client = ledger(lag=3)
    purchase, err = buy(client, [line(1, 2)], settle_delays=(0, 0, 0, 0, 0))
    assert err is None
    assert client.names()[-4:] == ["read"] * 4 and purchase.reads == 4


def test_a_checkout_not_json_after_applying_is_sent_again_and_not_paid_twice():
    client = ledger()
    client.faults = {1: [NOT_JSON_AFTER]}
    purchase, err = buy(client, [line(1, 1)])
    assert err is None and client.charged(1) == 1
    assert client.requests[1][2].outcome_unknown and client.requests[1][2].status is None


def test_a_5xx_before_applying_is_sent_again_and_bought_once():
    client = ledger()
    client.faults = {2: [UNAVAILABLE_BEFORE, ERROR_AFTER]}
    purchase, err = buy(client, [line(2, 1)], resend_delays=(0, 0, 0))
    ref = client.reserves(2)[0][4]
    assert err is None
    assert client.checkouts() == [ref, ref, ref] and client.charged(2) == 1


def test_checkout_failure_is_a_sinch_error_chained_to_the_purchase_error():
    client = ledger()
    client.faults = {1: [NO_ACCOUNTING]}
    purchase, err = buy(client, [line(1, 1)])
    assert isinstance(err.request_error(), SinchError) and err.request_error().error_code == 42200
    assert "accounting" in err.describe().lower()


class Clock(object):
    """Time that passes only when the purchase waits."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_reservations_that_expire_while_a_lost_checkout_is_resent_are_unknown_then_renewed():
    # Reservations live 10 s. Line 1's answer is lost and it is sent again 11 s later, when it has expired: whether
    # the first send bought it cannot be told (no read lists it). Line 2's reservation expired meanwhile: renewed.
    clock = Clock()
    client = ledger(lifetime=10, clock=clock)
    client.faults = {1: [LOST]}
    purchase = Purchase(client, [line(1, 2), line(2, 1)], set(client.numbers),
                        lambda: _shapes.listing(client.list_numbers()), sleep=clock.sleep, clock=clock,
                        settle_delays=(1, 1), resend_delays=(11,))
    with pytest.raises(PurchaseError) as raised:
        purchase.run()
    err = raised.value
    check_invariants(client, purchase, err, {1: 2, 2: 1})
    first = client.reserves(1)[0][4]
    assert client.checkouts(1) == [first, first] and len(client.reserves(1)) == 1
    assert client.charged(1) == 0 and client.charged(2) == 1
    assert [item[2] for item in client.reserves(2)] == [1, 1]
    assert [state.status for state in purchase.states] == [LINE_UNKNOWN, BOUGHT]
    assert err.outcome_unknown and err.changed and first in err.describe()
    assert [state.reservation for state in purchase.unlisted()] == [first]
    assert purchase.states[0].reserved_at == 0.0


@pytest.mark.parametrize("lag", [0, 2])
def test_a_checkout_applied_then_answered_40400_is_bought_once_and_said(lag):
    # A gateway that replays the checkout gets 40400 for the reservation its first send consumed: the reads, not the
    # answer, decide; the line is reported bought (changed) and never reserved again, when the listing lags too.
    client = ledger(lag=lag)
    client.faults = {1: [GONE_AFTER]}
    purchase, err = buy(client, [line(1, 2)])
    assert err is None
    assert len(client.reserves(1)) == 1 and client.charged(1) == 2
    assert usd(purchase.spent()) == client.spent() == Decimal("2.00")
    assert client.journal.find("checkout", client.reserves(1)[0][4]).status == APPLIED
    assert client.journal.changed


def test_a_checkout_applied_then_refused_says_it_was_bought():
    client = ledger()
    client.faults = {1: [REFUSED_AFTER]}
    purchase, err = buy(client, [line(1, 2), line(2, 1)])
    assert isinstance(err, PurchaseError) and err.changed
    assert "yet the rented numbers show its numbers, so it was bought" in err.message
    assert client.charged(1) == 2 and client.charged(2) == 0  # the next line is not checked out after a refusal
    assert client.journal.changed and "bought 2 numbers of group 1" in client.journal.words()
