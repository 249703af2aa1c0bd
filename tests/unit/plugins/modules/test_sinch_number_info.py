# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_info: one request, the right listing, and the filters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_info import ARGUMENTS, number_info
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import FakeShopClient, rented

APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"


class AppClient(FakeShopClient):
    def list_application_numbers(self, application_key):
        self.calls.append(("list_application_numbers", application_key))
        return [raw for raw in self.list_numbers() if raw.get("applicationKey") == application_key]


def fake():
    sms = rented(15040005550, group_id=75, country_id="US", city="New Orleans", area_code="504", capabilities=("sms",))
    sms["expires"] = "2000-01-01T00:00:00+00:00"
    no_expiry = rented(33100000009)
    del no_expiry["expires"]
    return AppClient([], [rented(33100000002), rented(33100000001, application_key=APP), sms, no_expiry])


def filters(**values):
    params = dict((name, None) for name in ARGUMENTS)
    params.update(values)
    return params


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
    ({"expiring_within_days": 36500}, [15040005550, 33100000001, 33100000002]),
])
def test_filters(given, expected):
    assert numbers(number_info(fake(), filters(**given))) == expected


def test_bad_filters_are_refused_before_any_request():
    client = fake()
    with pytest.raises(InputError):
        number_info(client, filters(capability="fax"))
    with pytest.raises(ValueError) as err:
        number_info(client, filters(expiring_within_days=-1))
    assert str(err.value) == "expiring_within_days must be 0 or more (it is -1)."
    assert client.calls == []


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
    assert result.pop("summary") == {"numbers": 1, "monthly_cost": {"USD": "2.00"}, "unknown_cost": 0, "applications": {},
                                     "no_application": {"numbers": 1, "monthly_cost": {"USD": "2.00"}, "unknown_cost": 0}}
    assert result == {"changed": False, "count": 1}
