# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_rentals: the requests of one call, the organisation lock, lost or refused checkouts, honest results."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import threading
import time
from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _rentals
from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, PlanError, UnreadableError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import Journal
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import number_rentals
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_rentals import ARGUMENTS
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import (
    APP,
    ORG,
    OTHER,
    FakeShopClient,
    Ledger,
    group,
    http_error,
    module_params,
    rented,
    run_module,
)

SETTLE = (0.5, 1.0)
RESEND = (1.0, 2.0)
SHOP = [group(1, 7, 2.0), group(2, 5, 2.0, country_id="GB", city="LONDON")]


def rental(name, count, application_key=None, **selector):
    option = dict((key, None) for key in ("group_id", "country_id", "city", "area_code", "capability"))
    option.update(selector, name=name, count=count, application_key=application_key)
    return option


def fake(numbers=(), groups=None, **values):
    return FakeShopClient(groups if groups is not None else SHOP, numbers, **values)


@pytest.fixture
def waits():
    return []


@pytest.fixture
def lock_dir(tmp_path):
    return str(tmp_path)


@pytest.fixture
def rentals(waits, lock_dir):
    """number_rentals as the module calls it: parsed params, no real waits, the lock in the test's directory."""
    def call(client, *items, **values):
        check_mode = values.pop("check_mode", False)
        values.setdefault("lock_path", lock_dir)
        values.setdefault("lock_timeout", 5)
        client.journal = Journal()  # each run of the module has a client of its own
        return number_rentals(client, module_params(ARGUMENTS, rentals=list(items), **values), check_mode,
                              sleep=waits.append, settle_delays=SETTLE, resend_delays=RESEND)
    return call


@pytest.fixture
def through_runner(waits, lock_dir):
    """The module's result as the user sees it (the runner, _module.run), success or failure; returns the module."""
    def call(client, *items, **values):
        check_mode = values.pop("check_mode", False)
        values.setdefault("lock_path", lock_dir)
        client.journal = Journal()
        return run_module(number_rentals, client, module_params(ARGUMENTS, rentals=list(items), **values), check_mode,
                          sleep=waits.append, settle_delays=SETTLE, resend_delays=RESEND)
    return call


# --- requests ---------------------------------------------------------------------------------------

def test_a_converged_call_is_one_read(rentals):
    client = fake([rented(33100000001, application_key=APP), rented(33200000001, group_id=2, country_id="GB")])
    result = rentals(client, rental("app", 1, APP, group_id=1), rental("uk", 1, country_id="GB"))
    assert client.names() == ["list_numbers"]
    assert result["changed"] is False
    assert result["msg"] == "Every rental holds its numbers (2 numbers); nothing rented or assigned."
    assert result["totals"]["rented_this_run"] == 0 and result["reference_ids"] == []


def test_one_reserve_and_one_checkout_per_group_one_read_one_overwrite(rentals):
    client = fake([rented(33100000001, application_key=APP)])
    result = rentals(client, rental("app", 3, APP, group_id=1), rental("uk", 1, country_id="GB"))
    assert client.names() == ["list_numbers", "list_number_groups", "reserve", "reserve", "checkout", "checkout",
                              "list_numbers", "list_application_numbers", "set_application_numbers"]
    assert client.writes()[:2] == [("reserve", 1, 2, ["voice"]), ("reserve", 2, 1, ["voice"])]
    assert [call for call in client.calls if call[0] == "checkout"] == [("checkout", "ref-1"), ("checkout", "ref-2")]
    assert client.calls[-1] == ("set_application_numbers", APP, "voice", [33100000001, 33100000002, 33100000003])
    assert result["changed"] and not result["check_mode"]
    assert result["totals"]["rented_this_run"] == 3
    assert result["totals"]["added_monthly_cost"] == [{"amount": "6.00", "currency_id": "USD"}]
    assert result["applications"] == {APP: ["+33100000001", "+33100000002", "+33100000003"]}
    assert result["reference_ids"] == ["ref-1", "ref-2"]
    assert client.credit == 94 and client.assigned(APP) == [33100000001, 33100000002, 33100000003]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_renting_k_groups_is_a_read_the_shop_k_reserves_k_checkouts_and_a_read(rentals, k):
    shop = [group(1, 9, 1.0), group(2, 9, 2.0, country_id="GB", city="LONDON"),
            group(3, 9, 3.0, country_id="DE", city="BERLIN")]
    client = fake(groups=shop)
    items = [rental("fr", 2, country_id="FR"), rental("gb", 1, country_id="GB"), rental("de", 3, country_id="DE")][:k]
    result = rentals(client, *items)
    assert client.names() == ["list_numbers", "list_number_groups"] + ["reserve"] * k + ["checkout"] * k + ["list_numbers"]
    assert result["totals"]["rented_this_run"] == sum(item["count"] for item in items)
    assert Decimal(result["totals"]["added_monthly_cost"][0]["amount"]) == Decimal(100) - client.credit


