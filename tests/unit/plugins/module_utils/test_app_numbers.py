# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_app_numbers: the cross-check of the two reads, the plan, and the overwrite under uncertain answers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _app_numbers as app
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import PlanError, SinchError, UnreadableError
from ansible_collections.sinch.numbers.plugins.modules.sinch_app_numbers import ARGUMENT_SPEC
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.app_fakes import APP, OTHER, FakeClient, rented, without
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import module_params, run_module

APP_READ = ("list_application_numbers", APP)
READS = [APP_READ, ("list_numbers",)]
# Adding a number the rented-numbers read shows on no application reads the other application it names too.
FREE_READS = READS + [("list_application_numbers", OTHER)]


def org():
    """On APP: 14150005550, 14150005551 (voice), 15040005550 (sms), 14150005554 (both); free: 14150005552 (voice),
    15040005551 (sms); on OTHER: 14150005553 (voice)."""
    return FakeClient([
        rented(14150005550, ["voice"], APP),
        rented(14150005551, ["voice"], APP),
        rented(15040005550, ["sms"], APP),
        rented(14150005552, ["voice"]),
        rented(14150005553, ["voice"], OTHER),
        rented(15040005551, ["sms"]),
        rented(14150005554, ["voice", "sms"], APP),
    ])


@pytest.fixture
def params(tmp_path):
    def build(numbers, capability="voice", purge=False, force=False):
        return module_params(ARGUMENT_SPEC, application_key=APP, capability=capability, numbers=numbers, purge=purge,
                             force=force, lock_path=str(tmp_path))
    return build


@pytest.fixture
def call(params):
    def run(client, numbers, check_mode=False, **values):
        return app.app_numbers(client, params(numbers, **values), check_mode)
    return run


@pytest.fixture
def fail(params):
    """The failed task's result as the user sees it (through the runner)."""
    def run(client, numbers, **values):
        module = run_module(app.app_numbers, client, params(numbers, **values))
        assert module.failed is not None, module.exited
        return module.failed
    return run


def put(capability, numbers):
    return ("set_application_numbers", APP, capability, numbers)


def error_500():
    # As the transport raises it: a 5xx may have been applied.
    return SinchError("Internal server error", status=500, error_code=50000, method="PUT", outcome_unknown=True)


def raiser(err):
    def hook():
        raise err
    return hook


# --- the two reads ------------------------------------------------------------------------------

def shaped(*raws):
    return _shapes.listing(list(raws))


def test_reads_that_agree_have_no_disagreement():
    client = org()
    before = app.read_application(client, APP)
    assert before.whole
    assert app.disagreement(APP, before, shaped(*client.list_numbers())) is None


def test_application_keys_agree_whatever_their_case():
    before = shaped(rented(14150005550, ["voice"], APP))
    assert app.disagreement(APP.upper(), before, shaped(rented(14150005550, ["voice"], APP))) is None


def test_a_number_the_application_read_omits_is_named():
    before = shaped(rented(14150005550, ["voice"], APP))
    rented_numbers = shaped(rented(14150005550, ["voice"], APP), rented(14150005551, ["voice"], APP))
    assert app.disagreement(APP, before, rented_numbers) == [
        "the rented-numbers read shows +14150005551 on the application, which the application read does not list"]


def test_a_number_only_the_application_read_lists_is_named():
    before = shaped(rented(14150005550, ["voice"], APP), rented(14150005551, ["voice"], APP))
    rented_numbers = shaped(rented(14150005550, ["voice"], APP), rented(14150005551, ["voice"], OTHER))
    assert app.disagreement(APP, before, rented_numbers) == [
        "the application read lists +14150005551, which the rented-numbers read does not show on the application"]


def test_capabilities_that_differ_are_named():
    before = shaped(rented(14150005550, ["voice"], APP))
    rented_numbers = shaped(rented(14150005550, ["voice", "sms"], APP))
    assert app.disagreement(APP, before, rented_numbers) == [
        "the application read gives +14150005550 the capabilities voice, the rented-numbers read sms and voice"]


