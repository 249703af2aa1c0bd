# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_info: one request, the right listing, the filters, and money in one shape."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
from ansible_collections.sinch.numbers.plugins.module_utils._numbers import rented_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._reads import number_info as logic
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_info import ARGUMENTS
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import FakeShopClient, module_params, rented

APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"


def fake():
    sms = rented(15040005550, group_id=75, country_id="US", city="New Orleans", area_code="504", capabilities=("sms",))
    sms["expires"] = "2000-01-01T00:00:00+00:00"
    no_expiry = rented(33100000009)
    del no_expiry["expires"]
    return FakeShopClient([], [rented(33100000002), rented(33100000001, application_key=APP), sms, no_expiry],
                          applications=(APP,))


def filters(**values):
    return module_params(ARGUMENTS, **values)


def number_info(client, params):
    return logic(client, params, False)


def numbers(result):
    return [item["number"] for item in result["numbers"]]


def test_all_numbers_sorted_with_one_request():
    client = fake()
    result = number_info(client, filters())
    assert client.names() == ["list_numbers"]
    assert result["changed"] is False
    assert numbers(result) == [15040005550, 33100000001, 33100000002, 33100000009]
    assert result["numbers"][0]["e164"] == "+15040005550"


def test_application_listing_uses_its_own_endpoint_only():
    client = fake()
    result = number_info(client, filters(application_key=APP))
    assert client.calls[0] == ("list_application_numbers", APP)
    assert numbers(result) == [33100000001]


@pytest.mark.parametrize("given, expected", [
    ({"capability": "SMS"}, [15040005550]),
    ({"country_id": "fr", "city": "paris"}, [33100000001, 33100000002, 33100000009]),
    ({"group_id": 75}, [15040005550]),
    ({"area_code": "504"}, [15040005550]),
    ({"assigned": True}, [33100000001]),
    ({"assigned": False}, [15040005550, 33100000002, 33100000009]),
    ({"expiring_within_days": 30}, [15040005550]),
    ({"expiring_within_days": 3650}, [15040005550, 33100000001, 33100000002]),
])
def test_filters(given, expected):
    assert numbers(number_info(fake(), filters(**given))) == expected


@pytest.mark.parametrize("values, sentence", [
    (dict(capability="fax"), "capability 'fax' is not one Sinch knows: use voice or sms."),
    (dict(expiring_within_days=-1), "expiring_within_days must be 0 or more (it is -1)."),
    (dict(expiring_within_days=3651), "expiring_within_days must be 3650 or less (it is 3651)."),
    (dict(expiring_within_days=True), "expiring_within_days must be a whole number, not true/false (true)."),
    (dict(application_key="../v1/organisations"), "application_key is not an application key as Sinch issues it"),
])
def test_bad_filters_are_refused_before_any_request(values, sentence):
    with pytest.raises(InputError) as err:
        filters(**values)
    assert err.value.describe().startswith(sentence)


def test_without_fields_every_key_and_the_count():
    result = number_info(fake(), filters(capability="voice"))
    assert result["count"] == 3
    assert sorted(result["numbers"][0]) == sorted(["number", "e164", "group_id", "capabilities", "application_key",
                                                   "country_id", "city", "country", "area_code", "expires", "cost"])


def test_fields_keep_only_the_keys_asked_in_their_usual_order():
    client = fake()
    result = number_info(client, filters(fields=["e164", "number"], country_id="FR"))
    assert client.names() == ["list_numbers"]
    assert result.pop("summary")["numbers"] == 3  # the cost summary is always returned, whatever fields says
    assert result == {"changed": False, "count": 3, "numbers": [
        {"number": 33100000001, "e164": "+33100000001"},
        {"number": 33100000002, "e164": "+33100000002"},
        {"number": 33100000009, "e164": "+33100000009"},
    ]}