def test_check_mode_reads_only(rentals):
    client = fake()
    result = rentals(client, rental("app", 1, APP, group_id=1), check_mode=True)
    assert client.names() == ["list_numbers", "list_application_numbers", "list_number_groups"]
    assert result["changed"] and result["check_mode"]
    assert result["rentals"][0]["rented_this_run"] == ["(new number in group 1)"]
    assert client.credit == 100


def test_two_capabilities_of_one_application_are_read_and_written_in_turn(rentals):
    new_orleans = group(75, 5, 2.0, country_id="US", city="NEW ORLEANS", area_code="504", capabilities=("sms",))
    client = FakeShopClient([group(1, 5, 2.0), new_orleans], [rented(33100000001), rented(33100000009, application_key=APP)])
    result = rentals(client, rental("v", 2, APP, group_id=1), rental("s", 1, APP, group_id=75, capability="sms"))
    assert [call for call in client.calls if call[0] == "set_application_numbers"] == [
        ("set_application_numbers", APP, "sms", [337500000001]),
        ("set_application_numbers", APP, "voice", [33100000001, 33100000009])]
    assert client.names().count("list_application_numbers") == 2
    assert result["applications"] == {APP: ["+33100000001", "+33100000009", "+337500000001"]}


@pytest.mark.parametrize("order", [("voice", "sms"), ("sms", "voice")])
def test_rentals_splitting_the_capabilities_of_one_group_buy_one_number_in_any_order(rentals, order):
    client = fake(groups=[group(7, 5, 2.0, country_id="US", city="BOSTON", capabilities=("voice", "sms"))])
    items = [rental(capability, 1, country_id="US", capability=capability) for capability in order]
    result = rentals(client, *items)
    assert [call for call in client.calls if call[0] == "reserve"] == [("reserve", 7, 1, ["sms", "voice"])]
    assert result["totals"]["rented_this_run"] == 1 and client.ledger.bought() == 1


# --- what counts as a change --------------------------------------------------------------------------

def test_a_rental_that_only_assigns_a_free_number_is_a_change(through_runner):
    client = fake([rented(33100000001, application_key=APP), rented(33100000002)])
    module = through_runner(client, rental("app", 2, APP, group_id=1))
    result = module.exited
    assert client.names() == ["list_numbers", "list_application_numbers", "set_application_numbers"]
    assert result["changed"] is True
    assert result["msg"] == "Put numbers on 1 application (%s)." % APP
    assert result["rentals"][0]["assigned"] == ["+33100000002"] and result["rentals"][0]["changed"] is True
    assert result["totals"]["rented_this_run"] == 0 and client.credit == 100
    assert client.assigned(APP) == [33100000001, 33100000002]


