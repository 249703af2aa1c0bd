# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning a list of rentals in one go: claims, shortfalls, groups, currencies, refusals, the summary."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
from ansible_collections.sinch.numbers.plugins.module_utils._rent import Guard, PlanError
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import (
    application_keys_to_read,
    attribute,
    plan_rentals,
    rentals_from_options,
    summary,
)
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import group, rented

APP_A = "aaaaaaaa-0000-4000-8000-000000000001"
APP_B = "bbbbbbbb-0000-4000-8000-000000000002"
APP_C = "cccccccc-0000-4000-8000-000000000003"


def rental(name, count, application_key=None, **selector):
    option = {"name": name, "count": count, "application_key": application_key}
    for key in ("group_id", "country_id", "city", "area_code", "capability"):
        option[key] = selector.get(key)
    return option


def plan(options, numbers=(), groups=(), guard=None, shop=True):
    rentals = rentals_from_options(options)
    shaped_numbers = _shapes.numbers(list(numbers))
    shaped_groups = [_shapes.number_group(raw) for raw in groups] if shop else None
    return plan_rentals(rentals, shaped_numbers, shaped_groups, guard or Guard())


def by_name(result):
    return dict((item["name"], item) for item in result["rentals"])


def reserved(the_plan):
    return [(r.group_id, r.quantity, r.capabilities) for r in the_plan.reservations]


# --- Nothing missing -------------------------------------------------------------------------------

def test_converged_rentals_need_neither_shop_nor_writes():
    numbers = [rented(33100000001, application_key=APP_A), rented(33100000002)]
    the_plan = plan([rental("org", 2, group_id=1), rental("app", 1, APP_A, group_id=1)], numbers, shop=False)
    assert not the_plan.needs_shop
    assert not the_plan.changed
    assert the_plan.changes() == []
    result = summary(the_plan, check_mode=False)
    assert by_name(result)["app"]["kept"] == ["+33100000001"]
    assert by_name(result)["org"]["numbers"] == ["+33100000001", "+33100000002"]
    assert result["totals"]["numbers"] == 2
    assert result["totals"]["rented_this_run"] == 0


def test_a_shortfall_without_the_shop_asks_for_it():
    the_plan = plan([rental("org", 3, group_id=1)], [rented(33100000001)], shop=False)
    assert the_plan.needs_shop
    assert the_plan.new_numbers == []


# --- Applications and free numbers -----------------------------------------------------------------

def test_numbers_on_the_application_first_then_free_ones_never_another_applications():
    numbers = [rented(33100000001, application_key=APP_B), rented(33100000002), rented(33100000003, application_key=APP_A)]
    the_plan = plan([rental("a", 3, APP_A, group_id=1)], numbers, [group(1, 5)])
    result = by_name(summary(the_plan, check_mode=True))["a"]
    assert result["kept"] == ["+33100000003"]
    assert result["assigned"] == ["+33100000002"]
    assert result["rented_this_run"] == ["(new number in group 1)"]
    assert result["numbers"] == ["+33100000002", "+33100000003", "(new number in group 1)"]
    assert reserved(the_plan) == [(1, 1, ["voice"])]
    [(key, capability, before, added)] = the_plan.changes()
    assert (key, capability) == (APP_A, "voice")
    assert [item["number"] for item in before] == [33100000003]
    assert len(added) == 2


def test_two_applications_that_could_both_take_one_free_number_it_goes_to_the_first_the_other_rents():
    numbers = [rented(33100000002)]
    the_plan = plan([rental("first", 1, APP_A, group_id=1), rental("second", 1, APP_B, group_id=1)],
                    numbers, [group(1, 5)])
    result = by_name(summary(the_plan, check_mode=True))
    assert result["first"]["assigned"] == ["+33100000002"]
    assert result["first"]["rented_this_run"] == []
    assert result["second"]["assigned"] == []
    assert result["second"]["rented_this_run"] == ["(new number in group 1)"]
    assert reserved(the_plan) == [(1, 1, ["voice"])]
    changes = [(key, cap, len(added)) for key, cap, _before, added in the_plan.changes()]
    assert changes == [(APP_A, "voice", 1), (APP_B, "voice", 1)]
    assert summary(the_plan, check_mode=True)["totals"]["numbers"] == 2


