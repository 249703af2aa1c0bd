# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

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
    "../" + KEY, KEY + "/numbers", KEY[:8] + "%2F" + KEY[9:], KEY + "?x=1", KEY + "#x",
    KEY[:8] + " " + KEY[9:], u"bb7b4e39-4227-4913-8c81-2db4abb54fb\u00e9", "-" + KEY, KEY + "-", "bb7b--4e39", "xyz",
    "a" * 65, "..",
])
def test_application_keys_sinch_does_not_issue_are_refused_without_echo(key):
    message = refused(application_key=key)
    assert message.startswith("application_key is not an application key as Sinch issues it")
    assert "copy it from the Sinch dashboard" in message and "nothing was sent to Sinch" in message
    assert key.strip() not in message


@pytest.mark.parametrize("key", [" " + KEY, KEY + "\n", "\t%s " % KEY])
def test_spaces_around_an_application_key_are_trimmed(key):
    params = {"application_key": key}
    parse_options(params)
    assert params["application_key"] == KEY


@pytest.mark.parametrize("key", ["", " ", "\t"])
def test_an_empty_application_key_is_refused_never_the_whole_organisation(key):
    assert refused(application_key=key).startswith("application_key is empty:")


def test_an_absent_application_key_stays_absent():
    params = {"application_key": None}
    parse_options(params)
    assert params["application_key"] is None


@pytest.mark.parametrize("name", ["count", "group_id", "retries", "organisation_id", "expiring_within_days",
                                  "expiry_warning_days", "min_availability"])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_whole_numbers(name, value):
    message = refused(**{name: value})
    assert message.startswith("%s must be a whole number" % name) and "true/false (%s)" % str(value).lower() in message


@pytest.mark.parametrize("name", ["max_unit_cost", "max_total_cost", "timeout", "lock_timeout"])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_costs_nor_seconds(name, value):
    # max_unit_cost: true is not 1.0, nor a timeout of 1 second
    message = refused(**{name: value})
    assert message.startswith("%s must be" % name) and "true/false (%s)" % str(value).lower() in message


@pytest.mark.parametrize("name", ["count", "group_id", "expiring_within_days", "expiry_warning_days", "retries"])
@pytest.mark.parametrize("value", ["inf", "Infinity", "1e400", "3.5", "three", 1.5, float("inf"), float("nan"), None])
def test_whole_numbers_are_never_other_text_nor_fractions(name, value):
    # Declared raw: Ansible's own int conversion would crash on "inf" instead of saying one sentence.
    if value is None:
        params = {name: None}
        assert parse_options(params) == [] and params[name] is None
        return
    message = refused(**{name: value})
    assert message.startswith("%s must be a whole number, not " % name)


@pytest.mark.parametrize("name", ["count", "group_id", "expiring_within_days", "expiry_warning_days", "retries"])
@pytest.mark.parametrize("value, expected", [("3", 3), (" 7 ", 7), (1.0, 1), (2, 2)])
def test_whole_numbers_given_as_text_or_integral_floats_are_whole_numbers(name, value, expected):
    # What Ansible's int type accepted (a templated "3") still works now that the option is raw.
    params = {name: value}
    parse_options(params)
    assert params[name] == expected and isinstance(params[name], int) and not isinstance(params[name], bool)


@pytest.mark.parametrize("name", ["expiring_within_days", "expiry_warning_days"])
def test_day_counts_stop_at_ten_years(name):
    params = {name: 3650}
    assert parse_options(params) == [] and params[name] == 3650
    message = refused(**{name: 3651})
    assert name in message and "3650 or less" in message and "3651" in message


