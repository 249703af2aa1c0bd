# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one planner (_planner.plan): what a call keeps, takes and buys, its guards and refusals, and the property that
a value Sinch did not send (or sent unreadably) never makes a plan buy more."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import itertools
from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _input, _planner, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import PlanError, UnreadableError

APP_A = "aaaaaaaa-0000-4000-8000-000000000001"
APP_B = "bbbbbbbb-0000-4000-8000-000000000002"
APP_C = "cccccccc-0000-4000-8000-000000000003"


# --- Raw answers as Sinch sends them, and the planner's inputs built from them as the modules do ---------------


def number(value, group_id=1, country_id="FR", city="PARIS", area_code="01", capabilities=("voice",),
           application_key=None, amount="2.00", currency_id="USD"):
    """A rented number as the rented-numbers listing gives it."""
    raw = {"number": value, "groupId": group_id, "capabilities": list(capabilities), "countryId": country_id,
           "city": city, "country": country_id, "areaCode": area_code, "expires": "2030-01-01T00:00:00+00:00",
           "cost": {"amount": amount, "currencyId": currency_id}}
    if application_key is not None:
        raw["applicationKey"] = application_key
    return raw


def group(group_id, availability, amount="2.00", currency_id="USD", country_id="FR", city="PARIS", area_code="01",
          capabilities=("voice",)):
    """A number group as the shop lists it."""
    return {"groupId": group_id, "country": country_id, "countryId": country_id, "city": city,
            "type": capabilities[0].capitalize(), "availability": availability, "areaCode": area_code,
            "cost": {"amount": amount, "currencyId": currency_id}, "capabilities": list(capabilities)}


def costless(raw):
    """The same group listed without a cost."""
    raw = dict(raw)
    del raw["cost"]
    return raw


def rental(name, count, application_key=None, **selector):
    option = {"name": name, "count": count, "application_key": application_key}
    for key in ("group_id", "country_id", "city", "area_code", "capability"):
        option[key] = selector.get(key)
    return option


def guard(**options):
    """A Guard from option values, parsed as the modules parse them."""
    _input.parse_options(options)
    return _input.Guard.from_params(options)


def plan(options, numbers=(), groups=(), the_guard=None, shop=True, pending=()):
    """The plan of rental options over raw answers (shop=False: the shop was not read)."""
    return _planner.plan(_input.rentals(copy.deepcopy(options)), _shapes.listing(copy.deepcopy(list(numbers))),
                         _shapes.shop(copy.deepcopy(list(groups))) if shop else None,
                         the_guard or guard(), pending)


def refusal(options, numbers=(), groups=(), the_guard=None, kind=PlanError, pending=()):
    with pytest.raises(kind) as err:
        plan(options, numbers, groups, the_guard, pending=pending)
    return str(err.value)


def outcomes(the_plan):
    return dict((outcome.rental.name, outcome) for outcome in the_plan.outcomes)


def labels(items):
    return _planner.labels(items)


def reservations(the_plan):
    """(group, quantity, capabilities reserved) per reservation."""
    return [(line.group_id, line.quantity, line.capabilities) for line in the_plan.lines]


def bought(the_plan):
    """How many numbers the plan buys for each rental, by name."""
    return dict((outcome.rental.name, len(outcome.new)) for outcome in the_plan.outcomes)


def shop_group(raw):
    """A shaped shop record, as a pending purchase remembers its group."""
    return _shapes.shop([raw]).records[0]


# --- Nothing missing -----------------------------------------------------------------------------------------


def test_converged_rentals_need_neither_shop_nor_writes():
    numbers = [number(33100000001, application_key=APP_A), number(33100000002)]
    the_plan = plan([rental("org", 2, group_id=1), rental("app", 1, APP_A, group_id=1)], numbers, shop=False)
    assert not the_plan.needs_shop and not the_plan.changed and not the_plan.rents
    assert the_plan.changes() == [] and the_plan.lines == []
    assert labels(outcomes(the_plan)["app"].kept) == ["+33100000001"]
    assert labels(outcomes(the_plan)["org"].numbers) == ["+33100000001", "+33100000002"]


def test_a_shortfall_without_the_shop_asks_for_it_and_plans_nothing_to_buy():
    the_plan = plan([rental("org", 3, group_id=1)], [number(33100000001)], shop=False)
    assert the_plan.needs_shop
    assert the_plan.new_numbers == [] and the_plan.quantity == 0


def test_count_zero_keeps_nothing_and_buys_nothing():
    the_plan = plan([rental("none", 0, APP_A, group_id=1)], [number(33100000001)], [group(1, 5)])
    assert the_plan.quantity == 0 and not the_plan.changed


# --- Applications and free numbers ------------------------------------------------------------------------------


def test_numbers_on_the_application_first_then_free_ones_never_another_applications():
    numbers = [number(33100000001, application_key=APP_B), number(33100000002),
               number(33100000003, application_key=APP_A)]
    the_plan = plan([rental("a", 3, APP_A, group_id=1)], numbers, [group(1, 5)])
    result = outcomes(the_plan)["a"]
    assert labels(result.kept) == ["+33100000003"]
    assert labels(result.taken) == ["+33100000002"]
    assert labels(result.new) == ["(new number in group 1)"]
    assert "+33100000001" not in labels(result.numbers)
    assert reservations(the_plan) == [(1, 1, ["voice"])]
    [(key, capability, before, added)] = the_plan.changes()
    assert (key, capability) == (APP_A, "voice")
    assert [item["number"] for item in before] == [33100000003]
    assert labels(added) == ["+33100000002", "(new number in group 1)"]


def test_a_free_number_goes_to_the_first_application_rental_that_can_use_it_the_other_rents():
    the_plan = plan([rental("first", 1, APP_A, group_id=1), rental("second", 1, APP_B, group_id=1)],
                    [number(33100000002)], [group(1, 5)])
    result = outcomes(the_plan)
    assert labels(result["first"].taken) == ["+33100000002"] and result["first"].new == []
    assert result["second"].taken == [] and len(result["second"].new) == 1
    assert [(key, len(added)) for key, _cap, _before, added in the_plan.changes()] == [(APP_A, 1), (APP_B, 1)]


def test_application_rentals_take_free_numbers_in_list_order():
    numbers = [number(33100000001), number(33100000002), number(33100000003)]
    options = [rental("b", 2, APP_B, group_id=1), rental("a", 2, APP_A, group_id=1)]
    result = outcomes(plan(options, numbers, [group(1, 5)]))
    assert labels(result["b"].taken) == ["+33100000001", "+33100000002"]
    assert labels(result["a"].taken) == ["+33100000003"] and len(result["a"].new) == 1


def test_rentals_sharing_a_selector_on_one_application_count_its_numbers_once():
    the_plan = plan([rental("one", 2, APP_A, group_id=1), rental("two", 2, APP_A, country_id="FR")],
                    [number(33100000001, application_key=APP_A)], [group(1, 5)])
    result = outcomes(the_plan)
    # "one" rents a number for the application; "two" counts it (it will be on the application too).
    assert len(result["one"].new) == 1 and result["two"].new == []
    assert labels(result["two"].kept) == ["+33100000001", "(new number in group 1)"]
    assert the_plan.quantity == 1


def test_organisation_rentals_count_numbers_on_applications_and_numbers_the_plan_rents():
    the_plan = plan([rental("reserve", 2, country_id="FR"), rental("app", 1, APP_A, group_id=1)], [], [group(1, 5)])
    result = outcomes(the_plan)
    assert len(result["app"].new) == 1 and len(result["reserve"].new) == 1
    assert len(result["reserve"].numbers) == 2
    # one reservation for the group, asking for its capabilities
    assert reservations(the_plan) == [(1, 2, ["voice"])]


def test_an_application_key_in_another_case_than_sinchs_is_the_same_application():
    numbers = [number(33100000001, application_key=APP_A), number(33100000002)]
    options = [rental("a", 1, APP_A.upper(), group_id=1), rental("a2", 2, APP_A.upper(), group_id=1)]
    the_plan = plan(options, numbers, [group(1, 5)])
    assert the_plan.new_numbers == []
    assert [(key, capability) for key, capability, _before, _added in the_plan.changes()] == [(APP_A, "voice")]
    result = outcomes(the_plan)
    assert labels(result["a"].kept) == ["+33100000001"]
    assert labels(result["a2"].kept) == ["+33100000001"] and labels(result["a2"].taken) == ["+33100000002"]


def test_only_applications_no_rented_number_shows_are_read():
    rentals = _input.rentals([rental("a", 1, APP_A, group_id=1), rental("b", 1, APP_B, group_id=1),
                              rental("b2", 1, APP_B, group_id=1, capability="sms"), rental("c", 1, group_id=1),
                              rental("a-upper", 1, APP_A.upper(), group_id=1)])
    records = _shapes.listing([number(33100000001, application_key=APP_A)]).records
    assert _planner.application_keys_to_read(rentals, records) == [APP_B]


