# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pending purchases (_pending.Pending): remembered next to the lock, resolved by the listing, a re-sent checkout or time.

The entries are made the way a run makes them: a purchase against the fake ledger that the listing does not show
(an unknown outcome, or a checkout that succeeded), recorded with Entry.of_line. The clock is injected.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import stat

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import LockError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import APPLIED
from ansible_collections.sinch.numbers.plugins.module_utils._lock import DEFAULT_DIRECTORY, lock_file
from ansible_collections.sinch.numbers.plugins.module_utils._pending import (
    BOUGHT_NOW, FORGOTTEN, LAPSED, LISTED, LISTING_GRACE, NOT_BOUGHT, RESERVATION_LIFETIME, Entry, Pending, record_path)
from ansible_collections.sinch.numbers.plugins.module_utils._purchase import Purchase
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.purchase_fakes import (
    APPLIED_LOST, LOST, NEVER, ORG, FakeLedgerClient, line)

HELD = 33199990001
APP = "aaaaaaaa-0000-4000-8000-000000000001"
RESERVED_AT = 1700000000.0


class Clock(object):
    def __init__(self, now=RESERVED_AT):
        self.now = now

    def __call__(self):
        return self.now


def left_pending(client, lines, owners=None):
    """Run a purchase the listing does not show; the Entries a run records for what it left pending."""
    before = set(client.numbers)
    purchase = Purchase(client, lines, before, lambda: _shapes.listing(client.list_numbers()), sleep=lambda _s: None,
                        clock=lambda: RESERVED_AT, settle_delays=(0,), resend_delays=(0, 0))
    try:
        purchase.run()
    except Exception:  # the PurchaseError of an unlisted purchase; the test looks at what is left pending
        pass
    entries = []
    for state in purchase.unlisted():
        known = set(number for number, gid in client.numbers.items() if gid == state.group_id and number in before)
        entries.append(Entry.of_line(state, known, (owners or {}).get(state.group_id, [None] * state.quantity),
                                     RESERVED_AT + 5))
    return entries


def unknown_purchase(lag=NEVER, fault=LOST, quantity=2, **kwargs):
    """A ledger, and the entry of a checkout of group 1 whose answer never came (sent three times)."""
    client = FakeLedgerClient(lag=lag, held=((HELD, 1),), **kwargs)
    client.faults = {1: [fault, LOST, LOST]}
    entries = left_pending(client, [line(1, quantity)])
    assert [entry.status for entry in entries] == ["unknown"]
    return client, entries[0]


def pending(tmp_path, clock, entries=()):
    book = Pending(ORG, str(tmp_path), clock).load()
    book.add(list(entries))
    return book


def listing(client):
    """What the rented numbers show now (the fake's listing, lag ignored: Sinch has caught up)."""
    client.visible_from = dict((number, 0) for number in client.numbers)
    return _shapes.listing(client.list_numbers())


def test_the_record_lives_next_to_the_lock_in_the_machine_directory(tmp_path):
    assert record_path(ORG) == os.path.join(DEFAULT_DIRECTORY, "sinch-numbers-%d.pending.json" % ORG)
    assert os.path.dirname(record_path(ORG, str(tmp_path))) == os.path.dirname(lock_file(ORG, str(tmp_path)))
    assert record_path("8888123", str(tmp_path)) != record_path(7777001, str(tmp_path))


def test_an_entry_resolves_when_its_numbers_show(tmp_path):
    client, entry = unknown_purchase()
    book = pending(tmp_path, Clock(RESERVED_AT + 60), [entry])
    # Nothing of its group new yet: numbers held before and numbers of another group do not count.
    client.rent(2)
    book.see(listing(client))
    assert len(book.entries) == 1 and book.resolved == []
    # Its numbers show (Sinch applied the lost checkout after all).
    client._apply(client.reservations[entry.reference_id])
    book.see(listing(client))
    assert book.entries == []
    assert [(item.reference_id, how) for item, how in book.resolved] == [(entry.reference_id, LISTED)]
    assert "reservation %s is now listed" % entry.reference_id in book.resolved_words()[0]


def test_a_partly_listed_entry_counts_the_rest_as_pending_and_bought(tmp_path):
    client = FakeLedgerClient(lag=NEVER, held=((HELD, 1),))
    entry = left_pending(client, [line(1, 2)], owners={1: [APP, None]})[0]
    assert entry.status == "bought"
    shown = client.bought_numbers(1)[0]
    client.visible_from[shown] = 0
    book = pending(tmp_path, Clock(RESERVED_AT + 60), [entry])
    book.see(_shapes.listing(client.list_numbers()))
    assert book.entries == [entry] and entry.listed == [shown]
    units = book.units()
    assert len(units) == 1 and units[0].pending and units[0].group_id == 1 and units[0].number is None
    # The first number (for APP) is listed; the one still unseen is the organisation's.
    assert units[0].owner is None


