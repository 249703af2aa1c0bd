"""The number shop: list, reserve, checkout, reservation expiry."""

import copy
import datetime
import re

import pytest
import yaml

from emulator_helpers import EMULATOR_DIR, OTHER, SHOP, Client, assert_error

OTHER_SHOP = "/v1/organisations/id/7777001/numbers/shop"
NOT_FOUND = "Unable to assign numbers to organization: reservation(s) not found or expired"


def load_default():
    """The default fixture as data."""
    with open(EMULATOR_DIR + "/fixtures/default.yml") as handle:
        return yaml.safe_load(handle)


def test_list_shape_and_order(jane):
    """NumberGroup[] shaped exactly as the seed, sorted by groupId."""
    response = jane.portal("GET", SHOP)
    assert response.status_code == 200
    groups = response.json()
    assert [g["groupId"] for g in groups] == [1, 2, 3, 4, 13, 75]
    assert groups[0] == {"groupId": 1, "country": "France", "countryId": "FR", "city": "PARIS", "type": "Voice", "availability": 7,
                         "areaCode": "01", "cost": {"amount": 2.0, "currencyId": "USD"}, "capabilities": ["voice"]}
    assert groups[-1] == {"groupId": 75, "country": "US", "countryId": "US", "city": "New Orleans", "type": "Sms", "availability": 5,
                          "areaCode": "504", "cost": {"amount": 2.0, "currencyId": "USD"}, "capabilities": ["sms"]}


@pytest.mark.parametrize("wanted,expected", [("voice", [1, 2, 3, 4, 13]), ("sms", [13, 75]), ("Voice", [1, 2, 3, 4, 13]), ("SMS", [13, 75])])
def test_list_type_filter(jane, wanted, expected):
    """?type= filters on capabilities, case-insensitively."""
    assert [g["groupId"] for g in jane.portal("GET", SHOP + "?type=" + wanted).json()] == expected


@pytest.mark.parametrize("wanted", ["fax", "", "voice,sms"])
def test_list_type_invalid(jane, wanted):
    """Another type: 40001 with the seed's message."""
    assert_error(jane.portal("GET", SHOP + "?type=" + wanted), 40001, "Invalid number type: %s.  Type must be one of: sms, voice." % wanted)


@pytest.mark.parametrize("org", ["7777001", "1234", "abc", "08888123"])
@pytest.mark.parametrize("method", ["GET", "PUT", "POST"])
def test_other_organisation_is_403(jane, org, method):
    """Another (or unknown) organisation in the path: 40300, whatever the method."""
    body = None if method == "GET" else {"groupId": 13, "quantity": 1} if method == "PUT" else {"referenceIds": ["x"]}
    assert_error(jane.portal(method, "/v1/organisations/id/%s/numbers/shop" % org, body), 40300,
                 "The current user is not the owner of the organisation: %s" % org)


def test_reserve_holds_availability(jane):
    """A reservation holds availability for everybody until checkout or expiry."""
    reference = jane.reserve(1, 3)
    assert len(reference) == 36
    assert jane.group(1)["availability"] == 4
    assert jane.group(1)["stock"] == 7
    other = Client(jane.urls).sign_in(OTHER)
    assert [g["availability"] for g in other.portal("GET", OTHER_SHOP).json() if g["groupId"] == 1] == [4]
    reservation = jane.state()["reservations"][0]
    assert reservation["id"] == reference
    assert reservation["capabilities"] == ["voice"]
    assert reservation["quantity"] == 3 and reservation["expired"] is False


