# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_rent: which requests are sent, one checkout per reservation, and honest results (never pay twice)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, PlanError, UnreadableError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import Journal
from ansible_collections.sinch.numbers.plugins.module_utils._rent import number_rent
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_rent import ARGUMENTS
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import (
    FakeShopClient,
    Ledger,
    group,
    http_error,
    lost,
    module_params,
    rented,
    run_module,
)

OWNED = [rented(33100000001), rented(33100000002), rented(33200000001, group_id=2, city="LYON", area_code="04")]
BUY = ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers"]
SETTLE = (0.5, 1.0)
RESEND = (1.0, 2.0)


@pytest.fixture
def waits():
    """What the purchase slept (it never really waits here)."""
    return []


@pytest.fixture
def lock_dir(tmp_path):
    """The organisation's lock and pending purchases live in a directory of the test's own."""
    return str(tmp_path)


@pytest.fixture
def rent(waits, lock_dir):
    """number_rent as the module calls it, with no real waits and the lock in the test's directory."""
    def call(client, params, check_mode=False):
        params.setdefault("lock_path", lock_dir)
        client.journal = Journal()  # each run of the module has a client of its own
        return number_rent(client, module_params(ARGUMENTS, **params), check_mode, sleep=waits.append,
                           settle_delays=SETTLE, resend_delays=RESEND)
    return call


@pytest.fixture
def through_runner(waits, lock_dir):
    """The module's result as the user sees it (the runner, _module.run), success or failure."""
    def call(client, params, check_mode=False, **options):
        params.setdefault("lock_path", lock_dir)
        client.journal = Journal()  # each run of the module has a client of its own
        options.setdefault("sleep", waits.append)
        return run_module(number_rent, client, module_params(ARGUMENTS, **params), check_mode,
                          settle_delays=SETTLE, resend_delays=RESEND, **options)
    return call


def paris(count=5, **values):
    return dict(count=count, country_id="FR", city="paris", capability="Voice", **values)


def client(groups=None, credit="100", **values):
    return FakeShopClient(groups if groups is not None else [group(1, 7, 2.0), group(3, 4, 1.5, city="LYON")],
                          OWNED, credit=credit, **values)


def e164(records):
    return [item["e164"] for item in records]


# --- converged runs ------------------------------------------------------------------------------

def test_converged_run_is_one_read_and_no_write(rent):
    fake = client()
    result = rent(fake, paris(2))
    assert fake.names() == ["list_numbers"]
    assert result["changed"] is False
    assert result["msg"] == "The organisation already holds 2 matching numbers; nothing rented."
    assert e164(result["numbers"]) == ["+33100000001", "+33100000002"]
    assert result["plan"]["groups"] == [] and result["plan"]["total"]["amount"] == "0.00"
    assert result["check_mode"] is False and result["rented_count"] == 0
    assert result["rented"] == [] and result["reference_ids"] == [] and result["pending_purchase"] == []


def test_more_than_count_is_fine_and_count_zero_never_rents(rent):
    fake = client()
    assert rent(fake, paris(1))["changed"] is False
    assert rent(fake, dict(count=0, group_id=9))["changed"] is False
    assert fake.writes() == []


# --- options refused before any request ----------------------------------------------------------

@pytest.mark.parametrize("values, sentence", [
    (dict(count=-1), "count must be 0 or more (it is -1)."),
    (dict(count=True), "count must be a whole number, not true/false (true)."),
    (dict(count=1, max_unit_cost=True), "max_unit_cost must be an amount of money"),
    (dict(count=1, max_unit_cost="inf"), "max_unit_cost must be a finite amount of money"),
    (dict(count=1, max_total_cost=5, currency_id="US D"), "currency_id must be a three-letter ISO 4217 currency"),
    (dict(count=1, lock_timeout=False), "lock_timeout must be a number of seconds"),
    (dict(count=1, capability="fax"), "capability 'fax' is not one Sinch knows"),
])
def test_an_unusable_option_is_one_sentence_before_any_request(values, sentence):
    values.setdefault("group_id", 1)
    with pytest.raises(InputError) as err:
        module_params(ARGUMENTS, **values)
    assert err.value.describe().startswith(sentence)


# --- renting -------------------------------------------------------------------------------------