def test_application_numbers_before_and_after():
    numbers = [number(33100000001, application_key=APP_A), number(33100000002)]
    the_plan = plan([rental("a", 2, APP_A, group_id=1), rental("c", 1, APP_C, group_id=1)], numbers, [group(1, 5)])
    result = dict((item["application_key"], item) for item in the_plan.application_numbers())
    assert result[APP_A]["before"] == ["+33100000001"]
    assert result[APP_A]["after"] == ["+33100000001", "+33100000002"] and result[APP_A]["added"] == ["+33100000002"]
    assert result[APP_C]["before"] == [] and result[APP_C]["after"] == ["(new number in group 1)"]
    assert result[APP_A]["changed"] and result[APP_C]["changed"]


def test_an_application_that_holds_its_numbers_is_named_unchanged():
    the_plan = plan([rental("a", 1, APP_A, group_id=1)], [number(33100000001, application_key=APP_A)], shop=False)
    [item] = the_plan.application_numbers()
    assert item["before"] == item["after"] == ["+33100000001"] and not item["changed"]


def test_an_sms_rental_counts_only_numbers_with_sms():
    numbers = [number(14150005550, group_id=13, capabilities=("voice",), country_id="US", city="SF", area_code="415")]
    groups = [group(13, 5, "1.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"))]
    the_plan = plan([rental("sms", 1, APP_A, group_id=13, capability="SMS")], numbers, groups)
    assert outcomes(the_plan)["sms"].taken == []
    assert reservations(the_plan) == [(13, 1, ["sms", "voice"])]
    assert [(key, cap) for key, cap, _b, _a in the_plan.changes()] == [(APP_A, "sms")]


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_overlapping_application_rentals_leave_a_free_number_to_the_rental_that_can_use_only_it(order):
    # a (any FR number) could take either free number, b (group 2) only the one of group 2: whatever their order,
    # both are served by the free numbers and nothing is bought.
    # The number of group 2 is listed first, so a rental taking free numbers in listing order would give it to a.
    numbers = [number(33100000001, group_id=2), number(33400000009, group_id=1, city="LYON")]
    options = {"a": rental("a", 1, APP_A, country_id="FR"), "b": rental("b", 1, APP_B, group_id=2)}
    the_plan = plan([options[name] for name in order], numbers, [group(1, 5, city="LYON"), group(2, 5)])
    assert the_plan.quantity == 0
    result = outcomes(the_plan)
    assert labels(result["b"].taken) == ["+33100000001"] and labels(result["a"].taken) == ["+33400000009"]


def test_a_number_freed_from_another_application_never_makes_the_call_buy_more():
    # Sinch lists no applicationKey for a number on no application: the number of group 2 is then free, and the
    # rental that can use only it must still get it, not the broad rental listed first.
    numbers = [number(33100000003, group_id=2, application_key=APP_B), number(33400000005, group_id=1, city="LYON")]
    options = [rental("a", 1, APP_A, country_id="FR"), rental("b", 1, APP_B, group_id=2)]
    groups = [group(1, 5, city="LYON"), group(2, 5)]
    assert plan(options, numbers, groups).quantity == 0
    freed = plan(options, [spoil(numbers[0], "applicationKey", None)] + numbers[1:], groups)
    assert freed.quantity == 0
    assert labels(outcomes(freed)["b"].taken) == ["+33100000003"]


@pytest.mark.parametrize("order", [("fr", "lyon"), ("lyon", "fr")])
def test_rentals_of_one_application_buy_the_minimum_in_any_order(order):
    # FR x2 and FR/LYON x2 on one application are both held by 2 Lyon numbers; listed first, the broad rental
    # must not rent the cheaper Paris group and leave the Lyon one to rent 2 more.
    groups = [group(1, 20, "1.00"), group(2, 20, "2.00", city="LYON")]
    options = {"fr": rental("fr", 2, APP_A, country_id="FR"), "lyon": rental("lyon", 2, APP_A, country_id="FR", city="LYON")}
    the_plan = plan([options[name] for name in order], [], groups)
    assert reservations(the_plan) == [(2, 2, ["voice"])]
    assert [outcome.rental.name for outcome in the_plan.outcomes] == list(order)


def test_applications_are_served_in_list_order_whatever_their_rentals_selectors():
    # One free number: the first application listed gets it, even if a narrower rental of another one comes later.
    options = [rental("b-broad", 1, APP_B, country_id="FR"), rental("a-narrow", 1, APP_A, group_id=1)]
    result = outcomes(plan(options, [number(33100000001)], [group(1, 5)]))
    assert labels(result["b-broad"].taken) == ["+33100000001"] and len(result["a-narrow"].new) == 1


# --- Overlapping rentals and the capabilities of a group ------------------------------------------------------


def test_two_organisation_rentals_with_one_selector_rent_once():
    the_plan = plan([rental("a", 2, group_id=1), rental("b", 2, group_id=1)], [number(33100000001)], [group(1, 5)])
    assert bought(the_plan) == {"a": 1, "b": 0}
    assert the_plan.cost().in_currency("USD") == Decimal("2.00")


def test_overlapping_organisation_rentals_buy_the_minimum_in_any_order():
    # FR 2, FR/PARIS 3 and group 2 x1 are all held by 3 numbers of group 2 (Paris): any order rents those 3 only,
    # never the cheaper Lyon group for the broad rental.
    groups = [group(1, 5, "1.00", city="LYON"), group(2, 5, "2.00", city="PARIS")]
    options = [rental("fr", 2, country_id="FR"), rental("paris", 3, country_id="FR", city="PARIS"),
               rental("g2", 1, group_id=2)]
    for order in itertools.permutations(options):
        the_plan = plan(list(order), [], groups)
        assert reservations(the_plan) == [(2, 3, ["voice"])], [option["name"] for option in order]
        assert [outcome.rental.name for outcome in the_plan.outcomes] == [option["name"] for option in order]
        result = outcomes(the_plan)
        assert len(result["fr"].numbers) >= 2 and len(result["paris"].numbers) == 3


@pytest.mark.parametrize("first, second", [("voice", "sms"), ("sms", "voice")])
@pytest.mark.parametrize("selector", [dict(country_id="US"), dict(group_id=13)], ids=["country", "group"])
def test_rentals_splitting_the_capabilities_of_one_group_plan_one_number(first, second, selector):
    groups = [group(13, 5, "1.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"))]
    options = [rental("US %s" % first, 1, capability=first, **selector),
               rental("US %s" % second, 1, capability=second, **selector)]
    the_plan = plan(options, [], groups)
    assert the_plan.quantity == 1
    # the reservation asks for every capability of the group, so the one number serves both rentals
    assert reservations(the_plan) == [(13, 1, ["sms", "voice"])]
    assert [len(outcome.numbers) for outcome in the_plan.outcomes] == [1, 1]


@pytest.mark.parametrize("first, second", [("voice", "sms"), ("sms", "voice")])
def test_application_rentals_splitting_the_capabilities_of_one_group_plan_one_number(first, second):
    groups = [group(13, 5, "1.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"))]
    options = [rental("a-%s" % first, 1, APP_A, country_id="US", capability=first),
               rental("a-%s" % second, 1, APP_A, country_id="US", capability=second)]
    the_plan = plan(options, [], groups)
    assert the_plan.quantity == 1 and reservations(the_plan) == [(13, 1, ["sms", "voice"])]
    # The one number serves the application for both capabilities: each view says it comes.
    views = dict((item["capability"], item) for item in the_plan.application_numbers())
    assert views["voice"]["after"] == views["sms"]["after"] == ["(new number in group 13)"]
    assert views["voice"]["changed"] and views["sms"]["changed"]


# The US as the shop lists it: San Francisco voice and sms at 1.00, New York sms only at 0.50 (cheaper for sms alone).
US_SHOP = [group(1, 5), group(13, 5, "1.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms")),
           group(21, 5, "0.50", country_id="US", city="NEW YORK", area_code="212", capabilities=("sms",))]


@pytest.mark.parametrize("application_key", [None, APP_A], ids=["organisation", "application"])
@pytest.mark.parametrize("order", list(itertools.permutations(["voice", "sms"])))
def test_voice_and_sms_rentals_buy_one_voice_and_sms_number_whatever_their_order(order, application_key):
    # Listed first, the sms rental alone would rent the 0.50 sms-only number, and the voice one a second number:
    # 2 numbers for 1.50 instead of 1 for 1.00.
    options = {"voice": rental("voice", 1, application_key, country_id="US", capability="voice"),
               "sms": rental("sms", 1, application_key, country_id="US", capability="sms")}
    the_plan = plan([options[name] for name in order], [], US_SHOP)
    assert the_plan.quantity == 1 and the_plan.cost().to_result() == [{"amount": "1.00", "currency_id": "USD"}]
    assert reservations(the_plan) == [(13, 1, ["sms", "voice"])]
    assert [outcome.rental.name for outcome in the_plan.outcomes] == list(order)
    assert [len(outcome.numbers) for outcome in the_plan.outcomes] == [1, 1]


