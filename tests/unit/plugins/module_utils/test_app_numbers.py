# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""_app_numbers: the cross-check of the two reads, the plan, and the overwrite under uncertain answers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _app_numbers as app
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import AfterWriteError
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.app_fakes import APP, OTHER, FakeClient, rented

APP_READ = ("list_application_numbers", APP)
READS = [APP_READ, ("list_numbers",)]


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


def call(client, numbers, capability="voice", purge=False, force=False, check_mode=False):
    return app.app_numbers(client, check_mode, APP, capability, numbers, purge, force)


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
    return _shapes.numbers(raws)


def test_reads_that_agree_have_no_disagreement():
    client = org()
    before, unreadable = app.read_application(client, APP)
    assert unreadable == set()
    assert app.disagreement(APP, before, unreadable, shaped(*client.list_numbers())) is None


def test_application_keys_agree_whatever_their_case():
    before = shaped(rented(14150005550, ["voice"], APP))
    assert app.disagreement(APP.upper(), before, set(), shaped(rented(14150005550, ["voice"], APP))) is None


def test_a_number_the_application_read_omits_is_named():
    before = shaped(rented(14150005550, ["voice"], APP))
    rented_numbers = shaped(rented(14150005550, ["voice"], APP), rented(14150005551, ["voice"], APP))
    assert app.disagreement(APP, before, set(), rented_numbers) == [
        "the rented-numbers read shows +14150005551 on the application, which the application read does not list"]


def test_a_number_only_the_application_read_lists_is_named():
    before = shaped(rented(14150005550, ["voice"], APP), rented(14150005551, ["voice"], APP))
    rented_numbers = shaped(rented(14150005550, ["voice"], APP), rented(14150005551, ["voice"], OTHER))
    assert app.disagreement(APP, before, set(), rented_numbers) == [
        "the application read lists +14150005551, which the rented-numbers read does not show on the application"]


def test_capabilities_that_differ_are_named():
    before = shaped(rented(14150005550, ["voice"], APP))
    rented_numbers = shaped(rented(14150005550, ["voice", "sms"], APP))
    assert app.disagreement(APP, before, set(), rented_numbers) == [
        "the application read gives +14150005550 the capabilities voice, the rented-numbers read sms and voice"]


def test_a_number_listed_without_capabilities_is_unreadable_and_never_agrees():
    client = org()
    client.app_read_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities" or raw["number"] != 15040005550)
                                             for raw in answer]
    before, unreadable = app.read_application(client, APP)
    assert unreadable == {15040005550}
    assert app.disagreement(APP, before, unreadable, shaped(*client.list_numbers())) == [
        "the application read lists +15040005550 without capabilities, so an overwrite could drop it unseen"]


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
    before, _unreadable = app.read_application(client, APP)
    change = app.plan(APP, "voice", [14150005552], False, False, before, shaped(*client.list_numbers()), 8888123)
    assert change == {"current": {14150005550, 14150005551, 14150005554}, "wanted": {14150005550, 14150005551, 14150005552, 14150005554},
                      "added": {14150005552}, "removed": set(), "moved": []}


def test_plan_refuses_every_offending_number_in_one_sentence():
    client = org()
    before, _unreadable = app.read_application(client, APP)
    with pytest.raises(ValueError) as err:
        app.plan(APP, "voice", [14150005553, 15040005551, 19990000000], False, False, before, shaped(*client.list_numbers()), 8888123)
    assert str(err.value) == (
        "Refused to change the voice numbers of application %s, nothing was written: +19990000000 is not rented by "
        "organisation 8888123 (rent it first with sinch.numbers.sinch_number_rent); +15040005551 has no voice capability "
        "(+15040005551 has only sms; choose numbers with voice, or manage it with capability: sms); +14150005553 is assigned "
        "to application %s (use force: true to move it from application %s)." % (APP, OTHER, OTHER))


def test_predicted_numbers_keep_the_other_capability_and_gain_the_wanted():
    client = org()
    before, _unreadable = app.read_application(client, APP)
    rented_numbers = shaped(*client.list_numbers())
    change = app.plan(APP, "voice", [14150005553], True, True, before, rented_numbers, 8888123)
    assert change["moved"] == [{"number": "+14150005553", "from_application_key": OTHER}]
    predicted = app.predicted_numbers(APP, "voice", change["wanted"], before, rented_numbers)
    assert [(item["number"], item["application_key"]) for item in predicted] == [(14150005553, APP), (15040005550, APP)]


# --- whole runs: requests and refusals --------------------------------------------------------------

def test_a_converged_run_reads_the_application_only():
    client = org()
    result = call(client, [14150005550])
    assert result["changed"] is False
    assert client.calls == [APP_READ]


def test_a_changing_run_reads_both_then_writes_once():
    client = org()
    result = call(client, [], capability="sms", purge=True)
    assert result["changed"] is True
    assert client.calls == READS + [put("sms", [])]


def test_check_mode_of_a_changing_run_reads_both_and_writes_nothing():
    client = org()
    result = call(client, [], capability="sms", purge=True, check_mode=True)
    assert result["changed"] is True
    assert client.calls == READS