def test_units_are_pending_new_numbers_with_their_owners(tmp_path):
    client = FakeLedgerClient(lag=NEVER, groups=(1, 2), held=((HELD, 1),))
    entries = left_pending(client, [line(1, 2), line(2, 1)], owners={1: [APP, None], 2: [APP]})
    book = pending(tmp_path, Clock(), entries)
    units = book.units()
    assert [(unit.group_id, unit.owner, unit.pending, unit.number) for unit in units] == [
        (1, APP, True, None), (1, None, True, None), (2, APP, True, None)]
    assert len(set(unit.ident for unit in units)) == 3
    assert all(entry.reference_id in unit.ident for entry, unit in zip([entries[0]] * 2 + [entries[1]], units))
    assert units[0].label() == "(pending purchase in group 1)"


def test_resend_before_the_reservation_lifetime_buys_it_once_and_marks_it_bought(tmp_path):
    client, entry = unknown_purchase()
    assert client.charges == [] and client.held() == [entry.reference_id]
    clock = Clock(RESERVED_AT + RESERVATION_LIFETIME - 1)
    book = pending(tmp_path, clock, [entry])
    book.see(_shapes.listing(client.list_numbers()))
    sent = len(client.checkouts())
    assert book.resend(client) is True
    assert client.checkouts()[sent:] == [entry.reference_id]
    assert client.charged_references() == [entry.reference_id] and client.charged(1) == 2
    assert entry.status == "bought" and (entry, BOUGHT_NOW) in book.resolved
    assert client.journal.find("checkout", entry.reference_id).status == APPLIED
    assert "sent again and bought it now" in book.resolved_words()[0]
    # Bought now: never sent again, and it stays pending until its numbers show.
    assert book.resend(client) is False
    assert client.checkouts()[sent:] == [entry.reference_id] and client.charged(1) == 2
    assert book.entries == [entry]
    book.see(listing(client))
    assert book.entries == [] and (entry, LISTED) in book.resolved


def test_resend_after_the_reservation_lifetime_sends_nothing(tmp_path):
    client, entry = unknown_purchase()
    book = pending(tmp_path, Clock(RESERVED_AT + RESERVATION_LIFETIME), [entry])
    sent = len(client.requests)
    assert book.resend(client) is False
    assert client.requests[sent:] == [] and client.charges == []
    assert book.entries == [entry] and entry.status == "unknown"


def test_a_refused_resend_leaves_the_entry_pending_and_charges_nothing_more(tmp_path):
    # The first send was applied; its numbers are not listed yet; the repeat is refused (consumed).
    client, entry = unknown_purchase(fault=APPLIED_LOST)
    assert client.charged(1) == 2
    book = pending(tmp_path, Clock(RESERVED_AT + 60), [entry])
    assert book.resend(client) is False
    assert client.checkouts()[-1] == entry.reference_id and client.requests[-1][2].error_code == 40400
    assert client.charged(1) == 2 and book.entries == [entry] and entry.status == "unknown"


def test_an_unknown_entry_never_listed_is_not_bought_after_lifetime_and_grace(tmp_path):
    client, entry = unknown_purchase()
    clock = Clock(RESERVED_AT + RESERVATION_LIFETIME + LISTING_GRACE - 1)
    book = pending(tmp_path, clock, [entry])
    book.save()
    book.see(_shapes.listing(client.list_numbers()))
    assert book.entries == [entry]
    clock.now = RESERVED_AT + RESERVATION_LIFETIME + LISTING_GRACE
    again = Pending(ORG, str(tmp_path), clock).load()
    again.see(_shapes.listing(client.list_numbers()))
    assert again.entries == [] and [how for _entry, how in again.resolved] == [NOT_BOUGHT]
    assert "was not bought" in again.resolved_words()[0]
    again.save()
    assert not os.path.lexists(again.path)


def test_a_bought_entry_never_listed_is_no_longer_waited_for_after_its_time(tmp_path):
    client = FakeLedgerClient(lag=NEVER, held=((HELD, 1),))
    entry = left_pending(client, [line(1, 1)])[0]
    assert entry.status == "bought"
    book = pending(tmp_path, Clock(RESERVED_AT + RESERVATION_LIFETIME + LISTING_GRACE), [entry])
    book.see(_shapes.listing(client.list_numbers()))
    assert book.entries == [] and [how for _entry, how in book.resolved] == [LAPSED]


