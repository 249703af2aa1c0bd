# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
from decimal import Decimal

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._filters import (
    expires_within,
    has_capability,
    is_assigned,
    matches_place,
    parse_expires,
    within_cost,
)


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


RAW_NUMBER = {"number": 14150005551, "groupId": 13, "capabilities": ["Voice", " SMS "],
              "applicationKey": "bb7b4e39-4227-4913-8c81-2db4abb54fb3", "countryId": "US", "city": "SAN FRANCISCO",
              "country": "US", "areaCode": 415, "expires": "2015-12-31T23:59:59+00:00",
              "cost": {"amount": 0.0, "currencyId": "usd"}}


def test_number_shape_is_snake_case_with_e164_and_money():
    shaped, unreadable = _shapes.number(RAW_NUMBER)
    assert unreadable == frozenset()
    assert shaped["number"] == 14150005551 and shaped["e164"] == "+14150005551"
    assert shaped["group_id"] == 13
    assert shaped["capabilities"] == ["sms", "voice"]
    assert shaped["application_key"] == "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
    assert (shaped["country_id"], shaped["city"], shaped["area_code"]) == ("US", "SAN FRANCISCO", "415")
    assert shaped["cost"] == {"amount": "0.00", "currency_id": "USD"}


def without(field):
    raw = dict(RAW_NUMBER)
    del raw[field]
    return raw


@pytest.mark.parametrize("field, value, key", [
    ("groupId", None, "group_id"), ("groupId", "13a", "group_id"), ("groupId", {}, "group_id"), ("groupId", True, "group_id"),
    ("groupId", 13.5, "group_id"),
    ("capabilities", None, "capabilities"), ("capabilities", "voice", "capabilities"), ("capabilities", [], "capabilities"),
    ("capabilities", ["voice", 1], "capabilities"), ("capabilities", [""], "capabilities"),
    ("countryId", None, "country_id"), ("countryId", "", "country_id"), ("countryId", 1, "country_id"),
    ("countryId", "USA", "country_id"), ("countryId", "U", "country_id"), ("countryId", "U1", "country_id"),
    ("city", None, "city"), ("city", "  ", "city"), ("city", ["SF"], "city"),
    ("areaCode", None, "area_code"), ("areaCode", "", "area_code"), ("areaCode", True, "area_code"),
    ("applicationKey", 12, "application_key"), ("applicationKey", "", "application_key"), ("applicationKey", {}, "application_key"),
])
def test_a_field_that_cannot_be_read_is_none_and_named_by_its_api_name(field, value, key):
    raw = without(field) if value is None else dict(RAW_NUMBER, **{field: value})
    shaped, unreadable = _shapes.number(raw)
    assert shaped[key] is None
    assert unreadable == frozenset([field])
    assert shaped["number"] == 14150005551


@pytest.mark.parametrize("raw", [without("applicationKey"), dict(RAW_NUMBER, applicationKey=None)])
def test_a_number_without_application_key_is_on_no_application_not_unreadable(raw):
    shaped, unreadable = _shapes.number(raw)
    assert shaped["application_key"] is None and unreadable == frozenset()


@pytest.mark.parametrize("raw", [{}, {"number": None}, {"number": "abc"}, {"number": True}, {"number": 1.5}, "14150005551", None])
def test_a_record_without_a_readable_number_is_refused(raw):
    with pytest.raises(ValueError):
        _shapes.number(raw)


def test_a_listing_keeps_readable_records_sorted_and_says_what_it_could_not_read():
    items = [dict(RAW_NUMBER, number=14150005553, city=None), RAW_NUMBER, {"number": "x"}, "junk",
             dict(RAW_NUMBER, number="+14150005552", capabilities="voice", groupId=None)]
    listing = _shapes.listing(items)
    assert [item["number"] for item in listing.records] == [14150005551, 14150005552, 14150005553]
    assert listing.unidentified == 2 and not listing.whole
    assert listing.fields(listing.records[0]) == frozenset()
    assert listing.fields(listing.records[1]) == frozenset(["capabilities", "groupId"])
    assert listing.fields(listing.records[2]) == frozenset(["city"])
    text = listing.describe()
    for words in ("capabilities on +14150005552", "groupId on +14150005552", "city on +14150005553",
                  "2 items without a readable number"):
        assert words in text
    assert "+14150005551" not in text
    assert _shapes.listing([RAW_NUMBER]).whole and _shapes.listing([]).whole


