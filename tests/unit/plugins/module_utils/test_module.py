# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _module
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError


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