def test_a_group_priced_exactly_at_max_unit_cost_is_rented(rentals):
    client = fake()
    result = rentals(client, rental("fr", 2, country_id="FR"), max_unit_cost="2.00", currency_id="USD")
    assert result["totals"]["rented_this_run"] == 2 and client.ledger.bought() == 2
    with pytest.raises(PlanError) as err:
        rentals(fake(), rental("fr", 2, country_id="FR"), max_unit_cost="1.999")
    assert "more than max_unit_cost 1.999" in err.value.describe()


def test_numbers_bought_that_do_not_match_are_warned_about_and_never_bought_again(through_runner):
    client = fake(groups=[group(1, 7, 2.0, city="PARIS")])
    client.ledger.handout[1] = {"city": "MARSEILLE"}
    module = through_runner(client, rental("paris", 2, country_id="FR", city="Paris"))
    assert module.exited["changed"] is True and module.exited["totals"]["rented_this_run"] == 2
    assert client.names().count("reserve") == 1 and client.ledger.bought() == 2
    assert [text for text in module.warnings if text.startswith("After the checkout")] == [
        "After the checkout, the rented numbers show fewer matching numbers than wanted: rental 'paris' (FR, city Paris) "
        "holds 0 of 2. Sinch may have handed out numbers that do not match, or another writer changed them; check them "
        "(sinch.numbers.sinch_number_info) before running again."]


def test_numbers_bought_without_the_capability_are_warned_about(through_runner):
    client = fake()
    client.ledger.handout[1] = {"capabilities": ["sms"]}
    module = through_runner(client, rental("voice", 1, country_id="FR", capability="voice"))
    assert client.ledger.bought() == 1
    assert any("fewer matching numbers than wanted" in text and "holds 0 of 1" in text for text in module.warnings)


# --- the organisation lock ------------------------------------------------------------------------------

def _race(through_runner, runs=2, lock_paths=None):
    """``runs`` real runs at once, one client each over one ledger; each first read lingers so that they overlap.

    ``lock_paths`` gives each run a directory of its own (default: the fixture's, shared).
    """
    ledger = Ledger(SHOP)
    clients = [FakeShopClient(ledger=ledger) for _run in range(runs)]
    modules = [None] * runs

    def slow_first_read(client):
        def delay():
            if client.names().count("list_numbers") == 1:
                time.sleep(0.3)
        return delay

    start = threading.Barrier(runs)

    def run(index):
        clients[index].read_delay = slow_first_read(clients[index])
        start.wait(10)
        options = dict(lock_timeout=30)
        if lock_paths:
            options["lock_path"] = lock_paths[index]
        modules[index] = through_runner(clients[index], rental("fr", 3, country_id="FR"), **options)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return ledger, clients, modules


def test_concurrent_runs_on_one_organisation_buy_once(through_runner):
    ledger, clients, modules = _race(through_runner)
    assert ledger.bought() == 3 and ledger.credit == Decimal("94")
    assert sorted(module.exited["changed"] for module in modules) == [False, True]
    assert sum(client.names().count("checkout") for client in clients) == 1
    waited = [text for module in modules for text in module.warnings if text.startswith("Another run is writing")]
    assert len(waited) == 1 and "organisation %d" % ORG in waited[0]


def test_without_the_lock_the_same_race_buys_twice(through_runner, monkeypatch, tmp_path):
    # The control of the test above: its race is real, so only the lock (and the records kept beside it) makes it buy
    # once. Without the lock, and with a directory each, both runs buy.
    monkeypatch.setattr(_rentals, "OrganisationLock", lambda *args, **kwargs: contextlib.nullcontext())
    paths = []
    for index in range(2):
        path = tmp_path / ("run-%d" % index)
        path.mkdir(mode=0o700)
        paths.append(str(path))
    ledger, _clients, _modules = _race(through_runner, lock_paths=paths)
    assert ledger.bought() == 6