def test_forget_drops_every_entry_and_the_record(tmp_path):
    client, entry = unknown_purchase()
    book = pending(tmp_path, Clock(), [entry])
    book.save()
    assert os.path.exists(book.path)
    again = Pending(ORG, str(tmp_path), Clock()).load()
    assert [item.reference_id for item in again.entries] == [entry.reference_id]
    again.forget()
    assert again.entries == [] and again.units() == []
    assert [how for _entry, how in again.resolved] == [FORGOTTEN]
    assert "forgotten as asked" in again.resolved_words()[0]
    again.save()
    assert not os.path.lexists(again.path)
    assert Pending(ORG, str(tmp_path), Clock()).load().entries == []


def test_save_and_load_round_trip_in_a_private_file(tmp_path):
    client = FakeLedgerClient(lag=NEVER, groups=(1, 2), held=((HELD, 1),))
    client.faults = {2: [APPLIED_LOST]}
    entries = left_pending(client, [line(1, 2), line(2, 1)], owners={1: [APP, None], 2: [None]})
    book = pending(tmp_path, Clock(), entries)
    book.save()
    assert stat.S_IMODE(os.lstat(book.path).st_mode) == 0o600
    assert os.listdir(str(tmp_path)) == [os.path.basename(book.path)]  # no temporary file left
    loaded = Pending(ORG, str(tmp_path), Clock()).load()
    assert [item.to_json() for item in loaded.entries] == [item.to_json() for item in entries]
    assert [(item.status, item.quantity, item.group_id, item.known_numbers) for item in loaded.entries] == [
        ("bought", 2, 1, set([HELD])), ("unknown", 1, 2, set())]
    assert loaded.to_result() == book.to_result()
    assert [item["status"] for item in loaded.to_result()] == ["bought, not listed yet", "outcome unknown"]
    # The record is plain JSON that names the reservations.
    with open(book.path) as handle:
        document = json.load(handle)
    assert [item["reference_id"] for item in document["purchases"]] == [item.reference_id for item in entries]


def test_nothing_is_written_when_nothing_is_pending(tmp_path):
    book = Pending(ORG, str(tmp_path), Clock()).load()
    book.save()
    assert os.listdir(str(tmp_path)) == []


def test_words_say_what_may_have_been_bought_and_how_to_check(tmp_path):
    client, entry = unknown_purchase()
    book = pending(tmp_path, Clock(), [entry])
    words = book.words()
    assert entry.reference_id in words and "may have bought 2 numbers of group 1" in words
    hint = book.hint(recorded=True)
    assert book.path in hint and "will not buy it again" in hint and "pending_purchase: forget" in hint
    assert "sinch_number_info" in book.hint()


def test_two_entries_of_one_group_do_not_count_the_same_numbers(tmp_path):
    # Two purchases of group 1 left pending (by two runs); only one of them shows in the listing.
    client = FakeLedgerClient(lag=NEVER, held=((HELD, 1),))
    client.faults = {1: [LOST, LOST, LOST]}
    first = left_pending(client, [line(1, 1)])[0]
    client.faults = {1: [LOST, LOST, LOST]}
    second = left_pending(client, [line(1, 1)])[0]
    assert first.status == second.status == "unknown"
    assert first.reference_id != second.reference_id
    assert first.known_numbers == second.known_numbers == set([HELD])
    client._apply(client.reservations[second.reference_id])
    book = pending(tmp_path, Clock(RESERVED_AT + 60), [first, second])
    book.see(listing(client))
    # One new number shows: one purchase is listed, the other is still pending (counted as held, not bought again).
    assert len(book.resolved) == 1 and len(book.entries) == 1
    assert len(book.units()) == 1


def test_a_record_that_is_a_symlink_is_refused(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"version": 1, "purchases": []}))
    os.symlink(str(target), record_path(ORG, str(tmp_path)))
    with pytest.raises(LockError) as err:
        Pending(ORG, str(tmp_path), Clock()).load()
    assert "symbolic link" in str(err.value)
    assert json.loads(target.read_text()) == {"version": 1, "purchases": []}


def test_a_record_of_another_user_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to give the record to another user (os.chown)")
    path = record_path(ORG, str(tmp_path))
    with open(path, "w") as handle:
        json.dump({"version": 1, "purchases": []}, handle)
    os.chmod(path, 0o600)
    os.chown(path, 65534, 65534)
    with pytest.raises(LockError) as err:
        Pending(ORG, str(tmp_path), Clock()).load()
    assert "belongs to" in str(err.value) and path in str(err.value)


def test_a_record_that_is_not_json_is_refused(tmp_path):
    path = record_path(ORG, str(tmp_path))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"{not json")
    os.close(fd)
    with pytest.raises(LockError) as err:
        Pending(ORG, str(tmp_path), Clock()).load()
    assert "not JSON" in str(err.value)