def test_a_listing_names_at_most_five_numbers_per_field():
    listing = _shapes.listing([dict(RAW_NUMBER, number=14150005550 + index, city=None) for index in range(8)])
    assert listing.describe() == ("city on +14150005550, +14150005551, +14150005552, +14150005553, +14150005554 "
                                  "and 3 more")


def test_the_shop_listing_is_keyed_by_group():
    raw = {"groupId": "13", "country": "United States", "countryId": "US", "city": "SAN FRANCISCO", "type": "Voice",
           "availability": "7", "areaCode": "415", "cost": {"amount": "1.5", "currencyId": "USD"},
           "capabilities": ["voice", "sms"]}
    shop = _shapes.shop([raw, dict(raw, groupId=2, availability=-1, city=None), {"groupId": None}])
    assert [group["group_id"] for group in shop.records] == [2, 13]
    assert shop.unidentified == 1
    assert shop.fields(shop.records[0]) == frozenset(["availability", "city"])
    assert shop.records[0]["availability"] == 0  # never more than none when it cannot be read
    assert shop.records[1]["cost"] == {"amount": "1.50", "currency_id": "USD"}
    assert "group 2" in shop.describe() and "1 item without a readable groupId" in shop.describe()


@pytest.mark.parametrize("value", ["FRA", "France", "F", "33", "F1", ["FR"]])
def test_a_shop_group_whose_country_id_is_not_two_letters_lists_it_unreadable(value):
    raw = {"groupId": 1, "countryId": value, "city": "PARIS", "areaCode": "01", "availability": 5,
           "cost": {"amount": "1.00", "currencyId": "USD"}, "capabilities": ["voice"]}
    shop = _shapes.shop([raw])
    assert shop.records[0]["country_id"] is None
    assert shop.fields(shop.records[0]) == frozenset(["countryId"])
    assert "countryId on group 1" in shop.describe()


@pytest.mark.parametrize("value, expected", [("fr", "fr"), (" FR ", "FR"), ("US", "US")])
def test_a_two_letter_country_id_is_read_in_any_case(value, expected):
    shaped, unreadable = _shapes.number(dict(RAW_NUMBER, countryId=value))
    assert shaped["country_id"] == expected and unreadable == frozenset()


def test_group_filters_compare_case_insensitively():
    group, unreadable = _shapes.number_group({"groupId": 1, "country": "France", "countryId": "FR", "city": "PARIS",
                                              "type": "Voice", "availability": 7, "areaCode": "01",
                                              "cost": {"amount": 2.0, "currencyId": "USD"}, "capabilities": ["voice"]})
    assert unreadable == frozenset()
    assert matches_place(group, country_id="fr", city="Paris", area_code="01")
    assert not matches_place(group, city="Lyon")
    assert has_capability(group, "voice")
    assert has_capability(dict(group, capabilities=None), "voice")  # its type says so
    assert not has_capability(group, "sms")


def both(value):
    """An id as a JSON number and as a JSON string."""
    return [value, str(value)]


@pytest.mark.parametrize("org_id", both(8888123))
def test_organisation_shaper_takes_int_or_string(org_id):
    assert _shapes.organisation({"id": org_id})["id"] == 8888123