def test_a_run_waits_for_the_lock_and_fails_without_reading_when_it_is_held_too_long(through_runner, lock_dir):
    client = fake()
    with OrganisationLock(ORG, directory=lock_dir):
        module = through_runner(client, rental("fr", 1, country_id="FR"), lock_timeout=0.3)
    assert client.calls == []
    assert module.failed["changed"] is False
    assert module.failed["msg"].startswith("Another run kept writing for organisation %d on this machine" % ORG)


def test_check_mode_does_not_wait_for_the_lock(rentals, lock_dir):
    client = fake()
    with OrganisationLock(ORG, directory=lock_dir):
        result = rentals(client, rental("fr", 1, country_id="FR"), check_mode=True, lock_timeout=0)
    assert result["changed"] is True and client.writes() == []


# --- checkouts ------------------------------------------------------------------------------------------

def test_a_lost_checkout_answer_is_sent_again_and_paid_once(rentals):
    client = fake()
    client.checkout_faults = ["drop_after"]
    result = rentals(client, rental("org", 2, group_id=1))
    assert [call for call in client.calls if call[0] == "checkout"] == [("checkout", "ref-1")] * 2
    assert result["rentals"][0]["rented_this_run"] == ["+33100000001", "+33100000002"]
    assert client.credit == 96 and client.ledger.bought() == 2


def test_a_lagging_read_is_read_again(rentals, waits):
    client = fake()
    client.lagging_reads = 2   # two reads after the checkout do not show the new number yet
    result = rentals(client, rental("org", 1, group_id=1))
    assert client.names().count("list_numbers") == 4
    assert waits == list(SETTLE)
    assert result["rentals"][0]["rented_this_run"] == ["+33100000001"]


def test_numbers_never_listed_fail_as_a_change_saying_what_was_bought(through_runner, waits):
    client = fake()
    client.lagging_reads = 10
    result = through_runner(client, rental("app", 1, APP, group_id=1)).failed
    assert result["changed"] is True
    assert "Sinch accepted the checkout of reservation ref-1 (1 number of group 1 (PARIS), 2.00 USD a month)" in result["msg"]
    assert "bought 1 number of group 1 (not listed by Sinch yet) for 2.00 USD a month (reservation ref-1)" in result["msg"]
    assert result["totals"]["rented_this_run"] == 1 and result["totals"]["unlisted"] == 1
    assert result["totals"]["added_monthly_cost"] == [{"amount": "2.00", "currency_id": "USD"}]
    assert [(item["reference_id"], item["status"], item["application_keys"]) for item in result["pending_purchase"]] == [
        ("ref-1", "bought, not listed yet", [APP])]
    assert "set_application_numbers" not in client.names()
    assert waits == list(SETTLE)


def test_an_unknown_outcome_is_never_a_known_spend(through_runner):
    client = fake()
    client.checkout_faults = ["drop_before"] * (1 + len(RESEND))
    result = through_runner(client, rental("fr", 2, country_id="FR")).failed
    assert client.ledger.bought() == 0
    assert result["changed"] is True
    totals = result["totals"]
    assert totals["rented_this_run"] == 0 and totals["added_monthly_cost"] == []
    assert totals["maybe_rented"] == 2
    assert totals["maybe_added_monthly_cost"] == [{"amount": "4.00", "currency_id": "USD"}]
    assert [(item["reference_id"], item["status"]) for item in result["pending_purchase"]] == [("ref-1", "outcome unknown")]
    assert "may have bought 2 numbers of group 1 for 4.00 USD a month (reservation ref-1)" in result["msg"]
    assert [(write["reference_id"], write["status"]) for write in result["writes"]] == [("ref-1", "unknown")]


def test_a_rerun_after_an_unknown_outcome_buys_nothing_it_may_have_covered(through_runner):
    ledger = Ledger(SHOP)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before", "expire"]    # lost, then gone: consumed or expired cannot be told
    through_runner(first, rental("fr", 2, country_id="FR"))
    again = FakeShopClient(ledger=ledger)
    result = through_runner(again, rental("fr", 2, country_id="FR")).failed
    assert "reserve" not in again.names() and ledger.bought() == 0
    assert "earlier purchase on this machine was not seen in the rented numbers yet" in result["msg"]
    assert [item["reference_id"] for item in result["pending_purchase"]] == ["ref-1"]