@pytest.mark.parametrize("application_key", [None, APP_A], ids=["organisation", "application"])
@pytest.mark.parametrize("order", list(itertools.permutations(["voice", "sms", "sf"])))
def test_three_overlapping_rentals_buy_the_fewest_numbers_in_every_order(order, application_key):
    # sms x2 is held by the two numbers voice and sf need anyway: 2 numbers of group 13, never sms-only ones besides.
    options = {"voice": rental("voice", 1, application_key, country_id="US", capability="voice"),
               "sms": rental("sms", 2, application_key, country_id="US", capability="sms"),
               "sf": rental("sf", 2, application_key, country_id="US", city="SF")}
    the_plan = plan([options[name] for name in order], [], US_SHOP)
    assert reservations(the_plan) == [(13, 2, ["sms", "voice"])]
    assert the_plan.cost().to_result() == [{"amount": "2.00", "currency_id": "USD"}]
    result = outcomes(the_plan)
    assert [len(result[name].numbers) >= options[name]["count"] for name in order] == [True] * 3


@pytest.mark.parametrize("order", list(itertools.permutations(["voice", "sms"])))
def test_rentals_held_by_listed_numbers_are_not_moved_and_the_others_buy_the_minimum(order):
    # "sf" is held by a listed number; the two others still buy one voice and sms number whatever their order.
    options = {"voice": rental("voice", 1, country_id="US", capability="voice"),
               "sms": rental("sms", 2, country_id="US", capability="sms"), "sf": rental("sf", 1, country_id="US", city="SF")}
    listed = [number(14150000001, group_id=13, country_id="US", city="SF", area_code="415", capabilities=("sms",),
                     amount="1.00")]
    the_plan = plan([options["sf"]] + [options[name] for name in order], listed, US_SHOP)
    assert reservations(the_plan) == [(13, 1, ["sms", "voice"])]
    assert labels(outcomes(the_plan)["sf"].kept)[0] == "+14150000001"


def test_beyond_the_search_budget_the_default_order_is_planned(monkeypatch):
    # The default order (narrowest first, then list order) is what the planner falls back to when there are too many
    # orders to try: there the sms rental listed first still rents its cheaper sms-only number.
    monkeypatch.setattr(_planner, "SEARCH_BUDGET", 1)
    options = [rental("sms", 1, country_id="US", capability="sms"), rental("voice", 1, country_id="US", capability="voice")]
    assert reservations(plan(options, [], US_SHOP)) == [(21, 1, ["sms"]), (13, 1, ["sms", "voice"])]
    monkeypatch.setattr(_planner, "SEARCH_BUDGET", 2)  # 2 orders x no number listed (counted as 1)
    assert reservations(plan(options, [], US_SHOP)) == [(13, 1, ["sms", "voice"])]


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_orders_buying_the_same_keep_the_default_order(order):
    # Both orders rent one number for 2.00: the rental listed first (the default order) rents it, the other counts it.
    options = {"a": rental("a", 1, country_id="FR", capability="voice"), "b": rental("b", 1, country_id="FR", city="PARIS")}
    result = bought(plan([options[name] for name in order], [], [group(1, 5)]))
    assert result == {order[0]: 1, order[1]: 0}


def test_an_order_refused_by_max_total_cost_is_never_kept_when_another_order_plans():
    # Listed first, "sms" rents the 0.50 sms-only number and "voice" a 1.00 one: 1.50, over max_total_cost 1.00.
    # Planned first, "voice" rents the voice and sms number that holds both, for 1.00.
    options = [rental("sms", 1, country_id="US", capability="sms"), rental("voice", 1, country_id="US", capability="voice")]
    the_plan = plan(options, [], US_SHOP, guard(max_total_cost="1.00", currency_id="USD"))
    assert reservations(the_plan) == [(13, 1, ["sms", "voice"])]


@pytest.mark.parametrize("order", list(itertools.permutations(["voice", "sms"])))
def test_over_max_total_cost_in_every_order_the_refusal_names_the_least_a_plan_adds(order):
    # 1.00 (one voice and sms number) is what max_total_cost must allow, whatever the order; never 1.50.
    options = {"voice": rental("voice", 1, country_id="US", capability="voice"),
               "sms": rental("sms", 1, country_id="US", capability="sms")}
    text = refusal([options[name] for name in order], [], US_SHOP, guard(max_total_cost="0.99", currency_id="USD"))
    assert "the plan would add 1.00 USD a month, more than max_total_cost 0.99 USD" in text


def test_when_every_order_is_refused_otherwise_the_default_orders_refusals_are_said():
    # One number left: in the default order (list order) "sms" rents it and "voice" misses 1; the other order would
    # say "voice" misses 2. The refusal does not change with the orders tried.
    groups = [group(13, 1, "1.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"))]
    text = refusal([rental("sms", 1, country_id="US", capability="sms"), rental("voice", 2, country_id="US", capability="voice")],
                   [], groups)
    assert "rental 'voice' (US, voice): cannot rent 1 more number: the shop has none available" in text


def test_rentals_on_one_group_with_different_capabilities_reserve_once_for_both():
    groups = [group(13, 5, "1.00", capabilities=("voice", "sms"))]
    the_plan = plan([rental("v", 1, APP_A, group_id=13), rental("s", 1, APP_B, group_id=13, capability="sms")],
                    [], groups)
    assert reservations(the_plan) == [(13, 2, ["sms", "voice"])]


# --- Groups, availability and currencies ------------------------------------------------------------------------


def test_groups_cheapest_first_then_most_available_then_lowest_id():
    groups = [group(5, 3, "2.00"), group(4, 9, "2.00"), group(3, 9, "2.00"), group(2, 50, "2.50"),
              group(1, 1, "1.99"), group(6, 0, "0.50")]
    the_plan = plan([rental("paris", 1 + 9 + 9 + 3 + 50, country_id="FR", city="Paris", capability="voice")],
                    [], groups)
    assert [(line.group_id, line.quantity) for line in the_plan.lines] == [(1, 1), (3, 9), (4, 9), (5, 3), (2, 50)]


def test_groups_follow_the_selector_case_insensitively():
    groups = [group(1, 5, city="PARIS"), group(2, 5, city="LYON"), group(3, 5, country_id="BE", city="Paris"),
              group(4, 5, city="paris", capabilities=("sms",)), group(5, 5, city="Paris", area_code="02")]
    chosen = plan([rental("p", 10, country_id="fr", city="Paris", capability="voice")], [], groups)
    assert sorted(line.group_id for line in chosen.lines) == [1, 5]
    chosen = plan([rental("a", 1, country_id="FR", area_code="02")], [], groups)
    assert [line.group_id for line in chosen.lines] == [5]
    chosen = plan([rental("g", 1, group_id=4)], [], groups)
    assert [line.group_id for line in chosen.lines] == [4]


def test_cheapest_groups_first_and_availability_shared_between_rentals():
    groups = [group(1, 3, "2.00"), group(3, 5, "12.50")]
    the_plan = plan([rental("a", 4, country_id="FR"), rental("b", 2, APP_A, country_id="FR")], [], groups)
    result = outcomes(the_plan)
    # b (with an application) is planned first: 2 of group 1; one of group 1 is left for a, then the dearer group 3.
    assert [(line.group_id, line.quantity) for line in result["b"].lines] == [(1, 2)]
    assert [(line.group_id, line.quantity) for line in result["a"].lines] == [(1, 1), (3, 1)]
    assert reservations(the_plan) == [(1, 3, ["voice"]), (3, 1, ["voice"])]


def test_not_enough_availability_is_refused_saying_what_there_is():
    text = refusal([rental("paris", 4, country_id="FR", city="PARIS")], [],
                   [group(1, 2, "2.00"), group(2, 1, "3.00"), group(3, 0, "1.00")])
    assert text.startswith("Refused to rent, nothing was reserved or assigned")
    assert "cannot rent 4 more numbers" in text and "the shop has only 3 available" in text
    assert "group 1 (PARIS): 2 at 2.00 USD" in text and "group 2 (PARIS): 1 at 3.00 USD" in text


def test_nothing_available_in_the_guard_currency_is_said():
    text = refusal([rental("paris", 1, country_id="FR")], [], [group(1, 5, currency_id="EUR")], guard(currency_id="usd"))
    assert "the shop has none available, counting only groups priced in USD" in text


def test_availability_taken_by_an_earlier_rental_is_said():
    text = refusal([rental("a", 2, APP_A, group_id=1), rental("b", 2, APP_B, group_id=1)], [], [group(1, 3)])
    assert "rental 'b' (group 1, voice): cannot rent 2 more numbers: the shop has only 1 available" in text
    assert "after what earlier rentals of this call take" in text


