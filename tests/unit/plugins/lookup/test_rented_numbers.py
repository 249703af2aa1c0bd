# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rented_numbers lookup: requests sent, filters, records, one log-in per process, options checked before any
request, errors without secrets."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import sys

import pytest

from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader

from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
ORG = 8888123
SECRET = "bRo76GRddEyetgJDTgkLHA=="
NEW_SECRET = "c2Vjb25kLXNlY3JldC0xMjM="
PASSWORD = "correct-horse-battery-staple"
URLS = dict(user_api_url="https://u.test", api_url="https://a.test", portal_api_url="https://p.test")
INSTANCE = dict(instance_id="inst-1", instance_secret=SECRET, organisation_id=ORG, **URLS)
LOGIN = dict(email="address@example.com", password=PASSWORD, organisation_id=ORG, **URLS)


def raw(number, group_id=13, country_id="US", capabilities=("voice",), application_key=None):
    item = {"number": number, "groupId": group_id, "countryId": country_id, "country": country_id, "city": "X",
            "areaCode": "415", "capabilities": list(capabilities), "expires": "2030-01-01T00:00:00+00:00",
            "cost": {"amount": 1.0, "currencyId": "USD"}}
    if application_key:
        item["applicationKey"] = application_key
    return item


NUMBERS = [raw(14150005551, application_key=APP), raw(33170000000, 1, "FR"), raw(14150005550),
           raw(15045550000, 75, capabilities=("sms",), application_key=APP)]


def ok(data):
    return FakeResponse(200, data)


def logged_in():
    return [ok({"authorization": "user-token-123", "user": {}}),
            ok({"id": "inst-9", "secret": NEW_SECRET, "expiresIn": 172800})]


@pytest.fixture
def lookup(monkeypatch):
    """The lookup as Ansible loads it, over a scripted HTTP session; ``http.sent`` records the requests."""
    for name in ("SINCH_EMAIL", "SINCH_PASSWORD", "SINCH_INSTANCE_ID", "SINCH_INSTANCE_SECRET", "SINCH_ORGANISATION_ID",
                 "SINCH_USER_API_URL", "SINCH_API_URL", "SINCH_PORTAL_API_URL", "SINCH_CA_PATH"):
        monkeypatch.delenv(name, raising=False)
    plugin = lookup_loader.get("sinch.numbers.rented_numbers")
    module = sys.modules[type(plugin).__module__]
    monkeypatch.setattr(module, "_CLIENTS", {})
    http = FakeHTTP()
    monkeypatch.setattr(module, "client_from_params", lambda params: client_from_params(params, session=http))
    warnings = []
    monkeypatch.setattr(module.display, "warning", warnings.append)
    plugin.http, plugin.warnings = http, warnings
    return plugin


def sent(http):
    return [(request["method"], request["url"]) for request in http.sent]


def test_given_an_instance_one_read_and_e164_strings_sorted(lookup):
    lookup.http.script = [ok(NUMBERS)]
    assert lookup.run([], {}, **INSTANCE) == ["+14150005550", "+14150005551", "+15045550000", "+33170000000"]
    assert sent(lookup.http) == [("GET", "https://p.test/v1/organisations/id/%d/numbers" % ORG)]
    assert lookup.http.sent[0]["headers"]["Authorization"].startswith("Instance inst-1:")


def test_records_are_the_number_info_records(lookup):
    lookup.http.script = [ok(NUMBERS)]
    records = lookup.run([], {}, records=True, country_id="fr", **INSTANCE)
    assert records == [{
        "number": 33170000000, "e164": "+33170000000", "group_id": 1, "capabilities": ["voice"], "application_key": None,
        "country_id": "FR", "city": "X", "country": "FR", "area_code": "415", "expires": "2030-01-01T00:00:00+00:00",
        "cost": {"amount": "1.00", "currency_id": "USD"}}]


@pytest.mark.parametrize("filters, expected", [
    ({"capability": "SMS"}, ["+15045550000"]),
    ({"capability": "voice", "assigned": True}, ["+14150005551"]),
    ({"assigned": False}, ["+14150005550", "+33170000000"]),
    ({"group_id": 13}, ["+14150005550", "+14150005551"]),
    ({"country_id": "US", "group_id": 75}, ["+15045550000"]),
    ({"expiring_within_days": 0}, []),
])
def test_filters_like_sinch_number_info(lookup, filters, expected):
    lookup.http.script = [ok(NUMBERS)]
    kwargs = dict(INSTANCE)
    kwargs.update(filters)
    assert lookup.run([], {}, **kwargs) == expected


