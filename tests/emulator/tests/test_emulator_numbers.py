"""Rented numbers, application numbers, overwrite and unassign."""

import urllib.parse

import pytest

from emulator_helpers import APP, APP2, OTHER, OTHER_APP, RENTED, SHOP, Client, assert_error

SEED_NUMBER_0 = {"number": 14150005550, "groupId": 13, "capabilities": ["voice"], "countryId": "US", "city": "SAN FRANCISCO", "country": "US",
                 "areaCode": "415", "expires": "2015-12-31T23:59:59+00:00", "cost": {"amount": 0.0, "currencyId": "USD"}}
SEED_NUMBER_1 = {"number": 14150005551, "groupId": 13, "capabilities": ["voice"], "applicationKey": APP, "countryId": "US",
                 "city": "SAN FRANCISCO", "country": "US", "areaCode": "415", "expires": "2015-12-31T23:59:59+00:00",
                 "cost": {"amount": 0.0, "currencyId": "USD"}}


def app_path(key, suffix=""):
    """/v1/applications/key/{key}/numbers[suffix]."""
    return "/v1/applications/key/%s/numbers%s" % (key, suffix)


def not_found(key):
    """The seed's message for an unknown application."""
    return "Application with the key %s was not found." % key


def rent_sms_voice(client, quantity=2):
    """Rent numbers of group 13 with voice and sms; return them."""
    client.portal("POST", SHOP, {"referenceIds": [client.reserve(13, quantity)]})
    return [n["number"] for n in client.organisation()["numbers"] if n["number"] >= 14150006000]


def test_rented_numbers_as_seed(jane):
    """GET .../numbers: exactly the seed's example, key order included."""
    response = jane.portal("GET", RENTED)
    assert response.status_code == 200
    assert response.json() == [SEED_NUMBER_0, SEED_NUMBER_1]
    assert list(response.json()[1]) == list(SEED_NUMBER_1)


def test_rented_numbers_other_organisation(jane):
    """Another organisation's numbers: 40300."""
    assert_error(jane.portal("GET", "/v1/organisations/id/7777001/numbers"), 40300,
                 "The current user is not the owner of the organisation: 7777001")


def test_application_numbers(jane):
    """GET app numbers: only those assigned to the app; an app without numbers answers []."""
    assert jane.portal("GET", app_path(APP)).json() == [SEED_NUMBER_1]
    response = jane.portal("GET", app_path(APP2))
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("key", [OTHER_APP, "00000000-0000-0000-0000-000000000000", APP.upper()])
def test_application_not_found(jane, key):
    """Unknown application, or another organisation's: 404/40400 on every application endpoint."""
    assert_error(jane.portal("GET", app_path(key)), 40400, not_found(key))
    assert_error(jane.portal("PUT", app_path(key, "/voice"), {"numbers": []}), 40400, not_found(key))
    assert_error(jane.portal("DELETE", app_path(key, "/14150005551")), 40400, not_found(key))


def test_overwrite_seed_example(jane):
    """PUT voice [14150005550]: the voice numbers of the app are replaced."""
    response = jane.portal("PUT", app_path(APP, "/voice"), {"numbers": [14150005550]})
    assert response.status_code == 200
    assert response.json() == [dict(SEED_NUMBER_0, applicationKey=APP)]
    assert [n.get("applicationKey") for n in jane.organisation()["numbers"]] == [APP, None]


def test_overwrite_both_and_empty(jane):
    """Both numbers, then an empty list which unassigns all voice numbers of the app."""
    assert [n["number"] for n in jane.portal("PUT", app_path(APP, "/voice"), {"numbers": [14150005551, 14150005550]}).json()] == [
        14150005550, 14150005551]
    assert jane.portal("PUT", app_path(APP, "/voice"), {"numbers": []}).json() == []
    assert jane.portal("GET", app_path(APP)).json() == []


def test_overwrite_moves_between_applications(jane):
    """A number on another application of the organisation moves."""
    assert jane.portal("PUT", app_path(APP2, "/voice"), {"numbers": [14150005551]}).json()[0]["applicationKey"] == APP2
    assert jane.portal("GET", app_path(APP)).json() == []


