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
            "totals": {"numbers": 0, "rented_this_run": 0, "added_monthly_cost": {}, "monthly_cost": {}, "unknown_cost": 0}}
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
    assert "The run failed after writing to an application" in text


def test_a_failure_before_any_write_says_nothing_was_written():
    text = render(complete=False, changed=False)
    assert "The run failed before its first purchase (see the failure below): nothing was rented or assigned." in text


def test_a_failure_after_renting_lists_what_it_bought():
    totals = {"numbers": 1, "rented_this_run": 1, "added_monthly_cost": {"USD": 2.0}, "monthly_cost": {"USD": 2.0},
              "unknown_cost": 0}
    text = render(complete=False, changed=True, totals=totals)
    assert "The run failed after renting (see the failure below): what it bought is listed here." in text
    assert "nothing was rented" not in text
