"""Many accounts in one emulator: accounts in a fixture or created through the admin API, the request log's
organisation, and faults scoped to one organisation."""

import copy
import os

import pytest
import yaml

from emulator_helpers import EMULATOR_DIR, JANE, ORG, OTHER, OTHER_ORG, Client, assert_error

ACCOUNT = {"id": 9300001, "name": "North", "credit": {"amount": 30.0, "currencyId": "USD"}, "email": "north@example.com",
           "password": "north-password", "applications": ["a0000000-0000-4000-8000-000000000001"],
           "numbers": [{"number": 14150007001, "groupId": 13}]}
NORTH = ("email", "north@example.com", "north-password")


def default_fixture():
    with open(os.path.join(EMULATOR_DIR, "fixtures", "default.yml")) as handle:
        return yaml.safe_load(handle)


def rented(client, org_id):
    return "/v1/organisations/id/%d/numbers" % org_id


def test_an_account_of_the_fixture_logs_in_to_its_own_organisation(client):
    data = default_fixture()
    data["accounts"] = [ACCOUNT, dict(ACCOUNT, id=9300002, email="south@example.com", numbers=[], applications=[])]
    client.admin("POST", "reset", {"fixture_data": data})
    north = Client(client.urls).sign_in(NORTH)
    answer = north.portal("GET", rented(north, 9300001))
    assert answer.status_code == 200
    assert [item["number"] for item in answer.json()] == [14150007001]
    assert_error(north.portal("GET", rented(north, 9300002)), 40300)
    organisations = dict((org["id"], org) for org in client.state()["organisations"])
    assert sorted(organisations) == [7777001, 8888123, 9300001, 9300002]
    assert organisations[9300001]["credit"] == {"amount": 30.0, "currencyId": "USD"}
    assert organisations[9300001]["name"] == "North"


def test_an_account_created_through_the_admin_api(client):
    created = client.admin("POST", "accounts", ACCOUNT)
    assert created["organisation"]["id"] == 9300001
    assert created["organisation"]["applications"] == ACCOUNT["applications"]
    assert isinstance(created["user_id"], int)
    north = Client(client.urls).sign_in(NORTH)
    assert north.portal("GET", rented(north, 9300001)).status_code == 200
    # Reset forgets it: the start fixture again.
    client.admin("POST", "reset")
    assert [org["id"] for org in client.state()["organisations"]] == [7777001, 8888123]


@pytest.mark.parametrize("change, words", [
    ({"id": ORG}, "defined twice"),
    ({"email": "address@example.com"}, "belongs to another user"),
    ({"email": ""}, "email must be a non-empty string"),
    ({"numbers": [{"number": 14150005550, "groupId": 13}]}, "rented twice"),
    ({"applications": ["bb7b4e39-4227-4913-8c81-2db4abb54fb3"]}, "listed twice"),
    ({"colour": "red"}, "unknown key"),
    ({"password": None}, "password must be a string"),
])
def test_a_refused_account_changes_nothing(client, change, words):
    before = client.state()
    body = dict(copy.deepcopy(ACCOUNT), **change)
    response = client.http.post(client.urls["portalapi"] + "/_admin/accounts", json=body, timeout=10)
    assert response.status_code == 400, response.text
    assert words in response.json()["message"]
    after = client.state()
    before.pop("now")
    after.pop("now")
    assert after == before


def test_the_request_log_says_which_organisation_each_request_was_for(client):
    client.admin("POST", "accounts", ACCOUNT)
    north = Client(client.urls).sign_in(NORTH)
    north.portal("GET", rented(north, 9300001))
    jane = Client(client.urls).sign_in(JANE)
    jane.portal("GET", rented(jane, ORG))
    jane.portal("GET", "/v1/applications/key/bb7b4e39-4227-4913-8c81-2db4abb54fb3/numbers")
    client.login("email", "nobody@example.com", "x")
    log = client.requests_log()
    assert [(entry["path"].split("/")[-1], entry["organisation_id"]) for entry in log] == [
        ("authentication", 9300001), ("instance", 9300001), ("numbers", 9300001),
        ("authentication", ORG), ("instance", ORG), ("numbers", ORG), ("numbers", ORG),
        ("authentication", None)]


def test_a_fault_scoped_to_an_organisation_leaves_the_others_clean(client):
    client.admin("POST", "accounts", ACCOUNT)
    fault = client.add_fault(action="error", organisation_id=9300001, count=5)
    assert fault["organisation_id"] == 9300001
    jane = Client(client.urls).sign_in(JANE)
    assert jane.portal("GET", rented(jane, ORG)).status_code == 200
    other = Client(client.urls).sign_in(OTHER)
    assert other.portal("GET", rented(other, OTHER_ORG)).status_code == 200
    assert_error(client.login(*NORTH), 50300)
    assert client.admin("GET", "faults")[0]["remaining"] == 4
    log = client.requests_log()
    assert [entry["fault"] for entry in log if entry["organisation_id"] != 9300001] == [None] * 6
    assert [entry["fault"] for entry in log if entry["organisation_id"] == 9300001] == ["error"]


def test_expire_reservations_scoped_to_an_organisation_expires_only_its_own(client):
    jane = Client(client.urls).sign_in(JANE)
    other = Client(client.urls).sign_in(OTHER)
    jane.reserve(1)
    other_shop = "/v1/organisations/id/%d/numbers/shop" % OTHER_ORG
    assert other.portal("PUT", other_shop, {"groupId": 1, "quantity": 1}).status_code == 200
    client.add_fault(action="expire_reservations", organisation_id=OTHER_ORG)
    other.portal("GET", other_shop)
    expired = dict((r["organisation_id"], r["expired"]) for r in client.state()["reservations"])
    assert expired == {ORG: False, OTHER_ORG: True}


@pytest.mark.parametrize("value", [0, -1, "9300001", True, 1.5])
def test_a_bad_organisation_id_of_a_fault_is_refused(client, value):
    response = client.http.post(client.urls["portalapi"] + "/_admin/faults", json={"action": "error", "organisation_id": value},
                                timeout=10)
    assert response.status_code == 400
    assert "organisation_id must be a positive integer" in response.json()["message"]
