# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What rented numbers cost: exact decimal sums by currency, as lists of money values, per application, unknown prices
counted apart; waste and expiries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from ansible_collections.sinch.numbers.plugins.module_utils import _costs, _input, _planner, _shapes

APP = "aaaaaaaa-0000-4000-8000-000000000001"
OTHER = "bbbbbbbb-0000-4000-8000-000000000002"


def priced(number, amount, currency_id="USD", application_key=None, expires="2031-01-01T00:00:00+00:00"):
    """A rented number as Sinch lists it, with its monthly cost (None: Sinch gives none)."""
    raw = {"number": number, "groupId": 1, "capabilities": ["voice"], "countryId": "FR", "city": "PARIS",
           "areaCode": "01", "expires": expires,
           "cost": {"amount": amount, "currencyId": currency_id} if amount is not None else {"currencyId": currency_id}}
    if application_key:
        raw["applicationKey"] = application_key
    return raw


def records(*raws):
    return _shapes.listing(list(raws)).records


def test_the_summary_sums_exactly_by_currency_and_application():
    numbers = records(priced(33170000001, 0.1, application_key=APP), priced(33170000002, 0.2, application_key=APP),
                      priced(33170000003, "1.125", "eur"), priced(33170000004, None),
                      priced(33170000005, "2", application_key=OTHER))
    result = _costs.summary(numbers)
    assert result["numbers"] == 5
    # 0.1 + 0.2 is exactly 0.30, never 0.30000000000000004; one money value per currency, sorted, upper case
    assert result["monthly_cost"] == [{"amount": "1.125", "currency_id": "EUR"}, {"amount": "2.30", "currency_id": "USD"}]
    assert result["unknown_cost"] == 1
    assert result["applications"] == {
        APP: {"numbers": 2, "monthly_cost": [{"amount": "0.30", "currency_id": "USD"}], "unknown_cost": 0},
        OTHER: {"numbers": 1, "monthly_cost": [{"amount": "2.00", "currency_id": "USD"}], "unknown_cost": 0},
    }
    assert result["no_application"] == {"numbers": 2, "monthly_cost": [{"amount": "1.125", "currency_id": "EUR"}],
                                        "unknown_cost": 1}


def test_one_currency_in_two_cases_is_summed_once():
    result = _costs.cost(records(priced(33170000001, "1", "usd"), priced(33170000002, "2", "USD")))
    assert result["monthly_cost"] == [{"amount": "3.00", "currency_id": "USD"}]


def test_no_numbers_cost_nothing_and_an_unknown_price_is_never_zero():
    assert _costs.summary([]) == {"numbers": 0, "monthly_cost": [], "unknown_cost": 0, "applications": {},
                                  "no_application": {"numbers": 0, "monthly_cost": [], "unknown_cost": 0}}
    only_unknown = _costs.cost(records(priced(33170000001, None), priced(33170000002, "n/a")))
    assert only_unknown == {"numbers": 2, "monthly_cost": [], "unknown_cost": 2}


def test_planned_numbers_cost_what_their_group_costs():
    group = _shapes.shop([{"groupId": 3, "availability": 5, "capabilities": ["voice"], "countryId": "FR", "city": "PARIS",
                           "areaCode": "01", "cost": {"amount": "1.5", "currencyId": "usd"}}]).records[0]
    new = [_planner.NewNumber(index, group, None, None) for index in range(3)]
    totals = _costs.totals(new + records(priced(33170000001, None)))
    assert totals.to_result() == [{"amount": "4.50", "currency_id": "USD"}] and totals.unknown == 1


def test_holdings_name_unclaimed_free_and_expiring_numbers_with_their_cost():
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    raws = [priced(33170000001, 2, application_key=APP, expires="2030-01-05T00:00:00+00:00"),
            priced(33170000002, 2),  # free: taken by the rental below
            priced(33170000003, "3.5", expires="2030-03-01T00:00:00+00:00"),  # free, but the rental has enough
            priced(33170000004, 1, application_key=OTHER, expires="2029-12-31T00:00:00+00:00")]
    listing = _shapes.listing(raws)
    rentals = _input.rentals([{"name": "one", "count": 2, "group_id": 1, "application_key": APP}])
    plan = _planner.plan(rentals, listing, None, _input.Guard())
    [outcome] = plan.outcomes
    claimed = set(item["number"] for item in outcome.kept + outcome.taken)
    # the number the plan assigns is no longer free
    numbers = [dict(item, application_key=APP) if item in outcome.taken else item for item in listing.records]
    held = _costs.holdings(numbers, claimed, 14, now)
    assert held["unclaimed"]["list"] == ["+33170000003", "+33170000004"]
    assert held["unclaimed"]["monthly_cost"] == [{"amount": "4.50", "currency_id": "USD"}]
    assert held["no_application"]["list"] == ["+33170000003"]
    assert held["no_application"]["monthly_cost"] == [{"amount": "3.50", "currency_id": "USD"}]
    assert held["expiring"]["list"] == ["+33170000001", "+33170000004"]
    assert held["expiring"]["expires"]["+33170000004"] == "2029-12-31T00:00:00+00:00"
    assert held["expiry_warning_days"] == 14
    assert _costs.holdings(numbers, claimed, 0, now)["expiring"]["list"] == ["+33170000004"]


def test_a_number_whose_application_cannot_be_read_is_never_said_to_be_on_no_application():
    listing = _shapes.listing([priced(33170000001, 2), dict(priced(33170000002, None), applicationKey=12)])
    unknown = set(item["number"] for item in listing.records if "applicationKey" in listing.fields(item))
    held = _costs.holdings(listing.records, set(), 14, owner_unknown=unknown)
    assert held["no_application"]["list"] == ["+33170000001"]
    assert held["unclaimed"]["list"] == ["+33170000001", "+33170000002"]
    assert held["unclaimed"]["unknown_cost"] == 1