@pytest.mark.parametrize("given, words", [
    ({"count": -1}, "count must be 0 or more (it is -1)"),
    ({"expiring_within_days": -1}, "expiring_within_days must be 0 or more (it is -1)"),
    ({"expiring_within_days": 3000000}, "expiring_within_days must be 3650 or less (it is 3000000)"),
    ({"retries": 11}, "retries must be 10 or less (it is 11)"),
    ({"retries": -1}, "retries must be 0 or more (it is -1)"),
    ({"group_id": 0}, "group_id must be 1 or more (it is 0)"),
    ({"min_availability": -2}, "min_availability must be 0 or more (it is -2)"),
    ({"organisation_id": 0}, "organisation_id must be 1 or more (it is 0)"),
])
def test_whole_numbers_out_of_bounds(given, words):
    assert words in refused(**given)


@pytest.mark.parametrize("name", ["max_unit_cost", "max_total_cost", "timeout", "lock_timeout"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "inf", "NaN", "-Infinity"])
def test_costs_and_seconds_must_be_finite(name, value):
    message = refused(**{name: value})
    assert message.startswith("%s must be" % name) and "finite" in message


@pytest.mark.parametrize("given, words", [
    ({"timeout": 0.0}, "timeout must be more than 0 seconds"),
    ({"timeout": -1.0}, "timeout must be more than 0 seconds"),
    ({"timeout": 3601}, "timeout must be 3600 seconds or less"),
    ({"max_unit_cost": -0.5}, "max_unit_cost must be 0 or more"),
    ({"max_total_cost": "-1"}, "max_total_cost must be 0 or more"),
    ({"lock_timeout": -1}, "lock_timeout must be 0 seconds or more"),
    ({"max_unit_cost": "two"}, "max_unit_cost must be an amount of money"),
    ({"max_unit_cost": [2]}, "max_unit_cost must be an amount of money"),
    ({"timeout": "soon"}, "timeout must be a number of seconds"),
])
def test_costs_and_seconds_out_of_bounds(given, words):
    assert words in refused(**given)


@pytest.mark.parametrize("value, expected", [
    (0.1, Decimal("0.1")), ("0.1", Decimal("0.1")), (2, Decimal("2")), ("2.50", Decimal("2.50")),
    (" 10 ", Decimal("10")), (0, Decimal("0")), ("0.125", Decimal("0.125")),
])
@pytest.mark.parametrize("name", ["max_unit_cost", "max_total_cost"])
def test_costs_become_exact_decimals(name, value, expected):
    params = {name: value, "currency_id": "USD"}
    parse_options(params)
    assert isinstance(params[name], Decimal) and params[name] == expected
    # 0.1 given as a float is the decimal 0.1, not 0.1000000000000000055511151231257827...
    assert str(params[name]) == str(expected)


def test_seconds_become_floats_and_good_numbers_pass_unchanged():
    params = {"count": 0, "timeout": "0.5", "lock_timeout": 0, "expiring_within_days": 3650, "retries": 10,
              "group_id": 1}
    assert parse_options(params) == []
    assert params == {"count": 0, "timeout": 0.5, "lock_timeout": 0.0, "expiring_within_days": 3650, "retries": 10,
                      "group_id": 1}
    assert isinstance(params["lock_timeout"], float)


@pytest.mark.parametrize("value, expected", [("usd", "USD"), (" Eur ", "EUR"), ("USD", "USD")])
def test_currency_is_three_letters_written_in_upper_case(value, expected):
    params = {"currency_id": value}
    parse_options(params)
    assert params["currency_id"] == expected


@pytest.mark.parametrize("value", ["US D", "US", "USDD", "", " ", "U$D", "123", 840])
def test_a_currency_that_is_not_three_letters_is_refused(value):
    message = refused(currency_id=value)
    assert message.startswith("currency_id must be a three-letter ISO 4217 currency") and repr(value) in message


def test_max_total_cost_needs_a_currency():
    message = refused(max_total_cost=5, currency_id=None)
    assert "max_total_cost needs currency_id" in message and "Nothing was sent to Sinch" in message
    params = {"max_total_cost": 5, "currency_id": "usd"}
    parse_options(params)
    assert _input.Guard.from_params(params).currency_id == "USD"


