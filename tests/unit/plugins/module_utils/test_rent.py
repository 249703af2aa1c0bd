# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renting, the pure half: candidate order, shortfall, cost guard arithmetic, currencies, and the number filters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._filters import expires_within, is_assigned, parse_expires
from ansible_collections.sinch.numbers.plugins.module_utils._rent import (
    Guard,
    PlanError,
    Selector,
    candidates,
    money_text,
    plan_purchase,
)
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import group

PARIS = Selector(country_id="fr", city="Paris", capability="voice")


def shop(*raws):
    return [_shapes.number_group(raw) for raw in raws]


def lines(plan):
    return [(line.group_id, line.quantity) for line in plan.lines]


def test_candidates_cheapest_then_most_available_then_lowest_id():
    groups = shop(group(5, 3, 2.0), group(4, 9, 2.0), group(3, 9, 2.0), group(2, 50, 2.5), group(1, 1, 1.99),
                  group(6, 0, 0.5))
    assert [g["group_id"] for g in candidates(groups, PARIS, Guard())] == [1, 3, 4, 5, 2]


def test_candidates_follow_the_selector_case_insensitively():
    groups = shop(group(1, 5, city="PARIS"), group(2, 5, city="LYON"), group(3, 5, country_id="BE", city="Paris"),
                  group(4, 5, city="paris", capabilities=("sms",)), group(5, 5, city="Paris", area_code="02"))
    assert [g["group_id"] for g in candidates(groups, PARIS, Guard())] == [1, 5]
    assert [g["group_id"] for g in candidates(groups, Selector(country_id="FR", area_code="02"), Guard())] == [5]
    assert [g["group_id"] for g in candidates(groups, Selector(group_id=4), Guard())] == [4]


def test_plan_takes_the_cheapest_groups_until_the_shortfall_is_covered():
    plan = plan_purchase(shop(group(1, 2, 3.0), group(2, 2, 1.0), group(3, 5, 2.0)), PARIS, 5, Guard())
    assert lines(plan) == [(2, 2), (3, 3)]
    assert plan.total == Decimal("8.0")
    assert plan.to_result() == {
        "groups": [{"group_id": 2, "quantity": 2, "unit_cost": 1.0, "subtotal": 2.0, "currency_id": "USD", "cost_known": True},
                   {"group_id": 3, "quantity": 3, "unit_cost": 2.0, "subtotal": 6.0, "currency_id": "USD", "cost_known": True}],
        "total": 8.0, "currency_id": "USD", "cost_known": True, "unknown_cost_groups": []}
    assert plan.describe() == "5 numbers in groups 2 (PARIS) and 3 (PARIS) for 8.00 USD a month"


def test_plan_is_empty_without_shortfall():
    plan = plan_purchase([], PARIS, 0, Guard(currency_id="eur"))
    assert plan.to_result() == {"groups": [], "total": 0.0, "currency_id": "EUR", "cost_known": True, "unknown_cost_groups": []}


def test_given_group_is_used_alone():
    plan = plan_purchase(shop(group(1, 9, 1.0), group(7, 3, 5.0)), Selector(group_id=7), 2, Guard())
    assert lines(plan) == [(7, 2)]
    assert plan.describe() == "2 numbers in group 7 (PARIS) for 10.00 USD a month"


def test_not_enough_availability_fails_and_says_what_there_is():
    with pytest.raises(PlanError) as err:
        plan_purchase(shop(group(1, 2, 2.0), group(2, 1, 3.0), group(3, 0, 1.0)), PARIS, 4, Guard())
    text = str(err.value)
    assert "Cannot rent 4 more numbers in fr, city Paris, with voice" in text
    assert "only 3 available (group 1 (PARIS): 2 at 2.00 USD; group 2 (PARIS): 1 at 3.00 USD)" in text
    assert text.endswith("Nothing was reserved.")


def test_nothing_available_at_all():
    with pytest.raises(PlanError) as err:
        plan_purchase(shop(group(1, 0)), PARIS, 1, Guard(currency_id="USD"))
    assert "the shop has none available, counting only groups priced in USD" in str(err.value)