def test_several_currencies_are_summed_apart():
    groups = [group(1, 5, "2.00", "USD"), group(2, 5, "3.00", "EUR", country_id="DE", city="BERLIN")]
    the_plan = plan([rental("us", 2, group_id=1), rental("de", 1, group_id=2)], [], groups)
    cost = the_plan.cost()
    assert cost.in_currency("USD") == Decimal("4.00") and cost.in_currency("eur") == Decimal("3.00")
    assert cost.to_result() == [{"amount": "3.00", "currency_id": "EUR"}, {"amount": "4.00", "currency_id": "USD"}]
    assert outcomes(the_plan)["de"].cost().to_result() == [{"amount": "3.00", "currency_id": "EUR"}]


@pytest.mark.parametrize("options", [{}, dict(max_unit_cost=10)], ids=["no guard", "guard"])
def test_a_selector_over_several_currencies_needs_currency_id(options):
    # 1.00 EUR and 2.00 USD cannot be ranked "cheapest first" nor summed: ask, before any write.
    groups = [group(1, 5, "2.00", "USD"), group(2, 5, "1.00", "EUR")]
    text = refusal([rental("fr", 1, country_id="FR")], [], groups, guard(**options))
    assert "several currencies (EUR, USD)" in text and "set currency_id" in text
    assert reservations(plan([rental("fr", 1, country_id="FR")], [], groups, guard(currency_id="usd"))) == [
        (1, 1, ["voice"])]


def test_max_unit_cost_without_currency_id_is_in_the_only_currency_the_groups_are_priced_in():
    the_plan = plan([rental("x", 2, country_id="FR")], [], [group(1, 5, "2.00", "EUR")], guard(max_unit_cost=2))
    assert the_plan.cost().to_result() == [{"amount": "4.00", "currency_id": "EUR"}]
    text = refusal([rental("x", 2, country_id="FR")], [], [group(1, 5, "2.00", "EUR")], guard(max_unit_cost="1.99"))
    assert "more than max_unit_cost 1.99 EUR" in text


def test_one_currency_spelled_two_ways_is_one_currency():
    groups = [group(1, 5, "1.00", currency_id="usd"), group(2, 5, "2.00", currency_id="USD")]
    the_plan = plan([rental("x", 2, country_id="FR")], [], groups)
    assert reservations(the_plan) == [(1, 2, ["voice"])]
    assert the_plan.cost().to_result() == [{"amount": "2.00", "currency_id": "USD"}]


def test_the_guard_currency_chooses_among_groups_in_any_case():
    groups = [group(1, 5, "1.00", "EUR"), group(2, 5, "2.00", "usd")]
    the_plan = plan([rental("x", 2, country_id="FR")], [], groups, guard(max_unit_cost=2, currency_id="USD"))
    assert reservations(the_plan) == [(2, 2, ["voice"])]
    text = refusal([rental("x", 6, country_id="FR")], [], groups, guard(currency_id="USD"))
    assert "only 5 available" in text and "counting only groups priced in USD" in text


def test_money_is_exact_decimal():
    # 3 x 0.1 is 0.30000000000000004 in floats: the whole-call guard at 0.3 must still pass.
    the_plan = plan([rental("a", 3, group_id=1)], [], [group(1, 10, 0.1)],
                    guard(max_unit_cost=0.1, max_total_cost=0.3, currency_id="USD"))
    assert the_plan.cost().in_currency("USD") == Decimal("0.3")
    assert the_plan.cost().to_result() == [{"amount": "0.30", "currency_id": "USD"}]
    [line] = the_plan.lines
    assert line.to_result()["unit_cost"] == {"amount": "0.10", "currency_id": "USD"} and line.to_result()["cost_known"]


@pytest.mark.parametrize("group_id", [7, "7"])
def test_string_group_ids_and_amounts_in_the_shop_plan_like_numbers(group_id):
    raw = group(7, "3", "1.0")
    raw["groupId"] = group_id
    the_plan = plan([rental("a", 2, group_id=7)], [], [raw], guard(max_total_cost=2, currency_id="USD"))
    assert reservations(the_plan) == [(7, 2, ["voice"])]
    assert the_plan.cost().in_currency("USD") == Decimal(2)


# --- Cost guards ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["2.00", 2, 2.0, "2"])
@pytest.mark.parametrize("price", ["2.00", 2, "2"])
def test_a_group_priced_exactly_at_max_unit_cost_is_rented(limit, price):
    for options in ([rental("org", 2, group_id=1)], [rental("app", 2, APP_A, country_id="FR")]):
        the_plan = plan(options, [], [group(1, 5, price)], guard(max_unit_cost=limit, currency_id="USD"))
        assert the_plan.quantity == 2


@pytest.mark.parametrize("options", [[rental("org", 2, group_id=1)], [rental("app", 2, APP_A, country_id="FR")]],
                         ids=["organisation", "application"])
def test_a_group_one_cent_above_max_unit_cost_is_refused(options):
    text = refusal(options, [], [group(1, 5, "2.01")], guard(max_unit_cost="2.00", currency_id="USD"))
    assert "group 1 (PARIS) costs 2.01 USD a number a month, more than max_unit_cost 2.00 USD" in text


def test_max_unit_cost_refuses_a_plan_that_must_reach_a_dear_group():
    groups = [group(1, 1, "1.00"), group(2, 5, "3.00")]
    text = refusal([rental("p", 2, country_id="FR")], [], groups, guard(max_unit_cost=2.5))
    assert "group 2 (PARIS) costs 3.00 USD a number a month, more than max_unit_cost 2.50" in text
    assert reservations(plan([rental("p", 1, country_id="FR")], [], groups, guard(max_unit_cost=1))) == [
        (1, 1, ["voice"])]


@pytest.mark.parametrize("options", [dict(max_unit_cost="0.5"), dict(max_total_cost=2, currency_id="USD"),
                                     dict(max_unit_cost=9, currency_id="USD"), dict(max_unit_cost=0)])
def test_an_unknown_price_is_refused_under_any_guard_naming_the_group(options):
    text = refusal([rental("a", 3, group_id=75)], [], [costless(group(75, 5))], guard(**options))
    assert "group 75 (PARIS) has no readable price" in text and "never taken as free" in text


@pytest.mark.parametrize("amount", [None, "n/a", "NaN", True, ""])
def test_an_unknown_price_without_a_guard_is_rented_and_its_cost_unknown_never_zero(amount):
    raw = group(75, 5)
    raw["cost"]["amount"] = amount
    the_plan = plan([rental("a", 3, group_id=75)], [], [raw])
    assert the_plan.quantity == 3
    [line] = the_plan.lines
    assert line.unit_cost is None and line.subtotal is None
    assert line.to_result()["unit_cost"]["amount"] is None and not line.to_result()["cost_known"]
    cost = the_plan.cost()
    assert cost.unknown == 3 and cost.to_result() == []
    assert "unknown" in cost.words() and "0.00" not in cost.words()


def test_an_unknown_price_is_never_the_cheapest_group():
    groups = [costless(group(1, 5)), group(2, 5, "3.00"), group(3, 5, "9.00")]
    assert [(line.group_id, line.quantity) for line in plan([rental("a", 12, country_id="FR")], [], groups).lines] == [
        (2, 5), (3, 5), (1, 2)]


def test_a_guard_passes_when_the_plan_avoids_the_costless_group():
    groups = [costless(group(1, 5)), group(2, 5, "1.00")]
    the_guard = guard(max_total_cost=4, currency_id="USD")
    assert reservations(plan([rental("a", 4, country_id="FR")], [], groups, the_guard)) == [(2, 4, ["voice"])]
    text = refusal([rental("a", 6, country_id="FR")], [], groups, guard(max_total_cost=100, currency_id="USD"))
    assert "group 1 (PARIS) has no readable price" in text


def test_max_total_cost_is_for_the_whole_call_and_passes_at_the_limit():
    groups = [group(1, 5, "2.00"), group(2, 5, "2.00", country_id="GB", city="LONDON")]
    options = [rental("paris", 2, group_id=1), rental("london", 1, country_id="GB")]
    text = refusal(options, [], groups, guard(max_total_cost="5.99", currency_id="USD"))
    assert "would add 6.00 USD a month, more than max_total_cost 5.99 USD, which is for the whole call" in text
    assert "rental 'paris' (group 1) 4.00 USD" in text and "rental 'london' (GB) 2.00 USD" in text
    assert plan(options, [], groups, guard(max_total_cost=6, currency_id="USD")).cost().in_currency("USD") == 6


@pytest.mark.parametrize("shop_currency, guard_currency", [("usd", "USD"), ("USD", "usd"), ("Usd", "uSD")])
def test_max_total_cost_holds_whatever_the_case_of_the_currencies(shop_currency, guard_currency):
    groups = [group(1, 5, "2.00", currency_id=shop_currency)]
    text = refusal([rental("paris", 2, group_id=1)], [], groups,
                   guard(max_total_cost=3, currency_id=guard_currency))
    assert "would add 4.00 USD a month, more than max_total_cost 3.00 USD" in text
    the_plan = plan([rental("paris", 2, group_id=1)], [], groups, guard(max_total_cost=4, currency_id=guard_currency))
    assert the_plan.quantity == 2