def test_the_guard_takes_the_parsed_options():
    params = {"max_unit_cost": "2.00", "max_total_cost": 0.3, "currency_id": "eur"}
    parse_options(params)
    guard = _input.Guard.from_params(params)
    assert (guard.max_unit_cost, guard.max_total_cost, guard.currency_id) == (Decimal("2.00"), Decimal("0.3"), "EUR")
    assert guard.active and guard.names() == ["max_unit_cost", "max_total_cost"]
    assert not _input.Guard.from_params({"currency_id": "USD"}).active
    # max_unit_cost 0 is a guard (nothing may cost anything), not an absent one
    assert _input.Guard(max_unit_cost=Decimal(0)).active


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
    assert refused(**{name: value}).startswith(name)


@pytest.mark.parametrize("value, expected", [("fr", "FR"), (" Fr ", "FR")])
def test_country_is_two_letters_in_upper_case(value, expected):
    params = {"country_id": value}
    parse_options(params)
    assert params["country_id"] == expected
    assert "two-letter country code" in refused(country_id="FRA")


# --- Rentals ---------------------------------------------------------------------------------------------------


def rental(name, count, application_key=None, **selector):
    option = {"name": name, "count": count, "application_key": application_key}
    for key in ("group_id", "country_id", "city", "area_code", "capability"):
        option[key] = selector.get(key)
    return option


def rentals_refused(options):
    with pytest.raises(InputError) as err:
        _input.rentals(options)
    return err.value.message


def test_bad_rentals_are_named_together_in_one_sentence_before_any_request():
    text = rentals_refused([
        rental("a", -1, group_id=1), rental("a", 1, group_id=0), rental("b", 1, country_id="FRA", city=" "),
        rental("c", 1, group_id=1, city="Paris"), rental("d", 1, " ", group_id=1), rental("e", 1, group_id=1, capability="fax"),
        rental("f", 1, "bb7b4e39/../numbers", group_id=1), rental("g", "inf", group_id=1), rental("h", True, group_id=1),
        rental(" ", 1, group_id=1), rental("i", 1, group_id=1, country_id="FR"), rental("j", 1),
        rental("k", 1, group_id=2, area_code="01"), rental("l", None, group_id=1),
    ])
    assert text.startswith("rentals: ") and text.endswith(". Nothing was sent to Sinch.")
    # one sentence naming every problem, then "nothing was sent" said once
    problems = text[:-len(" Nothing was sent to Sinch.")]
    assert ". " not in problems and text.lower().count("nothing was sent") == 1
    for words in ("rental 'a': count must be 0 or more (it is -1)", "the name 'a' is used by more than one rental",
                  "rental 'a': group_id must be 1 or more (it is 0)", "rental 'b': country_id must be a two-letter country code",
                  "rental 'b': city is empty", "rental 'c': city needs country_id", "rental 'd': application_key is empty",
                  "rental 'e': capability 'fax' is not one Sinch knows",
                  "rental 'f': application_key is not an application key as Sinch issues it",
                  "rental 'g': count must be a whole number, not the text 'inf'",
                  "rental 'h': count must be a whole number, not true/false (true)", "rental #10: name is empty",
                  "rental 'i': give group_id or country_id, not both", "rental 'j': give group_id or country_id",
                  "rental 'k': area_code needs country_id", "rental 'l': count must be a whole number"):
        assert words in text, words
    assert "../numbers" not in text