def test_first_run_rents_exactly_the_shortfall(rent):
    fake = client()
    result = rent(fake, paris(5))
    assert fake.names() == BUY
    assert fake.calls[2] == ("reserve", 1, 3, ["voice"])
    assert fake.calls[3] == ("checkout", "ref-1")
    assert result["changed"] is True
    assert result["msg"] == ("Rented 3 numbers in group 1 (PARIS) for 6.00 USD a month; "
                             "the organisation now holds 5 matching numbers.")
    assert [n["number"] for n in result["rented"]] == [33100000003, 33100000004, 33100000005]
    assert result["rented_count"] == 3 and result["unlisted_count"] == 0
    assert result["spent"] == {"amount": "6.00", "currency_id": "USD"}
    assert result["bought_per_group"] == [{"group_id": 1, "quantity": 3, "bought": 3}]
    assert len(result["numbers"]) == 5 and result["held"] == 5
    assert result["reference_ids"] == ["ref-1"]
    assert result["diff"]["before"].splitlines() == ["+33100000001", "+33100000002"]
    assert result["diff"]["after"].splitlines() == e164(result["numbers"])
    assert fake.credit == Decimal("94.0")
    # And the re-run changes nothing, with one request.
    fake.calls = []
    assert rent(fake, paris(5))["changed"] is False
    assert fake.names() == ["list_numbers"]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_renting_from_k_groups_is_a_read_the_shop_k_reserves_k_checkouts_and_a_read(rent, k):
    shop = [group(1, 2, 2.0), group(2, 2, 1.0), group(3, 9, 3.0)]
    fake = FakeShopClient(shop, credit="100")
    count = [2, 4, 5][k - 1]
    result = rent(fake, dict(count=count, country_id="FR"))
    assert fake.names() == ["list_numbers", "list_number_groups"] + ["reserve"] * k + ["checkout"] * k + ["list_numbers"]
    # Cheapest group first; each checkout carries the one reservation of its group.
    assert [call[1] for call in fake.calls if call[0] == "reserve"] == [2, 1, 3][:k]
    assert [call[1] for call in fake.calls if call[0] == "checkout"] == ["ref-%d" % (i + 1) for i in range(k)]
    assert result["reference_ids"] == ["ref-%d" % (i + 1) for i in range(k)]
    assert result["rented_count"] == count and len(result["numbers"]) == count
    spent = Decimal(result["spent"]["amount"])
    assert spent == Decimal(100) - fake.credit == Decimal(result["plan"]["total"]["amount"])


def test_k_groups_are_named_in_the_message(rent):
    fake = FakeShopClient([group(1, 2, 2.0), group(2, 2, 1.0), group(3, 9, 3.0)], credit="100")
    result = rent(fake, dict(count=5, country_id="FR"))
    assert fake.calls[2][3] == ["voice"]  # every capability of the group is asked for
    assert result["plan"]["total"] == {"amount": "9.00", "currency_id": "USD"}
    assert result["msg"].startswith("Rented 5 numbers in groups 2 (PARIS), 1 (PARIS) and 3 (PARIS) for 9.00 USD a month")


