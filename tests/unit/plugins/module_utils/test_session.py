# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._session import Session
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

URLS = {"user_api": ("https://u.test", "user_api_url"), "api": ("https://a.test", "api_url"),
        "portal_api": ("https://p.test", "portal_api_url")}
SECRET = "bRo76GRddEyetgJDTgkLHA=="
EXPIRED = FakeResponse(401, {"errorCode": 40100, "message": "Instance unknown or expired."})
LOGIN = FakeResponse(200, {"authorization": "tok", "user": {}})
INSTANCE = FakeResponse(200, {"id": "new-instance", "secret": SECRET, "expiresIn": 172800})


def session(http, **kwargs):
    return Session(Transport(session=http, sleep=lambda s: None), URLS, **kwargs)


def test_log_in_uses_the_public_key_and_encodes_the_identity():
    http = FakeHTTP(LOGIN, INSTANCE)
    s = session(http, identity="+12055500000", password="pw", identity_type="number")
    s.create_instance()
    login, instance = http.sent
    assert login["url"] == "https://u.test/v1/users/number/%2B12055500000/authentication"
    assert login["headers"]["Authorization"] == "Application 669762D5-2B10-44E0-8418-BC9EE4457555"
    assert instance["headers"]["Authorization"] == "User tok"
    assert b'"version":{"os":' in instance["data"]
    assert s.instance_id == "new-instance" and s.expires_at.endswith("Z")


def test_given_instance_rejected_logs_in_again_once_and_warns():
    http = FakeHTTP(EXPIRED, LOGIN, INSTANCE, FakeResponse(200, {"id": "8888123"}))
    s = session(http, identity="a@example.com", password="pw", instance_id="old", instance_secret=SECRET)
    assert s.organisation_id == 8888123
    assert [r["url"].split("/", 3)[3] for r in http.sent] == ["v1/organisations", "v1/users/email/a@example.com/authentication",
                                                              "v1/instance", "v1/organisations"]
    assert http.sent[3]["headers"]["Authorization"].startswith("Instance new-instance:")
    assert len(s.warnings) == 1


def test_rejected_instance_without_password_fails():
    http = FakeHTTP(EXPIRED)
    s = session(http, instance_id="old", instance_secret=SECRET)
    with pytest.raises(SinchError) as err:
        s.organisation()
    assert err.value.error_code == 40100 and len(http.sent) == 1


def test_fresh_instance_rejected_is_not_retried_in_a_loop():
    http = FakeHTTP(LOGIN, INSTANCE, EXPIRED)
    s = session(http, identity="a@example.com", password="pw")
    with pytest.raises(SinchError):
        s.organisation()
    assert len(http.sent) == 3


def test_given_organisation_id_skips_the_lookup():
    s = session(FakeHTTP(), instance_id="i", instance_secret=SECRET, organisation_id=42)
    assert s.organisation_id == 42


def test_organisation_id_string_becomes_integer_and_is_cached():
    http = FakeHTTP(FakeResponse(200, {"id": "8888123", "name": "Acme"}))
    s = session(http, instance_id="i", instance_secret=SECRET)
    assert s.organisation_id == 8888123 and s.organisation_id == 8888123
    assert len(http.sent) == 1


def test_an_answer_that_is_not_a_list_names_the_request():
    from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
    http = FakeHTTP(FakeResponse(200, {"unexpected": True}))
    client = SinchClient(session(http, instance_id="i", instance_secret=SECRET, organisation_id=42))
    with pytest.raises(SinchError) as err:
        client.list_numbers()
    assert err.value.describe() == ("Could not list the rented numbers of organisation 42: "
                                    "the answer listing rented numbers was not a list.")
    assert err.value.to_result()["error"]["path"] == "v1/organisations/id/42/numbers"


def test_new_log_in_is_warned_only_when_it_worked():
    refused = FakeResponse(401, {"errorCode": 40100, "message": "Invalid identity or password."})
    http = FakeHTTP(EXPIRED, refused)
    s = session(http, identity="a@example.com", password="pw", instance_id="old", instance_secret=SECRET)
    with pytest.raises(SinchError) as err:
        s.organisation()
    assert err.value.hint == "Check email (and identity_type) and password."
    assert s.warnings == []


def test_clock_skew_at_log_in_says_check_the_clock_not_the_password():
    skewed = FakeResponse(401, {"errorCode": 40101, "message": "Invalid timestamp"})
    s = session(FakeHTTP(skewed), identity="a@example.com", password="pw")
    with pytest.raises(SinchError) as err:
        s.create_instance()
    assert err.value.hint.startswith("Check that this host's clock is correct")
    assert "password" not in err.value.describe()


def test_log_in_and_instance_creation_are_retried_with_a_warning_each():
    gateway = FakeResponse(502, raw=b"<html>Bad Gateway</html>", reason="Bad Gateway")
    http = FakeHTTP(gateway, LOGIN, FakeResponse(500, {"errorCode": 50000, "message": "Internal error"}), INSTANCE)
    s = session(http, identity="a@example.com", password="pw")
    s.create_instance()
    assert [r["url"].split("/", 3)[3] for r in http.sent] == ["v1/users/email/a@example.com/authentication"] * 2 + [
        "v1/instance"] * 2
    assert len(s.warnings) == 2
    assert "(log in to Sinch as email a@example.com)" in s.warnings[0] and "HTTP 502 (Bad Gateway)" in s.warnings[0]
    assert "(create a Sinch instance for a@example.com)" in s.warnings[1] and "HTTP 500 errorCode 50000" in s.warnings[1]


def test_the_session_and_its_transport_share_one_warnings_list():
    transport = Transport(session=FakeHTTP(), sleep=lambda s: None)
    s = Session(transport, URLS, instance_id="i", instance_secret=SECRET)
    assert s.warnings is transport.warnings
