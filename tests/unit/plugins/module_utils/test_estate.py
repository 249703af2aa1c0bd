# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many organisations in one job: the one-host-per-organisation rule and the estate's sums."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _estate


def usd(amount):
    return {"amount": amount, "currency_id": "USD"}


def summary(org, numbers=0, rented=0, held=(), added=(), complete=True, changed=False, name=None, msg="", unknown=0):
    return {"organisation": {"id": org, "name": name}, "complete": complete, "changed": changed, "check_mode": False,
            "msg": msg, "plan_id": "snp2-x",
            "totals": {"numbers": numbers, "rented_this_run": rented, "monthly_cost": list(held),
                       "added_monthly_cost": list(added), "unknown_cost": unknown}}


def test_one_host_may_run_without_an_organisation_id():
    assert _estate.conflicts([("localhost", None)]) == []
    assert _estate.conflicts([("localhost", 8888123)]) == []
    assert _estate.conflicts([]) == []


def test_hosts_with_organisations_of_their_own_may_run():
    assert _estate.conflicts([("a", 1), ("b", "2"), ("c", 3)]) == []


def test_two_hosts_naming_one_organisation_are_refused_with_their_names():
    problems = _estate.conflicts([("b", 8888123), ("a", "8888123"), ("c", 7)])
    assert problems == ["Hosts a and b all name organisation 8888123: one host per organisation, since two runs for one "
                        "organisation would each buy the same shortfall."]


def test_a_host_without_organisation_is_refused_when_another_host_exists():
    problems = _estate.conflicts([("one", None), ("two", ""), ("three", 5)])
    assert len(problems) == 1
    assert problems[0].startswith("one and two have no number_rental_organisation_id: with 3 hosts in the play")
    assert "hosts: localhost" in problems[0]


def test_every_problem_is_named_at_once():
    problems = _estate.conflicts([("a", None), ("b", 1), ("c", 1), ("d", True), ("e", "x1")])
    assert [p.split(" ")[0] for p in problems] == ["Host", "Host", "a", "Hosts"]
    assert "True is not an organisation id" in problems[0]
    assert "'x1' is not an organisation id" in problems[1]


@pytest.mark.parametrize("value, expected", [(5, 5), ("5", 5), (" 12 ", 12), (None, None), ("", None)])
def test_organisation_ids_are_read_as_integers(value, expected):
    assert _estate.organisation_id(value) == expected


@pytest.mark.parametrize("value", [0, -3, "0", "1.5", 1.5, False, [1], "\u0661"])
def test_other_organisation_ids_are_refused(value):
    with pytest.raises(ValueError):
        _estate.organisation_id(value)


def test_totals_are_exact_sums_per_currency_of_the_organisations():
    result = _estate.estate([
        ("a", summary(3, numbers=2, rented=1, held=[usd("0.10"), {"amount": "3.00", "currency_id": "EUR"}],
                      added=[usd("0.10")], changed=True), None),
        ("b", summary(1, numbers=4, held=[usd("0.20")]), None),
        ("c", summary(2, numbers=1, held=[usd("0.005")], unknown=1), None),
    ])
    assert result["totals"] == {
        "organisations": 3, "converged": 2, "changed": 1, "failed": 0, "numbers": 7, "rented_this_run": 1,
        "monthly_cost": [{"amount": "3.00", "currency_id": "EUR"}, usd("0.305")],
        "added_monthly_cost": [usd("0.10")], "unknown_cost": 1, "added_unknown_cost": 0, "not_summed": 0, "maybe_rented": 0,
        "maybe_added_monthly_cost": []}
    assert [item["organisation_id"] for item in result["organisations"]] == [1, 2, 3]
    assert sorted(result["by_organisation"]) == ["1", "2", "3"]
    assert result["failed"] == []
    assert result["lines"][-1] == ("Estate: 3 organisations (2 converged, 1 changed, 0 failed): 7 numbers, 3.00 EUR + "
                                   "0.305 USD a month (and 1 number of unknown price); rented 1 number this run, adding "
                                   "0.10 USD a month.")


def test_a_failed_organisation_is_named_with_its_reason_and_counts_what_it_holds():
    result = _estate.estate([
        ("ok", summary(1, numbers=2, held=[usd("4.00")]), None),
        ("bad", summary(2, numbers=1, held=[usd("2.00")], complete=False, msg="checkout failed"),
         {"msg": "Sinch answered 503.", "organisation_id": 2, "summed": True}),
        ("nologin", None, {"msg": "Logging in to Sinch failed: wrong password", "organisation_id": "9"}),
        ("gone", None, None),
    ])
    statuses = dict((item["host"], (item["key"], item["status"], item["msg"])) for item in result["organisations"])
    assert statuses["ok"] == ("1", "converged", None)
    assert statuses["bad"] == ("2", "failed", "Sinch answered 503.")
    assert statuses["nologin"] == ("9", "failed", "Logging in to Sinch failed: wrong password")
    assert statuses["gone"][:2] == ("host gone", "not run")
    assert result["totals"]["failed"] == 3
    assert result["totals"]["monthly_cost"] == [usd("6.00")]
    assert [item["host"] for item in result["failed"]] == ["bad", "nologin", "gone"]
    assert result["lines"][-1] == "Failed: 2 (host bad); 9 (host nologin); no organisation known (host gone)."
    assert result["lines"][1].endswith("; FAILED: Sinch answered 503.")