def test_a_number_listed_without_capabilities_is_unreadable_and_never_agrees():
    client = org()
    client.app_read_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities" or raw["number"] != 15040005550)
                                             for raw in answer]
    before = app.read_application(client, APP)
    assert before.unreadable == {15040005550: frozenset(["capabilities"])}
    assert app.disagreement(APP, before, shaped(*client.list_numbers())) == [
        "the application read lists 1 number without readable capabilities or numbers (capabilities on +15040005550), "
        "so an overwrite could drop them unseen"]


def test_a_rented_number_whose_application_cannot_be_read_never_agrees():
    before = shaped(rented(14150005550, ["voice"], APP))
    odd = dict(rented(14150005551, ["voice"]), applicationKey=7)
    reasons = app.disagreement(APP, before, shaped(rented(14150005550, ["voice"], APP), odd))
    assert reasons == ["the rented-numbers read lists 1 number whose application cannot be read (applicationKey on "
                       "+14150005551), so whether they are on the application cannot be told"]


def test_needs_change_from_the_application_read_alone():
    before = shaped(rented(14150005550, ["voice"], APP), rented(15040005550, ["sms"], APP))
    assert app.needs_change("voice", [14150005550], False, before) is False
    assert app.needs_change("voice", [14150005550], True, before) is False
    assert app.needs_change("voice", [], True, before) is True
    assert app.needs_change("voice", [14150005551], False, before) is True
    assert app.needs_change("sms", [14150005550], False, before) is True


# --- plan and prediction --------------------------------------------------------------------------

def test_plan_without_purge_keeps_every_current_number():
    client = org()
    before = app.read_application(client, APP)
    change = app.plan(APP, "voice", [14150005552], False, False, before, shaped(*client.list_numbers()), 8888123)
    assert change == {"current": {14150005550, 14150005551, 14150005554}, "wanted": {14150005550, 14150005551, 14150005552, 14150005554},
                      "added": {14150005552}, "removed": set(), "moved": []}


def test_plan_refuses_every_offending_number_in_one_sentence():
    client = org()
    before = app.read_application(client, APP)
    with pytest.raises(PlanError) as err:
        app.plan(APP, "voice", [14150005553, 15040005551, 19990000000], False, False, before, shaped(*client.list_numbers()), 8888123)
    assert err.value.describe() == (
        "Refused to change the voice numbers of application %s, nothing was written: +19990000000 is not rented by "
        "organisation 8888123 (rent it first with sinch.numbers.sinch_number_rent); +15040005551 has no voice capability "
        "(+15040005551 has only sms; choose numbers with voice, or manage it with capability: sms); +14150005553 is assigned "
        "to application %s (use force: true to move it from application %s)." % (APP, OTHER, OTHER))


def test_plan_refuses_a_number_the_rented_numbers_list_unreadably():
    client = org()
    before = app.read_application(client, APP)
    rented_numbers = shaped(*[dict(raw, applicationKey=7) if raw["number"] == 14150005552 else raw
                              for raw in client.list_numbers()])
    with pytest.raises(PlanError) as err:
        app.plan(APP, "voice", [14150005552], False, False, before, rented_numbers, 8888123)
    assert "Sinch lists +14150005552 unreadably (applicationKey on +14150005552)" in err.value.describe()


def test_predicted_numbers_keep_the_other_capability_and_gain_the_wanted():
    client = org()
    before = app.read_application(client, APP)
    rented_numbers = shaped(*client.list_numbers())
    change = app.plan(APP, "voice", [14150005553], True, True, before, rented_numbers, 8888123)
    assert change["moved"] == [{"number": "+14150005553", "from_application_key": OTHER}]
    predicted = app.predicted_numbers(APP, "voice", change["wanted"], before, rented_numbers)
    assert [(item["number"], item["application_key"]) for item in predicted] == [(14150005553, APP), (15040005550, APP)]


# --- whole runs: requests and refusals --------------------------------------------------------------

def test_a_converged_run_reads_the_application_only(call):
    client = org()
    result = call(client, [14150005550])
    assert result["changed"] is False
    assert client.calls == [APP_READ]


def test_a_changing_run_reads_both_then_writes_once(call):
    client = org()
    result = call(client, [], capability="sms", purge=True)
    assert result["changed"] is True
    assert client.calls == READS + [put("sms", [])]


def test_check_mode_of_a_changing_run_reads_both_and_writes_nothing(call):
    client = org()
    result = call(client, [], capability="sms", purge=True, check_mode=True)
    assert result["changed"] is True
    assert client.calls == READS


