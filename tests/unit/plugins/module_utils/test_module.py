# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner (_module.run): options, the client, and the one place failures are reported (with the journal)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _module
from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, NumbersError, PurchaseError, SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params

from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse


class Failed(Exception):
    pass


class FakeModule(object):
    """Records fail_json/exit_json like AnsibleModule, which exits the process instead."""

    def __init__(self, **params):
        self.params = dict(email="a@example.com", password="hunter2", instance_id=None, instance_secret=None,
                           organisation_id=None, identity_type="email", timeout=30.0, retries=0, validate_certs=True,
                           user_api_url="https://u.test", api_url="https://a.test", portal_api_url="https://p.test")
        self.params.update(params)
        self.check_mode = False
        self.failed = None
        self.exited = None
        self.warnings = []
        self.no_log_values = set()

    def fail_json(self, **kwargs):
        self.failed = kwargs
        raise Failed()

    def exit_json(self, **kwargs):
        self.exited = kwargs

    def warn(self, text):
        self.warnings.append(text)


def test_missing_requests_gives_ansibles_standard_message(monkeypatch):
    monkeypatch.setattr(_module, "REQUESTS_IMPORT_ERROR", "Traceback: No module named 'requests'")
    module = FakeModule()
    with pytest.raises(Failed):
        _module.run(module, lambda client, params, check_mode: {"changed": False})
    assert module.failed["msg"].startswith("Failed to import the required Python library (requests)")
    assert "exception" in module.failed


def test_sinch_error_becomes_one_failure_with_the_error_details():
    module = FakeModule()

    def logic(client, params, check_mode):
        raise SinchError("Invalid number group: 99", status=400, error_code=40003, method="PUT", path="v1/x")

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed["msg"] == ("Could not send PUT v1/x: Sinch answered HTTP 400 errorCode 40003: Invalid number group: 99. "
                                    "Check the number, group or application given.")
    assert module.failed["error"]["error_code"] == 40003
    assert module.failed["changed"] is False and module.failed["writes"] == []
    assert "exception" not in module.failed


def test_half_credentials_fail_before_any_client_is_built():
    module = FakeModule(password=None)
    with pytest.raises(Failed):
        _module.run(module, lambda client, params, check_mode: pytest.fail("logic must not run"))
    assert module.failed == {"msg": "email was given without password: give both, or use an existing instance "
                                    "(instance_id and instance_secret)."}


def fake_client(monkeypatch, *script):
    """run() builds its client from the params; give it one over a scripted HTTP layer, with no waits."""
    def build(params):
        client = client_from_params(params, session=FakeHTTP(*script))
        client.session.transport._sleep = lambda seconds: None
        return client
    monkeypatch.setattr(_module, "client_from_params", build)


GATEWAY = FakeResponse(502, raw=b"<html>Bad Gateway</html>", reason="Bad Gateway")


def test_retry_warnings_reach_the_result_of_a_success(monkeypatch):
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42, retries=3)
    fake_client(monkeypatch, GATEWAY, FakeResponse(200, []))
    _module.run(module, lambda client, params, check_mode: {"changed": False, "numbers": client.list_numbers()})
    assert module.exited == {"changed": False, "numbers": []}
    assert len(module.warnings) == 1
    assert module.warnings[0].startswith("Sent GET v1/organisations/id/42/numbers (list the rented numbers of "
                                         "organisation 42) again after ")


def test_retry_warnings_reach_the_result_of_a_failure(monkeypatch):
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42, retries=1)
    fake_client(monkeypatch, GATEWAY, GATEWAY)
    with pytest.raises(Failed):
        _module.run(module, lambda client, params, check_mode: {"numbers": client.list_numbers()})
    assert module.failed["msg"] == ("Could not list the rented numbers of organisation 42: Sinch answered HTTP 502: "
                                    "Bad Gateway (sent 2 times).")
    assert len(module.warnings) == 1


def test_options_are_parsed_before_main_reads_them():
    module = FakeModule(capability="VOICE", api_url="http://api.example.test")
    _module.check_options(module)
    assert module.sinch_params["capability"] == "voice"
    assert module.warnings == ["api_url uses plain http to api.example.test, which is not this machine: the password "
                               "and the signed requests cross the network unencrypted. Use https://."]


def test_a_url_with_user_info_fails_and_is_masked_in_the_result():
    module = FakeModule(portal_api_url="https://jane:s3cret@p.test")
    with pytest.raises(Failed):
        _module.check_options(module)
    assert module.failed == {"msg": "portal_api_url holds a user name or password: give the host only (https://host) "
                                    "and the credentials as email and password, which are never shown."}
    assert module.params["portal_api_url"] == "https://p.test"
    assert module.no_log_values == {"jane", "s3cret"}


def test_input_error_from_module_logic_is_one_failure():
    module = FakeModule()

    def logic(client, params, check_mode):
        raise InputError("count must be 0 or more (it is -1).")

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed == {"msg": "count must be 0 or more (it is -1).", "changed": False, "writes": []}


