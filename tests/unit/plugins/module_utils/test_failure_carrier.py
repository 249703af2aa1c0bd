# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one failure carrier: after the first write, no failure says ``changed: false`` or hides what was written.

Each module that writes (sinch_number_rentals, sinch_number_rent, sinch_app_numbers, sinch_app_number_absent) runs
through the runner (_module.run) with a fake AnsibleModule, and fails at every step from its first write on: Sinch
stops answering (a SinchError, from that request on), or a bug raises (a ValueError, a KeyError), in a client call
or in an internal function the logic calls after the write. Whatever raised, the failure must say ``changed: true``,
its message must name what was written (the reservation, the numbers), ``writes`` must list it, and a bug keeps
its traceback in ``exception``. Before the first write, a failure says ``changed: false`` and lists no write.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import (
    _app_number_absent,
    _app_numbers,
    _planner,
    _purchase,
    _rent,
    _rentals,
)
from ansible_collections.sinch.numbers.plugins.module_utils._app_number_absent import app_number_absent
from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import app_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._rent import number_rent
from ansible_collections.sinch.numbers.plugins.module_utils._rentals import number_rentals
from ansible_collections.sinch.numbers.plugins.modules import (
    sinch_app_number_absent,
    sinch_app_numbers,
    sinch_number_rent,
    sinch_number_rentals,
)
from ansible_collections.sinch.numbers.tests.unit.plugins.modules import app_fakes
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import (
    APP,
    FakeShopClient,
    group,
    http_error,
    module_params,
    rented,
    run_module,
)

FAST = dict(sleep=lambda seconds: None, settle_delays=(0.1,), resend_delays=(0.1,))


def unavailable():
    # As the transport raises it: a 503 may have been applied.
    return http_error(503, 50300, "Service is temporarily unavailable")


def refused():
    return http_error(400, 40001, "Parameter validation failed")


FAILURES = {
    "SinchError 503": unavailable,
    "SinchError 400": refused,
    "ValueError": lambda: ValueError("a bug's ValueError"),
    "KeyError": lambda: KeyError("a bug's KeyError"),
}


# --- the four modules, each in a scenario that writes more than once ------------------------------------

def rentals_scenario(tmp_path):
    """A free number goes on APP and one is bought for it, one is bought in Britain: two checkouts, one overwrite."""
    client = FakeShopClient([group(1, 5, 2.0), group(2, 5, 3.0, country_id="GB", city="LONDON")],
                            [rented(33100000001, application_key=APP), rented(33100000002)])
    items = [dict(name="app", count=3, group_id=1, country_id=None, city=None, area_code=None, capability=None,
                  application_key=APP),
             dict(name="uk", count=1, group_id=None, country_id="GB", city=None, area_code=None, capability=None,
                  application_key=None)]
    params = module_params(sinch_number_rentals.ARGUMENTS, rentals=items, lock_path=str(tmp_path))
    return client, params, lambda client, params, check_mode: number_rentals(client, params, check_mode, **FAST)


def rent_scenario(tmp_path):
    """Five numbers in France over two groups: two checkouts."""
    client = FakeShopClient([group(1, 2, 1.0), group(2, 5, 2.0, city="LYON")])
    params = module_params(sinch_number_rent.ARGUMENTS, count=5, country_id="FR", lock_path=str(tmp_path))
    return client, params, lambda client, params, check_mode: number_rent(client, params, check_mode, **FAST)


def app_numbers_scenario(tmp_path):
    """A free number put on APP with purge: one overwrite."""
    client = app_fakes.FakeClient([app_fakes.rented(14150005550, ["voice"], app_fakes.APP), app_fakes.rented(14150005552)])
    params = module_params(sinch_app_numbers.ARGUMENT_SPEC, application_key=app_fakes.APP, capability="voice",
                           numbers=[14150005552], purge=True, lock_path=str(tmp_path))
    return client, params, app_numbers


def absent_scenario(tmp_path):
    """Two numbers taken off APP: two removals."""
    client = app_fakes.FakeClient([app_fakes.rented(14150005550, ["voice"], app_fakes.APP),
                                   app_fakes.rented(15040005550, ["sms"], app_fakes.APP)])
    params = module_params(sinch_app_number_absent.ARGUMENT_SPEC, application_key=app_fakes.APP,
                           numbers=[14150005550, 15040005550], lock_path=str(tmp_path))
    return client, params, app_number_absent