def test_a_number_the_application_read_omits_is_never_removed_without_purge(call):
    client = org()
    client.app_read_filter = lambda answer: [raw for raw in answer if raw["number"] != 14150005551]
    with pytest.raises(PlanError) as err:
        call(client, [14150005552])
    assert err.value.describe() == (
        "Refused to set the voice numbers of application %s, nothing was written: its numbers cannot be told for sure, since "
        "the rented-numbers read shows +14150005551 on the application, which the application read does not list. Another "
        "writer may be changing the application's numbers, or Sinch answered incompletely: run the task again, and if the "
        "reads still disagree, check the application in the Sinch dashboard." % APP)
    assert client.calls == READS
    assert client.assigned(APP) == [14150005550, 14150005551, 14150005554, 15040005550]


def test_a_number_without_capabilities_is_never_dropped_by_an_overwrite(call):
    client = org()
    client.app_read_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities") for raw in answer]
    with pytest.raises(PlanError) as err:
        call(client, [14150005552], capability="voice")
    assert ("the application read lists 4 numbers without readable capabilities or numbers (capabilities on "
            "+14150005550, +14150005551, +14150005554, +15040005550)") in err.value.describe()
    assert client.writes() == []
    assert client.assigned(APP) == [14150005550, 14150005551, 14150005554, 15040005550]


def test_purge_that_looks_converged_but_has_unreadable_numbers_is_refused(call):
    client = org()
    client.app_read_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities" or raw["number"] != 14150005551)
                                             for raw in answer]
    with pytest.raises(PlanError):
        call(client, [14150005550, 14150005554], purge=True)
    assert client.calls == READS


def test_another_writer_between_the_two_reads_is_refused(call):
    client = org()
    client.before["list_numbers"] = [lambda: client.assign(14150005552, APP)]
    with pytest.raises(PlanError) as err:
        call(client, [14150005553], force=True, purge=True)
    assert "the rented-numbers read shows +14150005552 on the application" in err.value.describe()
    assert client.writes() == []


def test_another_writer_between_the_last_read_and_the_write_is_reported_with_changed(fail):
    client = org()
    client.before["set_application_numbers"] = [lambda: client.assign(15040005551, APP)]
    result = fail(client, [14150005552])
    assert ("Sinch's answer to the overwrite lists the application's numbers +14150005550, +14150005551, +14150005552, "
            "+14150005554, +15040005550, +15040005551 instead of the expected +14150005550, +14150005551, +14150005552, "
            "+14150005554, +15040005550 (missing: none; unexpected: +15040005551)") in result["msg"]
    assert "Another writer may have changed the application's numbers" in result["msg"]
    assert result["changed"] is True
    assert result["written"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554"]
    assert result["found"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554", "+15040005550", "+15040005551"]


# --- overwrites whose answer leaves the outcome unknown --------------------------------------------------

def test_an_applied_overwrite_answered_500_is_a_change_proven_by_a_read(call):
    client = org()
    client.put_error = error_500()
    result = call(client, [14150005552])
    assert result["changed"] is True
    assert result["added"] == ["+14150005552"]
    assert client.warnings == [
        "Sinch answered the overwrite of the voice numbers of application %s with HTTP 500; the application read right "
        "after shows the write applied." % APP]
    assert client.calls == FREE_READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554]), APP_READ]
    assert [item["number"] for item in result["numbers"]] == client.assigned(APP)
    assert client.journal.writes[0].status == "applied"


def test_an_overwrite_answered_with_something_not_a_list_is_checked_by_a_read(call):
    client = org()
    client.put_error = SinchError("the answer listing application numbers was not a list", method="PUT", outcome_unknown=True)
    result = call(client, [14150005552])
    assert result["changed"] is True
    assert "with no usable answer (the answer listing application numbers was not a list)" in client.warnings[0]


def test_an_overwrite_answered_500_and_not_applied_says_nothing_changed_after_a_read(fail):
    client = org()
    client.before["set_application_numbers"] = [raiser(error_500())]
    result = fail(client, [14150005552])
    assert ("Internal server error; the application read right after shows its numbers unchanged (+14150005550, "
            "+14150005551, +14150005554, +15040005550), so nothing was changed") in result["msg"]
    assert result["changed"] is False and result["writes"] == []
    assert client.calls == FREE_READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554]), APP_READ]


