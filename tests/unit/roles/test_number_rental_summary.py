# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The number_rental role's printed summary never says "nothing was assigned" after a write."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import jinja2
from ansible.plugins.filter.core import FilterModule

TEMPLATE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "roles", "number_rental", "templates", "summary.txt.j2")


def render(**summary):
    base = {"check_mode": False, "complete": True, "changed": False, "msg": "", "organisation": {"id": 1, "name": None},
            "rentals": [], "applications": {}, "holdings": {}, "plan_id": "",
            "totals": {"numbers": 0, "rented_this_run": 0, "added_monthly_cost": [], "monthly_cost": [], "unknown_cost": 0}}
    base.update(summary)
    with open(TEMPLATE, encoding="utf-8") as handle:
        # As the ansible.builtin.template lookup renders it: trim_blocks on.
        environment = jinja2.Environment(trim_blocks=True)
        environment.filters.update(FilterModule().filters())
        template = environment.from_string(handle.read())
    return template.render(number_rental_summary=base)


def test_a_failure_after_an_assignment_does_not_say_nothing_was_assigned():
    text = render(complete=False, changed=True)
    assert "nothing was rented or assigned" not in text
    assert "The run failed after writing (the failure below says which write was or may have been applied)." in text


def test_a_failure_before_any_write_says_nothing_was_written():
    text = render(complete=False, changed=False)
    assert "The run failed before its first purchase (see the failure below): nothing was rented or assigned." in text


def test_a_failure_after_renting_lists_what_it_bought():
    totals = {"numbers": 1, "rented_this_run": 1, "added_monthly_cost": [{"amount": "2.00", "currency_id": "USD"}],
              "monthly_cost": [{"amount": "2.00", "currency_id": "USD"}], "unknown_cost": 0}
    text = render(complete=False, changed=True, totals=totals)
    assert "The run failed after renting (see the failure below): what it bought is listed here." in text
    assert "Rented this run: 1 number, adding 2.00 USD a month." in text
    assert "nothing was rented" not in text


UNKNOWN = {"numbers": 0, "rented_this_run": 0, "added_monthly_cost": [], "monthly_cost": [], "unknown_cost": 0,
           "maybe_rented": 2, "maybe_added_monthly_cost": [{"amount": "4.00", "currency_id": "USD"}]}
PENDING = [{"reference_id": "ref-1", "group_id": 13, "quantity": 2, "unlisted": 2, "status": "outcome unknown",
            "unit_cost": {"amount": "2.00", "currency_id": "USD"}, "application_keys": [],
            "checked_out_at": "2026-12-04T21:00:00Z", "resolved_by": "2026-12-04T22:00:00Z"}]


def test_an_unknown_outcome_says_what_may_have_been_bought_never_nothing():
    text = render(complete=False, changed=True, totals=UNKNOWN, pending_purchase=PENDING)
    assert "nothing was rented" not in text
    assert "failed before its first purchase" not in text
    assert "it may have rented 2 numbers, for 4.00 USD a month" in text
    assert "Pending purchase on this machine: reservation ref-1, 2 numbers of group 13" in text


def test_an_unknown_outcome_after_a_purchase_says_both():
    totals = dict(UNKNOWN, rented_this_run=1, added_monthly_cost=[{"amount": "1.00", "currency_id": "USD"}])
    text = render(complete=False, changed=True, totals=totals, pending_purchase=PENDING)
    assert "The run failed after renting" in text
    assert "it may have rented 2 numbers more" in text
    assert "Rented this run: 1 number, adding 1.00 USD a month." in text


def test_money_is_printed_exactly_as_the_module_returns_it():
    totals = {"numbers": 2, "rented_this_run": 0, "added_monthly_cost": [],
              "monthly_cost": [{"amount": "0.125", "currency_id": "EUR"}, {"amount": "3.10", "currency_id": "USD"}],
              "unknown_cost": 1}
    text = render(totals=totals)
    assert "2 numbers, 0.125 EUR + 3.10 USD a month (and 1 number of unknown price)." in text


def test_an_unknown_rental_cost_is_never_printed_as_zero():
    rental = {"name": "r", "selector": "group 1", "count": 1, "application_key": None, "capability": None,
              "numbers": ["(new number in group 1)"], "monthly_cost": [], "rented_this_run": ["(new number in group 1)"],
              "added_monthly_cost": {"amount": None, "currency_id": "USD"}}
    text = render(check_mode=True, changed=True, rentals=[rental])
    assert "would rent (new number in group 1) for an unknown amount a month" in text


def test_numbers_rented_at_an_unknown_price_are_said_apart_from_the_sum():
    totals = {"numbers": 3, "rented_this_run": 3, "added_monthly_cost": [{"amount": "1.00", "currency_id": "USD"}],
              "added_unknown_cost": 2, "monthly_cost": [{"amount": "1.00", "currency_id": "USD"}], "unknown_cost": 2}
    text = render(changed=True, totals=totals)
    assert "Rented this run: 3 numbers, adding 1.00 USD a month (and 2 numbers of unknown price)." in text