def test_a_number_the_application_read_omits_is_never_removed_without_purge():
    client = org()
    client.app_read_filter = lambda answer: [raw for raw in answer if raw["number"] != 14150005551]
    with pytest.raises(SinchError) as err:
        call(client, [14150005552])
    assert err.value.describe() == (
        "Could not set the voice numbers of application %s: the two reads of its numbers disagree, so nothing was written: "
        "the rented-numbers read shows +14150005551 on the application, which the application read does not list. Another "
        "writer may be changing the application's numbers, or Sinch answered incompletely: run the task again, and if the "
        "reads still disagree, check the application in the Sinch dashboard." % APP)
    assert client.calls == READS
    assert client.assigned(APP) == [14150005550, 14150005551, 14150005554, 15040005550]


def test_a_number_without_capabilities_is_never_dropped_by_an_overwrite():
    client = org()
    client.app_read_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities") for raw in answer]
    with pytest.raises(SinchError) as err:
        call(client, [14150005552], capability="voice")
    assert "the application read lists +14150005550, +14150005551, +14150005554, +15040005550 without capabilities" in err.value.describe()
    assert client.writes() == []
    assert client.assigned(APP) == [14150005550, 14150005551, 14150005554, 15040005550]


def test_purge_that_looks_converged_but_has_unreadable_numbers_is_refused():
    client = org()
    client.app_read_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities" or raw["number"] != 14150005551)
                                             for raw in answer]
    with pytest.raises(SinchError):
        call(client, [14150005550, 14150005554], purge=True)
    assert client.calls == READS


def test_another_writer_between_the_two_reads_is_refused():
    client = org()
    client.before["list_numbers"] = [lambda: client.assign(14150005552, APP)]
    with pytest.raises(SinchError) as err:
        call(client, [14150005553], force=True, purge=True)
    assert "the rented-numbers read shows +14150005552 on the application" in err.value.describe()
    assert client.writes() == []


def test_another_writer_between_the_last_read_and_the_write_is_reported_with_changed():
    client = org()
    client.before["set_application_numbers"] = [lambda: client.assign(15040005551, APP)]
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005552])
    text = err.value.describe()
    assert ("Sinch's answer to the overwrite lists the application's numbers +14150005550, +14150005551, +14150005552, "
            "+14150005554, +15040005550, +15040005551 instead of the expected +14150005550, +14150005551, +14150005552, "
            "+14150005554, +15040005550 (missing: none; unexpected: +15040005551)") in text
    assert "Another writer may have changed the application's numbers" in text
    result = err.value.to_result()
    assert result["changed"] is True
    assert result["written"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554"]
    assert result["found"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554", "+15040005550", "+15040005551"]


# --- overwrites whose answer leaves the outcome unknown --------------------------------------------------

def test_an_applied_overwrite_answered_500_is_a_change_proven_by_a_read():
    client = org()
    client.put_error = error_500()
    result = call(client, [14150005552])
    assert result["changed"] is True
    assert result["added"] == ["+14150005552"]
    assert result["warnings"] == [
        "Sinch answered the overwrite of the voice numbers of application %s with HTTP 500; the application read right "
        "after shows the write applied." % APP]
    assert client.calls == READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554]), APP_READ]
    assert [item["number"] for item in result["numbers"]] == client.assigned(APP)


def test_an_overwrite_answered_with_something_not_a_list_is_checked_by_a_read():
    client = org()
    client.put_error = SinchError("the answer listing application numbers was not a list", method="PUT", outcome_unknown=True)
    result = call(client, [14150005552])
    assert result["changed"] is True
    assert "with no usable answer (the answer listing application numbers was not a list)" in result["warnings"][0]


def test_an_overwrite_answered_500_and_not_applied_says_nothing_changed_after_a_read():
    client = org()
    client.before["set_application_numbers"] = [raiser(error_500())]
    with pytest.raises(SinchError) as err:
        call(client, [14150005552])
    assert not isinstance(err.value, AfterWriteError)
    assert ("Internal server error; the application read right after shows its numbers unchanged (+14150005550, "
            "+14150005551, +14150005554, +15040005550), so nothing was changed") in err.value.describe()
    assert client.calls == READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554]), APP_READ]


def test_an_overwrite_with_unknown_outcome_and_a_failed_read_says_it_may_have_applied():
    client = org()
    client.put_error = error_500()
    client.before["list_application_numbers"] = [lambda: None, raiser(SinchError("no answer", method="GET", outcome_unknown=False))]
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005552])
    text = err.value.describe()
    assert "The overwrite (voice numbers +14150005550, +14150005551, +14150005552, +14150005554) may have been applied" in text
    assert "the read to check failed too" in text
    result = err.value.to_result()
    assert result["changed"] is True and result["written"] == ["+14150005550", "+14150005551", "+14150005552", "+14150005554"]


def test_an_overwrite_with_unknown_outcome_and_another_writer_says_what_was_found():
    client = org()
    client.put_error = error_500()
    client.before["list_application_numbers"] = [lambda: None, lambda: client.assign(15040005551, APP)]
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005552])
    text = err.value.describe()
    assert "Sinch answered the overwrite with HTTP 500; the application read right after lists" in text
    assert "(missing: none; unexpected: +15040005551)" in text
    assert err.value.to_result()["changed"] is True


def test_a_refused_overwrite_is_not_read_again():
    client = org()
    client.before["set_application_numbers"] = [raiser(SinchError("bad", status=400, error_code=40001, method="PUT"))]
    with pytest.raises(SinchError) as err:
        call(client, [14150005552])
    assert not isinstance(err.value, AfterWriteError)
    assert client.calls == READS + [put("voice", [14150005550, 14150005551, 14150005552, 14150005554])]
