# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_app_number_absent: one read, one removal per assigned number, never one for a number not assigned."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._app_number_absent import app_number_absent
from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, PlanError, SinchError, UnreadableError
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
from ansible_collections.sinch.numbers.plugins.modules.sinch_app_number_absent import ARGUMENT_SPEC
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.app_fakes import APP, ORG, OTHER, FakeClient, rented
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import module_params, run_module

READ = ("list_application_numbers", APP)
RENTED = ("list_numbers",)


def org():
    return FakeClient([
        rented(14150005550, ["voice"], APP),
        rented(14150005551, ["voice"], APP),
        rented(15040005550, ["sms"], APP),
        rented(14150005553, ["voice"], OTHER),
        rented(14150005552, ["voice"]),
    ])


@pytest.fixture
def params(tmp_path):
    def build(numbers, **values):
        values.setdefault("lock_path", str(tmp_path))
        return module_params(ARGUMENT_SPEC, application_key=APP, numbers=numbers, **values)
    return build


@pytest.fixture
def call(params):
    def run(client, numbers, check_mode=False, **values):
        return app_number_absent(client, params(numbers, **values), check_mode)
    return run


@pytest.fixture
def through_runner(params):
    """The module as the user sees it (success or failure, and its warnings)."""
    def run(client, numbers, **values):
        return run_module(app_number_absent, client, params(numbers, **values))
    return run


def test_removes_only_assigned_numbers_one_request_each(call):
    client = org()
    result = call(client, ["+1 415-000-5550", 15040005550, 14150005552, 14150005553, 14150005550])
    # Three given numbers are not on the application read: the rented-numbers read confirms it, before any removal.
    assert client.calls == [READ, RENTED, ("unassign_number", APP, 14150005550), ("unassign_number", APP, 15040005550)]
    assert result["changed"] is True
    assert result["removed"] == ["+14150005550", "+15040005550"]
    assert [item["number"] for item in result["numbers"]] == [14150005551]
    assert result["diff"]["before"].splitlines() == ["+14150005550", "+14150005551", "+15040005550"]
    assert result["diff"]["after"].splitlines() == ["+14150005551"]
    assert result["msg"] == ("Removed +14150005550, +15040005550 from application %s; "
                             "+14150005552, +14150005553 were not assigned to it." % APP)
    assert client.assigned(OTHER) == [14150005553]


def test_numbers_not_assigned_cost_the_two_reads_that_prove_it(call):
    client = org()
    result = call(client, [14150005552])
    assert client.calls == [READ, RENTED]
    assert result["changed"] is False
    assert result["msg"] == "+14150005552 is not assigned to application %s; nothing to remove." % APP


def test_check_mode_reads_only_and_predicts(call):
    client = org()
    result = call(client, [14150005551], check_mode=True)
    assert client.calls == [READ]
    assert result["changed"] is True and result["removed"] == ["+14150005551"]
    assert result["msg"].startswith("Would remove +14150005551")
    assert result == dict(call(org(), [14150005551]), msg=result["msg"])


def test_bad_and_empty_input_fail_before_any_request(call):
    client = org()
    with pytest.raises(InputError) as err:
        call(client, ["x", "+1 415"])
    assert "'x'" in err.value.describe() and "'+1 415'" in err.value.describe()
    with pytest.raises(InputError):
        call(client, [])
    assert client.calls == []


def test_an_application_read_with_an_item_without_a_number_removes_nothing(call):
    client = org()
    client.app_read_filter = lambda answer: answer + [{"number": "n/a", "capabilities": ["voice"]}]
    with pytest.raises(UnreadableError) as err:
        call(client, [14150005550])
    assert "1 item without a readable number" in err.value.describe()
    assert client.writes() == []


def test_a_repeated_removal_answered_40400_counts_when_the_number_is_gone(call):
    client = org()
    # As if the first DELETE was applied and its answer lost, and the transport's repeat got 40400.
    client.unassign_error_after[14150005550] = SinchError("not assigned", status=404, error_code=40400, method="DELETE")
    result = call(client, [14150005550])
    assert result["removed"] == ["+14150005550"]
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ]
    assert client.journal.writes[0].status == "applied"


