# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_app_numbers: the wanted set, the refusals, which requests are sent, the lock, and honest failures."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import app_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, PlanError, SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
from ansible_collections.sinch.numbers.plugins.modules.sinch_app_numbers import ARGUMENT_SPEC
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.app_fakes import APP, ORG, OTHER, FakeClient, rented
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import module_params, run_module

READS = [("list_application_numbers", APP), ("list_numbers",)]


def org():
    """Two voice numbers on APP, one sms number on APP, a free voice number, one on OTHER, one sms-only free,
    one with both capabilities on APP."""
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
    """The module's params, parsed as the module parses them, with the lock in the test's directory."""
    def build(numbers, capability="voice", purge=False, force=False, application_key=APP, **values):
        values.setdefault("lock_path", str(tmp_path))
        return module_params(ARGUMENT_SPEC, application_key=application_key, capability=capability, numbers=numbers,
                             purge=purge, force=force, **values)
    return build


@pytest.fixture
def call(params):
    def run(client, numbers, check_mode=False, **values):
        return app_numbers(client, params(numbers, **values), check_mode)
    return run


def test_numbers_are_normalised_and_deduplicated(call):
    client = org()
    result = call(client, [14150005552, "+1 415-000-5552", "+14150005552", "0014150005552"])
    assert result["added"] == ["+14150005552"]
    wanted = [14150005550, 14150005551, 14150005552, 14150005554]
    assert client.writes() == [("set_application_numbers", APP, "voice", wanted)]


def test_every_bad_number_is_named_before_any_request(call):
    client = org()
    with pytest.raises(InputError) as err:
        call(client, ["abc", 14150005552, "12", True])
    text = err.value.describe()
    assert "'abc'" in text and "'12'" in text and "True" in text
    assert "nothing was sent" in text
    assert client.calls == []


def test_empty_list_needs_purge(call):
    client = org()
    with pytest.raises(InputError) as err:
        call(client, [])
    assert "purge: true" in err.value.describe()
    assert client.calls == []


@pytest.mark.parametrize("key", ["  ", "nope", "../organisations/1"])
def test_an_application_key_sinch_never_issues_is_refused_before_any_request(params, key):
    with pytest.raises(InputError) as err:
        params([14150005552], application_key=key)
    assert "application_key" in err.value.describe()


def test_adding_keeps_every_number_of_both_capabilities(call):
    client = org()
    result = call(client, ["+1 415 000 5552", 14150005552])
    assert result["changed"] is True
    assert result["added"] == ["+14150005552"]
    assert result["removed"] == [] and result["moved"] == []
    # One overwrite with the whole list: the current voice numbers plus the new one.
    wanted = [14150005550, 14150005551, 14150005552, 14150005554]
    # +14150005552 looks free: the other application the rented numbers name is read, to be sure it does not list it.
    assert client.calls == READS + [("list_application_numbers", OTHER), ("set_application_numbers", APP, "voice", wanted)]
    assert client.assigned(APP) == [14150005550, 14150005551, 14150005552, 14150005554, 15040005550]
    assert result["diff"] == {"before": "+14150005550\n+14150005551\n+14150005554\n",
                              "after": "+14150005550\n+14150005551\n+14150005552\n+14150005554\n",
                              "before_header": "voice numbers of application %s" % APP,
                              "after_header": "voice numbers of application %s" % APP}
    assert [item["number"] for item in result["numbers"]] == client.assigned(APP)
    assert result["msg"] == "Added +14150005552 to application %s (voice); kept 3." % APP


def test_numbers_already_there_send_no_write(call):
    client = org()
    result = call(client, [14150005550, "+14150005554"])
    assert result["changed"] is False
    # Every given number is already on the application for voice: nothing to vet, one read.
    assert client.calls == READS[:1]
    assert result["added"] == [] and result["removed"] == []
    assert result["diff"]["before"] == result["diff"]["after"]
    assert "nothing to change" in result["msg"]


def test_purge_leaves_exactly_the_given_numbers_and_says_who_leaves_for_both_capabilities(call):
    client = org()
    result = call(client, [14150005552], purge=True)
    assert client.writes() == [("set_application_numbers", APP, "voice", [14150005552])]
    assert result["removed"] == ["+14150005550", "+14150005551", "+14150005554"]
    assert result["diff"]["after"].splitlines() == ["+14150005552"]
    # The sms-only number stays; the dual one leaves for sms too (one application per number).
    assert client.assigned(APP) == [14150005552, 15040005550]
    assert "+14150005554 has sms too, so it left the application for sms as well" in result["msg"]
    assert result["msg"].startswith("Added +14150005552 to application %s (voice); removed +14150005550" % APP)


def test_purge_with_the_same_set_is_no_change(call):
    client = org()
    result = call(client, [15040005550, 14150005554], capability="sms", purge=True)
    assert result["changed"] is False
    assert client.writes() == []


def test_purge_with_an_empty_list_removes_that_capability_only(call):
    client = org()
    result = call(client, [], capability="sms", purge=True)
    assert client.writes() == [("set_application_numbers", APP, "sms", [])]
    assert result["removed"] == ["+14150005554", "+15040005550"]
    assert result["msg"].startswith("Removed +14150005554, +15040005550 from application %s (sms)" % APP)
    assert client.assigned(APP) == [14150005550, 14150005551]