def test_a_rerun_that_buys_a_pending_purchase_now_says_changed(through_runner):
    ledger = Ledger(SHOP)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before"] * (1 + len(RESEND))
    through_runner(first, rental("fr", 2, country_id="FR"))
    again = FakeShopClient(ledger=ledger)
    module = through_runner(again, rental("fr", 2, country_id="FR"))
    result = module.exited
    assert again.names() == ["list_numbers", "checkout", "list_numbers"] and ledger.bought() == 2
    assert result["changed"] is True
    assert result["totals"]["rented_this_run"] == 2
    assert result["totals"]["added_monthly_cost"] == [{"amount": "4.00", "currency_id": "USD"}]
    assert "This run sent again the checkout of an earlier purchase: it bought 2 numbers of group 1" in result["msg"]


def test_an_expired_reservation_beside_a_valid_one_converges_in_the_same_run(rentals):
    client = fake()
    client.checkout_faults = ["ok", "expire"]
    result = rentals(client, rental("fr", 2, country_id="FR"), rental("uk", 1, country_id="GB"))
    assert [call[1] for call in client.calls if call[0] == "checkout"] == ["ref-1", "ref-2", "ref-3"]
    assert result["totals"]["rented_this_run"] == 3 and client.ledger.bought() == 3
    assert result["reference_ids"] == ["ref-1", "ref-2", "ref-3"]


def test_credit_running_out_mid_run_says_what_the_earlier_lines_bought(through_runner):
    client = fake(credit="4")
    result = through_runner(client, rental("fr", 2, country_id="FR"), rental("uk", 1, country_id="GB")).failed
    assert client.ledger.bought() == 2
    assert result["changed"] is True
    assert "errorCode 40200" in result["msg"]
    assert "bought 2 numbers of group 1 (+33100000001, +33100000002) for 4.00 USD a month (reservation ref-1)" in result["msg"]
    assert result["totals"]["rented_this_run"] == 2
    assert [(write["reference_id"], write["status"]) for write in result["writes"]] == [("ref-1", "applied")]


def test_a_refused_reserve_buys_nothing_and_is_no_change(through_runner):
    client = fake()
    client.reserve_faults = [None, http_error(400, 40003, "Not enough numbers available", method="PUT")]
    result = through_runner(client, rental("fr", 1, group_id=1), rental("uk", 1, group_id=2)).failed
    assert result["changed"] is False and result["writes"] == []
    assert "Nothing was bought" in result["msg"]
    assert "checkout" not in client.names()


# --- refusals before any write ---------------------------------------------------------------------

def test_an_unknown_application_stops_before_the_shop(rentals):
    client = fake()
    with pytest.raises(PlanError) as err:
        rentals(client, rental("x", 1, "cccccccc-0000-4000-8000-000000000003", group_id=1))
    assert "is not known to this organisation" in err.value.describe()
    assert client.names() == ["list_numbers", "list_application_numbers"]


@pytest.mark.parametrize("bad", [dict(count=-1), dict(count=True), dict(application_key="../x"), dict(group_id=None)])
def test_bad_rentals_are_refused_before_any_request(bad):
    option = rental("x", 1, group_id=1)
    option.update(bad)
    with pytest.raises(InputError) as err:
        module_params(ARGUMENTS, rentals=[option])
    assert "Nothing was sent to Sinch" in err.value.describe()


def test_numbers_listed_without_capabilities_stop_the_call_before_any_reserve(rentals):
    client = fake([rented(33100000001), rented(33100000002)])
    client.list_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities") for raw in answer]
    for _run in range(2):
        with pytest.raises(UnreadableError) as err:
            rentals(client, rental("voice", 3, country_id="FR", capability="voice"))
        assert "Sinch listed 2 of the organisation's 2 numbers with fields that cannot be read" in err.value.describe()
    assert client.writes() == [] and client.credit == 100