def test_an_incomplete_summary_without_a_failure_fact_is_a_failure():
    result = _estate.estate([("a", summary(1, complete="False", msg="stopped"), None)])
    assert result["organisations"][0]["status"] == "failed"
    assert result["organisations"][0]["msg"] == "stopped"


def test_templated_flags_and_counts_are_read():
    item = _estate.entry("a", summary(1, numbers="3", complete="True", changed="False"))
    assert (item["status"], item["numbers"]) == ("converged", 3)


def test_an_unreadable_amount_is_refused_not_counted_as_zero():
    with pytest.raises(ValueError, match="monthly_cost holds"):
        _estate.estate([("a", summary(1, held=[{"amount": None, "currency_id": "USD"}]), None)])


def test_check_mode_says_would_rent():
    item = summary(1, rented=2, added=[usd("4.00")])
    item["check_mode"] = True
    lines = _estate.estate([("a", item, None)])["lines"]
    assert lines[0].startswith("Check mode: nothing was rented")
    assert "would rent 2 numbers this run, adding 4.00 USD a month" in lines[1]


def test_a_failed_run_without_its_totals_holds_an_unknown_number_of_numbers_not_0():
    # South: the numbers could not be read (503), the module returned no totals, the role's summary has zeros.
    result = _estate.estate([
        ("north", summary(1, numbers=2, rented=2, held=[usd("4.00")], added=[usd("4.00")], changed=True), None),
        ("south", summary(2, complete=False), {"msg": "Sinch answered HTTP 503.", "organisation_id": 2, "summed": False}),
        ("west", None, {"msg": "Logging in to Sinch failed: no.", "organisation_id": 4}),
    ])
    south, west = result["by_organisation"]["2"], result["by_organisation"]["4"]
    for item in (south, west):
        assert item["summed"] is False
        assert item["numbers"] is None and item["monthly_cost"] is None and item["rented_this_run"] is None
    assert result["totals"]["not_summed"] == 2
    assert result["totals"]["numbers"] == 2
    assert result["lines"][1] == ("- organisation 2, host south: what it holds is not known (the run failed before summing "
                                  "up its numbers); FAILED: Sinch answered HTTP 503.")
    assert "0 numbers" not in "\n".join(result["lines"])
    assert result["lines"][-2] == ("Estate: 3 organisations (0 converged, 1 changed, 2 failed): 2 numbers, 4.00 USD a month; "
                                   "rented 2 numbers this run, adding 4.00 USD a month; not counting what 2 organisations "
                                   "hold (not known: they failed or did not run).")


def test_a_failed_run_with_its_totals_counts_what_it_holds_and_bought():
    bad = summary(2, numbers=3, rented=1, held=[usd("6.00")], added=[usd("2.00")], complete=False)
    result = _estate.estate([("bad", bad, {"msg": "Checkout failed.", "organisation_id": 2, "summed": "True"})])
    assert result["by_organisation"]["2"]["numbers"] == 3
    assert result["totals"]["added_monthly_cost"] == [usd("2.00")]
    assert result["totals"]["not_summed"] == 0


def test_numbers_rented_at_an_unknown_price_are_never_free():
    item = summary(1, numbers=2, rented=2, held=[usd("2.00")], added=[usd("2.00")], unknown=1, changed=True)
    item["totals"]["added_unknown_cost"] = 1
    only_unknown = summary(2, numbers=1, rented=1, unknown=1, changed=True)
    only_unknown["totals"]["added_unknown_cost"] = 1
    result = _estate.estate([("a", item, None), ("b", only_unknown, None)])
    assert result["by_organisation"]["1"]["added_unknown_cost"] == 1
    assert result["totals"]["added_unknown_cost"] == 2
    assert result["lines"][0].endswith("rented 2 numbers this run, adding 2.00 USD a month (and 1 number of unknown price).")
    assert result["lines"][1] == ("- organisation 2, host b: 1 number, an unknown amount a month; rented 1 number this run, "
                                  "adding an unknown amount a month.")
    assert "0.00" not in result["lines"][1]
    assert result["lines"][2].endswith("adding 2.00 USD a month (and 2 numbers of unknown price).")


def test_what_a_checkout_of_unknown_outcome_may_have_bought_is_in_the_estate():
    item = summary(3, numbers=1, held=[usd("2.00")], complete=False)
    item["totals"].update({"maybe_rented": 2, "maybe_added_monthly_cost": [usd("4.00")]})
    result = _estate.estate([("east", item, {"msg": "The checkout's outcome is unknown.", "organisation_id": 3,
                                             "summed": True})])
    assert result["totals"]["maybe_rented"] == 2
    assert result["totals"]["maybe_added_monthly_cost"] == [usd("4.00")]
    assert "may have rented 2 numbers, for 4.00 USD a month (whether they were bought is not known yet" in result["lines"][0]
    assert "may have rented 2 numbers, for 4.00 USD a month" in result["lines"][1]


@pytest.mark.parametrize("value", [8888123.0, "8888123", " 8888123", 8888123])
def test_an_organisation_id_is_a_number_whatever_its_type(value):
    assert _estate.organisation_id(value) == 8888123
    problems = _estate.conflicts([("a", 8888123), ("b", value)])
    assert problems and problems[0].startswith("Hosts a and b all name organisation 8888123")