def test_max_total_cost_counts_what_is_bought_not_what_is_held():
    numbers = [number(33100000001), number(33100000002)]
    the_plan = plan([rental("p", 3, group_id=1)], numbers, [group(1, 5, "2.00")],
                    guard(max_total_cost=2, currency_id="USD"))
    assert the_plan.quantity == 1


# --- Refusals, every one named before any write -----------------------------------------------------------------


def test_every_refusal_is_named_in_one_failure():
    groups = [group(1, 1, "2.00"), group(75, 5, "2.00", capabilities=("sms",))]
    text = refusal([rental("missing-group", 1, group_id=9), rental("no-voice", 1, APP_A, group_id=75),
                    rental("too-many", 3, group_id=1), rental("fine", 1, country_id="FR")], [], groups)
    assert text.startswith("Refused to rent, nothing was reserved or assigned: ")
    assert "rental 'missing-group' (group 9): number group 9 is not in the Sinch number shop" in text
    assert "rental 'no-voice' (group 75, voice): number group 75 does not offer voice (it offers sms)" in text
    assert "rental 'too-many' (group 1): cannot rent 3 more numbers: the shop has only 1 available" in text
    assert "'fine'" not in text


def test_a_group_the_shop_lists_without_readable_availability_or_capabilities_is_refused_by_group_id():
    raw = group(9, 5, capabilities=("voice", "sms"))
    del raw["availability"]
    assert "without a readable availability" in refusal([rental("g", 1, group_id=9)], [], [raw])
    raw = group(9, 5)
    raw["capabilities"] = "voice"
    assert "without a readable capabilities" in refusal([rental("g", 1, group_id=9, capability="voice")], [], [raw])


def test_a_group_without_a_price_and_with_unreadable_fields_is_left_out_and_named_when_the_shop_cannot_cover():
    raw = costless(group(9, 5))
    del raw["city"]
    text = refusal([rental("p", 1, country_id="FR", city="PARIS")], [], [raw])
    assert "the shop has none available" in text and "group 9" in text and "city" in text


# --- The shop's groups: unknown is never "no" either ------------------------------------------------------------

# (field, unreadable value or None for absent) of a shop group, and a rental that reads it.
SHOP_UNREADABLE = [
    ("city", None), ("city", ""), ("city", ["PARIS"]), ("countryId", None), ("countryId", "FRA"), ("countryId", 33),
    ("areaCode", None), ("areaCode", {}), ("capabilities", None), ("capabilities", "voice"), ("capabilities", []),
    ("availability", None), ("availability", "lots"), ("availability", -1),
]
READS_SHOP = {
    "city": rental("p", 2, country_id="FR", city="PARIS"), "countryId": rental("p", 2, country_id="FR"),
    "areaCode": rental("p", 2, country_id="FR", area_code="01"), "capabilities": rental("p", 2, country_id="FR", capability="voice"),
    "availability": rental("p", 2, country_id="FR"),
}


@pytest.mark.parametrize("field, value", SHOP_UNREADABLE)
@pytest.mark.parametrize("application_key", [None, APP_A], ids=["organisation", "application"])
def test_a_cheaper_group_the_shop_lists_unreadably_refuses_the_rental_instead_of_renting_dearer(field, value, application_key):
    # Left out, the 4.00 group would make the run rent the 25.00 one silently.
    cheap = spoil(group(4, 5, "4.00"), field, value)
    with pytest.raises(UnreadableError) as err:
        plan([dict(READS_SHOP[field], application_key=application_key)], [], [cheap, group(25, 5, "25.00")])
    text = str(err.value)
    assert text.startswith("Refused to rent, nothing was reserved or assigned: rental 'p'")
    assert "group 4 (" in text and "at 4.00 USD with fields that cannot be read (%s on group 4)" % field in text
    assert "instead of group 25 (PARIS) at 25.00 USD" in text and "unknown is never taken as \"no\"" in text
    assert "sinch_number_shop_info" in err.value.hint


@pytest.mark.parametrize("field, value", SHOP_UNREADABLE)
def test_when_the_readable_groups_cannot_cover_a_rental_an_unreadable_group_with_a_price_refuses_it(field, value):
    # Dearer, but the only one that might cover the rental: "the shop has only 5" would hide that it cannot be read.
    text = refusal([dict(READS_SHOP[field], count=6)], [], [spoil(group(4, 5, "40.00"), field, value), group(25, 5, "25.00")],
                   kind=UnreadableError)
    assert "the groups that can be read cannot cover it" in text and "%s on group 4" % field in text


def test_an_unreadable_group_dearer_than_the_plan_or_without_a_price_or_ruled_out_does_not_block():
    groups = [spoil(group(4, 5, "30.00"), "city", None), spoil(group(26, 5, "25.00"), "city", None),
              spoil(costless(group(6, 5)), "city", None), spoil(group(7, 5, "1.00", city="LYON"), "areaCode", None),
              spoil(group(8, 5, "1.00", capabilities=("sms",)), "availability", None), group(25, 5, "25.00")]
    # 30.00 costs more than what the plan pays, and group 26 as much with no more available (the shop's order would
    # still rent group 25 first); an unknown price ranks last anyway; group 7 is in Lyon and group 8 has no voice,
    # whatever their unreadable fields say.
    the_plan = plan([rental("p", 2, country_id="FR", city="PARIS", capability="voice")], [], groups)
    assert reservations(the_plan) == [(25, 2, ["voice"])]


@pytest.mark.parametrize("raw", [group(26, 9, "25.00"), group(4, 5, "25.00")], ids=["more available", "lower id"])
def test_an_unreadable_group_as_cheap_that_the_shops_order_would_rent_first_refuses(raw):
    # Readable, it would be rented before group 25 (most available first, then lowest id), and its numbers might be
    # the ones other rentals of the call count: renting around it could buy more.
    text = refusal([rental("p", 1, country_id="FR", city="PARIS")], [], [spoil(raw, "city", None), group(25, 5, "25.00")],
                   kind=UnreadableError)
    assert "group %d (FR) at 25.00 USD with fields that cannot be read (city on group %d)" % (raw["groupId"], raw["groupId"]) in text


def test_an_unreadable_group_of_an_exhausted_availability_does_not_block():
    # Group 4's city cannot be read but it has nothing left to rent.
    the_plan = plan([rental("p", 1, country_id="FR", city="PARIS")], [], [spoil(group(4, 0, "1.00"), "city", None),
                                                                          group(25, 5, "25.00")])
    assert reservations(the_plan) == [(25, 1, ["voice"])]


def test_an_unreadable_group_in_another_currency_refuses_only_without_currency_id():
    # Readable, a 30.00 EUR group beside a 25.00 USD one would ask for currency_id; unreadable, it cannot be ignored.
    groups = [spoil(group(4, 5, "30.00", "EUR"), "city", None), group(25, 5, "25.00")]
    text = refusal([rental("p", 1, country_id="FR", city="PARIS")], [], groups, kind=UnreadableError)
    assert "group 4 (FR) at 30.00 EUR" in text
    assert reservations(plan([rental("p", 1, country_id="FR", city="PARIS")], [], groups, guard(currency_id="usd"))) == [
        (25, 1, ["voice"])]


def test_a_group_id_rental_is_not_refused_for_other_groups_it_cannot_select():
    the_plan = plan([rental("g", 1, group_id=25)], [], [spoil(group(4, 5, "1.00"), "city", None), group(25, 5, "25.00")])
    assert reservations(the_plan) == [(25, 1, ["voice"])]


def test_an_order_that_avoids_an_unreadable_group_at_a_higher_cost_is_not_chosen_instead():
    # Group 1 (1.50, San Francisco) lists no capabilities. "g1" rents 2 of it either way; planned first (the default
    # order), its numbers may hold "sf-voice" too, which cannot be told; planned after "sf-voice" (which then rents the
    # 1.00 group), the plan is sure but buys 3 numbers for 4.00, where reading the capabilities would show 2 for 3.00.
    groups = [group(1, 5, "1.50", country_id="US", city="SF", area_code="415"),
              group(3, 5, "1.00", country_id="US", city="SF", area_code="415")]
    options = [rental("g1", 2, group_id=1), rental("sf-voice", 1, country_id="US", city="SF", capability="voice")]
    read = plan(options, [], groups)
    assert read.quantity == 2 and read.cost().to_result() == [{"amount": "3.00", "currency_id": "USD"}]
    with pytest.raises(UnreadableError) as err:
        plan(options, [], [spoil(groups[0], "capabilities", None)] + groups[1:])
    assert "group 1" in str(err.value) and "capabilities" in str(err.value)