def test_check_mode_plans_exactly_and_writes_nothing(rent):
    fake = client()
    result = rent(fake, paris(5), check_mode=True)
    assert fake.names() == ["list_numbers", "list_number_groups"]
    assert result["changed"] is True
    assert result["plan"]["groups"] == [{"group_id": 1, "quantity": 3, "unit_cost": {"amount": "2.00", "currency_id": "USD"},
                                         "subtotal": {"amount": "6.00", "currency_id": "USD"}, "capabilities": ["voice"],
                                         "cost_known": True}]
    assert result["plan"]["total"] == {"amount": "6.00", "currency_id": "USD"}
    assert result["check_mode"] is True and result["rented_count"] == 0
    assert result["msg"] == ("Would rent 3 numbers in group 1 (PARIS) for 6.00 USD a month; "
                             "the organisation would then hold 5 matching numbers.")
    assert result["diff"]["after"].splitlines() == ["+33100000001", "+33100000002"] + ["(new number in group 1)"] * 3
    assert fake.credit == Decimal("100") and len(fake.numbers) == 3
    # The real run buys that very plan.
    assert rent(fake, paris(5))["plan"] == result["plan"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_cost_guard_stops_before_any_reserve(rent, check_mode):
    fake = client()
    with pytest.raises(PlanError) as err:
        rent(fake, paris(5, max_total_cost=5.5, currency_id="usd"), check_mode)
    assert "the plan would add 6.00 USD a month, more than max_total_cost 5.50 USD" in err.value.describe()
    assert fake.names() == ["list_numbers", "list_number_groups"]


def test_a_group_priced_exactly_at_max_unit_cost_is_rented(rent):
    fake = client()
    result = rent(fake, paris(5, max_unit_cost="2.00", currency_id="USD"))
    assert result["rented_count"] == 3 and fake.credit == Decimal("94.0")
    with pytest.raises(PlanError) as err:
        rent(client(), paris(5, max_unit_cost="1.99"))
    assert "more than max_unit_cost 1.99" in err.value.describe()


@pytest.mark.parametrize("check_mode", [True, False])
def test_not_enough_in_the_shop_stops_before_any_reserve(rent, check_mode):
    fake = client()
    with pytest.raises(PlanError) as err:
        rent(fake, paris(10), check_mode)
    assert "cannot rent 8 more numbers: the shop has only 7 available" in err.value.describe()
    assert fake.writes() == []


def test_group_selector_counts_by_group_and_reserves_every_capability_of_the_group(rent):
    fake = FakeShopClient([group(1, 7, 2.0, capabilities=("voice", "sms"))], OWNED)
    result = rent(fake, dict(count=3, group_id=1, capability="VOICE"))
    assert fake.calls[2] == ("reserve", 1, 1, ["sms", "voice"])
    assert len(result["numbers"]) == 3


def test_held_is_returned_and_fields_shape_numbers_only(rent):
    fake = client()
    result = rent(fake, paris(3, fields=["e164"]))
    assert fake.names() == BUY
    assert result["held"] == 3
    assert len(result["rented"]) == 1 and "group_id" in result["rented"][0]
    held = sorted(["+33100000001", "+33100000002", result["rented"][0]["e164"]])
    assert result["numbers"] == [{"e164": number} for number in held]


def test_empty_fields_leave_numbers_out_but_keep_rented_and_the_diff(rent):
    fake = client()
    result = rent(fake, paris(3, fields=[]))
    assert "numbers" not in result
    assert result["held"] == 3
    assert len(result["rented"]) == 1
    assert result["diff"]["after"].count("\n") == 3


def test_fields_in_check_mode_and_when_converged(rent):
    planned = rent(client(), paris(4, fields=[]), check_mode=True)
    assert "numbers" not in planned and planned["held"] == 2 and planned["changed"] is True
    converged = rent(client(), paris(2, fields=["number"]))
    assert converged["numbers"] == [{"number": 33100000001}, {"number": 33100000002}] and converged["held"] == 2


@pytest.mark.parametrize("odd", ["group 1", None, 7, {"groupId": "x", "availability": 3}])
def test_a_shop_item_that_cannot_be_read_is_never_rented_from(rent, odd):
    fake = client()
    fake.groups[99] = odd
    result = rent(fake, paris(5))
    assert [call[1] for call in fake.calls if call[0] == "reserve"] == [1]
    assert result["rented_count"] == 3 and fake.credit == Decimal("94.0")


# --- unknown is never "no" -------------------------------------------------------------------------

@pytest.mark.parametrize("field, doubtful", [("capabilities", 2), ("groupId", 3), ("countryId", 2), ("city", 3)])
def test_rented_numbers_listed_without_a_field_the_selection_reads_buy_nothing(rent, field, doubtful):
    # The Lyon number cannot count for Paris whatever its unreadable field says; the Paris ones may.
    fake = client()
    fake.list_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != field) for raw in answer]
    selection = dict(count=4, group_id=1, capability="voice") if field == "groupId" else paris(4)
    for _run in range(2):
        with pytest.raises(UnreadableError) as err:
            rent(fake, selection)
        text = err.value.describe()
        assert "nothing was reserved or assigned" in text and field in text
        assert "Sinch listed %d of the organisation's 3 numbers with fields that cannot be read" % doubtful in text
    assert fake.writes() == [] and fake.credit == Decimal("100")


def test_numbers_bought_in_another_city_are_warned_about_and_never_bought_again(through_runner):
    fake = client()
    fake.ledger.handout[1] = {"city": "LYON"}
    module = through_runner(fake, paris(5))
    result = module.result
    assert result["changed"] is True and result["rented_count"] == 3
    assert fake.names().count("checkout") == 1 and fake.credit == Decimal("94.0")
    assert result["msg"].endswith("the organisation now holds 2 matching numbers.")
    assert [text for text in module.warnings if "fewer matching numbers than wanted" in text] == [
        "After the checkout, the rented numbers show fewer matching numbers than wanted: the selection FR, city paris, "
        "voice holds 2 of 5. Sinch may have handed out numbers that do not match, or another writer changed them; "
        "check them (sinch.numbers.sinch_number_info) before running again."]