def test_the_logic_gets_the_parsed_params_and_check_mode():
    module = FakeModule(organisation_id=42)
    module.check_mode = True
    seen = []
    _module.run(module, lambda client, params, check_mode: seen.append((params["organisation_id"], check_mode)) or {})
    assert seen == [(42, True)]


def test_a_bug_keeps_its_traceback_and_says_nothing_was_written_when_nothing_was():
    module = FakeModule()

    def logic(client, params, check_mode):
        return {}["groupId"]

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed["msg"] == ("sinch.numbers failed with an internal error (KeyError: 'groupId'); this is a bug, "
                                    "please report it with the traceback.")
    assert module.failed["changed"] is False and module.failed["writes"] == []
    assert module.failed["exception"].startswith("Traceback") and "KeyError: 'groupId'" in module.failed["exception"]


APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"


@pytest.mark.parametrize("error", [ValueError("a bug"), KeyError("a bug"), NumbersError("refused"),
                                   PurchaseError("stopped", changed=False)], ids=["ValueError", "KeyError",
                                                                                  "NumbersError", "PurchaseError"])
def test_whatever_raises_after_a_write_the_failure_says_changed_and_what_was_written(monkeypatch, error):
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42)
    fake_client(monkeypatch, FakeResponse(200, [{"number": 14150005550, "capabilities": ["voice"], "applicationKey": APP}]))

    def logic(client, params, check_mode):
        client.set_application_numbers(APP, "voice", [14150005550])
        raise error

    with pytest.raises(Failed):
        _module.run(module, logic)
    failed = module.failed
    assert failed["changed"] is True
    assert failed["msg"].endswith("Before it failed, this task set the voice numbers of application %s to +14150005550."
                                  % APP)
    assert failed["writes"] == [{"kind": "overwrite", "status": "applied", "application_key": APP, "capability": "voice",
                                 "numbers": ["+14150005550"]}]
    assert ("exception" in failed) is (not isinstance(error, NumbersError))


def test_a_write_whose_answer_was_lost_is_a_change_that_may_have_been_applied(monkeypatch):
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42)
    fake_client(monkeypatch, requests_error())

    def logic(client, params, check_mode):
        client.checkout("ref-7", group_id=13, quantity=2, unit_cost=None, currency_id="USD")

    with pytest.raises(Failed):
        _module.run(module, logic)
    failed = module.failed
    assert failed["changed"] is True
    assert "Before it failed, this task may have bought 2 numbers of group 13 for an unknown amount a month " \
           "(reservation ref-7)." in failed["msg"]
    assert [(write["kind"], write["reference_id"], write["status"]) for write in failed["writes"]] == [
        ("checkout", "ref-7", "unknown")]
    assert failed["error"]["outcome_unknown"] is True


def requests_error():
    import requests
    return requests.exceptions.ReadTimeout("read timed out")


def test_the_partial_result_comes_with_a_failure_and_a_broken_one_is_left_out(monkeypatch):
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42)
    fake_client(monkeypatch, FakeResponse(204), FakeResponse(204))

    def logic(client, params, check_mode):
        client.unassign_number(APP, 14150005550)
        client.journal.partial = lambda: {"removed": ["+14150005550"], "msg": "not this one"}
        raise NumbersError("The second removal failed")

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed["removed"] == ["+14150005550"]
    assert module.failed["msg"] == ("The second removal failed. Before it failed, this task took +14150005550 off "
                                    "application %s." % APP)

    broken = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42)

    def buggy(client, params, check_mode):
        client.unassign_number(APP, 14150005550)
        client.journal.partial = lambda: {}["numbers"]
        raise ValueError("a bug")

    with pytest.raises(Failed):
        _module.run(broken, buggy)
    assert broken.failed["changed"] is True
    assert "took +14150005550 off application %s" % APP in broken.failed["msg"]


def test_a_failure_names_the_reservations_held_but_they_are_no_change():
    module = FakeModule()

    def logic(client, params, check_mode):
        client.journal.reserved("ref-1", 13, 2)
        raise PurchaseError("Renting stopped while reserving", changed=False)

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed["changed"] is False and module.failed["writes"] == []
    assert module.failed["msg"] == ("Renting stopped while reserving. Reservation ref-1 is held (they expire on their "
                                    "own, since Sinch offers no way to cancel a reservation).")


def test_a_result_ansible_cannot_take_after_a_write_is_a_failure_that_says_what_was_written(monkeypatch):
    from decimal import Decimal
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42)
    fake_client(monkeypatch, FakeResponse(204))

    def logic(client, params, check_mode):
        client.unassign_number(APP, 14150005550)
        return {"changed": True, "cost": Decimal("2.00")}

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.exited is None
    assert module.failed["changed"] is True and "exception" in module.failed
    assert "took +14150005550 off application %s" % APP in module.failed["msg"]