def test_an_order_that_avoids_an_unreadable_rented_number_at_a_higher_cost_is_not_chosen_instead():
    # A listed number whose group cannot be read may be of group 1: "g1" would then be held, and the default order
    # (the group rentals first) buys 3 numbers for 5.00. The order that rents for "us" first is sure, as its group 1
    # numbers hold "g1", but buys 4 for 6.00: the plan is refused instead.
    groups = [group(1, 5, "1.00", country_id="US", city="NEW YORK", area_code="212", capabilities=("sms",)),
              group(2, 5, "1.00", country_id="US", city="NEW YORK", area_code="212", capabilities=("sms",)),
              group(3, 2, "2.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"))]
    listed = number(12120000001, group_id=2, country_id="US", city="NEW YORK", area_code="212", capabilities=("sms",),
                    application_key=APP_B)
    options = [rental("g1", 1, group_id=1), rental("us", 3, country_id="US"), rental("g3", 2, group_id=3, capability="voice")]
    read = plan(options, [listed], groups)
    assert read.quantity == 3 and read.cost().to_result() == [{"amount": "5.00", "currency_id": "USD"}]
    with pytest.raises(UnreadableError) as err:
        plan(options, [spoil(listed, "groupId", None)], groups)
    assert "groupId on +12120000001" in str(err.value) and "rental 'g1' (group 1) needs 1 more number" in str(err.value)


# --- Unknown is never "no" --------------------------------------------------------------------------------------

UNREADABLE = [
    ("groupId", None), ("groupId", {}), ("groupId", "thirteen"), ("groupId", True),
    ("capabilities", None), ("capabilities", "voice"), ("capabilities", []), ("capabilities", [None]),
    ("countryId", None), ("countryId", 33), ("countryId", ""), ("countryId", "FRA"), ("countryId", "F"),
    ("city", None), ("city", ["PARIS"]), ("city", " "),
    ("areaCode", None), ("areaCode", {}), ("areaCode", ""),
]
# A rental whose selector reads the field, so that the number with the unreadable field may count for it.
READS = {
    "groupId": rental("r", 2, group_id=1), "capabilities": rental("r", 2, country_id="FR", capability="voice"),
    "countryId": rental("r", 2, country_id="FR"), "city": rental("r", 2, country_id="FR", city="PARIS"),
    "areaCode": rental("r", 2, country_id="FR", area_code="01"),
}


def spoil(raw, field, value):
    """``raw`` with ``field`` removed (value None) or set to an unreadable value."""
    raw = copy.deepcopy(raw)
    if value is None:
        raw.pop(field, None)
    else:
        raw[field] = value
    return raw


@pytest.mark.parametrize("field, value", UNREADABLE)
@pytest.mark.parametrize("application_key", [None, APP_A], ids=["organisation", "application"])
def test_a_rental_that_would_buy_is_refused_when_a_number_it_reads_cannot_be_read(field, value, application_key):
    option = dict(READS[field], application_key=application_key)
    numbers = [number(33100000001, application_key=application_key), spoil(number(33100000002), field, value)]
    with pytest.raises(UnreadableError) as err:
        plan([option], numbers, [group(1, 5)])
    text = str(err.value)
    assert text.startswith("Refused to rent, nothing was reserved or assigned")
    assert "1 of the organisation's 2 numbers" in text
    assert "%s on +33100000002" % field in text
    assert "needs 1 more number" in text
    assert "unknown is never taken as \"no\"" in text


@pytest.mark.parametrize("field, value", UNREADABLE)
def test_a_rental_already_held_by_readable_numbers_is_not_refused(field, value):
    numbers = [number(33100000001), number(33100000003), spoil(number(33100000002), field, value)]
    the_plan = plan([dict(READS[field], name="held")], numbers, [group(1, 5)])
    assert the_plan.quantity == 0 and not the_plan.changed
    assert labels(outcomes(the_plan)["held"].kept) == ["+33100000001", "+33100000003"]


@pytest.mark.parametrize("field, value", [(field, value) for field, value in UNREADABLE if field != "groupId"])
def test_a_number_with_an_unreadable_field_that_other_fields_rule_out_does_not_refuse(field, value):
    # A number of the US cannot count for a French rental whatever its other fields: the rental buys.
    # (A group_id rental reads the group alone: nothing else can rule a number out.)
    other = number(14150000001, group_id=13, country_id="US", city="SF", area_code="415")
    if field == "countryId":
        other["groupId"], other["city"] = 13, "LYON"
        option = rental("r", 2, country_id="FR", city="PARIS")  # ruled out by its city instead
    else:
        option = READS[field]
    the_plan = plan([option], [number(33100000001), spoil(other, field, value)], [group(1, 5)])
    assert the_plan.quantity == 1


def test_items_without_a_readable_number_refuse_a_rental_that_would_buy():
    numbers = [number(33100000001), spoil(number(33100000002), "number", None), spoil(number(33100000003), "number", "x"),
               "not an object"]
    with pytest.raises(UnreadableError) as err:
        plan([rental("org", 3, group_id=1)], numbers, [group(1, 5)])
    assert "3 of the organisation's 4 numbers" in str(err.value)
    assert "3 items without a readable number" in str(err.value)
    # held by the readable numbers: nothing to buy, nothing refused
    assert plan([rental("org", 1, group_id=1)], numbers, [group(1, 5)]).quantity == 0


def test_the_refusal_counts_every_doubtful_number_once_and_names_each_field():
    numbers = [spoil(spoil(number(33100000001), "groupId", None), "capabilities", "voice"),
               spoil(number(33100000002), "city", None), number(33100000003)]
    with pytest.raises(UnreadableError) as err:
        plan([rental("g", 3, group_id=1), rental("p", 3, APP_A, country_id="FR", city="PARIS")], numbers, [group(1, 5)])
    text = str(err.value)
    assert "2 of the organisation's 3 numbers" in text
    assert "groupId on +33100000001" in text and "capabilities on +33100000001" in text and "city on +33100000002" in text
    assert "rental 'g' (group 1) needs 1 more number" in text
    assert "rental 'p' (FR, city PARIS, voice) needs 3 more numbers" in text
    assert err.value.hint and "sinch_number_info" in err.value.hint


@pytest.mark.parametrize("value", [12, "", " ", {}, ["key"], True])
def test_a_number_whose_application_cannot_be_read_is_never_free(value):
    spoiled = spoil(number(33100000002), "applicationKey", value)
    with pytest.raises(UnreadableError) as err:
        plan([rental("a", 1, APP_A, group_id=1)], [spoiled], [group(1, 5)])
    assert "applicationKey on +33100000002" in str(err.value)
    # an organisation rental counts it whatever its application
    assert plan([rental("org", 1, group_id=1)], [spoiled], [group(1, 5)]).quantity == 0


def test_an_overwrite_is_refused_when_any_numbers_application_cannot_be_read():
    # "a" takes the free number (a write, no purchase); a number of another group whose application cannot be read
    # may be on APP_A and be dropped by the overwrite.
    numbers = [number(33100000001), spoil(number(33400000009, group_id=2, city="LYON"), "applicationKey", 7)]
    with pytest.raises(UnreadableError) as err:
        plan([rental("a", 1, APP_A, group_id=1)], numbers, [group(1, 5), group(2, 5, city="LYON")])
    text = str(err.value)
    assert "would overwrite numbers of application %s" % APP_A in text
    assert "applicationKey on +33400000009" in text


def test_an_overwrite_is_refused_when_a_number_on_that_application_has_unreadable_capabilities():
    numbers = [number(33100000001), spoil(number(33400000009, group_id=2, city="LYON", application_key=APP_A),
                                          "capabilities", "voice")]
    with pytest.raises(UnreadableError) as err:
        plan([rental("a", 1, APP_A, group_id=1)], numbers, [group(1, 5), group(2, 5, city="LYON")])
    assert "capabilities on +33400000009" in str(err.value)
    assert "would overwrite numbers of application" in str(err.value)


def test_numbers_of_another_application_with_unreadable_capabilities_do_not_stop_an_overwrite():
    numbers = [number(33100000001), spoil(number(33100000009, application_key=APP_B), "capabilities", "voice")]
    the_plan = plan([rental("a", 1, APP_A, group_id=1)], numbers, [group(1, 5)])
    assert labels(outcomes(the_plan)["a"].taken) == ["+33100000001"] and the_plan.quantity == 0


def test_an_application_rental_held_is_not_refused_for_unreadable_numbers_elsewhere():
    numbers = [number(33100000001, application_key=APP_A), spoil(number(33100000002), "applicationKey", 5),
               spoil(number(33100000003), "capabilities", None), "garbage"]
    the_plan = plan([rental("a", 1, APP_A, group_id=1)], numbers, [group(1, 5)])
    assert not the_plan.changed


# --- The property: removing (or spoiling) a field never makes a plan buy more ---------------------------------