def test_an_overwrite_with_unknown_outcome_and_a_failed_read_says_it_may_have_applied(fail):
    client = org()
    client.put_error = error_500()
    client.before["list_application_numbers"] = [lambda: None, lambda: None,
                                                 raiser(SinchError("no answer", method="GET", outcome_unknown=False))]
    result = fail(client, [14150005552])
    assert ("The overwrite of the voice numbers of application %s (+14150005550, +14150005551, +14150005552, "
            "+14150005554) was answered HTTP 500, and the read to check whether it was applied failed too" % APP) in result["msg"]
    assert ("Before it failed, this task may have set the voice numbers of application %s to +14150005550, "
            "+14150005551, +14150005552, +14150005554." % APP) in result["msg"]
    assert result["changed"] is True and result["written"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554"]
    assert [write["status"] for write in result["writes"]] == ["unknown"]


def test_an_overwrite_with_unknown_outcome_and_another_writer_says_what_was_found(fail):
    client = org()
    client.put_error = error_500()
    client.before["list_application_numbers"] = [lambda: None, lambda: None, lambda: client.assign(15040005551, APP)]
    result = fail(client, [14150005552])
    assert "Sinch answered the overwrite with HTTP 500; the application read right after lists" in result["msg"]
    assert "(missing: none; unexpected: +15040005551)" in result["msg"]
    assert result["changed"] is True


def test_a_refused_overwrite_is_not_read_again(fail):
    client = org()
    client.before["set_application_numbers"] = [raiser(SinchError("bad", status=400, error_code=40001, method="PUT"))]
    result = fail(client, [14150005552])
    assert result["changed"] is False
    assert client.calls == FREE_READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554])]


@pytest.mark.parametrize("odd", ["not an object", {"number": "n/a", "capabilities": ["voice"]}])
def test_an_applied_overwrite_whose_answer_cannot_be_read_is_a_change_said_so(fail, odd):
    # Sinch applied the overwrite and answered a list the collection cannot read: the task fails as a change,
    # never changed false, saying what it wrote.
    client = org()
    client.put_answer = [odd] + client._on(APP)
    result = fail(client, [14150005552])
    assert result["changed"] is True
    assert "and 1 it cannot read" in result["msg"]
    assert ("Before it failed, this task set the voice numbers of application %s to +14150005550, +14150005551, "
            "+14150005552, +14150005554." % APP) in result["msg"]


def test_an_overwrite_with_unknown_outcome_and_an_unreadable_read_says_it_may_have_applied(fail):
    client = org()
    client.put_error = error_500()
    reads = []

    def odd(answer):
        reads.append(1)
        return answer + ["not an object"] if len(reads) > 2 else answer  # the application's, the other's, then this
    client.app_read_filter = odd
    result = fail(client, [14150005552])
    assert "and 1 it cannot read" in result["msg"]
    assert "may have set the voice numbers of application %s" % APP in result["msg"]
    assert result["changed"] is True


def test_an_application_read_with_an_unreadable_item_fails_before_any_write(call):
    client = org()
    client.app_read_filter = lambda answer: answer + [{"number": None, "capabilities": ["voice"]}]
    with pytest.raises(PlanError) as err:
        call(client, [14150005552])
    assert "1 number without readable capabilities or numbers" in err.value.describe()
    assert client.writes() == []


# --- a number that looks free: the other applications' reads (F4) ------------------------------------
# The rented-numbers read is the only one naming a number's application, and Sinch leaves applicationKey out
# for a free number: a number whose key Sinch left out looks free. Before one is put on the application, every
# other application the rented-numbers read names is read.

THIRD = "dd9d6a5b-6449-4b35-8ea3-4fd6cdd76ad6"
OTHER_READ = ("list_application_numbers", OTHER)


def org_hiding(number):
    """org() with a second number on OTHER (+14150005555, listed whole), the listing leaving out ``number``'s key."""
    client = org()
    client.numbers[14150005555] = rented(14150005555, ["voice"], OTHER)
    client.rented_read_filter = without("applicationKey", number)
    return client


