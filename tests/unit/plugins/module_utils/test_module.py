# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _module
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
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
        self.failed = None
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
        _module.run(module, lambda client: {"changed": False})
    assert module.failed["msg"].startswith("Failed to import the required Python library (requests)")
    assert "exception" in module.failed


def test_sinch_error_becomes_one_failure_with_the_error_details():
    module = FakeModule()

    def logic(client):
        raise SinchError("Invalid number group: 99", status=400, error_code=40003, method="PUT", path="v1/x")

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed["msg"] == ("Could not send PUT v1/x: Sinch answered HTTP 400 errorCode 40003: Invalid number group: 99. "
                                    "Check the number, group or application given.")
    assert module.failed["error"]["error_code"] == 40003


def test_half_credentials_fail_before_any_client_is_built():
    module = FakeModule(password=None)
    with pytest.raises(Failed):
        _module.run(module, lambda client: pytest.fail("logic must not run"))
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
    _module.run(module, lambda client: {"changed": False, "numbers": client.list_numbers()})
    assert module.exited == {"changed": False, "numbers": []}
    assert len(module.warnings) == 1
    assert module.warnings[0].startswith("Sent GET v1/organisations/id/42/numbers (list the rented numbers of "
                                         "organisation 42) again after ")


def test_retry_warnings_reach_the_result_of_a_failure(monkeypatch):
    module = FakeModule(instance_id="i", instance_secret="bRo76GRddEyetgJDTgkLHA==", organisation_id=42, retries=1)
    fake_client(monkeypatch, GATEWAY, GATEWAY)
    with pytest.raises(Failed):
        _module.run(module, lambda client: {"numbers": client.list_numbers()})
    assert module.failed["msg"] == ("Could not list the rented numbers of organisation 42: Sinch answered HTTP 502: "
                                    "Bad Gateway (sent 2 times).")
    assert len(module.warnings) == 1


def test_options_are_parsed_before_main_reads_them():
    module = FakeModule(capability="VOICE", api_url="http://api.example.test")
    _module.check_options(module)
    assert module.params["capability"] == "voice"
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
    from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
    module = FakeModule()

    def logic(client):
        raise InputError("count must be 0 or more (it is -1).")

    with pytest.raises(Failed):
        _module.run(module, logic)
    assert module.failed == {"msg": "count must be 0 or more (it is -1)."}
