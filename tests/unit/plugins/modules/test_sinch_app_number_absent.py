# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_app_number_absent: one read, one removal per assigned number, never one for a number not assigned."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import AfterWriteError
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.modules.sinch_app_number_absent import app_number_absent
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.app_fakes import APP, OTHER, FakeClient, rented

READ = ("list_application_numbers", APP)


def org():
    return FakeClient([
        rented(14150005550, ["voice"], APP),
        rented(14150005551, ["voice"], APP),
        rented(15040005550, ["sms"], APP),
        rented(14150005553, ["voice"], OTHER),
        rented(14150005552, ["voice"]),
    ])


def call(client, numbers, check_mode=False):
    return app_number_absent(client, check_mode, APP, numbers)


def test_removes_only_assigned_numbers_one_request_each():
    client = org()
    result = call(client, ["+1 415-000-5550", 15040005550, 14150005552, 14150005553, 14150005550])
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), ("unassign_number", APP, 15040005550)]
    assert result["changed"] is True
    assert result["removed"] == ["+14150005550", "+15040005550"]
    assert [item["number"] for item in result["numbers"]] == [14150005551]
    assert result["diff"]["before"].splitlines() == ["+14150005550", "+14150005551", "+15040005550"]
    assert result["diff"]["after"].splitlines() == ["+14150005551"]
    assert result["msg"] == ("Removed +14150005550, +15040005550 from application %s; "
                             "+14150005552, +14150005553 were not assigned to it." % APP)
    assert client.assigned(OTHER) == [14150005553]


def test_numbers_not_assigned_cost_only_the_read():
    client = org()
    result = call(client, [14150005552])
    assert client.calls == [READ]
    assert result["changed"] is False
    assert result["msg"] == "+14150005552 is not assigned to application %s; nothing to remove." % APP


def test_check_mode_reads_only_and_predicts():
    client = org()
    result = call(client, [14150005551], check_mode=True)
    assert client.calls == [READ]
    assert result["changed"] is True and result["removed"] == ["+14150005551"]
    assert result["msg"].startswith("Would remove +14150005551")
    assert result == dict(call(org(), [14150005551]), msg=result["msg"])


def test_bad_and_empty_input_fail_before_any_request():
    client = org()
    with pytest.raises(ValueError) as err:
        call(client, ["x", "+1 415"])
    assert "'x'" in str(err.value) and "'+1 415'" in str(err.value)
    with pytest.raises(ValueError):
        call(client, [])
    assert client.calls == []


def test_a_repeated_removal_answered_40400_counts_when_the_number_is_gone():
    client = org()
    # As if the first DELETE was applied and its answer lost, and the transport's repeat got 40400.
    client.fail_unassign[14150005550] = SinchError("not assigned", status=404, error_code=40400)
    original = client.unassign_number

    def applied_then_404(application_key, number):
        if number == 14150005550:
            client.numbers[number].pop("applicationKey", None)
        return original(application_key, number)

    client.unassign_number = applied_then_404
    result = call(client, [14150005550])
    assert result["removed"] == ["+14150005550"]
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ]


def test_partial_failure_says_what_was_removed_and_changed():
    client = org()
    client.fail_unassign[15040005550] = SinchError("Service is temporarily unavailable", status=503, error_code=50300)
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005550, 15040005550])
    assert "Already removed before this failure: +14150005550" in err.value.describe()
    result = err.value.to_result()
    assert result["changed"] is True and result["removed"] == ["+14150005550"]


def error_500():
    # As the transport raises it: a 5xx may have been applied.
    return SinchError("Internal server error", status=500, error_code=50000, method="DELETE", outcome_unknown=True)


def test_a_removal_applied_then_answered_500_is_a_change_proven_by_a_read():
    client = org()
    client.unassign_error_after[14150005550] = error_500()
    result = call(client, [14150005550, 15040005550])
    assert result["changed"] is True
    assert result["removed"] == ["+14150005550", "+15040005550"]
    assert result["warnings"] == [
        "Sinch answered the removal of +14150005550 from application %s with HTTP 500; the application read right after "
        "no longer lists it, so it was removed." % APP]
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ, ("unassign_number", APP, 15040005550)]
    assert client.assigned(APP) == [14150005551]


def test_a_removal_answered_500_and_not_applied_says_so_after_a_read():
    client = org()
    client.fail_unassign[14150005550] = error_500()
    with pytest.raises(SinchError) as err:
        call(client, [14150005550])
    assert not isinstance(err.value, AfterWriteError)
    assert "Internal server error; the application read right after still lists +14150005550, so it was not removed" in err.value.describe()
    assert client.calls == [READ, ("unassign_number", APP, 14150005550), READ]
    assert client.assigned(APP) == [14150005550, 14150005551, 15040005550]


def test_a_removal_with_unknown_outcome_and_a_failed_read_may_have_changed():
    client = org()
    client.unassign_error_after[14150005550] = error_500()
    client.before["list_application_numbers"] = [lambda: None, _raise(SinchError("no answer", method="GET"))]
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005550])
    text = err.value.describe()
    assert "the read to check whether it was applied failed too" in text
    assert "+14150005550 may have been removed; run the task again to remove the rest." in text
    result = err.value.to_result()
    assert result["changed"] is True and result["removed"] == []


def _raise(err):
    def hook():
        raise err
    return hook
