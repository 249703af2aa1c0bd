# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_app_numbers: the wanted set, the refusals, and which requests are sent."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._app_numbers import AfterWriteError, normalise_numbers
from ansible_collections.sinch.numbers.plugins.modules.sinch_app_numbers import app_numbers
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.app_fakes import APP, OTHER, FakeClient, rented

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


def call(client, numbers, capability="voice", purge=False, force=False, check_mode=False):
    return app_numbers(client, check_mode, APP, capability, numbers, purge, force)


def test_numbers_are_normalised_deduplicated_and_sorted():
    assert normalise_numbers([14150005551, "+1 415-000-5550", "+14150005551", "0014150005550"]) == [14150005550, 14150005551]


def test_every_bad_number_is_named_before_any_request():
    client = org()
    with pytest.raises(ValueError) as err:
        call(client, ["abc", 14150005552, "12", True])
    text = str(err.value)
    assert "'abc'" in text and "'12'" in text and "True" in text
    assert "nothing was sent" in text
    assert client.calls == []


def test_empty_list_needs_purge():
    client = org()
    with pytest.raises(ValueError) as err:
        call(client, [])
    assert "purge: true" in str(err.value)
    assert client.calls == []


def test_adding_keeps_every_number_of_both_capabilities():
    client = org()
    result = call(client, ["+1 415 000 5552", 14150005552])
    assert result["changed"] is True
    assert result["added"] == ["+14150005552"]
    assert result["removed"] == [] and result["moved"] == []
    # One overwrite with the whole list: the current voice numbers plus the new one.
    assert client.calls == READS + [("set_application_numbers", APP, "voice", [14150005550, 14150005551, 14150005552, 14150005554])]
    assert client.assigned(APP) == [14150005550, 14150005551, 14150005552, 14150005554, 15040005550]
    assert result["diff"] == {"before": "+14150005550\n+14150005551\n+14150005554\n",
                              "after": "+14150005550\n+14150005551\n+14150005552\n+14150005554\n",
                              "before_header": "voice numbers of application %s" % APP,
                              "after_header": "voice numbers of application %s" % APP}
    assert [item["number"] for item in result["numbers"]] == client.assigned(APP)
    assert result["msg"] == "Added +14150005552 to application %s (voice); kept 3." % APP


def test_numbers_already_there_send_no_write():
    client = org()
    result = call(client, [14150005550, "+14150005554"])
    assert result["changed"] is False
    # Every given number is already on the application for voice: nothing to vet, one read.
    assert client.calls == READS[:1]
    assert result["added"] == [] and result["removed"] == []
    assert result["diff"]["before"] == result["diff"]["after"]
    assert "nothing to change" in result["msg"]


def test_purge_leaves_exactly_the_given_numbers_and_says_who_leaves_for_both_capabilities():
    client = org()
    result = call(client, [14150005552], purge=True)
    assert client.writes() == [("set_application_numbers", APP, "voice", [14150005552])]
    assert result["removed"] == ["+14150005550", "+14150005551", "+14150005554"]
    assert result["diff"]["after"].splitlines() == ["+14150005552"]
    # The sms-only number stays; the dual one leaves for sms too (one application per number).
    assert client.assigned(APP) == [14150005552, 15040005550]
    assert "+14150005554 has sms too, so it left the application for sms as well" in result["msg"]
    assert result["msg"].startswith("Added +14150005552 to application %s (voice); removed +14150005550" % APP)


def test_purge_with_the_same_set_is_no_change():
    client = org()
    result = call(client, [15040005550, 14150005554], capability="sms", purge=True)
    assert result["changed"] is False
    assert client.writes() == []


def test_purge_with_an_empty_list_removes_that_capability_only():
    client = org()
    result = call(client, [], capability="sms", purge=True)
    assert client.writes() == [("set_application_numbers", APP, "sms", [])]
    assert result["removed"] == ["+14150005554", "+15040005550"]
    assert result["msg"].startswith("Removed +14150005554, +15040005550 from application %s (sms)" % APP)
    assert client.assigned(APP) == [14150005550, 14150005551]


def test_refusals_name_every_offending_number_at_once_and_write_nothing():
    client = org()
    with pytest.raises(ValueError) as err:
        call(client, [19990000001, 19990000002, 15040005551, 14150005553, 14150005552])
    text = str(err.value)
    assert client.calls == READS
    assert "+19990000001, +19990000002 are not rented by organisation 8888123" in text
    assert "sinch.numbers.sinch_number_rent" in text
    assert "+15040005551 has no voice capability" in text
    assert "+14150005553 is assigned to application %s (use force: true to move it from application %s)" % (OTHER, OTHER) in text
    assert "+14150005552" not in text


def test_a_number_of_another_application_moves_with_force():
    client = org()
    result = call(client, [14150005553], force=True)
    assert result["moved"] == [{"number": "+14150005553", "from_application_key": OTHER}]
    assert result["added"] == ["+14150005553"]
    assert client.assigned(OTHER) == []
    assert "moved +14150005553 from application %s" % OTHER in result["msg"]
    # Once moved, the same task is converged.
    again = call(client, [14150005553], force=True)
    assert again["changed"] is False and again["moved"] == []


def test_check_mode_reads_only_and_predicts_the_real_run():
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


def test_read_back_that_differs_fails_loudly_with_changed():
    client = org()
    client.put_answer = [rented(14150005550, ["voice"], APP)]
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005552])
    text = err.value.describe()
    assert ("lists the application's numbers +14150005550 instead of the expected +14150005550, +14150005551, +14150005552, "
            "+14150005554, +15040005550 (missing: +14150005551, +14150005552, +14150005554, +15040005550; unexpected: none)") in text
    assert "sinch_number_info" in text
    assert err.value.to_result()["changed"] is True


def test_read_back_that_lost_a_number_of_the_other_capability_fails_loudly():
    # Should Sinch replace all of the application's numbers, not those of one capability, the sms
    # number that the voice overwrite dropped must not go unnoticed.
    client = org()
    client.put_answer = [rented(n, ["voice"], APP) for n in (14150005550, 14150005551, 14150005552)] + [
        rented(14150005554, ["voice", "sms"], APP)]
    with pytest.raises(AfterWriteError) as err:
        call(client, [14150005552])
    assert "(missing: +15040005550; unexpected: none)" in err.value.describe()


def test_unknown_application_fails_after_one_read():
    client = org()
    with pytest.raises(Exception) as err:
        app_numbers(client, False, "nope", "voice", [14150005552], False, False)
    assert getattr(err.value, "error_code", None) == 40400
    assert client.calls == [("list_application_numbers", "nope")]


def test_empty_application_key_is_refused_before_any_request():
    client = org()
    with pytest.raises(ValueError):
        app_numbers(client, False, "  ", "voice", [14150005552], False, False)
    assert client.calls == []