def test_rentals_sharing_a_selector_on_one_application_count_its_numbers_once():
    numbers = [rented(33100000001, application_key=APP_A)]
    the_plan = plan([rental("one", 2, APP_A, group_id=1), rental("two", 2, APP_A, country_id="FR")],
                    numbers, [group(1, 5)])
    result = summary(the_plan, check_mode=True)
    # "one" rents a number for the application; "two" counts it (it will be on the application too).
    assert by_name(result)["one"]["rented_this_run"] == ["(new number in group 1)"]
    assert by_name(result)["two"]["rented_this_run"] == []
    assert by_name(result)["two"]["kept"] == ["+33100000001", "(new number in group 1)"]
    assert result["totals"]["numbers"] == 2
    assert result["totals"]["rented_this_run"] == 1
    assert result["applications"] == {APP_A: ["+33100000001", "(new number in group 1)"]}


def test_organisation_rentals_count_numbers_on_applications_and_numbers_the_plan_rents():
    the_plan = plan([rental("reserve", 2, country_id="FR"), rental("app", 1, APP_A, group_id=1)], [], [group(1, 5)])
    result = by_name(summary(the_plan, check_mode=True))
    assert result["app"]["rented_this_run"] == ["(new number in group 1)"]
    assert result["reserve"]["rented_this_run"] == ["(new number in group 1)"]
    assert result["reserve"]["numbers"] == ["(new number in group 1)", "(new number in group 1)"]
    assert reserved(the_plan) == [(1, 2, None)]


def test_two_organisation_rentals_with_one_selector_rent_once():
    the_plan = plan([rental("a", 2, group_id=1), rental("b", 2, group_id=1)], [rented(33100000001)], [group(1, 5)])
    result = summary(the_plan, check_mode=True)
    assert by_name(result)["a"]["rented_this_run"] == ["(new number in group 1)"]
    assert by_name(result)["b"]["rented_this_run"] == []
    assert result["totals"] == {"numbers": 2, "rented_this_run": 1, "added_monthly_cost": {"USD": 2.0},
                                "monthly_cost": {"USD": 4.0}, "unknown_cost": 0}