@pytest.mark.parametrize("body,code,message", [
    ({"quantity": 1}, 40002, "No groupIds specified"),
    ({"groupId": None, "quantity": 1}, 40002, "No groupIds specified"),
    ({"groupId": "13", "quantity": 1}, 40001, None),
    ({"groupId": True, "quantity": 1}, 40001, None),
    ({"groupId": 13}, 40001, None),
    ({"groupId": 13, "quantity": 0}, 40001, None),
    ({"groupId": 13, "quantity": -1}, 40001, None),
    ({"groupId": 13, "quantity": "1"}, 40001, None),
    ({"groupId": 13, "quantity": True}, 40001, None),
    ({"groupId": 13, "quantity": 1, "capabilities": ["fax"]}, 40001, "Invalid capability 'fax'"),
    ({"groupId": 13, "quantity": 1, "capabilities": ["Voice"]}, 40001, "Invalid capability 'Voice'"),
    ({"groupId": 13, "quantity": 1, "capabilities": "voice"}, 40001, None),
    ({"groupId": 13, "quantity": 1, "capabilities": []}, 40001, None),
    ({"groupId": 75, "quantity": 1, "capabilities": ["voice"]}, 40001, "Invalid capability 'voice'"),
    ({"groupId": 99, "quantity": 1}, 40003, "Invalid number group: 99"),
    ({"groupId": 2, "quantity": 3}, 40003, "Not enough numbers available in number group 2: 2 available, 3 requested."),
    ({"groupId": 4, "quantity": 1}, 40003, "Not enough numbers available in number group 4: 0 available, 1 requested."),
])
def test_reserve_errors(jane, body, code, message):
    """Each reserve error, and nothing is reserved."""
    assert_error(jane.portal("PUT", SHOP, body), code, message)
    assert jane.state()["reservations"] == []


def test_reserve_counts_held_quantity(jane):
    """Availability left after reservations decides "not enough"."""
    jane.reserve(2, 1)
    assert_error(jane.portal("PUT", SHOP, {"groupId": 2, "quantity": 2}), 40003,
                 "Not enough numbers available in number group 2: 1 available, 2 requested.")


def test_checkout(jane):
    """Checkout: 204, credit down by the exact total, stock down, numbers rented deterministically."""
    first = jane.reserve(3, 3)
    second = jane.reserve(13, 2, ["sms"])
    response = jane.portal("POST", SHOP, {"referenceIds": [first, second]})
    assert response.status_code == 204 and response.content == b""
    org = jane.organisation()
    assert org["credit"] == {"amount": 60.5, "currencyId": "USD"}  # 100 - 3 x 12.5 - 2 x 1.0
    assert jane.group(3)["stock"] == 0 and jane.group(3)["availability"] == 0
    assert jane.group(13)["stock"] == 8
    assert jane.state()["reservations"] == []
    numbers = {n["number"]: n for n in org["numbers"]}
    assert sorted(numbers) == [14150005550, 14150005551, 14150006000, 14150006001, 33180000000, 33180000001, 33180000002]
    paris = numbers[33180000000]
    assert list(paris) == ["number", "groupId", "capabilities", "countryId", "city", "country", "areaCode", "expires", "cost"]
    assert paris["groupId"] == 3 and paris["capabilities"] == ["voice"] and paris["city"] == "PARIS" and paris["areaCode"] == "01"
    assert paris["cost"] == {"amount": 12.5, "currencyId": "USD"}
    assert numbers[14150006000]["capabilities"] == ["sms"]
    assert paris["expires"].endswith("+00:00") and len(paris["expires"]) == 25
    rented = jane.portal("GET", "/v1/organisations/id/8888123/numbers").json()
    assert [n["number"] for n in rented] == sorted(numbers)