def test_rentals_become_typed_values():
    [one, two, three] = _input.rentals([
        rental("one", 2, country_id=" fr ", city=" Paris ", capability="SMS"),
        rental("two", 1, KEY.upper(), group_id=3),
        rental("three", 0, group_id=3),
    ])
    assert isinstance(one, _input.Rental) and isinstance(one.selector, _input.Selector)
    assert (one.name, one.count, one.application_key) == ("one", 2, None)
    assert (one.selector.country_id, one.selector.city, one.capability) == ("FR", "Paris", "sms")
    assert one.selector.given() == ["country_id", "city", "capability"]
    # numbers put on an application serve it for voice unless a capability is given
    assert (two.application_key, two.capability, two.selector.group_id) == (KEY.upper(), "voice", 3)
    assert three.capability is None and three.count == 0
    assert _input.rentals([one, two]) == [one, two]  # parsed already


def test_the_rentals_option_is_parsed_with_the_others():
    params = {"rentals": [rental("one", 1, group_id=3)], "max_unit_cost": "1"}
    parse_options(params)
    assert [item.name for item in params["rentals"]] == ["one"]


@pytest.mark.parametrize("record, expected", [
    ({"group_id": 3, "capabilities": ["voice"]}, True),
    ({"group_id": 4, "capabilities": ["voice"]}, False),
    ({"group_id": None, "capabilities": ["voice"]}, None),
    ({"group_id": 3, "capabilities": None}, None),
    ({"group_id": 4, "capabilities": None}, False),
    ({"group_id": 3, "capabilities": ["sms"]}, False),
])
def test_a_selector_says_unknown_when_a_field_it_reads_cannot_be_read(record, expected):
    assert _input.Selector(group_id=3, capability="voice").match(record) is expected


def test_a_selector_compares_places_case_insensitively_and_reads_what_the_listing_marks_unreadable():
    selector = _input.Selector(country_id="fr", city="paris")
    record = {"country_id": "FR", "city": " PARIS ", "area_code": "01", "capabilities": ["voice"]}
    assert selector.match(record) is True
    assert selector.match(record, unreadable=frozenset(["city"])) is None
    assert selector.match(dict(record, city="Lyon"), unreadable=frozenset(["countryId"])) is False
    assert selector.fields() == set(["countryId", "city"])


# --- Plan ids ----------------------------------------------------------------------------------------------------

PLAN_ID = "snp2-" + "-".join(["0123456789abcdef"] * 5)


@pytest.mark.parametrize("value", [PLAN_ID, PLAN_ID.upper(), " %s " % PLAN_ID])
def test_a_version_2_plan_id_is_taken_in_lower_case(value):
    params = {"expected_plan_id": value}
    parse_options(params)
    assert params["expected_plan_id"] == PLAN_ID


@pytest.mark.parametrize("value", ["", "abc", "snp2-00", "snp2-" + "-".join(["0" * 16] * 4),
                                   "snp2-" + "-".join(["0" * 16] * 6), "snp2-" + "-".join(["g" * 16] * 5),
                                   PLAN_ID + "-", PLAN_ID.replace("snp2", "snp3")])
def test_a_value_that_is_no_plan_id_is_refused_in_one_sentence(value):
    message = refused(expected_plan_id=value)
    assert "is not a plan id" in message and "snp2- and five groups of 16 hexadecimal digits" in message
    assert "Nothing was sent to Sinch" in message and "version 0.2" not in message


def test_a_version_1_plan_id_is_refused_saying_why():
    message = refused(expected_plan_id="snp1-" + "-".join(["0123456789abcdef"] * 4))
    assert "is not a plan id" in message
    assert "version 0.2" in message and "organisation" in message and "plan again" in message


# --- The lookup's true/false options ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False, None])
def test_booleans_pass_as_they_are(value):
    assert _input.boolean("assigned", value) is value


@pytest.mark.parametrize("value", ["false", "no", "yes", "true", 1, 0, "", [], 1.0])
@pytest.mark.parametrize("name", ["assigned", "records"])
def test_true_or_false_options_refuse_anything_but_a_boolean(name, value):
    with pytest.raises(InputError) as err:
        _input.boolean(name, value)
    assert err.value.message.startswith("%s must be true or false, not " % name)
    assert refused(**{name: value}) == err.value.message


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