def test_an_sms_rental_counts_only_numbers_with_sms():
    numbers = [rented(14150005550, group_id=13, capabilities=("voice",), country_id="US", city="SF", area_code="415")]
    groups = [group(13, 5, 1.0, country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"))]
    the_plan = plan([rental("sms", 1, APP_A, group_id=13, capability="SMS")], numbers, groups)
    assert reserved(the_plan) == [(13, 1, ["sms"])]
    assert [(key, cap) for key, cap, _b, _a in the_plan.changes()] == [(APP_A, "sms")]


def test_rentals_on_one_group_with_different_capabilities_reserve_once_for_both():
    groups = [group(13, 5, 1.0, capabilities=("voice", "sms"))]
    the_plan = plan([rental("v", 1, APP_A, group_id=13), rental("s", 1, APP_B, group_id=13, capability="sms")],
                    [], groups)
    assert reserved(the_plan) == [(13, 2, ["sms", "voice"])]


# --- Groups, availability, currencies -------------------------------------------------------------

def test_cheapest_groups_first_and_availability_shared_between_rentals():
    groups = [group(1, 3, 2.0), group(3, 5, 12.5)]
    the_plan = plan([rental("a", 2, group_id=None, country_id="FR"), rental("b", 2, APP_A, country_id="FR", city="paris")],
                    [], groups)
    # b (with an application) is planned first: 2 of group 1; a counts them (its count is met).
    result = by_name(summary(the_plan, check_mode=True))
    assert result["b"]["groups"] == [{"group_id": 1, "quantity": 2, "unit_cost": 2.0, "subtotal": 4.0, "currency_id": "USD"}]
    assert result["a"]["groups"] == []
    the_plan = plan([rental("a", 4, country_id="FR"), rental("b", 2, APP_A, country_id="FR")], [], groups)
    result = by_name(summary(the_plan, check_mode=True))
    assert [g["group_id"] for g in result["b"]["groups"]] == [1]
    # One number of group 1 is left for a, then the dearer group 3.
    assert [(g["group_id"], g["quantity"]) for g in result["a"]["groups"]] == [(1, 1), (3, 1)]
    # One of them asks for no capability: the group's own are reserved.
    assert reserved(the_plan) == [(1, 3, None), (3, 1, None)]


def test_several_currencies_are_summed_apart():
    groups = [group(1, 5, 2.0, "USD"), group(2, 5, 3.0, "EUR", country_id="DE", city="BERLIN")]
    the_plan = plan([rental("us", 2, group_id=1), rental("de", 1, group_id=2)], [], groups)
    totals = summary(the_plan, check_mode=True)["totals"]
    assert totals["added_monthly_cost"] == {"EUR": 3.0, "USD": 4.0}
    rentals = by_name(summary(the_plan, check_mode=True))
    assert rentals["de"]["added_monthly_cost"] == {"amount": 3.0, "currency_id": "EUR"}
    assert rentals["us"]["added_monthly_cost"] == {"amount": 4.0, "currency_id": "USD"}
    assert the_plan.cost_by_currency() == {"USD": Decimal("4.0"), "EUR": Decimal("3.0")}


def test_a_selector_over_several_currencies_needs_currency_id():
    groups = [group(1, 5, 2.0, "USD"), group(2, 5, 1.0, "EUR")]
    with pytest.raises(PlanError) as err:
        plan([rental("fr", 1, country_id="FR")], [], groups)
    assert "several currencies (EUR, USD)" in str(err.value)
    the_plan = plan([rental("fr", 1, country_id="FR")], [], groups, Guard(currency_id="usd"))
    assert reserved(the_plan) == [(1, 1, None)]


def test_money_is_decimal():
    groups = [group(1, 10, 0.1)]
    the_plan = plan([rental("a", 3, group_id=1)], [], groups)
    assert the_plan.cost_by_currency() == {"USD": Decimal("0.3")}


# --- Refusals, all before any write ----------------------------------------------------------------

def test_every_refusal_is_named_in_one_failure():
    groups = [group(1, 1, 2.0), group(75, 5, 2.0, capabilities=("sms",))]
    with pytest.raises(PlanError) as err:
        plan([rental("missing-group", 1, group_id=9), rental("no-voice", 1, APP_A, group_id=75),
              rental("too-many", 3, group_id=1), rental("fine", 1, country_id="FR")], [], groups)
    text = str(err.value)
    assert text.startswith("Refused to rent, nothing was reserved or assigned: ")
    assert "rental 'missing-group' (group 9): number group 9 is not in the Sinch number shop" in text
    assert "rental 'no-voice' (group 75, voice): number group 75 does not offer voice (it offers sms)" in text
    assert "rental 'too-many' (group 1): cannot rent 3 more numbers: the shop has only 1 available" in text
    assert "'fine'" not in text


def test_availability_taken_by_an_earlier_rental_is_said():
    with pytest.raises(PlanError) as err:
        plan([rental("a", 2, APP_A, group_id=1), rental("b", 2, APP_B, group_id=1)], [], [group(1, 3)])
    assert "rental 'b' (group 1, voice): cannot rent 2 more numbers: the shop has only 1 available" in str(err.value)
    assert "after what earlier rentals of this call take" in str(err.value)


def test_max_unit_cost_refuses_a_dear_group():
    with pytest.raises(PlanError) as err:
        plan([rental("dear", 1, group_id=3)], [], [group(3, 5, 12.5)], Guard(max_unit_cost=5))
    assert "group 3 (PARIS) costs 12.50 USD a number a month, more than max_unit_cost 5.00 USD" in str(err.value)


def test_max_total_cost_is_for_the_whole_call():
    groups = [group(1, 5, 2.0), group(2, 5, 2.0, country_id="GB", city="LONDON")]
    options = [rental("paris", 2, group_id=1), rental("london", 1, country_id="GB")]
    with pytest.raises(PlanError) as err:
        plan(options, [], groups, Guard(max_total_cost=5, currency_id="USD"))
    text = str(err.value)
    assert "would add 6.00 USD a month, more than max_total_cost 5.00 USD, which is for the whole call" in text
    assert "'paris' 4.00 USD" in text and "'london' 2.00 USD" in text
    assert plan(options, [], groups, Guard(max_total_cost=6, currency_id="USD")).cost_by_currency() == {"USD": Decimal(6)}


def unpriced_plan(guard=None):
    """A plan over a group whose cost Sinch did not send (shaped with an unknown amount)."""
    unpriced = _shapes.number_group(group(1, 5))
    unpriced["cost"] = {"amount": None, "currency_id": None}
    return plan_rentals(rentals_from_options([rental("a", 1, group_id=1)]), [], [unpriced], guard or Guard())


def test_an_unknown_price_is_never_free_under_a_guard():
    with pytest.raises(PlanError) as err:
        unpriced_plan(Guard(max_total_cost=100, currency_id="USD"))
    assert "group 1 (PARIS) has no readable price" in str(err.value)
    with pytest.raises(PlanError):
        unpriced_plan(Guard(max_unit_cost=100))


def test_an_unknown_price_without_a_guard_is_rented_and_said_unknown():
    the_plan = unpriced_plan()
    result = summary(the_plan, check_mode=True)
    assert result["rentals"][0]["groups"][0]["unit_cost"] is None
    assert result["totals"]["added_monthly_cost"] == {}
    assert result["rentals"][0]["added_monthly_cost"] == {"amount": None, "currency_id": None}


def test_bad_options_are_named_together_before_any_request():
    with pytest.raises(InputError) as err:
        rentals_from_options([rental("a", -1, group_id=1), rental("a", 1, group_id=0),
                              rental("b", 1, country_id="FRA", city=" "), rental("c", 1, group_id=1, city="Paris"),
                              rental("d", 1, " ", group_id=1), rental("e", 1, group_id=1, capability="fax"),
                              rental("f", 1, "bb7b4e39/../numbers", group_id=1)])
    text = err.value.message
    assert "rental 'a': count must be 0 or more (it is -1)" in text
    assert "the name 'a' is used by more than one rental" in text
    assert "rental 'a': group_id must be 1 or more (it is 0)" in text
    assert "rental 'b': country_id must be a two-letter country code" in text
    assert "rental 'b': city is empty" in text
    assert "rental 'c': city needs country_id" in text
    assert "rental 'd': application_key is empty" in text
    assert "rental 'e': capability 'fax' is not one Sinch knows" in text
    assert "rental 'f': application_key is not an application key as Sinch issues it" in text
    assert "../numbers" not in text
    assert text.endswith("Nothing was sent to Sinch.")


def test_count_true_is_not_one():
    with pytest.raises(InputError) as err:
        rentals_from_options([rental("a", True, group_id=1)])
    assert "count must be a whole number, not true/false (true)" in err.value.message


def test_capability_is_case_insensitive_and_text_trimmed():
    [one] = rentals_from_options([rental("a", 1, country_id=" fr ", city=" Paris ", capability="SMS")])
    assert (one.selector.country_id, one.selector.city, one.capability) == ("FR", "Paris", "sms")


# --- Applications to read, and after the checkout --------------------------------------------------

def test_only_applications_no_rented_number_shows_are_read():
    rentals = rentals_from_options([rental("a", 1, APP_A, group_id=1), rental("b", 1, APP_B, group_id=1),
                                    rental("b2", 1, APP_B, group_id=1, capability="sms"), rental("c", 1, group_id=1)])
    numbers = _shapes.numbers([rented(33100000001, application_key=APP_A)])
    assert application_keys_to_read(rentals, numbers) == [APP_B]


def test_new_numbers_are_attributed_by_group_and_the_summary_lists_them():
    before = [rented(33100000001)]
    groups = [group(1, 5), group(2, 5, country_id="GB", city="LONDON")]
    the_plan = plan([rental("app", 2, APP_A, group_id=1), rental("london", 1, country_id="GB")], before, groups)
    after = _shapes.numbers(before + [rented(33100000007), rented(44200000001, group_id=2, country_id="GB")])
    assert attribute(the_plan, _shapes.numbers(before), after) == []
    result = summary(the_plan, check_mode=False)
    assert by_name(result)["app"]["numbers"] == ["+33100000001", "+33100000007"]
    assert by_name(result)["app"]["rented_this_run"] == ["+33100000007"]
    assert by_name(result)["london"]["rented_this_run"] == ["+44200000001"]
    assert result["applications"] == {APP_A: ["+33100000001", "+33100000007"]}
    assert result["totals"]["numbers"] == 3
    assert result["totals"]["added_monthly_cost"] == {"USD": 4.0}


def test_a_purchase_that_failed_halfway_lists_only_what_was_bought():
    groups = [group(1, 5), group(2, 5, 3.0, country_id="GB", city="LONDON")]
    the_plan = plan([rental("a", 2, group_id=1), rental("b", 1, group_id=2)], [], groups)
    missing = attribute(the_plan, [], _shapes.numbers([rented(33100000007)]))
    assert len(missing) == 2
    assert summary(the_plan, check_mode=False)["rentals"][0]["rented_this_run"] == ["+33100000007", "(new number in group 1)"]
    result = summary(the_plan, check_mode=False, only_bought=True)
    assert [r["rented_this_run"] for r in result["rentals"]] == [["+33100000007"], []]
    assert result["rentals"][0]["added_monthly_cost"] == {"amount": 2.0, "currency_id": "USD"}
    assert result["totals"]["rented_this_run"] == 1
    assert result["totals"]["added_monthly_cost"] == {"USD": 2.0}


def test_application_numbers_before_and_after():
    numbers = [rented(33100000001, application_key=APP_A), rented(33100000002)]
    the_plan = plan([rental("a", 2, APP_A, group_id=1), rental("c", 1, APP_C, group_id=1)], numbers, [group(1, 5)])
    assert summary(the_plan, check_mode=True)["application_numbers"] == [
        {"application_key": APP_A, "capability": "voice", "before": ["+33100000001"],
         "after": ["+33100000001", "+33100000002"], "added": ["+33100000002"], "changed": True},
        {"application_key": APP_C, "capability": "voice", "before": [], "after": ["(new number in group 1)"],
         "added": ["(new number in group 1)"], "changed": True},
    ]


def test_max_total_cost_holds_when_sinch_spells_the_currency_otherwise():
    # The shop's currency is compared case-insensitively when choosing groups; the whole-call guard must be too.
    groups = [group(1, 5, 2.0, currency_id="usd")]
    with pytest.raises(PlanError) as err:
        plan([rental("paris", 2, group_id=1)], [], groups, Guard(max_total_cost=3, currency_id="USD"))
    assert "would add 4.00 USD a month, more than max_total_cost 3.00 USD" in str(err.value)


def test_overlapping_organisation_rentals_rent_once_whatever_their_order():
    # FR 2 and FR/PARIS 3 are both held by 3 Paris numbers: listing the broad rental first must not rent 2 in Lyon too.
    groups = [group(1, 5, 1.0, city="LYON"), group(2, 5, 2.0, city="PARIS")]
    broad, narrow = rental("fr", 2, country_id="FR"), rental("paris", 3, country_id="FR", city="PARIS")
    for options in ([broad, narrow], [narrow, broad]):
        the_plan = plan(options, [], groups)
        assert reserved(the_plan) == [(2, 3, None)]
        assert the_plan.cost_by_currency() == {"USD": Decimal(6)}
        listed = summary(the_plan, check_mode=True)
        assert [item["name"] for item in listed["rentals"]] == [option["name"] for option in options]
        result = by_name(listed)
        assert result["fr"]["rented_this_run"] == [] and len(result["fr"]["numbers"]) == 3
        assert result["paris"]["rented_this_run"] == ["(new number in group 2)"] * 3


def test_an_application_key_in_another_case_than_sinchs_is_the_same_application():
    # Sinch lists the key in lower case, the rental gives it in upper case: the number on it counts, nothing is rented.
    numbers = [rented(33100000001, application_key=APP_A), rented(33100000002)]
    the_plan = plan([rental("a", 1, APP_A.upper(), group_id=1), rental("a2", 2, APP_A.upper(), group_id=1)], numbers,
                    [group(1, 5)])
    assert the_plan.new_numbers == []
    assert [(key, capability) for key, capability, _before, _added in the_plan.changes()] == [(APP_A, "voice")]
    result = by_name(summary(the_plan, check_mode=True))
    assert result["a"]["kept"] == ["+33100000001"]
    assert result["a2"]["kept"] == ["+33100000001"] and result["a2"]["assigned"] == ["+33100000002"]
    assert application_keys_to_read(rentals_from_options([rental("a", 1, APP_A.upper())]), _shapes.numbers(numbers)) == []


def test_one_currency_spelled_two_ways_is_one_currency():
    groups = [group(1, 5, 1.0, currency_id="usd"), group(2, 5, 2.0, currency_id="USD")]
    the_plan = plan([rental("x", 1, country_id="FR")], [], groups)
    assert reserved(the_plan) == [(1, 1, None)]