def test_checkout_expires_in_number_expiry_days(jane):
    """expires = now + number_expiry_days on the emulator's clock, formatted like 2015-12-31T23:59:59+00:00."""
    jane.admin("POST", "settings", {"number_expiry_days": 2})
    jane.advance_clock(86400)
    jane.portal("POST", SHOP, {"referenceIds": [jane.reserve(1)]})
    now = datetime.datetime.strptime(jane.state()["now"], "%Y-%m-%dT%H:%M:%S.%fZ")
    expires = [n for n in jane.organisation()["numbers"] if n["groupId"] == 1][0]["expires"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$", expires)
    expected = now + datetime.timedelta(days=2)
    assert abs((datetime.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%S+00:00") - expected).total_seconds()) < 5


def test_checkout_skips_existing_numbers(client):
    """next_number never collides with a rented number."""
    data = load_default()
    [group for group in data["number_groups"] if group["groupId"] == 13][0]["next_number"] = 14150005550
    client.admin("POST", "reset", {"fixture_data": data})
    client.sign_in()
    client.portal("POST", SHOP, {"referenceIds": [client.reserve(13, 2)]})
    assert [n["number"] for n in client.organisation()["numbers"]] == [14150005550, 14150005551, 14150005552, 14150005553]
    assert client.group(13)["next_number"] == 14150005554


@pytest.mark.parametrize("body,code,message", [
    ({}, 40002, "No referenceIds specified"),
    ({"referenceIds": []}, 40002, "No referenceIds specified"),
    ({"referenceIds": None}, 40002, "No referenceIds specified"),
    ({"referenceIds": "abc"}, 40001, None),
    ({"referenceIds": [1]}, 40001, None),
    ({"referenceIds": ["c8b27491-3379-44f3-af31-fbbfbb2ba510"]}, 40400, NOT_FOUND),
])
def test_checkout_errors(jane, body, code, message):
    """Each checkout error on the body."""
    assert_error(jane.portal("POST", SHOP, body), code, message)


def test_checkout_all_or_nothing(jane):
    """One unknown id among good ones: 40400 and nothing changes."""
    good = jane.reserve(1, 2)
    before = jane.state()
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [good, "c8b27491-3379-44f3-af31-fbbfbb2ba510"]}), 40400, NOT_FOUND)
    after = jane.state()
    assert after["organisations"] == before["organisations"] and after["number_groups"] == before["number_groups"]
    assert after["reservations"] == before["reservations"]


def test_checkout_twice_and_other_organisation(jane):
    """A reservation checked out already, or another organisation's: 40400."""
    other = Client(jane.urls).sign_in(OTHER)
    theirs = other.portal("PUT", OTHER_SHOP, {"groupId": 1, "quantity": 1}).json()["referenceId"]
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [theirs]}), 40400, NOT_FOUND)
    mine = jane.reserve(1)
    assert jane.portal("POST", SHOP, {"referenceIds": [mine]}).status_code == 204
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [mine]}), 40400, NOT_FOUND)
    assert other.portal("POST", OTHER_SHOP, {"referenceIds": [theirs]}).status_code == 204


def test_checkout_accounting_not_set_up(jane):
    """42200 before the credit check; nothing changes."""
    reference = jane.reserve(3, 3)
    jane.admin("POST", "organisations/8888123", {"accounting": False, "credit": 0})
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [reference]}), 42200, "Accounting not set up for this organization.")
    assert jane.group(3)["availability"] == 0


def test_checkout_insufficient_funds(jane):
    """40200 when the total exceeds the credit; the reservation stays held and can be checked out later."""
    reference = jane.reserve(3, 3)
    jane.admin("POST", "organisations/8888123", {"credit": {"amount": 37.49}})
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [reference]}), 40200, "Insufficient funds to complete the transaction.")
    assert jane.group(3)["availability"] == 0 and len(jane.organisation()["numbers"]) == 2
    jane.admin("POST", "organisations/8888123", {"credit": 37.5})
    assert jane.portal("POST", SHOP, {"referenceIds": [reference]}).status_code == 204
    assert jane.organisation()["credit"]["amount"] == 0.0


def test_money_has_no_float_drift(client):
    """Sums are exact: 3 x 0.1 from 0.3 leaves 0.0, not -5.5e-17."""
    data = copy.deepcopy(load_default())
    [group for group in data["number_groups"] if group["groupId"] == 1][0]["cost"]["amount"] = 0.1
    data["organisations"][0]["credit"]["amount"] = 0.3
    client.admin("POST", "reset", {"fixture_data": data})
    client.sign_in()
    assert client.portal("POST", SHOP, {"referenceIds": [client.reserve(1, 3)]}).status_code == 204
    assert client.organisation()["credit"]["amount"] == 0.0


def test_reservation_expiry(jane):
    """After reservation_ttl the reservation frees its numbers and checkout answers 40400."""
    jane.admin("POST", "settings", {"reservation_ttl": 60})
    reference = jane.reserve(2, 2)
    assert jane.group(2)["availability"] == 0
    jane.advance_clock(59)
    assert jane.group(2)["availability"] == 0
    jane.advance_clock(2)
    assert jane.group(2)["availability"] == 2
    assert jane.state()["reservations"][0]["expired"] is True
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [reference]}), 40400, NOT_FOUND)
    fresh = jane.reserve(2, 2)
    assert jane.portal("POST", SHOP, {"referenceIds": [fresh]}).status_code == 204