def test_overwrite_keeps_other_capability(jane):
    """PUT sms replaces the numbers with sms only; voice-only numbers on the app stay."""
    sms_voice = rent_sms_voice(jane)
    answer = jane.portal("PUT", app_path(APP, "/sms"), {"numbers": sms_voice}).json()
    assert [n["number"] for n in answer] == [14150005551] + sms_voice
    answer = jane.portal("PUT", app_path(APP, "/sms"), {"numbers": [sms_voice[0]]}).json()
    assert [n["number"] for n in answer] == [14150005551, sms_voice[0]]
    answer = jane.portal("PUT", app_path(APP, "/voice"), {"numbers": []}).json()
    assert answer == []


@pytest.mark.parametrize("capability", ["Voice", "SMS", "fax", "14150005550"])
def test_overwrite_invalid_capability(jane, capability):
    """Capability exactly voice or sms, else 40001 with the seed's message."""
    assert_error(jane.portal("PUT", app_path(APP, "/" + capability), {"numbers": [14150005550]}), 40001,
                 "Invalid number type: %s.  Type must be one of: sms, voice." % capability)


@pytest.mark.parametrize("body", [{}, {"numbers": None}, {"numbers": "14150005550"}, {"numbers": ["14150005550"]}, {"numbers": [True]},
                                  {"numbers": [14150005550.0]}, {"number": [14150005550]}])
def test_overwrite_bad_body(jane, body):
    """numbers must be a list of JSON integers: 40001."""
    assert_error(jane.portal("PUT", app_path(APP, "/voice"), body), 40001)


def test_overwrite_validation_is_all_or_nothing(jane):
    """Not rented (40003) or lacking the capability (40001): nothing changes."""
    before = jane.organisation()
    assert_error(jane.portal("PUT", app_path(APP, "/voice"), {"numbers": [14150005550, 14150005990]}), 40003,
                 "The number 14150005990 is not rented by this organisation.")
    assert_error(jane.portal("PUT", app_path(APP, "/voice"), {"numbers": [14150005550, 999]}), 40003,
                 "The number 999 is not rented by this organisation.")
    assert_error(jane.portal("PUT", app_path(APP, "/sms"), {"numbers": [14150005550]}), 40001,
                 "The number 14150005550 does not have the capability sms.")
    assert jane.organisation() == before


def test_unassign(jane):
    """DELETE: 204, the number stays rented without applicationKey; a second DELETE is 404."""
    response = jane.portal("DELETE", app_path(APP, "/14150005551"))
    assert response.status_code == 204 and response.content == b""
    assert jane.portal("GET", RENTED).json() == [SEED_NUMBER_0, dict((k, v) for k, v in SEED_NUMBER_1.items() if k != "applicationKey")]
    assert_error(jane.portal("DELETE", app_path(APP, "/14150005551")), 40400, "The number 14150005551 is not assigned to application %s." % APP)


@pytest.mark.parametrize("number", ["abc", "1415-000", "+", "14150005551x", "%2B%2B1", "%2B14150005551", "0", "014150005551",
                                    "1234567890123456"])
def test_unassign_invalid_number(jane, number):
    """Not the API's long (a bare integer of 7 to 15 digits, no plus): 40003."""
    assert_error(jane.portal("DELETE", app_path(APP, "/" + number), sign_path=app_path(APP, "/" + urllib.parse.unquote(number))), 40003,
                 "The 'number' specified is not a valid number.")


def test_unassign_not_assigned(jane):
    """Rented but on no (or another) application, or not rented: 40400."""
    assert_error(jane.portal("DELETE", app_path(APP, "/14150005550")), 40400, "The number 14150005550 is not assigned to application %s." % APP)
    assert_error(jane.portal("DELETE", app_path(APP2, "/14150005551")), 40400, "The number 14150005551 is not assigned to application %s." % APP2)
    assert_error(jane.portal("DELETE", app_path(APP, "/14150005990")), 40400)


def test_other_organisation_sees_its_own(jane):
    """The second organisation reaches its own application and not Jane's."""
    other = Client(jane.urls).sign_in(OTHER)
    assert [n["number"] for n in other.portal("GET", app_path(OTHER_APP)).json()] == [14150005990]
    assert_error(other.portal("GET", app_path(APP)), 40400, not_found(APP))
    assert_error(other.portal("PUT", app_path(OTHER_APP, "/voice"), {"numbers": [14150005550]}), 40003)