def test_partial_failure_says_what_was_removed_and_changed(through_runner):
    client = org()
    client.fail_unassign[15040005550] = SinchError("Service is temporarily unavailable", status=503, error_code=50300,
                                                   method="DELETE", outcome_unknown=True)
    result = through_runner(client, [14150005550, 15040005550]).failed
    assert "Before it failed, this task took +14150005550 off application %s." % APP in result["msg"]
    assert "still lists it, so it was not removed" in result["msg"]
    assert result["changed"] is True and result["removed"] == ["+14150005550"]
    assert [(write["number"], write["status"]) for write in result["writes"]] == [("+14150005550", "applied")]


def test_a_refused_first_removal_is_no_change(through_runner):
    client = org()
    client.fail_unassign[14150005550] = SinchError("Forbidden", status=403, error_code=40300, method="DELETE")
    result = through_runner(client, [14150005550]).failed
    assert result["changed"] is False and result["writes"] == []
    assert result["error"]["error_code"] == 40300


def error_500():
    # As the transport raises it: a 5xx may have been applied.
    return SinchError("Internal server error", status=500, error_code=50000, method="DELETE", outcome_unknown=True)


def test_a_removal_applied_then_answered_500_is_a_change_proven_by_a_read(through_runner):
    client = org()
    client.unassign_error_after[14150005550] = error_500()
    module = through_runner(client, [14150005550, 15040005550])
    result = module.exited
    assert result["changed"] is True
    assert result["removed"] == ["+14150005550", "+15040005550"]
    assert module.warnings == [
        "Sinch answered the removal of +14150005550 from application %s with HTTP 500; the application read right after "
        "no longer lists it, so it was removed." % APP]
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ, ("unassign_number", APP, 15040005550)]
    assert client.assigned(APP) == [14150005551]


def test_a_removal_answered_500_and_not_applied_says_so_after_a_read(through_runner):
    client = org()
    client.fail_unassign[14150005550] = error_500()
    result = through_runner(client, [14150005550]).failed
    assert result["msg"].startswith("Could not remove +14150005550 from application %s: Sinch answered HTTP 500" % APP)
    assert "the application read right after still lists it, so it was not removed" in result["msg"]
    assert result["changed"] is False and result["writes"] == []
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ]
    assert client.assigned(APP) == [14150005550, 14150005551, 15040005550]


def _raise(err):
    def hook():
        raise err
    return hook


def test_a_removal_with_unknown_outcome_and_a_failed_read_may_have_changed(through_runner):
    client = org()
    client.unassign_error_after[14150005550] = error_500()
    client.before["list_application_numbers"] = [lambda: None, _raise(SinchError("no answer", method="GET"))]
    result = through_runner(client, [14150005550]).failed
    assert "the read to check whether it was applied failed too" in result["msg"]
    assert "Before it failed, this task may have taken +14150005550 off application %s." % APP in result["msg"]
    assert result["changed"] is True and result["removed"] == []
    assert [(write["number"], write["status"]) for write in result["writes"]] == [("+14150005550", "unknown")]


def test_a_removal_after_others_whose_checking_read_is_unreadable_is_changed_and_says_what_was_removed(through_runner):
    # +14150005550 is removed; the removal of +15040005550 is applied and answered 500; the read to check it
    # carries an item the collection cannot read (Sinch's odd answer): the task has changed the application.
    client = org()
    client.unassign_error_after[15040005550] = error_500()
    reads = []

    def odd(answer):
        reads.append(1)
        return answer + ["not an object"] if len(reads) > 1 else answer
    client.app_read_filter = odd
    result = through_runner(client, [14150005550, 15040005550]).failed
    assert "whether it was applied cannot be told" in result["msg"]
    assert ("Before it failed, this task took +14150005550 off application %s; may have taken +15040005550 off "
            "application %s." % (APP, APP)) in result["msg"]
    assert result["changed"] is True and result["removed"] == ["+14150005550"]