def test_application_numbers_from_the_application_endpoint_without_organisation(lookup):
    lookup.http.script = [ok([item for item in NUMBERS if item.get("applicationKey") == APP])]
    kwargs = dict(INSTANCE, organisation_id=None)
    assert lookup.run([], {}, application_key=APP, capability="voice", **kwargs) == ["+14150005551"]
    assert sent(lookup.http) == [("GET", "https://p.test/v1/applications/key/%s/numbers" % APP)]


def test_without_organisation_id_it_is_looked_up_once_per_process(lookup):
    lookup.http.script = [ok({"id": str(ORG)}), ok(NUMBERS), ok(NUMBERS)]
    kwargs = dict(INSTANCE, organisation_id=None)
    lookup.run([], {}, **kwargs)
    lookup.run([], {}, capability="sms", **kwargs)
    assert [url for method, url in sent(lookup.http)] == [
        "https://a.test/v1/organisations", "https://p.test/v1/organisations/id/%d/numbers" % ORG,
        "https://p.test/v1/organisations/id/%d/numbers" % ORG]


def test_email_and_password_log_in_once_for_every_lookup_of_the_process(lookup):
    lookup.http.script = logged_in() + [ok(NUMBERS), ok(NUMBERS)]
    assert lookup.run([], {}, capability="sms", **LOGIN) == ["+15045550000"]
    assert lookup.run([], {}, assigned=False, **LOGIN) == ["+14150005550", "+33170000000"]
    assert [method for method, url in sent(lookup.http)] == ["POST", "POST", "GET", "GET"]
    assert lookup.http.sent[3]["headers"]["Authorization"].startswith("Instance inst-9:")


def test_other_credentials_log_in_on_their_own(lookup):
    lookup.http.script = logged_in() + [ok(NUMBERS)] + logged_in() + [ok(NUMBERS)]
    lookup.run([], {}, **LOGIN)
    lookup.run([], {}, **dict(LOGIN, password="another-password-456"))
    assert [method for method, url in sent(lookup.http)] == ["POST", "POST", "GET", "POST", "POST", "GET"]
    assert b"another-password-456" in lookup.http.sent[3]["data"]


def test_a_forked_process_does_not_reuse_the_parent_s_client(lookup, monkeypatch):
    module = sys.modules[type(lookup).__module__]
    lookup.http.script = logged_in() + [ok(NUMBERS)] + logged_in() + [ok(NUMBERS)]
    lookup.run([], {}, **LOGIN)
    monkeypatch.setattr(module.os, "getpid", lambda: -1)
    lookup.run([], {}, **LOGIN)
    assert [method for method, url in sent(lookup.http)] == ["POST", "POST", "GET", "POST", "POST", "GET"]


def test_credentials_from_the_environment(lookup, monkeypatch):
    monkeypatch.setenv("SINCH_INSTANCE_ID", "inst-env")
    monkeypatch.setenv("SINCH_INSTANCE_SECRET", SECRET)
    monkeypatch.setenv("SINCH_ORGANISATION_ID", str(ORG))
    monkeypatch.setenv("SINCH_PORTAL_API_URL", "https://portal.env.test")
    lookup.http.script = [ok(NUMBERS)]
    assert lookup.run([], {}, group_id=1) == ["+33170000000"]
    assert sent(lookup.http) == [("GET", "https://portal.env.test/v1/organisations/id/%d/numbers" % ORG)]
    assert lookup.http.sent[0]["headers"]["Authorization"].startswith("Instance inst-env:")