def test_empty_fields_return_the_count_only():
    client = fake()
    result = number_info(client, filters(fields=[], capability="sms"))
    assert client.names() == ["list_numbers"]
    usd = [{"amount": "2.00", "currency_id": "USD"}]
    assert result.pop("summary") == {"numbers": 1, "monthly_cost": usd, "unknown_cost": 0, "applications": {},
                                     "no_application": {"numbers": 1, "monthly_cost": usd, "unknown_cost": 0}}
    assert result == {"changed": False, "count": 1}


def test_the_summary_sums_exactly_per_currency_and_counts_unknown_prices_apart():
    client = FakeShopClient([], [rented(33100000001, amount="0.10"), rented(33100000002, amount=0.2),
                                 rented(33100000003, amount="1.5", currency_id="eur", application_key=APP),
                                 dict(rented(33100000004), cost={"currencyId": "USD"})])
    summary = number_info(client, filters())["summary"]
    assert summary["monthly_cost"] == [{"amount": "1.50", "currency_id": "EUR"}, {"amount": "0.30", "currency_id": "USD"}]
    assert summary["unknown_cost"] == 1 and summary["numbers"] == 4
    assert summary["applications"] == {APP: {"numbers": 1, "monthly_cost": [{"amount": "1.50", "currency_id": "EUR"}],
                                             "unknown_cost": 0}}
    assert summary["no_application"]["unknown_cost"] == 1


def test_numbers_listed_with_unreadable_fields_are_returned_with_null_there_and_a_warning():
    client = fake()
    client.list_filter = lambda answer: [dict((k, v) for k, v in raw.items() if k != "capabilities" or raw["number"] != 33100000002)
                                         for raw in answer]
    everything = number_info(client, filters())
    assert [item["capabilities"] for item in everything["numbers"] if item["number"] == 33100000002] == [None]
    assert numbers(number_info(client, filters(capability="voice"))) == [33100000001, 33100000009]
    assert client.warnings[0] == ("Sinch listed 1 of 4 numbers with fields that cannot be read (capabilities on "
                                  "+33100000002): they are returned with null there, and a filter on such a field "
                                  "leaves them out.")


def unreadable_application(client, number):
    client.list_filter = lambda answer: [dict(raw, applicationKey=17) if raw["number"] == number else raw for raw in answer]
    return client


@pytest.mark.parametrize("assigned", [True, False])
def test_a_number_whose_application_cannot_be_read_is_neither_assigned_nor_free(assigned):
    client = unreadable_application(fake(), 33100000002)
    result = number_info(client, filters(assigned=assigned))
    assert 33100000002 not in numbers(result)
    assert numbers(result) == ([33100000001] if assigned else [15040005550, 33100000009])
    assert client.warnings[0] == ("Sinch listed 1 of 4 numbers with fields that cannot be read (applicationKey on "
                                  "+33100000002): they are returned with null there, and a filter on such a field "
                                  "leaves them out.")


def test_a_number_whose_application_cannot_be_read_is_listed_with_null_and_counted_apart_in_the_summary():
    client = unreadable_application(fake(), 33100000002)
    result = number_info(client, filters())
    assert [item["application_key"] for item in result["numbers"] if item["number"] == 33100000002] == [None]
    assert result["summary"]["no_application"] == {"numbers": 2, "monthly_cost": [{"amount": "4.00", "currency_id": "USD"}],
                                                   "unknown_cost": 0}
    assert result["summary"]["unknown_application"] == {
        "numbers": 1, "monthly_cost": [{"amount": "2.00", "currency_id": "USD"}], "unknown_cost": 0}
    assert result["summary"]["numbers"] == 4
    assert "unknown_application" not in number_info(fake(), filters())["summary"]


@pytest.mark.parametrize("assigned", [True, False])
def test_the_lookups_selection_leaves_a_number_whose_application_cannot_be_read_out_alike(assigned):
    # The rented_numbers lookup selects through _numbers.rented_numbers, as the module does.
    client = unreadable_application(fake(), 33100000001)
    wanted, warning = rented_numbers(client, filters(assigned=assigned))
    assert 33100000001 not in [item["number"] for item in wanted]
    assert "applicationKey on +33100000001" in warning