def test_a_number_whose_application_the_listing_leaves_out_is_refused_naming_the_application_that_lists_it(call):
    client = org_hiding(14150005553)
    with pytest.raises(PlanError) as err:
        call(client, [14150005553])
    assert err.value.describe() == (
        "Refused to change the voice numbers of application %s, nothing was written: +14150005553 is assigned to "
        "application %s, whose read lists it although the rented-numbers read shows it on no application (use force: "
        "true to move it from application %s). Sinch's rented-numbers listing leaves out the application of "
        "+14150005553, so it looked free." % (APP, OTHER, OTHER))
    assert client.calls == FREE_READS
    assert client.assigned(OTHER) == [14150005553, 14150005555]


def test_check_mode_refuses_such_a_number_as_the_real_run_does(call):
    client = org_hiding(14150005553)
    with pytest.raises(PlanError) as err:
        call(client, [14150005553], check_mode=True)
    assert "+14150005553 is assigned to application %s" % OTHER in err.value.describe()
    assert client.calls == FREE_READS


def test_with_force_such_a_number_is_moved_and_the_result_says_from_where(call):
    client = org_hiding(14150005553)
    result = call(client, [14150005553], force=True)
    assert result["moved"] == [{"number": "+14150005553", "from_application_key": OTHER}]
    assert "moved +14150005553 from application %s" % OTHER in result["msg"]
    assert client.calls == FREE_READS + [put("voice", [14150005550, 14150005551, 14150005553, 14150005554])]
    assert client.assigned(OTHER) == [14150005555]


def test_a_free_number_costs_one_read_per_other_application_the_listing_names_and_none_for_the_target(params):
    client = FakeClient([
        rented(14150005550, ["voice"], APP),
        rented(14150005551, ["voice"], OTHER),
        rented(14150005552, ["voice"], OTHER.upper()),  # the same application, as Sinch may spell it
        rented(14150005553, ["voice"], THIRD),
        rented(14150005554, ["voice"]),
    ], applications=(APP, OTHER, THIRD))
    result = app.app_numbers(client, params([14150005554]), False)
    assert result["added"] == ["+14150005554"] and result["moved"] == []
    assert client.calls == READS + [OTHER_READ, ("list_application_numbers", THIRD),
                                    put("voice", [14150005550, 14150005554])]


def test_a_number_already_on_the_application_or_on_another_one_by_the_listing_costs_no_such_read(call):
    client = org()
    call(client, [14150005553], force=True)   # the listing names its application: no doubt to lift
    assert client.calls == READS + [put("voice", [14150005550, 14150005551, 14150005553, 14150005554])]
    client = org()
    call(client, [], capability="sms", purge=True)  # removes only
    assert client.calls == READS + [put("sms", [])]


def test_an_application_no_listed_number_names_cannot_be_read_a_documented_limit(call):
    # +14150005553 is the only number of OTHER, and the listing leaves its key out: nothing names OTHER, so no read
    # can tell that the number is on it (the module's documentation says so). The overwrite then moves it unseen.
    client = org()
    client.rented_read_filter = without("applicationKey", 14150005553)
    result = call(client, [14150005553])
    assert result["moved"] == []
    assert client.calls == READS + [put("voice", [14150005550, 14150005551, 14150005553, 14150005554])]


def test_a_failed_read_of_another_application_refuses_before_any_write(fail):
    client = org()
    unavailable = SinchError("Service unavailable", status=503, error_code=50300, method="GET")
    client.before["list_application_numbers"] = [lambda: None, raiser(unavailable)]
    result = fail(client, [14150005552])
    assert result["msg"].startswith(
        "Refused to change the voice numbers of application %s, nothing was written: whether +14150005552 is free cannot "
        "be told: the rented-numbers read shows it on no application, and the read of application %s" % (APP, OTHER))
    assert result["changed"] is False and result["writes"] == [] and client.writes() == []
    assert result["error"]["status"] == 503


def test_another_application_read_with_an_item_without_a_number_refuses_before_any_write(call):
    client = org()
    client.app_read_filters[OTHER] = lambda answer: answer + [{"number": "n/a"}]
    with pytest.raises(UnreadableError) as err:
        call(client, [14150005552])
    assert ("the read of application %s lists 1 item without a readable number, which may be it" % OTHER
            in err.value.describe())
    assert client.writes() == []