def test_a_number_whose_application_cannot_be_read_is_never_taken_as_free(rentals):
    client = fake([rented(33100000001)])
    client.list_filter = lambda answer: [dict(raw, applicationKey=7) for raw in answer]
    with pytest.raises(UnreadableError):
        rentals(client, rental("app", 1, APP, group_id=1))
    assert client.writes() == []


def test_an_approved_plan_id_is_applied_and_another_is_refused_before_any_write(rentals):
    planned = rentals(fake(), rental("fr", 2, country_id="FR"), check_mode=True)
    client = fake()
    with pytest.raises(Exception) as err:
        rentals(client, rental("fr", 3, country_id="FR"), expected_plan_id=planned["plan_id"])
    assert "plan" in str(err.value).lower() and client.writes() == []
    result = rentals(client, rental("fr", 2, country_id="FR"), expected_plan_id=planned["plan_id"])
    assert result["plan_id"] == planned["plan_id"] and client.ledger.bought() == 2


def test_reads_that_disagree_stop_the_write_and_say_what_was_bought(through_runner):
    client = fake([rented(33100000009, application_key=APP)])
    real = client.list_application_numbers

    def stale(key):  # the application read misses a number the rented-numbers read shows on it
        return [raw for raw in real(key) if raw["number"] != 33100000009]
    client.list_application_numbers = stale
    result = through_runner(client, rental("a", 2, APP, group_id=1)).failed
    assert "set_application_numbers" not in client.names()
    assert "its numbers cannot be told for sure" in result["msg"]
    assert "Before it failed, this task bought 1 number of group 1 (+33100000001)" in result["msg"]
    assert result["changed"] is True
    assert result["totals"]["rented_this_run"] == 1
    assert client.credit == 98


def test_numbers_of_another_application_are_never_taken(rentals):
    client = fake([rented(33100000001, application_key=OTHER)])
    result = rentals(client, rental("app", 1, APP, group_id=1))
    assert client.assigned(OTHER) == [33100000001]
    assert result["rentals"][0]["rented_this_run"] == ["+33100000002"]


def _hide_application_of(number):
    def rewrite(answer):
        return [dict((k, v) for k, v in raw.items() if not (raw["number"] == number and k == "applicationKey"))
                for raw in answer]
    return rewrite


def test_a_number_whose_application_the_listing_leaves_out_is_never_taken_as_free(through_runner):
    # +33100000002 is on OTHER, but the listing leaves its applicationKey out: it looks free. OTHER, which the listing
    # names on another number, is read before anything is written, and lists it: the run stops, nothing written.
    client = fake([rented(33100000001, application_key=OTHER), rented(33100000002, application_key=OTHER)])
    client.list_filter = _hide_application_of(33100000002)
    module = through_runner(client, rental("app", 1, APP, group_id=1))
    assert client.writes() == [] and client.assigned(OTHER) == [33100000001, 33100000002]
    assert module.failed and "application %s lists +33100000002" % OTHER in module.result["msg"]
    assert client.names() == ["list_numbers", "list_application_numbers", "list_application_numbers"]


def test_free_numbers_are_checked_against_the_other_applications_only_when_some_are_taken(through_runner):
    client = fake([rented(33100000001, application_key=OTHER), rented(33100000002)])
    module = through_runner(client, rental("app", 1, APP, group_id=1))
    assert module.exited["changed"] is True and client.assigned(APP) == [33100000002]
    # The rented numbers, APP (no number shows it: does it exist?), OTHER (does it list the free number?), then APP
    # again right before its overwrite.
    assert client.names() == ["list_numbers", "list_application_numbers", "list_application_numbers",
                              "list_application_numbers", "set_application_numbers"]