SCENARIOS = {
    "sinch_number_rentals": rentals_scenario,
    "sinch_number_rent": rent_scenario,
    "sinch_app_numbers": app_numbers_scenario,
    "sinch_app_number_absent": absent_scenario,
}
WRITES = ("checkout", "set_application_numbers", "unassign_number")


def first_write(scenario, tmp_path):
    """The index (in the client's calls) of the scenario's first write, and how many calls a clean run makes."""
    client, params, logic = scenario(tmp_path / "clean")
    (tmp_path / "clean").mkdir()
    module = run_module(logic, client, params)
    assert module.exited is not None and module.exited["changed"] is True, module.failed
    names = [call[0] for call in client.calls]
    return min(names.index(name) for name in WRITES if name in names), len(names)


def steps(name):
    """(scenario, failure, index of the first failing call relative to the first write) for every step of ``name``."""
    clean = {"sinch_number_rentals": 5, "sinch_number_rent": 3, "sinch_app_numbers": 1, "sinch_app_number_absent": 2}
    for failure in sorted(FAILURES):
        # A definite refusal of the first write itself wrote nothing: it starts one step later.
        start = 1 if failure == "SinchError 400" else 0
        for offset in range(start, clean[name]):
            yield pytest.param(name, failure, offset, id="%s-%s-write+%d" % (name, failure, offset))


STEPS = [step for name in sorted(SCENARIOS) for step in steps(name)]


def test_the_step_counts_cover_every_call_from_the_first_write_on(tmp_path):
    counts = {}
    for name, scenario in sorted(SCENARIOS.items()):
        (tmp_path / name).mkdir()
        index, total = first_write(scenario, tmp_path / name)
        counts[name] = total - index
    assert counts == {"sinch_number_rentals": 5, "sinch_number_rent": 3, "sinch_app_numbers": 1,
                      "sinch_app_number_absent": 2}


def what_was_written(name, client):
    """Words the message must hold for what Sinch's state shows was written (or may have been)."""
    if name in ("sinch_number_rentals", "sinch_number_rent"):
        return ["reservation %s" % ref for ref in (call[1] for call in client.calls if call[0] == "checkout")][:1]
    if name == "sinch_app_numbers":
        return ["the voice numbers of application %s" % app_fakes.APP]
    return ["+14150005550 off application %s" % app_fakes.APP]


def assert_says_what_was_written(name, client, result, failure):
    assert result["changed"] is True, result["msg"]
    for words in what_was_written(name, client):
        assert words in result["msg"]
    assert result["writes"], result
    kinds = {"sinch_number_rentals": "checkout", "sinch_number_rent": "checkout", "sinch_app_numbers": "overwrite",
             "sinch_app_number_absent": "unassign"}
    assert result["writes"][0]["kind"] == kinds[name]
    assert all(write["status"] in ("applied", "unknown") for write in result["writes"])
    assert "nothing was written" not in result["msg"].lower()
    if failure.startswith("SinchError"):
        assert "exception" not in result
    else:
        assert result["exception"].startswith("Traceback") and failure in result["exception"]
        assert result["msg"].startswith("sinch.numbers failed with an internal error (%s" % failure)
        assert "Before it failed, this task" in result["msg"]


@pytest.mark.parametrize("name, failure, offset", STEPS)
def test_a_failure_in_a_client_call_after_the_first_write_says_what_was_written(tmp_path, name, failure, offset):
    index, _total = first_write(SCENARIOS[name], tmp_path)
    (tmp_path / "run").mkdir()
    client, params, logic = SCENARIOS[name](tmp_path / "run")
    client.fail_from, client.failure = index + offset, FAILURES[failure]
    module = run_module(logic, client, params)
    assert module.failed is not None, "the run succeeded although every call from #%d on failed" % (index + offset)
    assert_says_what_was_written(name, client, module.failed, failure)


