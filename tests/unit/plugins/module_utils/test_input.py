# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _input
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError, parse_options

KEY = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"


def refused(**params):
    with pytest.raises(InputError) as err:
        parse_options(params)
    return err.value.message


def test_input_error_is_not_a_value_error():
    # A ValueError from odd API data must never be reported as the user's mistake, and back.
    assert not issubclass(InputError, ValueError)


@pytest.mark.parametrize("key", [KEY, KEY.upper(), "669762D5-2B10-44E0-8418-BC9EE4457555", "0123abcd"])
def test_application_keys_as_sinch_issues_them_pass_unchanged(key):
    params = {"application_key": key}
    assert parse_options(params) == [] and params["application_key"] == key


@pytest.mark.parametrize("key", [
    "../" + KEY, KEY + "/numbers", KEY[:8] + "%2F" + KEY[9:], KEY + "?x=1", KEY + "#x", " " + KEY, KEY + "\n",
    KEY[:8] + " " + KEY[9:], u"bb7b4e39-4227-4913-8c81-2db4abb54fb\u00e9", "-" + KEY, KEY + "-", "bb7b--4e39", "xyz",
    "a" * 65, "..",
])
def test_application_keys_sinch_does_not_issue_are_refused_without_echo(key):
    message = refused(application_key=key)
    assert message == ("application_key is not an application key as Sinch issues it (hex digits and dashes, like "
                       "bb7b4e39-4227-4913-8c81-2db4abb54fb3): copy it from the Sinch dashboard; nothing was sent to Sinch.")


@pytest.mark.parametrize("key", ["", " ", "\t"])
def test_an_empty_application_key_is_refused_never_the_whole_organisation(key):
    assert refused(application_key=key).startswith("application_key is empty:")


def test_an_absent_application_key_stays_absent():
    params = {"application_key": None}
    parse_options(params)
    assert params["application_key"] is None


@pytest.mark.parametrize("name", ["count", "group_id", "retries", "organisation_id", "expiring_within_days",
                                  "min_availability"])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_whole_numbers(name, value):
    assert refused(**{name: value}) == "%s must be a whole number, not true/false (%s)." % (name, str(value).lower())


@pytest.mark.parametrize("given, message", [
    ({"count": -1}, "count must be 0 or more (it is -1)."),
    ({"expiring_within_days": -1}, "expiring_within_days must be 0 or more (it is -1)."),
    ({"expiring_within_days": 3000000}, "expiring_within_days must be 3650 or less (it is 3000000)."),
    ({"retries": 11}, "retries must be 10 or less (it is 11)."),
    ({"retries": -1}, "retries must be 0 or more (it is -1)."),
    ({"group_id": 0}, "group_id must be 1 or more (it is 0)."),
    ({"min_availability": -2}, "min_availability must be 0 or more (it is -2)."),
    ({"organisation_id": 0}, "organisation_id must be 1 or more (it is 0)."),
])
def test_whole_numbers_out_of_bounds(given, message):
    assert refused(**given) == message