# Realistic worlds: France (Paris voice, Lyon voice+sms), the US (San Francisco voice+sms, New York sms only),
# two applications, numbers free and on applications.
LISTED = [
    number(33100000001, group_id=1, application_key=APP_A),
    number(33100000002, group_id=1),
    number(33400000003, group_id=2, city="LYON", area_code="04", capabilities=("voice", "sms"), application_key=APP_B),
    number(33400000004, group_id=2, city="LYON", area_code="04", capabilities=("voice", "sms")),
    number(14150000001, group_id=13, country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"),
           amount="1.00"),
    number(14150000002, group_id=13, country_id="US", city="SF", area_code="415", capabilities=("voice", "sms"),
           application_key=APP_A, amount="1.00"),
    number(12120000003, group_id=14, country_id="US", city="NEW YORK", area_code="212", capabilities=("sms",),
           amount="0.50"),
]
SHOP = [
    group(1, 20, "2.00"),
    group(2, 20, "1.50", city="LYON", area_code="04", capabilities=("voice", "sms")),
    group(3, 20, "3.00", capabilities=("voice", "sms")),
    group(13, 20, "1.00", country_id="US", city="SF", area_code="415", capabilities=("voice", "sms")),
    group(14, 20, "0.50", country_id="US", city="NEW YORK", area_code="212", capabilities=("sms",)),
]
SCENARIOS = {
    "organisation": dict(rentals=[
        rental("fr", 6, country_id="FR"), rental("paris", 3, country_id="FR", city="PARIS"),
        rental("lyon-sms", 2, country_id="FR", city="LYON", capability="sms"), rental("g13", 3, group_id=13),
        rental("us-sms", 4, country_id="US", capability="sms"), rental("area-212", 2, country_id="US", area_code="212"),
    ]),
    "applications": dict(rentals=[
        rental("a-fr", 3, APP_A, country_id="FR"), rental("b-sms", 2, APP_B, country_id="FR", capability="sms"),
        rental("a-us-sms", 2, APP_A, country_id="US", capability="sms"), rental("b-g1", 1, APP_B, group_id=1),
        rental("c-sf", 1, APP_C, country_id="US", city="SF"),
    ]),
    "mixed": dict(rentals=[
        rental("reserve-fr", 5, country_id="FR"), rental("a-paris", 2, APP_A, country_id="FR", city="PARIS"),
        rental("b-lyon-sms", 2, APP_B, country_id="FR", city="LYON", capability="sms"),
        rental("us-voice", 2, country_id="US", capability="voice"), rental("us-sms", 2, country_id="US", capability="sms"),
        rental("c-g13", 1, APP_C, group_id=13),
    ]),
    "converged": dict(rentals=[
        rental("fr", 4, country_id="FR"), rental("a-fr", 1, APP_A, country_id="FR"),
        rental("b-lyon", 1, APP_B, country_id="FR", city="LYON", capability="sms"),
        rental("us", 3, country_id="US"), rental("a-us", 1, APP_A, group_id=13),
    ]),
    "contested": dict(rentals=[
        rental("a-fr", 2, APP_A, country_id="FR"), rental("b-paris", 1, APP_B, country_id="FR", city="PARIS"),
        rental("c-us-sms", 1, APP_C, country_id="US", capability="sms"), rental("b-sf", 1, APP_B, group_id=13),
        rental("fr-sms", 3, country_id="FR", capability="sms"),
    ]),
    "guarded": dict(rentals=[
        rental("fr", 5, country_id="FR"), rental("a-fr", 3, APP_A, country_id="FR", capability="voice"),
        rental("us-sms", 5, country_id="US", capability="sms"),
    ], guard=dict(max_unit_cost="2.00", max_total_cost="30", currency_id="usd")),
}
FIELDS = ("groupId", "capabilities", "countryId", "city", "areaCode", "applicationKey", "number")
SPOILERS = {
    "groupId": [{}, "thirteen", 1.5], "capabilities": ["voice", [], ["voice", 7]], "countryId": [33, "", ["FR"], "FRA"],
    "city": [["PARIS"], "", 1], "areaCode": [{}, "", None], "applicationKey": [12, "", {}],
    "number": ["+33 not a number", True, {}],
}


def scenario_plan(name, numbers, groups=None):
    """What the scenario buys over ``numbers``: (total, {rental: quantity}, {(application, number) taken}).

    A refusal buys and takes nothing.
    """
    scenario = SCENARIOS[name]
    try:
        the_plan = plan(scenario["rentals"], numbers, SHOP if groups is None else groups,
                        guard(**scenario.get("guard", {})))
    except PlanError:
        return 0, dict((option["name"], 0) for option in scenario["rentals"]), set()
    return the_plan.quantity, bought(the_plan), taken(the_plan)


def taken(the_plan):
    """The free numbers the plan puts on applications, as (application, number)."""
    return set((outcome.rental.application_key, item["number"]) for outcome in the_plan.outcomes
               for item in outcome.taken)


def variants(field):
    """(description, raw record -> raw record) for removing ``field`` and for each unreadable value of it."""
    yield "without %s" % field, lambda raw: spoil(raw, field, None)
    for value in SPOILERS[field]:
        if value is not None:
            yield "%s %r" % (field, value), lambda raw, value=value: spoil(raw, field, value)


def more_bought(name, base, numbers, what, strict=True, spoiled_owner=None):
    """What buys more over ``numbers`` than ``base`` (``strict``: also per rental), in words.

    ``spoiled_owner`` is a number whose application cannot be read: the plan must never take it as free.
    """
    total, per, took = scenario_plan(name, numbers)
    problems = []
    if total > base[0]:
        problems.append("%s: buys %d instead of %d" % (what, total, base[0]))
    if strict:
        problems.extend("%s: rental %s buys %d instead of %d" % (what, rental_name, per[rental_name], base[1][rental_name])
                        for rental_name in per if per[rental_name] > base[1][rental_name])
    problems.extend("%s: puts it on application %s as if it were free" % (what, key)
                    for key, number_value in sorted(took) if number_value == spoiled_owner)
    return problems


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_order_of_a_scenarios_rentals_buys_the_same(name):
    # As many numbers in any order; the same numbers at the same cost in any order that serves the applications in
    # the same order (a free number goes to the first application that can use it: that is the documented choice).
    scenario = SCENARIOS[name]
    quantities, spends = set(), set()
    for order in itertools.permutations(scenario["rentals"]):
        the_plan = plan(list(order), LISTED, SHOP, guard(**scenario.get("guard", {})))
        quantities.add(the_plan.quantity)
        if applications_in_order(order) == applications_in_order(scenario["rentals"]):
            spends.add((tuple(sorted((line.group_id, line.quantity) for line in the_plan.lines)),
                        str(the_plan.cost().to_result())))
    assert len(quantities) == 1 and len(spends) == 1


def applications_in_order(options):
    keys = []
    for option in options:
        if option["application_key"] is not None and option["application_key"] not in keys:
            keys.append(option["application_key"])
    return keys


def test_the_scenarios_plan_without_refusal_and_most_of_them_buy():
    for name, scenario in SCENARIOS.items():
        the_plan = plan(scenario["rentals"], LISTED, SHOP, guard(**scenario.get("guard", {})))
        assert (the_plan.quantity == 0) == (name == "converged"), name


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_removing_or_spoiling_a_field_of_a_rented_number_never_buys_or_takes_more(name, field):
    base = scenario_plan(name, LISTED)
    problems = []
    for index, raw in enumerate(LISTED):
        for what, change in variants(field):
            numbers = LISTED[:index] + [change(raw)] + LISTED[index + 1:]
            # A number without applicationKey is on no application (the one field whose absence has a meaning), so
            # removing it frees the number: a rental may then take it, but the call never buys more in total.
            removed_key = field == "applicationKey" and what.startswith("without")
            spoiled_owner = raw["number"] if field == "applicationKey" and not removed_key else None
            problems.extend(more_bought(name, base, numbers, "+%d %s" % (raw["number"], what), not removed_key,
                                        spoiled_owner))
    assert problems == []


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_removing_fields_from_two_rented_numbers_never_buys_or_takes_more(name):
    base = scenario_plan(name, LISTED)
    readable_only = [field for field in FIELDS if field != "applicationKey"]
    problems = []
    for (first, field_one), (second, field_two) in itertools.combinations(
            itertools.product(range(len(LISTED)), readable_only), 2):
        numbers = list(LISTED)
        numbers[first] = spoil(numbers[first], field_one, None)
        numbers[second] = spoil(numbers[second], field_two, None)
        problems.extend(more_bought(name, base, numbers, "without %s on #%d and %s on #%d"
                                    % (field_one, first, field_two, second)))
    assert problems == []


SHOP_SPOILERS = {
    "capabilities": [None, "voice", []], "countryId": [None, "FRA", 33], "city": [None, "", ["PARIS"]],
    "areaCode": [None, {}, ""], "availability": [None, "many", -1], "cost": [None, {"amount": "n/a", "currencyId": "USD"}],
}


def scenario_spend(name, groups):
    """What the scenario buys with ``groups`` as the shop: (total, {rental: quantity}, {currency: known amount})."""
    scenario = SCENARIOS[name]
    try:
        the_plan = plan(scenario["rentals"], LISTED, groups, guard(**scenario.get("guard", {})))
    except PlanError:
        return 0, dict((option["name"], 0) for option in scenario["rentals"]), {}
    return the_plan.quantity, bought(the_plan), dict(the_plan.cost().amounts)