def test_refusals_name_every_offending_number_at_once_and_write_nothing(call):
    client = org()
    with pytest.raises(PlanError) as err:
        call(client, [19990000001, 19990000002, 15040005551, 14150005553, 14150005552])
    text = err.value.describe()
    assert client.calls == READS
    assert "+19990000001, +19990000002 are not rented by organisation %d" % ORG in text
    assert "sinch.numbers.sinch_number_rent" in text
    assert "+15040005551 has no voice capability" in text
    assert "+14150005553 is assigned to application %s (use force: true to move it from application %s)" % (OTHER, OTHER) in text
    assert "+14150005552" not in text


def test_a_number_of_another_application_moves_with_force(call):
    client = org()
    result = call(client, [14150005553], force=True)
    assert result["moved"] == [{"number": "+14150005553", "from_application_key": OTHER}]
    assert result["added"] == ["+14150005553"]
    assert client.assigned(OTHER) == []
    assert "moved +14150005553 from application %s" % OTHER in result["msg"]
    # Once moved, the same task is converged.
    again = call(client, [14150005553], force=True)
    assert again["changed"] is False and again["moved"] == []


def test_check_mode_reads_only_and_predicts_the_real_run(call):
    predicted = call(org(), [14150005553, 14150005552], purge=True, force=True, check_mode=True)
    client = org()
    real = call(client, [14150005553, 14150005552], purge=True, force=True)
    check = org()
    call(check, [14150005553], force=True, check_mode=True)
    assert check.calls == READS
    for key in ("changed", "added", "removed", "moved", "diff", "numbers"):
        assert predicted[key] == real[key], key
    assert predicted["msg"].startswith("Would add")
    assert "would remove" in predicted["msg"] and "would move" in predicted["msg"]


def test_unknown_application_fails_after_one_read(call):
    client = org()
    with pytest.raises(SinchError) as err:
        call(client, [14150005552], application_key="cccccccc-0000-4000-8000-000000000003")
    assert err.value.error_code == 40400
    assert client.calls == [("list_application_numbers", "cccccccc-0000-4000-8000-000000000003")]


# --- failures after the write, as the user sees them -------------------------------------------------

def test_read_back_that_differs_fails_loudly_with_changed_and_says_what_was_written(params):
    client = org()
    client.put_answer = [rented(14150005550, ["voice"], APP)]
    result = run_module(app_numbers, client, params([14150005552])).failed
    assert ("lists the application's numbers +14150005550 instead of the expected +14150005550, +14150005551, "
            "+14150005552, +14150005554, +15040005550 (missing: +14150005551, +14150005552, +14150005554, "
            "+15040005550; unexpected: none)") in result["msg"]
    assert "sinch_number_info" in result["msg"]
    assert result["changed"] is True
    assert ("Before it failed, this task set the voice numbers of application %s to +14150005550, +14150005551, "
            "+14150005552, +14150005554." % APP) in result["msg"]
    assert [(write["kind"], write["status"], write["numbers"]) for write in result["writes"]] == [
        ("overwrite", "applied", ["+14150005550", "+14150005551", "+14150005552", "+14150005554"])]


def test_read_back_that_lost_a_number_of_the_other_capability_fails_loudly(params):
    # Should Sinch replace all of the application's numbers, not those of one capability, the sms
    # number that the voice overwrite dropped must not go unnoticed.
    client = org()
    client.put_answer = [rented(n, ["voice"], APP) for n in (14150005550, 14150005551, 14150005552)] + [
        rented(14150005554, ["voice", "sms"], APP)]
    result = run_module(app_numbers, client, params([14150005552])).failed
    assert "(missing: +15040005550; unexpected: none)" in result["msg"]
    assert result["changed"] is True


def test_a_refused_overwrite_is_no_change(params):
    client = org()
    client.before["set_application_numbers"] = [_raise(SinchError("bad", status=400, error_code=40001, method="PUT"))]
    result = run_module(app_numbers, client, params([14150005552])).failed
    assert result["changed"] is False and result["writes"] == []
    assert result["error"]["error_code"] == 40001


def _raise(err):
    def hook():
        raise err
    return hook


# --- the organisation lock ------------------------------------------------------------------------

def test_a_write_waits_for_the_organisation_lock_and_writes_nothing_when_it_is_held_too_long(params, tmp_path):
    client = org()
    with OrganisationLock(ORG, directory=str(tmp_path)):
        result = run_module(app_numbers, client, params([14150005552], lock_timeout=0.3)).failed
    assert client.writes() == []
    assert result["changed"] is False
    assert result["msg"].startswith("Another run kept writing for organisation %d on this machine" % ORG)


def test_a_converged_run_and_check_mode_do_not_need_the_lock(call, tmp_path):
    with OrganisationLock(ORG, directory=str(tmp_path)):
        assert call(org(), [14150005550], lock_timeout=0)["changed"] is False
        assert call(org(), [14150005552], lock_timeout=0, check_mode=True)["changed"] is True


def test_a_converged_purge_is_cross_checked_without_the_lock(call, tmp_path):
    client = org()
    with OrganisationLock(ORG, directory=str(tmp_path)):
        result = call(client, [14150005550, 14150005551, 14150005554], purge=True, lock_timeout=0)
    assert result["changed"] is False
    assert client.calls == READS