def test_numbers_bought_without_the_capability_are_warned_about(through_runner):
    fake = client()
    fake.ledger.handout[1] = {"capabilities": ["sms"]}
    module = through_runner(fake, paris(5))
    assert module.result["changed"] is True and fake.names().count("reserve") == 1
    assert any("holds 2 of 5" in text for text in module.warnings)


# --- one checkout per reservation: what each answer leads to ------------------------------------------

def test_expired_reservation_is_renewed_for_what_a_fresh_read_shows_missing(rent):
    fake = client()
    fake.checkout_faults = ["expire"]
    result = rent(fake, paris(5))
    # 40400 leaves "consumed or expired" open: the reads (with backoff) decide before anything is reserved again.
    names = fake.names()
    assert names[:5] == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers"]
    assert names[-3:] == ["reserve", "checkout", "list_numbers"] and set(names[5:-3]) <= set(["list_numbers"])
    assert fake.calls[-3] == ("reserve", 1, 3, ["voice"]) and fake.calls[-2] == ("checkout", "ref-2")
    assert result["reference_ids"] == ["ref-1", "ref-2"] and result["rented_count"] == 3
    assert len(result["rented"]) == 3 and fake.credit == Decimal("94.0")


def test_a_reservation_expiring_twice_still_converges_in_the_same_run(rent):
    fake = client()
    fake.checkout_faults = ["expire", "expire"]
    result = rent(fake, paris(5))
    assert fake.names().count("reserve") == 3 and fake.names().count("checkout") == 3
    assert result["rented_count"] == 3 and fake.credit == Decimal("94.0")


def test_a_reservation_expiring_past_its_renewals_fails_without_buying(through_runner):
    fake = client()
    fake.checkout_faults = ["expire", "expire", "expire"]
    result = through_runner(fake, paris(5)).result
    assert fake.names().count("checkout") == 3 and fake.names().count("reserve") == 3
    assert "expired before its checkout again, after it was renewed 2 times" in result["msg"]
    assert result["changed"] is False and result["writes"] == []
    assert fake.credit == Decimal("100") and len(fake.numbers) == 3


def test_an_expired_reservation_beside_a_valid_one_converges_in_the_same_run(rent):
    fake = FakeShopClient([group(1, 2, 1.0), group(2, 5, 2.0)], credit="100")
    fake.checkout_faults = ["ok", "expire"]
    result = rent(fake, dict(count=4, country_id="FR"))
    assert [call[1] for call in fake.calls if call[0] == "checkout"] == ["ref-1", "ref-2", "ref-3"]
    assert fake.calls[fake.calls.index(("checkout", "ref-3")) - 1] == ("reserve", 2, 2, ["voice"])
    assert result["rented_count"] == 4 and len(result["numbers"]) == 4
    assert fake.credit == Decimal("94")


@pytest.mark.parametrize("fault", ["drop_after", "drop_before", http_error(500, 50000, "internal"),
                                   ("applied", http_error(502, 50200, "bad gateway"))],
                         ids=["lost, applied", "lost, not applied", "500, not applied", "applied, then 502"])
def test_a_checkout_without_a_usable_answer_is_sent_again_and_paid_once(rent, waits, fault):
    fake = client()
    fake.checkout_faults = [fault]
    result = rent(fake, paris(5))
    # The same reservation again (a reservation is bought at most once), then one read.
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "checkout", "list_numbers"]
    assert fake.calls[4] == ("checkout", "ref-1")
    assert waits == [RESEND[0]]
    assert result["changed"] is True and result["rented_count"] == 3 and len(result["numbers"]) == 5
    assert result["spent"] == {"amount": "6.00", "currency_id": "USD"}
    assert fake.credit == Decimal("94.0") and fake.ledger.bought() == 3


def test_a_500_is_classified_by_the_transport_as_an_unknown_outcome():
    assert http_error(500, 50000, "internal").outcome_unknown is True
    assert http_error(404, 40400, "gone").definite is True


