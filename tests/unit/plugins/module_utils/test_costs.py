# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What rented numbers cost: exact decimal sums by currency, per application, unknown prices apart; waste and expiries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from ansible_collections.sinch.numbers.plugins.module_utils import _costs, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._rent import Guard
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import holdings_of, plan_rentals, rentals_from_options
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import rented

APP = "aaaaaaaa-0000-4000-8000-000000000001"


def priced(number, amount, currency_id="USD", application_key=None, expires="2031-01-01T00:00:00+00:00"):
    raw = rented(number, application_key=application_key)
    raw["cost"] = {"amount": amount, "currencyId": currency_id} if amount is not None else {"currencyId": currency_id}
    raw["expires"] = expires
    return raw


def test_the_summary_sums_exactly_by_currency_and_application():
    numbers = _shapes.numbers([priced(1, 0.1, application_key=APP), priced(2, 0.2, application_key=APP),
                               priced(3, "1.125", "EUR"), priced(4, None), priced(5, "2", application_key="b")])
    result = _costs.summary(numbers)
    assert result["numbers"] == 5
    assert result["monthly_cost"] == {"EUR": "1.125", "USD": "2.30"}  # 0.1 + 0.2 is exactly 0.30, never 0.30000000000000004
    assert result["unknown_cost"] == 1
    assert result["applications"] == {
        APP: {"numbers": 2, "monthly_cost": {"USD": "0.30"}, "unknown_cost": 0},
        "b": {"numbers": 1, "monthly_cost": {"USD": "2.00"}, "unknown_cost": 0},
    }
    assert result["no_application"] == {"numbers": 2, "monthly_cost": {"EUR": "1.125"}, "unknown_cost": 1}


def test_no_numbers_cost_nothing_and_an_unknown_price_is_never_zero():
    assert _costs.summary([]) == {"numbers": 0, "monthly_cost": {}, "unknown_cost": 0, "applications": {},
                                  "no_application": {"numbers": 0, "monthly_cost": {}, "unknown_cost": 0}}
    only_unknown = _costs.cost(_shapes.numbers([priced(1, None)]))
    assert only_unknown == {"numbers": 1, "monthly_cost": {}, "unknown_cost": 1}


def test_holdings_name_unclaimed_free_and_expiring_numbers_with_their_cost():
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    numbers = [priced(33170000001, 2, application_key=APP, expires="2030-01-05T00:00:00+00:00"),
               priced(33170000002, 2),  # free: taken by the rental below
               priced(33170000003, "3.5", expires="2030-03-01T00:00:00+00:00"),  # free, but the rental has enough
               priced(33170000004, 1, application_key="other", expires="2029-12-31T00:00:00+00:00")]
    rentals = rentals_from_options([{"name": "one", "count": 2, "group_id": 1, "application_key": APP}])
    plan = plan_rentals(rentals, _shapes.numbers(numbers), None, Guard())
    held = holdings_of(plan, 14, now)
    assert held["unclaimed"]["list"] == ["+33170000003", "+33170000004"]
    assert held["unclaimed"]["monthly_cost"] == {"USD": "4.50"}
    assert held["no_application"]["list"] == ["+33170000003"]  # the number the plan assigns is no longer free
    assert held["no_application"]["monthly_cost"] == {"USD": "3.50"}
    assert held["expiring"]["list"] == ["+33170000001", "+33170000004"]
    assert held["expiring"]["expires"]["+33170000004"] == "2029-12-31T00:00:00+00:00"
    assert held["expiry_warning_days"] == 14
    assert holdings_of(plan, 0, now)["expiring"]["list"] == ["+33170000004"]