def test_unknown_group_and_missing_capability():
    with pytest.raises(PlanError) as err:
        plan_purchase(shop(group(1, 5)), Selector(group_id=9), 1, Guard())
    assert str(err.value).startswith("Number group 9 is not in the Sinch number shop")
    with pytest.raises(PlanError) as err:
        plan_purchase(shop(group(1, 5)), Selector(group_id=1, capability="sms"), 1, Guard())
    assert str(err.value).startswith("Number group 1 does not offer sms (it offers voice)")


def test_decimal_arithmetic_has_no_float_drift():
    # 3 x 0.1 is 0.30000000000000004 in floats: the guard at 0.3 must still pass.
    plan = plan_purchase(shop(group(1, 5, 0.1)), PARIS, 3, Guard(max_unit_cost=0.1, max_total_cost=0.3))
    assert plan.total == Decimal("0.3")
    assert plan.to_result()["total"] == 0.3
    # Decimal's default rounding is half to even.
    assert money_text(Decimal("1.005"), "USD") == "1.00 USD"


def test_unit_guard_fails_with_the_figures():
    groups = shop(group(1, 1, 1.0), group(2, 5, 3.0))
    with pytest.raises(PlanError) as err:
        plan_purchase(groups, PARIS, 2, Guard(max_unit_cost=2.5))
    assert str(err.value) == (
        "The plan exceeds max_unit_cost 2.50 USD: group 2 (PARIS) costs 3.00 USD a number a month "
        "(plan group 1 (PARIS): 1 x 1.00 USD; group 2 (PARIS): 1 x 3.00 USD; total 4.00 USD). "
        "Raise max_unit_cost or choose another group. Nothing was reserved.")
    assert lines(plan_purchase(groups, PARIS, 1, Guard(max_unit_cost=1))) == [(1, 1)]


def test_total_guard_fails_with_the_figures_and_passes_at_the_limit():
    groups = shop(group(1, 5, 2.0))
    with pytest.raises(PlanError) as err:
        plan_purchase(groups, PARIS, 3, Guard(max_total_cost=5.99))
    assert str(err.value).startswith("The plan costs 6.00 USD a month, more than max_total_cost 5.99 USD "
                                     "(plan group 1 (PARIS): 3 x 2.00 USD; total 6.00 USD)")
    assert plan_purchase(groups, PARIS, 3, Guard(max_total_cost=6)).total == Decimal("6.0")


def test_negative_guard_is_refused():
    with pytest.raises(ValueError) as err:
        Guard(max_total_cost=-1)
    assert str(err.value) == "max_total_cost must be 0 or more."


def test_currency_id_matches_any_case_and_counts_only_its_groups():
    groups = shop(group(1, 5, 1.0, "EUR"), group(2, 5, 2.0, "usd"))
    plan = plan_purchase(groups, PARIS, 2, Guard(max_unit_cost=2, currency_id="USD"))
    assert lines(plan) == [(2, 2)]
    with pytest.raises(PlanError) as err:
        plan_purchase(groups, PARIS, 6, Guard(currency_id="USD"))
    assert "only 5 available (group 2 (PARIS): 5 at 2.00 usd), counting only groups priced in USD" in str(err.value)


@pytest.mark.parametrize("guard", [Guard(), Guard(max_total_cost=10)], ids=["no guard", "guard"])
def test_groups_in_several_currencies_need_currency_id(guard):
    groups = shop(group(1, 5, 1.0, "EUR"), group(2, 5, 2.0, "USD"))
    # 1.00 EUR and 2.00 USD cannot be ranked "cheapest first" nor summed: ask, before any write.
    with pytest.raises(PlanError) as err:
        plan_purchase(groups, PARIS, 1, guard)
    assert str(err.value) == ("The groups in fr, city Paris, with voice are priced in several currencies (EUR, USD), so they "
                              "cannot be compared or summed: set currency_id to rent in one of them. Nothing was reserved.")


def test_currency_id_filters_before_the_plan_is_made():
    groups = shop(group(1, 5, 1.0, "EUR"), group(2, 5, 2.0, "USD"))
    plan = plan_purchase(groups, PARIS, 2, Guard(currency_id="USD"))
    assert lines(plan) == [(2, 2)] and plan.currency_id == "USD"