def test_a_lost_answer_found_only_by_a_lagging_read_is_bought_once(rent):
    fake = client()
    fake.checkout_faults = ["drop_after"]
    fake.lagging_reads = 1   # the first read after the checkout does not list its numbers yet
    result = rent(fake, paris(5))
    assert fake.names().count("reserve") == 1 and fake.names().count("checkout") == 2
    assert fake.names().count("list_numbers") == 3
    assert result["rented_count"] == 3 and len(result["rented"]) == 3 and fake.credit == Decimal("94.0")


def test_an_unknown_outcome_is_never_a_known_spend_and_is_remembered(through_runner, lock_dir):
    fake = client()
    fake.checkout_faults = ["drop_before", "drop_before", "drop_before"]
    result = through_runner(fake, paris(5)).result
    assert fake.names() == (["list_numbers", "list_number_groups", "reserve"] + ["checkout"] * (1 + len(RESEND))
                            + ["list_numbers"] * (1 + len(SETTLE)))
    assert result["changed"] is True
    assert result["spent"]["amount"] is None
    assert result["maybe_rented_count"] == 3 and result["maybe_spent"] == [{"amount": "6.00", "currency_id": "USD"}]
    assert result["rented_count"] == 0
    assert "whether it was bought is unknown" in result["msg"] and "ref-1" in result["msg"]
    assert "a re-run here will not buy it again" in result["msg"]
    assert "may have bought 3 numbers of group 1 for 6.00 USD a month (reservation ref-1)" in result["msg"]
    assert [(item["reference_id"], item["quantity"], item["status"]) for item in result["pending_purchase"]] == [
        ("ref-1", 3, "outcome unknown")]
    assert [write["status"] for write in result["writes"]] == ["unknown"]
    record = json.load(open(os.path.join(lock_dir, "sinch-numbers-8888123.pending.json")))
    assert [item["reference_id"] for item in record["purchases"]] == ["ref-1"]


def test_after_an_unknown_outcome_a_rerun_sends_the_same_checkout_again_and_buys_it_once(through_runner):
    ledger = Ledger([group(1, 7, 2.0)], OWNED)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before"] * 3
    assert through_runner(first, paris(5)).result["pending_purchase"]
    again = FakeShopClient(ledger=ledger)
    module = through_runner(again, paris(5))
    result = module.result
    # The recorded reservation is checked out again (success: bought now, once), then read; nothing new reserved.
    assert again.names() == ["list_numbers", "checkout", "list_numbers"] and again.calls[1] == ("checkout", "ref-1")
    assert ledger.bought() == 3 and ledger.credit == Decimal("94.0")
    assert result["pending_purchase"] == [] and result["held"] == 5
    assert "The earlier checkout of reservation ref-1 was sent again and bought it now." in module.warnings
    # This run paid: it says so.
    assert result["changed"] is True and result["rented_count"] == 3
    assert result["spent"] == {"amount": "6.00", "currency_id": "USD"}
    assert "This run sent again the checkout of an earlier purchase: it bought 3 numbers of group 1" in result["msg"]
    assert "(reservation ref-1)" in result["msg"]
    assert len(result["rented"]) == 3
    again.calls = []
    third = through_runner(again, paris(5)).result
    assert third["changed"] is False and again.names() == ["list_numbers"]


def test_after_an_unknown_outcome_that_cannot_be_resolved_a_rerun_refuses_to_buy(through_runner):
    ledger = Ledger([group(1, 7, 2.0)], OWNED)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before", "expire"]   # lost, then the resend finds it gone: consumed or expired?
    result = through_runner(first, paris(5)).result
    assert result["changed"] is True and result["spent"]["amount"] is None
    assert first.names().count("reserve") == 1 and ledger.bought() == 0
    again = FakeShopClient(ledger=ledger)
    result = through_runner(again, paris(5)).result
    assert "reserve" not in again.names() and ledger.bought() == 0
    assert "1 earlier purchase on this machine was not seen in the rented numbers yet: reservation ref-1" in result["msg"]
    assert "nothing was bought for them again" in result["msg"]
    assert [item["reference_id"] for item in result["pending_purchase"]] == ["ref-1"]


