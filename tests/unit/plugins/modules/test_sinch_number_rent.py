# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_rent: which requests are sent, and the checkout-recovery decisions (never pay twice)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _lock, _rent
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_rent import ARGUMENTS, number_rent
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import FakeShopClient, group, http_error, rented


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch, tmp_path):
    """Settle reads do not really wait; each test has its own lock directory."""
    slept = []
    monkeypatch.setattr(_rent.time, "sleep", slept.append)
    monkeypatch.setattr(_lock.tempfile, "gettempdir", lambda: str(tmp_path))
    return slept


OWNED = [rented(33100000001), rented(33100000002), rented(33200000001, group_id=2, city="LYON", area_code="04")]
BUY = ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers"]


def wanted(**values):
    params = dict((name, None) for name in ARGUMENTS)
    params.update(values)
    return params


def paris(count=5, **values):
    return wanted(count=count, country_id="FR", city="paris", capability="Voice", **values)


def client(groups=None, credit="100", **values):
    return FakeShopClient(groups if groups is not None else [group(1, 7, 2.0), group(3, 4, 1.5, city="LYON")],
                          OWNED, credit=credit, **values)


def test_converged_run_is_one_read_and_no_write():
    fake = client()
    result = number_rent(fake, paris(2), False)
    assert fake.names() == ["list_numbers"]
    assert result["changed"] is False
    assert result["msg"] == "The organisation already holds 2 matching numbers; nothing rented."
    assert [n["e164"] for n in result["numbers"]] == ["+33100000001", "+33100000002"]
    assert result["plan"] == {"groups": [], "total": 0.0, "currency_id": None, "cost_known": True, "unknown_cost_groups": []}
    assert result["check_mode"] is False and result["rented_count"] == 0
    assert result["rented"] == [] and result["reference_ids"] == []


def test_more_than_count_is_fine_and_count_zero_never_rents():
    fake = client()
    assert number_rent(fake, paris(1), False)["changed"] is False
    assert number_rent(fake, wanted(count=0, group_id=9), False)["changed"] is False
    assert fake.writes() == []


def test_negative_count_is_refused_before_any_request():
    fake = client()
    with pytest.raises(ValueError) as err:
        number_rent(fake, paris(-1), False)
    assert str(err.value) == "count must be 0 or more (it is -1)."
    assert fake.calls == []


def test_first_run_rents_exactly_the_shortfall():
    fake = client()
    result = number_rent(fake, paris(5), False)
    assert fake.names() == BUY
    assert fake.calls[2] == ("reserve", 1, 3, ["voice"])
    assert fake.calls[3] == ("checkout", ["ref-1"])
    assert result["changed"] is True
    assert result["msg"] == ("Rented 3 numbers in group 1 (PARIS) for 6.00 USD a month; "
                             "the organisation now holds 5 matching numbers.")
    assert [n["number"] for n in result["rented"]] == [33100000003, 33100000004, 33100000005]
    assert len(result["numbers"]) == 5
    assert result["reference_ids"] == ["ref-1"]
    assert result["diff"]["before"].splitlines() == ["+33100000001", "+33100000002"]
    assert len(result["diff"]["after"].splitlines()) == 5
    assert fake.credit == Decimal("94.0")
    # And the re-run changes nothing, with one request.
    fake.calls = []
    assert number_rent(fake, paris(5), False)["changed"] is False
    assert fake.names() == ["list_numbers"]


def test_renting_from_k_groups_is_one_reserve_each_and_one_checkout():
    fake = FakeShopClient([group(1, 2, 2.0), group(2, 2, 1.0), group(3, 9, 3.0)], credit="100")
    result = number_rent(fake, wanted(count=5, country_id="FR"), False)
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "reserve", "reserve", "checkout", "list_numbers"]
    assert [call[1:3] for call in fake.calls[2:5]] == [(2, 2), (1, 2), (3, 1)]
    assert fake.calls[2][3] is None  # no capability asked: the group's own
    assert fake.calls[5] == ("checkout", ["ref-1", "ref-2", "ref-3"])
    assert result["plan"]["total"] == 9.0
    assert result["msg"].startswith("Rented 5 numbers in groups 2 (PARIS), 1 (PARIS) and 3 (PARIS) for 9.00 USD a month")