def test_an_empty_environment_variable_counts_as_unset(lookup, monkeypatch):
    # As for the modules: empty SINCH_* variables are not values (an empty SINCH_CA_PATH is not the current directory,
    # an empty SINCH_ORGANISATION_ID is not a bad organisation, an empty host URL is the real host).
    for name in ("SINCH_CA_PATH", "SINCH_ORGANISATION_ID", "SINCH_EMAIL", "SINCH_PASSWORD"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("SINCH_API_URL", "")
    module = sys.modules[type(lookup).__module__]
    lookup.http.script = [ok({"id": ORG}), ok(NUMBERS)]
    kwargs = dict(INSTANCE)
    del kwargs["organisation_id"]
    del kwargs["api_url"]
    assert len(lookup.run([], {}, **kwargs)) == 4
    transport = list(module._CLIENTS.values())[0].session.transport
    assert transport.ca_path is None
    assert [url for method, url in sent(lookup.http)][0].startswith("https://api.sinch.com/")


@pytest.mark.parametrize("given", [dict(ca_path=""), dict(ca_path="  ")])
def test_an_empty_ca_path_is_refused_before_any_request(lookup, given):
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **dict(INSTANCE, **given))
    assert str(caught.value) == ("ca_path is empty: give the PEM file of the CA that signs the Sinch hosts' certificates (or "
                                 "of your TLS-inspecting proxy), or leave it out. Nothing was sent to Sinch.")
    assert lookup.http.sent == []


def test_a_blank_sinch_ca_path_is_refused_before_any_request(lookup, monkeypatch):
    monkeypatch.setenv("SINCH_CA_PATH", " ")
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **INSTANCE)
    assert str(caught.value).startswith("ca_path is empty: ")
    assert lookup.http.sent == []


def test_a_rejected_instance_logs_in_again_once_with_a_warning(lookup):
    expired = FakeResponse(401, {"errorCode": 40100, "message": "Instance unknown or expired."})
    lookup.http.script = [expired] + logged_in() + [ok(NUMBERS)]
    kwargs = dict(INSTANCE, email="address@example.com", password=PASSWORD)
    assert len(lookup.run([], {}, **kwargs)) == 4
    assert lookup.warnings == ["Sinch rejected the given instance (expired or unknown); logged in again as address@example.com."]


def test_sinch_error_is_one_sentence_without_secrets(lookup):
    lookup.http.script = [FakeResponse(401, {"errorCode": 40100, "message": "Wrong credentials."})]
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **LOGIN)
    message = str(caught.value)
    assert message == ("Could not log in to Sinch as email address@example.com: Sinch answered HTTP 401 errorCode 40100: "
                       "Wrong credentials. Check email (and identity_type) and password.")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_failure_after_log_in_shows_no_secret_or_token(lookup):
    lookup.http.script = logged_in() + [FakeResponse(403, {"errorCode": 40300, "message": "Forbidden."})]
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **LOGIN)
    message = str(caught.value)
    assert message.startswith("Could not list the rented numbers of organisation %d: Sinch answered HTTP 403" % ORG)
    for secret in (PASSWORD, NEW_SECRET, "user-token-123"):
        assert secret not in message


@pytest.mark.parametrize("kwargs, message", [
    (dict(capability="fax"), "capability 'fax' is not one Sinch knows: use voice or sms."),
    (dict(expiring_within_days=-1), "expiring_within_days must be 0 or more (it is -1)."),
])
def test_bad_filter_fails_before_any_request(lookup, kwargs, message):
    with pytest.raises(AnsibleLookupError, match=r"^%s$" % message.replace("(", r"\(").replace(")", r"\)")):
        lookup.run([], {}, **dict(INSTANCE, **kwargs))
    assert lookup.http.sent == []


@pytest.mark.parametrize("kwargs, start", [
    ({}, "No Sinch credentials were given: set email and password, or instance_id and instance_secret (as options of "
         "the lookup, or as SINCH_* environment variables of the controller)."),
    (dict(email="address@example.com"), "email was given without password"),
    (dict(instance_id="inst-1"), "instance_id was given without instance_secret"),
])
def test_missing_credentials_fail_before_any_request(lookup, kwargs, start):
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **kwargs)
    assert str(caught.value).startswith(start)
    assert lookup.http.sent == []


def test_terms_are_refused(lookup):
    with pytest.raises(AnsibleLookupError, match="takes no terms, but was given 1"):
        lookup.run([APP], {}, **INSTANCE)
    assert lookup.http.sent == []


@pytest.mark.parametrize("kwargs, names", [
    (dict(application_key=""), "application_key"),
    (dict(application_key="../organisations/1"), "application_key"),
    (dict(application_key="abc%2Fdef"), "application_key"),
    (dict(api_url="https://user:hunter2@api.example.com"), "api_url"),
])
def test_option_refused_like_the_modules_before_any_request(lookup, kwargs, names):
    """The lookup checks its options with the modules' parser: nothing is sent, user info is never echoed."""
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **dict(INSTANCE, **kwargs))
    message = str(caught.value)
    assert names in message
    assert "hunter2" not in message and "user:" not in message
    assert lookup.http.sent == []