def test_a_pending_purchase_can_be_forgotten_by_hand(through_runner):
    ledger = Ledger([group(1, 7, 2.0)], OWNED)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before", "expire"]
    through_runner(first, paris(5))
    again = FakeShopClient(ledger=ledger)
    module = through_runner(again, paris(5, pending_purchase="forget"))
    assert module.result["changed"] is True and module.result["rented_count"] == 3
    assert "The pending purchase of reservation ref-1 was forgotten as asked." in module.warnings
    assert ledger.bought() == 3 and module.result["pending_purchase"] == []


def test_a_pending_purchase_past_its_time_is_taken_as_not_bought(through_runner):
    ledger = Ledger([group(1, 7, 2.0)], OWNED)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before", "expire"]
    through_runner(first, paris(5))
    later = FakeShopClient(ledger=ledger)
    module = through_runner(later, paris(5), clock=lambda: 4102444800.0)   # 2100-01-01
    assert module.result["rented_count"] == 3 and ledger.bought() == 3
    assert any("was not bought (Sinch never listed its numbers" in text for text in module.warnings)


def test_check_mode_with_a_pending_purchase_warns_and_counts_it_as_held(through_runner):
    ledger = Ledger([group(1, 7, 2.0)], OWNED)
    first = FakeShopClient(ledger=ledger)
    first.checkout_faults = ["drop_before", "expire"]
    through_runner(first, paris(5))
    preview = FakeShopClient(ledger=ledger)
    module = through_runner(preview, paris(5), check_mode=True)
    # A real run would first send the recorded checkout again, which may buy: check mode says so and is a change.
    assert preview.writes() == [] and module.result["changed"] is True
    assert "A real run would first send again the checkout of reservation" in module.result["msg"]
    assert any("A real run first checks them again" in text for text in module.warnings)


def test_lost_answer_then_refused_for_credit_never_says_nothing_was_bought(through_runner):
    # The first send may have spent the credit late: a 40200 on the repeat proves nothing.
    fake = client()
    fake.checkout_faults = ["drop_before", http_error(402, 40200, "Insufficient funds to complete the transaction.")]
    result = through_runner(fake, paris(5)).result
    assert fake.names().count("checkout") == 2 and fake.names().count("reserve") == 1
    assert result["changed"] is True and result["spent"]["amount"] is None
    assert "Nothing was bought" not in result["msg"]
    assert "whether it was bought is unknown" in result["msg"]


def test_not_enough_credit_fails_plainly_and_buys_nothing(through_runner):
    fake = client(credit="5")
    result = through_runner(fake, paris(5)).result
    # One read after the refusal: a refusal a gateway answered for an applied checkout would show there.
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers"]
    assert result["changed"] is False and result["writes"] == []
    assert "errorCode 40200" in result["msg"]
    assert "The organisation's credit does not cover this purchase" in result["msg"]
    assert "Reservation ref-1 is held" in result["msg"]
    assert result["error"]["error_code"] == 40200
    assert fake.credit == Decimal("5") and len(fake.numbers) == 3


def test_credit_running_out_mid_run_says_what_earlier_lines_bought(through_runner):
    fake = FakeShopClient([group(1, 2, 1.0), group(2, 5, 2.0)], credit="3")
    result = through_runner(fake, dict(count=4, country_id="FR")).result
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "reserve", "checkout", "checkout",
                            "list_numbers"]
    assert result["changed"] is True and result["rented_count"] == 2
    assert result["spent"] == {"amount": "2.00", "currency_id": "USD"}
    assert "errorCode 40200" in result["msg"]
    assert "bought 2 numbers of group 1 (+33100000001, +33100000002) for 2.00 USD a month (reservation ref-1)" in result["msg"]
    assert [write["status"] for write in result["writes"]] == ["applied"]
    assert e164(result["rented"]) == ["+33100000001", "+33100000002"]


def test_accounting_not_set_up_fails_plainly(through_runner):
    fake = client(accounting=False)
    result = through_runner(fake, paris(5)).result
    assert "accounting set up" in result["msg"] and "ref-1" in result["msg"]
    assert result["changed"] is False and fake.names().count("checkout") == 1


def test_failed_reserve_names_the_reservations_already_held_and_checks_nothing_out(through_runner):
    fake = FakeShopClient([group(1, 2, 1.0), group(2, 5, 2.0)])
    fake.reserve_faults = [None, http_error(400, 40003, "Invalid number group: 2", method="PUT")]
    result = through_runner(fake, dict(count=3, country_id="FR")).result
    assert "checkout" not in fake.names()
    assert result["changed"] is False
    assert "Nothing was bought" in result["msg"] and "Reservation ref-1 is held" in result["msg"]