def test_removals_wait_for_the_organisation_lock_and_remove_nothing_when_it_is_held_too_long(through_runner, tmp_path):
    client = org()
    with OrganisationLock(ORG, directory=str(tmp_path)):
        result = through_runner(client, [14150005550], lock_timeout=0.3).failed
    assert client.writes() == []
    assert result["changed"] is False
    assert result["msg"].startswith("Another run kept writing for organisation %d on this machine" % ORG)


# --- "not assigned" is proven by two reads (F8) -----------------------------------------------------------

def omitting(number):
    return lambda answer: [raw for raw in answer if raw["number"] != number]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_number_the_application_read_omits_is_never_said_not_assigned(call, check_mode):
    client = org()
    client.app_read_filter = omitting(14150005551)
    with pytest.raises(PlanError) as err:
        call(client, [14150005551, 14150005550], check_mode=check_mode)
    assert err.value.describe() == (
        "Refused to remove numbers from application %s, nothing was written: whether +14150005551 is on it cannot be "
        "told for sure, since the application read does not list +14150005551, which the rented-numbers read shows on "
        "the application. Another writer may be changing the application's numbers, or Sinch answered incompletely: run "
        "the task again, and if the reads still disagree, check the application in the Sinch dashboard." % APP)
    assert client.calls == [READ, RENTED]
    assert client.assigned(APP) == [14150005550, 14150005551, 15040005550]


def test_a_number_whose_application_the_rented_numbers_cannot_read_is_never_said_not_assigned(through_runner):
    client = org()
    client.rented_read_filter = lambda answer: [dict(raw, applicationKey=17) if raw["number"] == 14150005552 else raw
                                                for raw in answer]
    result = through_runner(client, [14150005552, 14150005550]).failed
    assert ("whether +14150005552 is on it cannot be told for sure, since the rented-numbers read lists +14150005552 "
            "with an application that cannot be read (applicationKey on +14150005552)") in result["msg"]
    assert result["changed"] is False and client.writes() == []


def test_a_rented_numbers_read_with_an_item_without_a_number_proves_nothing(call):
    client = org()
    client.rented_read_filter = lambda answer: answer + [{"number": None, "applicationKey": APP}]
    with pytest.raises(UnreadableError) as err:
        call(client, [19990000001])
    assert "lists 1 item without a readable number, which may be it" in err.value.describe()
    assert client.writes() == []


def test_a_number_the_organisation_does_not_rent_is_not_assigned(call):
    client = org()
    result = call(client, [19990000001])
    assert result["changed"] is False and client.calls == [READ, RENTED]
    assert result["msg"] == "+19990000001 is not assigned to application %s; nothing to remove." % APP


# --- a removal whose answer never came (F9) ----------------------------------------------------------------

def lost():
    return SinchError("no answer from https://p.test within 1 s", method="DELETE", outcome_unknown=True, transient=True)


def test_a_lost_removal_with_the_number_still_listed_may_still_be_applied_and_says_so(through_runner):
    client = org()
    client.fail_unassign[14150005550] = lost()   # not applied yet: still on its way
    result = through_runner(client, [14150005550]).failed
    assert result["msg"].startswith(
        "The removal of +14150005550 from application %s got no answer (no answer from https://p.test within 1 s); the "
        "application read right after still lists it, but a removal whose answer never came may still reach Sinch and "
        "be applied later. Check the application's numbers" % APP)
    assert "not removed" not in result["msg"]
    assert result["changed"] is True
    assert [(write["number"], write["status"]) for write in result["writes"]] == [("+14150005550", "unknown")]
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ]


def test_a_repeated_removal_refused_40400_with_the_number_still_listed_may_still_be_applied(through_runner):
    # The first send's answer was lost and the transport's repeat got 40400: the first may still be on its way.
    client = org()
    err = SinchError("not assigned", status=404, error_code=40400, method="DELETE")
    err.attempts = 2
    client.fail_unassign[14150005550] = err
    result = through_runner(client, [14150005550]).failed
    assert "was answered HTTP 404 errorCode 40400 (sent 2 times)" in result["msg"]
    assert "may still reach Sinch" in result["msg"] and result["changed"] is True