def test_free_numbers_check_maps_each_number_to_the_application_that_lists_it():
    client = org_hiding(14150005553)
    listing = shaped(*client.list_numbers())
    client.calls = []
    assert app.known_application_keys(listing, [APP.upper()]) == [OTHER]
    assert app.free_numbers_check(client, [14150005553, 14150005552], listing, [APP.upper()]) == {14150005553: OTHER}
    assert client.calls == [OTHER_READ]
    client.calls = []
    assert app.free_numbers_check(client, [], listing, [APP]) == {}
    assert client.calls == []
    assert app.free_numbers_check(client, [14150005550], listing) == {14150005550: APP}  # APP not skipped
    assert client.calls == [APP_READ, OTHER_READ]


# --- purge: the application read alone never proves it converged (F8) ----------------------------------

def test_purge_that_looks_converged_is_cross_checked_and_refused_when_the_read_omitted_a_number(call):
    client = org()
    client.app_read_filter = lambda answer: [raw for raw in answer if raw["number"] != 14150005551]
    with pytest.raises(PlanError) as err:
        call(client, [14150005550, 14150005554], purge=True)
    assert ("the rented-numbers read shows +14150005551 on the application, which the application read does not list"
            in err.value.describe())
    assert client.calls == READS and client.writes() == []


def test_purge_that_is_converged_costs_the_two_reads_and_writes_nothing(call):
    client = org()
    result = call(client, [14150005550, 14150005551, 14150005554], purge=True)
    assert result["changed"] is False
    assert result["msg"] == ("Application %s already has the wanted voice numbers (+14150005550, +14150005551, "
                             "+14150005554); nothing to change." % APP)
    assert client.calls == READS


# --- a write whose answer never came (F9) ---------------------------------------------------------------

def lost(method="PUT"):
    # As the transport raises a timeout: no answer, the write may still be on its way.
    return SinchError("no answer from https://p.test within 1 s", method=method, outcome_unknown=True, transient=True)


def test_a_lost_overwrite_with_an_unchanged_read_may_still_be_applied_and_says_so(fail):
    client = org()
    client.before["set_application_numbers"] = [raiser(lost())]   # not applied yet: still on its way
    result = fail(client, [14150005552])
    assert result["msg"].startswith(
        "The overwrite of the voice numbers of application %s (+14150005550, +14150005551, +14150005552, +14150005554) "
        "got no answer (no answer from https://p.test within 1 s); the application read right after shows its numbers "
        "unchanged (+14150005550, +14150005551, +14150005554, +15040005550), but a write whose answer never came may "
        "still reach Sinch and be applied later. Check the application's numbers with sinch.numbers.sinch_number_info"
        % APP)
    assert "nothing was changed" not in result["msg"]
    assert result["changed"] is True
    assert [write["status"] for write in result["writes"]] == ["unknown"]
    assert client.journal.writes[0].status == "unknown"
    assert result["written"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554"]
    assert client.calls == FREE_READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554]), APP_READ]


def test_a_repeated_overwrite_whose_last_answer_is_a_500_may_still_be_applied(fail):
    # The transport sent it twice (the first answer may have been lost): an unchanged read proves nothing.
    client = org()
    err = error_500()
    err.attempts = 2
    client.before["set_application_numbers"] = [raiser(err)]
    result = fail(client, [14150005552])
    assert "was answered HTTP 500 (sent 2 times)" in result["msg"] and "may still reach Sinch" in result["msg"]
    assert result["changed"] is True and [write["status"] for write in result["writes"]] == ["unknown"]


def test_a_lost_overwrite_that_the_read_shows_applied_is_a_change(call):
    client = org()
    client.put_error = lost()
    result = call(client, [14150005552])
    assert result["changed"] is True and client.journal.writes[0].status == "applied"


def test_an_application_key_sinch_never_issues_is_never_sent_and_never_means_free(call):
    client = org()
    client.numbers[14150005553]["applicationKey"] = "../../organisations/id/1"
    with pytest.raises(UnreadableError) as err:
        call(client, [14150005552])
    assert "names an application by a key that is not one Sinch issues" in err.value.describe()
    assert client.calls == READS and client.writes() == []
