# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._filters import capability_option, has_capability, matches_place
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError


@pytest.mark.parametrize("value, expected", [
    (14150005550, 14150005550),
    ("14150005550", 14150005550),
    ("+14150005550", 14150005550),
    ("+1 415-000-5550", 14150005550),
    ("+1 (415) 000.5550", 14150005550),
    ("0033 1 23 45 67 89", 33123456789),
])
def test_parse_number_accepts_international_forms(value, expected):
    assert _shapes.parse_number(value) == expected


@pytest.mark.parametrize("value", ["", "abc", "+1 415 CALL NOW", "12", "+0123456789", "1" * 16, True, None, 1.5, "415-000-5550x12"])
def test_parse_number_rejects_non_numbers(value):
    with pytest.raises(ValueError) as err:
        _shapes.parse_number(value)
    assert repr(value) in str(err.value)


def test_organisation_id_is_an_integer_even_when_sent_as_string():
    shaped = _shapes.organisation({"id": "8888123", "name": "Acme", "countryId": "US", "vatnumber": "X1"})
    assert shaped == {"id": 8888123, "name": "Acme", "website": None, "country_id": "US", "phone": None, "vat_number": "X1"}


def test_number_shape_is_snake_case_with_e164():
    raw = {"number": 14150005551, "groupId": 13, "capabilities": ["Voice"], "applicationKey": "app",
           "countryId": "US", "city": "SAN FRANCISCO", "country": "US", "areaCode": "415",
           "expires": "2015-12-31T23:59:59+00:00", "cost": {"amount": 0.0, "currencyId": "USD"}}
    shaped = _shapes.number(raw)
    assert shaped["e164"] == "+14150005551"
    assert shaped["capabilities"] == ["voice"]
    assert shaped["application_key"] == "app"
    assert shaped["cost"] == {"amount": 0.0, "currency_id": "USD"}


def test_group_filters_compare_case_insensitively():
    group = _shapes.number_group({"groupId": 1, "country": "France", "countryId": "FR", "city": "PARIS", "type": "Voice",
                                  "availability": 7, "areaCode": "01", "cost": {"amount": 2.0, "currencyId": "USD"},
                                  "capabilities": ["voice"]})
    assert matches_place(group, country_id="fr", city="Paris", area_code="01")
    assert not matches_place(group, city="Lyon")
    assert has_capability(group, capability_option("VOICE"))
    assert not has_capability(group, "sms")


def test_capability_option_names_accepted_values():
    with pytest.raises(InputError, match="voice or sms"):
        capability_option("fax")


def both(value):
    """An id as a JSON number and as a JSON string."""
    return [value, str(value)]


@pytest.mark.parametrize("org_id", both(8888123))
def test_organisation_shaper_takes_int_or_string(org_id):
    assert _shapes.organisation({"id": org_id})["id"] == 8888123


@pytest.mark.parametrize("group_id", both(13))
@pytest.mark.parametrize("availability", both(7))
@pytest.mark.parametrize("amount", [2.5, "2.5"])
def test_number_group_shaper_takes_int_or_string(group_id, availability, amount):
    shaped = _shapes.number_group({"groupId": group_id, "availability": availability, "capabilities": ["voice"],
                                   "cost": {"amount": amount, "currencyId": "USD"}})
    assert shaped["group_id"] == 13 and shaped["availability"] == 7
    assert shaped["cost"] == {"amount": 2.5, "currency_id": "USD"}
    assert matches_place(shaped, group_id=13)


@pytest.mark.parametrize("number", both(14150005551))
@pytest.mark.parametrize("group_id", both(13))
def test_number_shaper_takes_int_or_string(number, group_id):
    shaped = _shapes.number({"number": number, "groupId": group_id, "cost": {"amount": "0.0", "currencyId": "USD"}})
    assert shaped["number"] == 14150005551 and shaped["e164"] == "+14150005551"
    assert shaped["group_id"] == 13
    assert matches_place(shaped, group_id=13) and not matches_place(shaped, group_id=14)
    assert [item["number"] for item in _shapes.numbers([{"number": number}, {"number": 14150005550}])] == [14150005550, 14150005551]


@pytest.mark.parametrize("raw", [None, {}, {"amount": None}, {"amount": "n/a"}, {"amount": "nan"}, {"amount": True}, "2.0"])
def test_unreadable_cost_is_unknown_never_zero(raw):
    assert _shapes.money(raw)["amount"] is None
    assert _shapes.known_amount((raw or {}).get("amount") if isinstance(raw, dict) else raw) is None or raw == "2.0"


@pytest.mark.parametrize("value", ["abc", "1.5", 1.5, True, None, "", "1e3", "-3"])
def test_ids_that_are_not_whole_numbers_are_refused_naming_the_field(value):
    with pytest.raises(ValueError, match="groupId"):
        _shapes.as_int(value, "groupId")


def test_within_cost_never_takes_an_unknown_cost_as_free():
    from ansible_collections.sinch.numbers.plugins.module_utils._filters import within_cost
    assert not within_cost({"cost": {"amount": None}}, 100)
    assert within_cost({"cost": {"amount": "2.0"}}, 2)
    assert within_cost({"cost": {"amount": None}}, None)