@pytest.mark.parametrize("name", ["max_unit_cost", "max_total_cost", "timeout"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_costs_and_timeout_must_be_finite(name, value):
    assert refused(**{name: value}) == "%s must be a finite number (it is %s)." % (name, value)


@pytest.mark.parametrize("given, message", [
    ({"timeout": 0.0}, "timeout must be more than 0 (it is 0.0)."),
    ({"timeout": -1.0}, "timeout must be more than 0 (it is -1.0)."),
    ({"max_unit_cost": -0.5}, "max_unit_cost must be 0 or more (it is -0.5)."),
    ({"max_total_cost": -1.0}, "max_total_cost must be 0 or more (it is -1.0)."),
    ({"max_total_cost": True}, "max_total_cost must be a number, not true/false (true)."),
    ({"lock_timeout": True}, "lock_timeout must be a number, not true/false (true)."),
    ({"lock_timeout": -1}, "lock_timeout must be 0 or more (it is -1)."),
])
def test_numbers_out_of_bounds(given, message):
    assert refused(**given) == message


def test_good_numbers_pass_unchanged():
    params = {"count": 0, "timeout": 0.5, "max_unit_cost": 0.0, "max_total_cost": 10.25, "expiring_within_days": 3650,
              "retries": 10, "group_id": 1}
    expected = dict(params)
    assert parse_options(params) == [] and params == expected


@pytest.mark.parametrize("value, expected", [("voice", "voice"), ("VOICE", "voice"), ("Sms", "sms"), (" sms ", "sms")])
def test_capability_is_case_insensitive(value, expected):
    params = {"capability": value}
    parse_options(params)
    assert params["capability"] == expected


@pytest.mark.parametrize("value", ["fax", "", "voice,sms"])
def test_unknown_capability_is_refused(value):
    assert refused(capability=value) == "capability %r is not one Sinch knows: use voice or sms." % value


@pytest.mark.parametrize("name", ["country_id", "city", "area_code", "currency_id"])
@pytest.mark.parametrize("value", ["", "  "])
def test_empty_selection_texts_never_widen_the_selection(name, value):
    assert refused(**{name: value}).startswith("%s is empty:" % name)


@pytest.mark.parametrize("name", _input.URL_OPTIONS)
@pytest.mark.parametrize("value", ["https://user:s3cret@portalapi.sinch.com", "http://s3cret@127.0.0.1:8080",
                                   "https://:s3cret@portalapi.sinch.com/"])
def test_urls_with_user_info_are_refused_and_never_echoed(name, value):
    message = refused(**{name: value})
    assert message == ("%s holds a user name or password: give the host only (https://host) and the credentials as email "
                       "and password, which are never shown." % name)
    assert "s3cret" not in message and "user" not in message.replace("user name", "").replace("user_api", "")


@pytest.mark.parametrize("value, words", [
    ("ftp://portalapi.sinch.com", "must start with https:// and name a host"),
    ("portalapi.sinch.com", "must start with https:// and name a host"),
    ("https://", "must start with https:// and name a host"),
    ("https://portalapi.sinch.com?x=1", "must not hold a query"),
    ("https://portalapi.sinch.com:notaport", "is not a valid URL"),
])
def test_unusable_urls_are_refused(value, words):
    assert words in refused(portal_api_url=value)


@pytest.mark.parametrize("value", ["http://127.0.0.1:8080", "http://localhost:1234", "http://[::1]:80",
                                   "https://portalapi.sinch.com", "https://10.0.0.5"])
def test_https_and_local_http_give_no_warning(value):
    params = {"portal_api_url": value}
    assert parse_options(params) == [] and params["portal_api_url"] == value


def test_plain_http_to_another_host_is_warned():
    assert parse_options({"api_url": "http://api.example.test"}) == [
        "api_url uses plain http to api.example.test, which is not this machine: the password and the signed requests "
        "cross the network unencrypted. Use https://."]


def test_options_a_module_does_not_take_are_left_alone():
    params = {"numbers": [True, ""], "purge": True}
    assert parse_options(params) == [] and params == {"numbers": [True, ""], "purge": True}


def test_a_refused_url_is_replaced_by_its_host_and_its_user_info_kept_for_masking():
    params = {"portal_api_url": "https://jane:s3cret@portalapi.sinch.com:8443/base"}
    with pytest.raises(InputError) as err:
        parse_options(params)
    assert params["portal_api_url"] == "https://portalapi.sinch.com:8443/base"
    assert err.value.secrets == ["jane", "s3cret"]


@pytest.mark.parametrize("value, scrubbed", [
    ("https://jane:s3cret@portalapi.sinch.com:notaport", "https://portalapi.sinch.com:notaport"),
    ("https://jane:s3cret@portalapi.sinch.com:99999/base", "https://portalapi.sinch.com:99999/base"),
    ("https://jane:s3cret@[::1", "https://[::1"),
])
def test_an_unparseable_url_with_user_info_is_still_scrubbed_and_its_user_info_kept_for_masking(value, scrubbed):
    # The URL cannot be parsed (bad port, broken IPv6 literal): its user info must not stay in the
    # module's arguments, which the failed task's result shows (invocation, -vvv).
    params = {"portal_api_url": value}
    with pytest.raises(InputError) as err:
        parse_options(params)
    assert "s3cret" not in params["portal_api_url"] and "jane" not in params["portal_api_url"]
    assert params["portal_api_url"] == scrubbed
    assert err.value.secrets == ["jane", "s3cret"]
    assert "s3cret" not in err.value.message