@pytest.mark.parametrize("group_id", both(13))
@pytest.mark.parametrize("availability", both(7))
@pytest.mark.parametrize("amount", [2.5, "2.5", "2.50"])
def test_number_group_shaper_takes_int_or_string(group_id, availability, amount):
    shaped, unreadable = _shapes.number_group({"groupId": group_id, "availability": availability,
                                               "capabilities": ["voice"], "countryId": "US", "city": "SF",
                                               "areaCode": "415", "cost": {"amount": amount, "currencyId": "USD"}})
    assert unreadable == frozenset()
    assert shaped["group_id"] == 13 and shaped["availability"] == 7
    assert shaped["cost"] == {"amount": "2.50", "currency_id": "USD"}
    assert matches_place(shaped, group_id=13)


@pytest.mark.parametrize("raw", [{}, {"groupId": "x"}, {"groupId": True}, []])
def test_a_group_without_a_readable_group_id_is_refused(raw):
    with pytest.raises(ValueError):
        _shapes.number_group(raw)


@pytest.mark.parametrize("number", both(14150005551))
@pytest.mark.parametrize("group_id", both(13))
def test_number_shaper_takes_int_or_string(number, group_id):
    shaped, _unreadable = _shapes.number({"number": number, "groupId": group_id,
                                          "cost": {"amount": "0.0", "currencyId": "USD"}})
    assert shaped["number"] == 14150005551 and shaped["e164"] == "+14150005551"
    assert shaped["group_id"] == 13
    assert matches_place(shaped, group_id=13) and not matches_place(shaped, group_id=14)
    listing = _shapes.listing([{"number": number}, {"number": 14150005550}])
    assert [item["number"] for item in listing.records] == [14150005550, 14150005551]


@pytest.mark.parametrize("raw", [None, {}, {"amount": None}, {"amount": "n/a"}, {"amount": "nan"}, {"amount": True},
                                 "2.0", {"currencyId": "USD"}])
def test_unreadable_cost_is_unknown_never_zero(raw):
    assert _shapes.money(raw)["amount"] is None


@pytest.mark.parametrize("value", ["abc", "1.5", 1.5, True, None, "", "1e3", "-3"])
def test_ids_that_are_not_whole_numbers_are_refused_naming_the_field(value):
    with pytest.raises(ValueError, match="groupId"):
        _shapes.as_int(value, "groupId")


@pytest.mark.parametrize("value, expected", [(13, 13), ("13", 13), (" 13 ", 13), (13.0, 13), ("+13", 13)])
def test_ids_sent_as_numbers_or_text_are_the_same_id(value, expected):
    assert _shapes.int_or_none(value) == expected


def test_within_cost_never_takes_an_unknown_cost_as_free():
    assert not within_cost({"cost": {"amount": None}}, Decimal(100))
    assert within_cost({"cost": {"amount": "2.0"}}, Decimal(2))
    assert not within_cost({"cost": {"amount": "2.01"}}, Decimal(2))
    assert within_cost({"cost": {"amount": None}}, None)


# --- Filters over rented numbers ----------------------------------------------------------------------------------

NOW = datetime.datetime(2025, 1, 10, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("value, expected", [
    ("2025-01-12T00:00:00+00:00", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-12T00:00:00Z", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-12T02:00:00.123+02:00", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-11T19:00:00-0500", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-12T00:00:00", datetime.datetime(2025, 1, 12, tzinfo=datetime.timezone.utc)),
    ("soon", None),
    (None, None),
    ("2025-02-30T00:00:00Z", None),
])
def test_parse_expires(value, expected):
    assert parse_expires(value) == expected


def test_expires_within_days():
    def item(expires):
        return {"expires": expires}
    assert expires_within(item("2025-01-17T00:00:00+00:00"), 7, NOW)
    assert not expires_within(item("2025-01-17T00:00:01+00:00"), 7, NOW)
    assert expires_within(item("2024-12-01T00:00:00+00:00"), 0, NOW)
    assert not expires_within(item(None), 365, NOW)
    assert expires_within(item(None), None, NOW)


def test_is_assigned():
    assert is_assigned({"application_key": "app"}, True)
    assert not is_assigned({"application_key": None}, True)
    assert is_assigned({"application_key": None}, False)
    assert is_assigned({"application_key": "app"}, None)