def test_guard_in_the_only_currency_needs_no_currency_id():
    plan = plan_purchase(shop(group(1, 5, 2.0, "EUR")), PARIS, 2, Guard(max_total_cost=4))
    assert plan.currency_id == "EUR" and plan.to_result()["total"] == 4.0


def test_reserve_capabilities_come_from_the_selector():
    assert PARIS.capabilities == ["voice"]
    assert Selector(group_id=1).capabilities is None


NOW = datetime.datetime(2025, 1, 10, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("value, expected", [
    ("2025-01-12T00:00:00+00:00", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-12T00:00:00Z", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-12T02:00:00.123+02:00", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-12T00:00:00", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("soon", None),
    (None, None),
    ("2025-02-30T00:00:00Z", None),
])
def test_parse_expires(value, expected):
    parsed = parse_expires(value)
    assert parsed == expected


def test_expires_within_days():
    def item(expires):
        return {"expires": expires}
    assert expires_within(item("2025-01-17T00:00:00+00:00"), 7, NOW)
    assert not expires_within(item("2025-01-17T00:00:01+00:00"), 7, NOW)
    assert expires_within(item("2024-12-01T00:00:00+00:00"), 0, NOW)
    assert not expires_within(item(None), 365, NOW)
    assert expires_within(item(None), None, NOW)


def test_is_assigned():
    assert is_assigned({"application_key": "app"}, True)
    assert not is_assigned({"application_key": None}, True)
    assert is_assigned({"application_key": None}, False)
    assert is_assigned({"application_key": "app"}, None)


def costless(raw):
    """The same group as the shop lists it without a cost."""
    raw = dict(raw)
    del raw["cost"]
    return raw


@pytest.mark.parametrize("guard", [Guard(max_unit_cost=0.5), Guard(max_total_cost=2), Guard(max_unit_cost=9, currency_id="USD")])
def test_group_without_cost_is_refused_under_any_guard_naming_it(guard):
    with pytest.raises(PlanError) as err:
        plan_purchase(shop(costless(group(75, 5))), Selector(group_id=75), 3, guard)
    assert "group 75 (PARIS)" in str(err.value) and "unknown price is never taken as free" in str(err.value)
    assert "Nothing was reserved" in str(err.value)


def test_group_without_cost_may_be_rented_without_guard_and_says_its_cost_is_unknown():
    plan = plan_purchase(shop(costless(group(75, 5))), Selector(group_id=75), 3, Guard())
    result = plan.to_result()
    assert result["total"] is None and result["cost_known"] is False and result["unknown_cost_groups"] == [75]
    assert result["groups"][0]["unit_cost"] is None and result["groups"][0]["subtotal"] is None
    assert plan.describe() == "3 numbers in group 75 (PARIS) for an unknown amount a month (Sinch lists no cost for group 75)"
    assert money_text(plan.total, "USD") == "an unknown amount"


def test_unknown_cost_is_never_the_cheapest_candidate():
    groups = shop(costless(group(1, 5)), group(2, 5, 3.0), group(3, 5, 9.0))
    assert [g["group_id"] for g in candidates(groups, Selector(country_id="FR"), Guard())] == [2, 3, 1]
    plan = plan_purchase(groups, Selector(country_id="FR"), 12, Guard())
    assert lines(plan) == [(2, 5), (3, 5), (1, 2)] and plan.total is None


def test_guard_passes_when_the_plan_avoids_the_costless_group():
    groups = shop(costless(group(1, 5)), group(2, 5, 1.0))
    plan = plan_purchase(groups, Selector(country_id="FR"), 4, Guard(max_total_cost=4))
    assert lines(plan) == [(2, 4)] and plan.total == Decimal("4.0")
    with pytest.raises(PlanError, match="group 1 .PARIS."):
        plan_purchase(groups, Selector(country_id="FR"), 6, Guard(max_total_cost=100))


@pytest.mark.parametrize("group_id", [7, "7"])
def test_string_group_ids_plan_like_numbers(group_id):
    raw = group(7, 3, 1.0)
    raw["groupId"] = group_id
    raw["availability"] = "3"
    raw["cost"]["amount"] = "1.0"
    plan = plan_purchase(shop(raw), Selector(group_id=7), 2, Guard(max_total_cost=2))
    assert lines(plan) == [(7, 2)] and plan.total == Decimal("2.0")