def test_lost_reserve_answer_is_not_repeated_and_says_it_may_be_held(through_runner):
    fake = client()
    fake.reserve_faults = [lost(method="PUT")]
    result = through_runner(fake, paris(5)).result
    assert fake.names().count("reserve") == 1 and "checkout" not in fake.names()
    assert result["changed"] is False
    assert "The failed reservation may have been made" in result["msg"]


def test_failed_reads_after_the_checkout_say_the_checkout_succeeded(through_runner):
    fake = client()
    original = fake.list_numbers

    def list_numbers():
        if "checkout" in fake.names():
            fake.calls.append(("list_numbers",))
            raise http_error(503, 50300, "unavailable", method="GET")
        return original()
    fake.list_numbers = list_numbers
    result = through_runner(fake, paris(5)).result
    assert fake.names().count("checkout") == 1 and fake.credit == Decimal("94.0")
    assert result["changed"] is True and result["rented_count"] == 3 and result["unlisted_count"] == 3
    assert "Sinch accepted the checkout of reservation ref-1" in result["msg"]
    assert "the rented numbers could not be read" in result["msg"]
    assert result["spent"] == {"amount": "6.00", "currency_id": "USD"}
    assert [item["status"] for item in result["pending_purchase"]] == ["bought, not listed yet"]


def test_bought_numbers_listed_late_are_read_for_again_with_backoff(rent, waits):
    fake = client()
    fake.lagging_reads = 2
    result = rent(fake, paris(5))
    assert fake.names() == BUY + ["list_numbers"] * 2
    assert waits == list(SETTLE)
    assert result["rented_count"] == 3 and len(result["rented"]) == 3


# --- a purchase remembered before it is sent; approved plans and pending purchases ------------------------------

class Killed(BaseException):
    """The module's process ends right after Sinch applied the checkout (killed, or the task's own timeout)."""


def test_a_run_killed_right_after_its_checkout_leaves_a_record_and_the_next_run_buys_nothing_more(through_runner,
                                                                                                  lock_dir):
    ledger_client = client()
    ledger_client.checkout_faults = [("ok", Killed())]
    with pytest.raises(Killed):
        through_runner(ledger_client, paris(5))
    spent = ledger_client.ledger.bought()
    assert spent == 3
    record = os.path.join(lock_dir, "sinch-numbers-%d.pending.json" % 8888123)
    with open(record) as handle:
        [entry] = json.load(handle)["purchases"]
    assert entry["reference_id"] == "ref-1" and entry["quantity"] == 3
    later = FakeShopClient(ledger=ledger_client.ledger)
    later.hidden, later.lagging_reads = set(ledger_client.hidden), 50   # and Sinch does not list them yet
    module = through_runner(later, paris(5))
    assert ledger_client.ledger.bought() == spent      # the re-run paid nothing more
    assert later.names().count("reserve") == 0
    assert "earlier purchase" in module.result["msg"] and module.result["pending_purchase"][0]["reference_id"] == "ref-1"


def test_an_approved_plan_is_refused_while_a_purchase_is_pending(through_runner):
    first = client()
    first.checkout_faults = ["drop_before", "expire"]
    through_runner(first, paris(5))
    approved = FakeShopClient(ledger=first.ledger)
    plan_id = "snp2-" + "-".join(["0" * 16] * 5)
    module = through_runner(approved, dict(paris(5), expected_plan_id=plan_id))
    assert approved.writes() == []
    assert "an approved plan (expected_plan_id) does not cover it" in module.result["msg"]


def test_forget_removes_a_record_that_cannot_be_read(through_runner, lock_dir):
    record = os.path.join(lock_dir, "sinch-numbers-%d.pending.json" % 8888123)
    with open(record, "w") as handle:
        json.dump({"purchases": [{"group": {}}]}, handle)
    os.chmod(record, 0o600)
    stuck = client()
    module = through_runner(stuck, paris(5))
    assert stuck.writes() == [] and "cannot be read" in module.result["msg"] and "pending_purchase: forget" in module.result["msg"]
    freed = client()
    module = through_runner(freed, paris(5, pending_purchase="forget"))
    assert not os.path.exists(record)
    assert module.result.get("rented_count") == 3, module.result.get("msg")
    assert any("could not be read, was removed as asked" in text for text in module.warnings)