def spends_more(name, base, groups, what, money=True):
    total, per, amounts = scenario_spend(name, groups)
    problems = []
    if total > base[0] or any(per[key] > base[1][key] for key in per):
        problems.append("%s: buys %r instead of %r" % (what, per, base[1]))
    if money and any(amount > base[2].get(currency, 0) for currency, amount in amounts.items()):
        problems.append("%s: spends %r instead of %r" % (what, amounts, base[2]))
    return problems


@pytest.mark.parametrize("field", sorted(SHOP_SPOILERS))
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_removing_or_spoiling_a_field_of_a_shop_group_never_buys_more_nor_spends_more_known_money(name, field):
    # A group without a readable price ranks last (an unknown price is never the cheapest): the known money then goes
    # to the next group, so for "cost" only the numbers bought are compared.
    base = scenario_spend(name, SHOP)
    problems = []
    for index, raw in enumerate(SHOP):
        for value in SHOP_SPOILERS[field]:
            groups = SHOP[:index] + [spoil(raw, field, value)] + SHOP[index + 1:]
            problems.extend(spends_more(name, base, groups, "group %d %s %r" % (raw["groupId"], field, value),
                                        money=field != "cost"))
    assert problems == []


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_removing_fields_from_two_shop_groups_never_buys_more_nor_spends_more_known_money(name):
    base = scenario_spend(name, SHOP)
    fields = [field for field in SHOP_SPOILERS if field != "cost"]
    problems = []
    for (first, field_one), (second, field_two) in itertools.combinations(itertools.product(range(len(SHOP)), fields), 2):
        groups = list(SHOP)
        groups[first] = spoil(groups[first], field_one, None)
        groups[second] = spoil(groups[second], field_two, None)
        problems.extend(spends_more(name, base, groups, "without %s on #%d and %s on #%d"
                                    % (field_one, first, field_two, second)))
    assert problems == []


def stringly(raw, keys):
    """``raw`` with the values of ``keys`` (and the cost's amount) sent as strings."""
    raw = copy.deepcopy(raw)
    for key in keys:
        if key in raw:
            raw[key] = "%s" % raw[key]
    raw["cost"]["amount"] = "%s" % raw["cost"]["amount"]
    return raw


def plan_facts(the_plan):
    """Everything a user sees of a plan: per rental what it keeps, takes and rents, the reservations, the writes."""
    return ([(o.rental.name, labels(o.kept), labels(o.taken), labels(o.new), [(line.group_id, line.quantity) for line in o.lines])
             for o in the_plan.outcomes],
            [line.to_result() for line in the_plan.lines],
            the_plan.application_numbers(), the_plan.cost().to_result())


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ids_sent_as_strings_plan_exactly_like_integers(name):
    scenario = SCENARIOS[name]
    the_guard = guard(**scenario.get("guard", {}))
    as_ints = plan(scenario["rentals"], LISTED, SHOP, the_guard)
    as_strings = plan(scenario["rentals"], [stringly(raw, ("number", "groupId")) for raw in LISTED],
                      [stringly(raw, ("groupId", "availability")) for raw in SHOP], the_guard)
    assert plan_facts(as_strings) == plan_facts(as_ints)
    assert isinstance(as_strings.lines[0].group_id if as_strings.lines else 0, int)


@pytest.mark.parametrize("listed, wanted", [(1, "01"), ("1", "01"), ("01", "1"), (415, "415"), ("0415", "415"),
                                            ("sw1", "SW1")])
def test_an_area_code_sent_as_a_number_or_in_another_case_is_the_same_area_code(listed, wanted):
    numbers = [dict(number(33100000001), areaCode=listed)]
    the_plan = plan([rental("r", 1, country_id="FR", area_code=wanted)], numbers, [group(1, 5)])
    assert the_plan.quantity == 0 and labels(outcomes(the_plan)["r"].kept) == ["+33100000001"]
    # and a shop group listing it so is rented for it
    the_plan = plan([rental("r", 2, country_id="FR", area_code=wanted)], numbers, [group(1, 5, area_code=listed)])
    assert reservations(the_plan) == [(1, 1, ["voice"])]


@pytest.mark.parametrize("listed, wanted", [(2, "01"), ("1A", "01A"), ("01", "01A"), (1, "1A")])
def test_different_area_codes_do_not_match(listed, wanted):
    the_plan = plan([rental("r", 1, country_id="FR", area_code=wanted)], [dict(number(33100000001), areaCode=listed)],
                    [group(1, 5, area_code=wanted)])
    assert the_plan.quantity == 1


def test_a_number_sent_as_a_string_still_counts_for_its_group():
    numbers = [dict(number(33100000001), number="33100000001", groupId="1"), dict(number(33100000002), groupId=" 1 ")]
    the_plan = plan([rental("g", 2, group_id=1)], numbers, [group(1, 5)])
    assert the_plan.quantity == 0
    assert labels(outcomes(the_plan)["g"].kept) == ["+33100000001", "+33100000002"]


# --- Pending purchases -------------------------------------------------------------------------------------------


def pending(group_raw, quantity, owner=None):
    return [_planner.NewNumber("pending-ref-%d" % index, shop_group(group_raw), None, owner, pending=True)
            for index in range(quantity)]


def test_pending_units_count_as_held_and_are_never_bought_again():
    units = pending(group(1, 5), 2)
    the_plan = plan([rental("org", 3, group_id=1)], [], [group(1, 5)], pending=units)
    assert the_plan.quantity == 1
    assert labels(outcomes(the_plan)["org"].kept) == ["(pending purchase in group 1)"] * 2
    # held by the pending purchase alone: nothing to buy, the shop is not even needed
    the_plan = plan([rental("org", 2, country_id="FR", capability="voice")], [], shop=False, pending=pending(group(1, 5), 2))
    assert not the_plan.needs_shop and the_plan.quantity == 0 and not the_plan.changed


def test_pending_units_for_an_application_count_for_it_and_are_never_assigned():
    units = pending(group(1, 5), 1, owner=APP_A)
    the_plan = plan([rental("a", 1, APP_A, group_id=1)], [], [group(1, 5)], pending=units)
    assert the_plan.quantity == 0 and not the_plan.changed and the_plan.changes() == []


def test_pending_units_of_the_organisation_are_not_taken_by_an_application_rental():
    # There is no number to put on the application yet: the application rents its own, the organisation buys none.
    units = pending(group(1, 5), 1)
    the_plan = plan([rental("a", 1, APP_A, group_id=1), rental("org", 2, group_id=1)], [], [group(1, 5)], pending=units)
    assert bought(the_plan) == {"a": 1, "org": 0}
    assert all(unit.owner is None for unit in units)


def test_pending_units_of_another_group_do_not_count():
    units = pending(group(2, 5, city="LYON"), 2)
    the_plan = plan([rental("p", 2, country_id="FR", city="PARIS")], [], [group(1, 5)], pending=units)
    assert the_plan.quantity == 2


def test_a_pending_purchase_in_a_group_whose_place_cannot_be_read_may_count_so_nothing_is_bought():
    raw = group(1, 5)
    del raw["city"]
    with pytest.raises(UnreadableError) as err:
        plan([rental("p", 1, country_id="FR", city="PARIS")], [], [group(1, 5)], pending=pending(raw, 1))
    assert "rental 'p' (FR, city PARIS) needs 1 more number" in str(err.value)


# --- After the checkout: numbers attributed to the plan's new numbers -------------------------------------------


def test_new_numbers_are_attributed_by_group_and_counted_as_rented():
    before = [number(33100000001)]
    groups = [group(1, 5), group(2, 5, country_id="GB", city="LONDON")]
    the_plan = plan([rental("app", 2, APP_A, group_id=1), rental("london", 1, country_id="GB")], before, groups)
    # What the purchase matched to each line (numbers of the group not held before, see _purchase).
    assert the_plan.attribute({1: [33100000007], 2: [44200000001]}) == []
    result = outcomes(the_plan)
    assert labels(result["app"].numbers) == ["+33100000001", "+33100000007"]
    assert labels(result["app"].new) == ["+33100000007"]
    assert labels(result["london"].new) == ["+44200000001"]


def test_numbers_not_listed_yet_or_without_a_readable_group_stay_unattributed():
    groups = [group(1, 5), group(2, 5, "3.00", country_id="GB", city="LONDON")]
    the_plan = plan([rental("a", 2, group_id=1), rental("b", 1, group_id=2)], [], groups)
    # The purchase found one number of group 1 and none it could give to group 2 (listed without a readable group).
    missing = the_plan.attribute({1: [33100000007], 2: []})
    assert sorted(new.group_id for new in missing) == [1, 2]
    assert labels(the_plan.new_numbers) == ["+33100000007", "(new number in group 1)", "(new number in group 2)"]
