# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The organisation_conflicts and estate filters read the hosts' variables and fail with one sentence."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader

from ansible_collections.sinch.numbers.plugins.filter.estate import FilterModule, estate, organisation_conflicts


def test_the_claim_fact_wins_over_the_inventory_value():
    hostvars = {
        "a": {"number_rental__organisation_claim": {"organisation_id": 5}, "number_rental_organisation_id": 1},
        "b": {"number_rental__organisation_claim": {"organisation_id": "5"}},
    }
    problems = organisation_conflicts(["a", "b"], hostvars)
    assert len(problems) == 1 and "a and b all name organisation 5" in problems[0]


def test_a_host_of_a_later_batch_is_judged_by_its_inventory_value():
    hostvars = {"a": {"number_rental__organisation_claim": {"organisation_id": 5}}, "b": {"number_rental_organisation_id": 5}}
    assert organisation_conflicts(["a", "b"], hostvars)
    hostvars["b"]["number_rental_organisation_id"] = 6
    assert organisation_conflicts(["a", "b"], hostvars) == []


def test_a_claim_of_none_is_a_host_without_organisation():
    hostvars = {"a": {"number_rental__organisation_claim": {"organisation_id": None}, "number_rental_organisation_id": 3},
                "b": {"number_rental__organisation_claim": {"organisation_id": 4}}}
    assert organisation_conflicts(["a", "b"], hostvars)[0].startswith("a has no number_rental_organisation_id")


def test_estate_reads_the_facts_of_each_host():
    hostvars = {
        "a": {"number_rental_summary": {"organisation": {"id": "7", "name": "Seven"}, "complete": True, "changed": False,
                                        "totals": {"numbers": 1, "rented_this_run": 0,
                                                   "monthly_cost": [{"amount": "1.00", "currency_id": "USD"}]}}},
        "b": {"number_rental_failure": {"msg": "boom", "organisation_id": 8}},
    }
    result = estate(["a", "b"], hostvars)
    assert [(item["key"], item["status"]) for item in result["organisations"]] == [("7", "converged"), ("8", "failed")]
    assert result["totals"]["monthly_cost"] == [{"amount": "1.00", "currency_id": "USD"}]


@pytest.mark.parametrize("hosts, hostvars, words", [
    ("a", {"a": {}}, "needs a list of host names"),
    (["a"], {}, "found no host a in hostvars"),
    (["a"], "hostvars", "needs hostvars"),
    (["a"], {"a": {"number_rental_summary": {"totals": {"numbers": "many"}}}}, "could not read a summary"),
])
def test_bad_input_fails_with_one_sentence(hosts, hostvars, words):
    with pytest.raises(AnsibleFilterError, match=words):
        (estate if "summary" in words else organisation_conflicts)(hosts, hostvars)


def test_registered_under_their_documented_names():
    assert FilterModule().filters() == {"organisation_conflicts": organisation_conflicts, "estate": estate}
    assert filter_loader.get("sinch.numbers.estate") is not None
    assert filter_loader.get("sinch.numbers.organisation_conflicts") is not None