def test_check_mode_plans_exactly_and_writes_nothing():
    fake = client()
    result = number_rent(fake, paris(5), True)
    assert fake.names() == ["list_numbers", "list_number_groups"]
    assert result["changed"] is True
    assert result["plan"] == {"groups": [{"group_id": 1, "quantity": 3, "unit_cost": 2.0, "subtotal": 6.0, "currency_id": "USD",
                                          "cost_known": True}],
                              "total": 6.0, "currency_id": "USD", "cost_known": True, "unknown_cost_groups": []}
    assert result["check_mode"] is True and result["rented_count"] == 0
    assert result["msg"] == ("Would rent 3 numbers in group 1 (PARIS) for 6.00 USD a month; "
                             "the organisation would then hold 5 matching numbers.")
    assert result["diff"]["after"].splitlines() == ["+33100000001", "+33100000002"] + ["(new number in group 1)"] * 3
    assert fake.credit == Decimal("100") and len(fake.numbers) == 3
    # The real run buys that very plan.
    assert number_rent(fake, paris(5), False)["plan"] == result["plan"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_cost_guard_stops_before_any_reserve(check_mode):
    fake = client()
    with pytest.raises(ValueError) as err:
        number_rent(fake, paris(5, max_total_cost=5.5, currency_id="USD"), check_mode)
    assert "The plan costs 6.00 USD a month, more than max_total_cost 5.50 USD" in str(err.value)
    assert fake.names() == ["list_numbers", "list_number_groups"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_not_enough_in_the_shop_stops_before_any_reserve(check_mode):
    fake = client()
    with pytest.raises(ValueError) as err:
        number_rent(fake, paris(10), check_mode)
    assert "Cannot rent 8 more numbers in FR, city paris, with voice: the shop has only 7 available" in str(err.value)
    assert fake.writes() == []


def test_expired_reservation_is_renewed_once():
    fake = client()
    fake.checkout_faults = ["expire"]
    result = number_rent(fake, paris(5), False)
    # 40400 on a lone reservation: read first, and again (bounded) until reads prove nothing arrived, then renew once.
    assert fake.names() == (["list_numbers", "list_number_groups", "reserve", "checkout"] + ["list_numbers"] * 5
                            + ["reserve", "checkout", "list_numbers"])
    assert fake.calls[10] == ("checkout", ["ref-2"])
    assert result["reference_ids"] == ["ref-1", "ref-2"] and len(result["rented"]) == 3 and result["rented_count"] == 3
    assert fake.credit == Decimal("94.0")


def test_reservation_expiring_twice_fails_and_names_the_held_ones():
    fake = client()
    fake.checkout_faults = ["expire", "expire"]
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert fake.names().count("checkout") == 2 and fake.names().count("reserve") == 2
    text = err.value.describe()
    assert "expired again after they were renewed once" in text
    assert "Nothing was bought." in text and err.value.changed is False
    assert fake.credit == Decimal("100") and len(fake.numbers) == 3


def test_lost_checkout_answer_that_was_applied_is_not_sent_again():
    fake = client()
    fake.checkout_faults = ["drop_after"]
    result = number_rent(fake, paris(5), False)
    # The recovery read shows the numbers: no second checkout, and no further read either.
    assert fake.names() == BUY
    assert result["changed"] is True and len(result["rented"]) == 3 and len(result["numbers"]) == 5
    assert fake.credit == Decimal("94.0")


def test_lost_checkout_answer_that_was_not_applied_is_checked_out_again_once():
    fake = client()
    fake.checkout_faults = ["drop_before"]
    result = number_rent(fake, paris(5), False)
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers", "checkout", "list_numbers"]
    assert fake.calls[5] == ("checkout", ["ref-1"])
    assert len(result["rented"]) == 3 and fake.credit == Decimal("94.0")


def test_server_error_on_checkout_goes_through_the_transports_classification():
    # The 500 is classified by the real transport (a fake HTTP answer), not built already labelled.
    fake = client()
    fake.checkout_faults = [http_error(500, 50000, "internal")]
    assert fake.checkout_faults[0].outcome_unknown is True
    result = number_rent(fake, paris(5), False)
    # Read first (nothing arrived), then the same reservation alone, once.
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers", "checkout", "list_numbers"]
    assert len(result["rented"]) == 3 and fake.credit == Decimal("94.0")


def test_two_lost_answers_end_in_a_clear_failure_without_a_third_checkout():
    fake = client()
    fake.checkout_faults = ["drop_before", "drop_before"]
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers", "checkout", "list_numbers"]
    assert err.value.outcome_unknown is True and err.value.changed is True
    text = err.value.describe()
    assert "unknown outcome: the checkout of reservation ref-1 alone got no answer" in text
    assert "read the rented numbers" in text and "ref-1" in text


def test_lost_checkout_whose_recovery_read_fails_is_never_checked_out_again():
    # Gap (a): without a read, a second checkout could pay twice; the run ends "outcome unknown".
    fake = client()
    fake.checkout_faults = ["drop_before"]
    original = fake.list_numbers

    def list_numbers():
        if "checkout" in fake.names():
            fake.calls.append(("list_numbers",))
            raise http_error(503, 50300, "unavailable", method="GET")
        return original()
    fake.list_numbers = list_numbers
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert fake.names().count("checkout") == 1
    assert err.value.outcome_unknown is True and err.value.changed is True
    assert "could not be read to learn what was bought" in err.value.describe()
    assert err.value.to_result()["changed"] is True


def test_lost_answer_then_expired_is_not_renewed_but_stops_as_unknown(no_waiting):
    # After a lost answer, a 40400 may mean that the first checkout went through and the reads lag past the settle
    # reads: nothing proves the group was not bought, so the run stops (changed, "outcome unknown"), never reserving again.
    fake = client()
    fake.checkout_faults = ["drop_before", "expire"]
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert fake.names().count("reserve") == 1 and fake.names().count("checkout") == 2
    assert no_waiting == list(_rent.SETTLE_DELAYS)
    assert err.value.outcome_unknown is True and err.value.changed is True
    assert "may have been applied" in err.value.describe() and "read the rented numbers" in err.value.describe()
    assert fake.credit == Decimal("100.0")


def test_lost_answer_then_consumed_late_is_found_by_the_settle_reads_and_not_renewed():
    fake = client()
    fake.checkout_faults = ["drop_after"]
    original = fake.list_numbers
    reads = []

    def lagging():
        reads.append(1)
        if 2 <= len(reads) <= 3:   # the read after the lost checkout and the next one lag
            fake.calls.append(("list_numbers",))
            return [raw for raw in original() if raw["number"] < 33100000003]
        return original()
    fake.list_numbers = lagging
    result = number_rent(fake, paris(5), False)
    assert fake.names().count("reserve") == 1 and fake.names().count("checkout") == 2
    assert len(result["rented"]) == 3 and fake.credit == Decimal("94.0")


def test_lost_answer_then_refused_for_credit_never_says_nothing_was_bought():
    # The first checkout may have spent the credit late: a 40200 on the second one proves nothing.
    fake = client()
    fake.checkout_faults = ["drop_before", http_error(402, 40200, "Insufficient funds to complete the transaction.")]
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers", "checkout", "list_numbers"]
    assert err.value.outcome_unknown is True and err.value.changed is True
    text = err.value.describe()
    assert "Nothing was bought" not in text
    assert "was answered HTTP 402 errorCode 40200" in text and "read the rented numbers" in text


def test_lost_answer_then_consumed_reservation_is_success():
    # The second checkout says 40400 because the first one was applied late; the re-read shows the numbers.
    fake = client()
    fake.checkout_faults = ["drop_before"]
    original = fake.list_numbers
    reads = []

    def late_list():
        reads.append(1)
        if len(reads) != 2:
            return original()
        # The recovery read: the first checkout lands only now, after the numbers were listed.
        before = original()
        fake.checkout_faults = []
        fake.checkout(["ref-1"])
        fake.calls.pop()
        return before
    fake.list_numbers = late_list
    result = number_rent(fake, paris(5), False)
    assert fake.names().count("checkout") == 2 and fake.names().count("reserve") == 1
    assert len(result["numbers"]) == 5 and fake.credit == Decimal("94.0")


def test_not_enough_credit_fails_plainly_and_buys_nothing():
    fake = client(credit="5")
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    # The refusal is proven by a read before "Nothing was bought" is said.
    assert fake.names() == ["list_numbers", "list_number_groups", "reserve", "checkout", "list_numbers"]
    text = err.value.describe()
    assert err.value.changed is False
    assert "errorCode 40200" in text
    assert "The organisation's credit does not cover this plan (group 1 (PARIS): 3 x 2.00 USD; total 6.00 USD)" in text
    assert "Nothing was bought. Reservation(s) ref-1 are held; they expire on their own" in text
    assert fake.credit == Decimal("5") and len(fake.numbers) == 3


def test_accounting_not_set_up_fails_plainly():
    fake = client(accounting=False)
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert "accounting set up" in err.value.describe() and "ref-1" in err.value.describe()
    assert fake.names().count("checkout") == 1


def test_failed_reserve_names_the_reservations_already_held_and_checks_nothing_out():
    fake = FakeShopClient([group(1, 2, 1.0), group(2, 5, 2.0)])
    fake.reserve_faults = [None, http_error(400, 40003, "Invalid number group: 2", method="PUT")]
    with pytest.raises(SinchError) as err:
        number_rent(fake, wanted(count=3, country_id="FR"), False)
    assert "checkout" not in fake.names()
    assert "Nothing was bought. Reservation(s) ref-1 are held" in err.value.describe()


def test_lost_reserve_answer_is_not_repeated():
    fake = client()
    fake.reserve_faults = [SinchError("no answer", method="PUT", outcome_unknown=True)]
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert fake.names().count("reserve") == 1 and "checkout" not in fake.names()
    assert "may have been made too" in err.value.describe()


def test_failed_final_read_says_the_checkout_succeeded():
    fake = client()
    original = fake.list_numbers

    def list_numbers():
        if fake.names().count("checkout"):
            fake.calls.append(("list_numbers",))
            raise http_error(503, 50300, "unavailable", method="GET")
        return original()
    fake.list_numbers = list_numbers
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert "The checkout of reservation(s) ref-1 succeeded" in err.value.describe()
    assert "bought 3 numbers that the rented numbers do not list yet" in err.value.describe()
    assert err.value.changed is True and err.value.to_result()["rented_count"] == 3


def test_group_selector_counts_by_group_and_passes_the_capability():
    fake = client()
    result = number_rent(fake, wanted(count=3, group_id=1, capability="VOICE"), False)
    assert fake.calls[2] == ("reserve", 1, 1, ["voice"])
    assert len(result["numbers"]) == 3


def test_bad_capability_is_refused_before_any_request():
    fake = client()
    with pytest.raises(InputError) as err:
        number_rent(fake, wanted(count=1, group_id=1, capability="fax"), False)
    assert "capability 'fax'" in str(err.value)
    assert fake.calls == []


def test_held_is_returned_and_fields_shape_numbers_only():
    fake = client()
    result = number_rent(fake, paris(3, fields=["e164"]), False)
    assert fake.names() == BUY
    assert result["held"] == 3
    assert len(result["rented"]) == 1 and "group_id" in result["rented"][0]
    held = sorted(["+33100000001", "+33100000002", result["rented"][0]["e164"]])
    assert result["numbers"] == [{"e164": e164} for e164 in held]


def test_empty_fields_leave_numbers_out_but_keep_rented_and_the_diff():
    fake = client()
    result = number_rent(fake, paris(3, fields=[]), False)
    assert "numbers" not in result
    assert result["held"] == 3
    assert len(result["rented"]) == 1
    assert result["diff"]["after"].count("\n") == 3


def test_fields_in_check_mode_and_when_converged():
    planned = number_rent(client(), paris(4, fields=[]), True)
    assert "numbers" not in planned and planned["held"] == 2 and planned["changed"] is True
    converged = number_rent(client(), paris(2, fields=["number"]), False)
    assert converged["numbers"] == [{"number": 33100000001}, {"number": 33100000002}] and converged["held"] == 2


@pytest.mark.parametrize("odd", ["group 1", None, 7, {"groupId": "x", "availability": 3}])
def test_unreadable_shop_group_is_a_sinch_error_before_any_write(odd):
    # A shop group that is not an object (or has no whole-number groupId) is Sinch's odd answer: one sentence, no write.
    fake = client()
    fake.groups[99] = odd
    with pytest.raises(SinchError) as err:
        number_rent(fake, paris(5), False)
    assert not isinstance(err.value, AttributeError) and fake.writes() == []
    assert "the answer listing the number shop's groups could not be read" in err.value.describe()
    assert err.value.outcome_unknown is False