def test_unknown_options_are_refused_before_any_request(lookup):
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, capabilty="voice", group=13, **INSTANCE)
    message = str(caught.value)
    assert message.startswith("The sinch.numbers.rented_numbers lookup has no option capabilty, group: its options are ")
    assert "capability" in message and message.endswith("Nothing was sent to Sinch.")
    assert lookup.http.sent == []


@pytest.mark.parametrize("name, value, kind", [
    ("assigned", "false", "the text 'false'"),
    ("assigned", 1, "an int"),
    ("assigned", "no", "the text 'no'"),
    ("records", "yes", "the text 'yes'"),
    ("records", 0, "an int"),
    ("use_proxy", "no", "the text 'no'"),
    ("validate_certs", "false", "the text 'false'"),
])
def test_a_boolean_option_given_something_else_is_refused_before_any_request(lookup, name, value, kind):
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **dict(INSTANCE, **{name: value}))
    assert str(caught.value) == "%s must be true or false, not %s. Nothing was sent to Sinch." % (name, kind)
    assert lookup.http.sent == []


@pytest.mark.parametrize("kwargs, start", [
    (dict(timeout=True), "timeout must be a number of seconds, not true/false (true)."),
    (dict(expiring_within_days=True), "expiring_within_days must be a whole number, not true/false (true)."),
    (dict(group_id=False), "group_id must be a whole number, not true/false (false)."),
    (dict(retries=True), "retries must be a whole number, not true/false (true)."),
    (dict(max_retry_wait=True), "max_retry_wait must be a number of seconds, not true/false (true)."),
    (dict(max_retry_wait=0), "max_retry_wait must be more than 0 seconds (it is 0)."),
    (dict(ca_path="/nonexistent/proxy-ca.pem"), "ca_path /nonexistent/proxy-ca.pem does not exist on the host this runs on"),
    (dict(expiring_within_days=3651), "expiring_within_days must be 3650 or less (it is 3651)."),
])
def test_numbers_given_booleans_or_out_of_bounds_are_refused_before_any_request(lookup, kwargs, start):
    with pytest.raises(AnsibleLookupError) as caught:
        lookup.run([], {}, **dict(INSTANCE, **kwargs))
    assert str(caught.value).startswith(start)
    assert lookup.http.sent == []


def test_real_booleans_are_taken(lookup):
    lookup.http.script = [ok(NUMBERS)]
    records = lookup.run([], {}, assigned=False, records=True, **INSTANCE)
    assert [item["e164"] for item in records] == ["+14150005550", "+33170000000"]


def test_numbers_listed_with_unreadable_fields_come_with_a_warning(lookup):
    odd = dict(raw(14150005559), capabilities=None)
    lookup.http.script = [ok(NUMBERS + [odd])]
    assert lookup.run([], {}, capability="voice", **INSTANCE) == ["+14150005550", "+14150005551", "+33170000000"]
    assert lookup.warnings == ["Sinch listed 1 of 5 numbers with fields that cannot be read (capabilities on "
                               "+14150005559): they are returned with null there, and a filter on such a field leaves "
                               "them out."]


def test_the_network_options_reach_the_client_as_for_the_modules(lookup, monkeypatch, tmp_path):
    from ansible_collections.sinch.numbers.tests.emulator.make_test_certs import make_certs
    ca = make_certs(str(tmp_path))["ca"]
    module = sys.modules[type(lookup).__module__]
    lookup.http.script = [ok(NUMBERS), ok(NUMBERS)]
    lookup.run([], {}, ca_path=ca, use_proxy=False, max_retry_wait=7.5, **INSTANCE)
    monkeypatch.setenv("SINCH_CA_PATH", ca)
    lookup.run([], {}, **INSTANCE)
    transports = sorted((client.session.transport for client in module._CLIENTS.values()), key=lambda t: t.use_proxy)
    assert [(t.verify, t.use_proxy, t.max_wait) for t in transports] == [(ca, False, 7.5), (ca, True, 60.0)]