# Internal functions the logic calls after its first write (as module attribute, name).
INTERNALS = {
    "sinch_number_rentals": [(_rentals.Renting, "_assign"), (_rentals, "plan_application"), (_rentals, "rentals_result"),
                             (_planner.Plan, "attribute"), (_rentals.Renting, "_verify"), (_rentals, "write"),
                             (_rentals, "cross_check"), (_purchase.Purchase, "_settle"), (_rentals, "holdings_of"),
                             (_rentals, "read_numbers"), (_rentals, "predicted_numbers"), (_rentals, "_with_owner"),
                             (_rentals.Renting, "_remember")],
    "sinch_number_rent": [(_rent, "rent_result"), (_rent, "matching"), (_planner.Plan, "attribute"),
                          (_rentals.Renting, "_verify"), (_purchase.Purchase, "_settle"), (_rent, "plan_words"),
                          (_purchase.Purchase, "_checkout"), (_rentals, "read_numbers")],
    "sinch_app_numbers": [(_app_numbers, "_check_found"), (_app_numbers, "_result"), (_app_numbers, "describe"),
                          (_app_numbers, "diff")],
    "sinch_app_number_absent": [(_app_number_absent, "remove")],
}
BUGS = ("ValueError", "KeyError")


def internal_steps():
    for name in sorted(INTERNALS):
        for owner, attribute in INTERNALS[name]:
            for failure in BUGS + ("SinchError 503",):
                yield pytest.param(name, owner, attribute, failure, id="%s-%s-%s" % (name, attribute, failure))


@pytest.mark.parametrize("name, owner, attribute, failure", list(internal_steps()))
def test_a_failure_in_an_internal_function_after_the_first_write_says_what_was_written(
        monkeypatch, tmp_path, name, owner, attribute, failure):
    client, params, logic = SCENARIOS[name](tmp_path)
    real = getattr(owner, attribute)
    raised = []

    def after_the_first_write(*args, **kwargs):
        if client.journal.writes:
            raised.append(attribute)
            raise FAILURES[failure]()
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, attribute, after_the_first_write)
    module = run_module(logic, client, params)
    assert raised, "%s is never called after the first write" % attribute
    assert module.failed is not None
    assert_says_what_was_written(name, client, module.failed, failure)


# --- before any write -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failure_before_any_write_says_nothing_changed(tmp_path, name, failure):
    index, _total = first_write(SCENARIOS[name], tmp_path)
    for step in range(index):
        (tmp_path / ("run%d" % step)).mkdir()
        client, params, logic = SCENARIOS[name](tmp_path / ("run%d" % step))
        client.fail_from, client.failure = step, FAILURES[failure]
        # Every call from ``step`` on fails: the first write is never reached.
        module = run_module(logic, client, params)
        result = module.failed
        assert result is not None
        assert result["changed"] is False, result["msg"]
        assert result["writes"] == [] and not [call for call in client.calls if call[0] in WRITES]
        assert "Before it failed" not in result["msg"]
        assert ("exception" in result) is (failure in BUGS)


def test_a_bug_in_the_planner_before_any_write_says_nothing_changed_with_its_traceback(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise KeyError("groupId")
    monkeypatch.setattr(_rentals, "make_plan", broken)
    client, params, logic = rentals_scenario(tmp_path)
    result = run_module(logic, client, params).failed
    assert result["changed"] is False and result["writes"] == []
    assert result["msg"] == ("sinch.numbers failed with an internal error (KeyError: 'groupId'); this is a bug, please "
                             "report it with the traceback.")
    assert "KeyError" in result["exception"]


def test_a_failure_after_a_reserve_names_the_reservation_held_but_is_no_change(tmp_path):
    client, params, logic = rent_scenario(tmp_path)
    client.fail_from, client.failure = 3, FAILURES["KeyError"]   # the second reserve
    result = run_module(logic, client, params).failed
    assert result["changed"] is False and result["writes"] == []
    assert "Reservation ref-1 is held (they expire on their own" in result["msg"]


def test_a_bug_after_a_checkout_keeps_the_modules_partial_result(monkeypatch, tmp_path):
    # The run's own account (rentals bought, totals) comes with the traceback, not only the journal's sentence.
    client, params, logic = rentals_scenario(tmp_path)

    def broken(self):
        raise KeyError("capabilities")
    monkeypatch.setattr(_rentals.Renting, "_assign", broken)
    result = run_module(logic, client, params).failed
    assert result["changed"] is True
    assert result["totals"]["rented_this_run"] == 2
    assert result["totals"]["added_monthly_cost"] == [{"amount": "5.00", "currency_id": "USD"}]
    assert [write["reference_id"] for write in result["writes"]] == ["ref-1", "ref-2"]
    assert "KeyError: 'capabilities'" in result["msg"]
    assert "bought 1 number of group 1 (+33100000003) for 2.00 USD a month (reservation ref-1)" in result["msg"]
    assert "bought 1 number of group 2 (+33200000001) for 3.00 USD a month (reservation ref-2)" in result["msg"]
