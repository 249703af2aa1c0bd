"""Fault modes for renting reliability: partial checkout, one group's reservations expired, lagging reads,
a group without cost, string ids."""

from emulator_helpers import RENTED, SHOP, assert_error


def settings(jane, **values):
    jane.admin("POST", "settings", values)


def credit(jane):
    return jane.organisation()["credit"]["amount"]


def rented(jane):
    response = jane.portal("GET", RENTED)
    assert response.status_code == 200
    return response.json()


def test_all_or_nothing_by_default_applies_nothing_when_one_reservation_expired(jane):
    held, doomed = jane.reserve(1, 2), jane.reserve(13, 1)
    jane.add_fault(method="POST", path=SHOP, action="expire_reservations", group_id=13)
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [held, doomed]}), 40400)
    assert len(rented(jane)) == 2 and credit(jane) == 100.0
    reservations = dict((r["group_id"], r["expired"]) for r in jane.state()["reservations"])
    assert reservations == {1: False, 13: True}
    # The still-held one can be checked out on its own.
    assert jane.portal("POST", SHOP, {"referenceIds": [held]}).status_code == 204
    assert len(rented(jane)) == 4 and credit(jane) == 96.0


def test_partial_checkout_applies_the_valid_reservations_and_answers_40400(jane):
    settings(jane, checkout_partial=1)
    held, doomed = jane.reserve(1, 2), jane.reserve(13, 1)
    jane.add_fault(method="POST", path=SHOP, action="expire_reservations", group_id=13)
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [held, doomed]}), 40400)
    assert sorted(n["groupId"] for n in rented(jane)) == [1, 1, 13, 13] and credit(jane) == 96.0
    # The applied reservation is consumed: checking it out again is 40400 and charges nothing.
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [held]}), 40400)
    assert credit(jane) == 96.0


def test_expire_reservations_group_id_must_be_an_integer(jane):
    response = jane.http.post(jane.urls["portalapi"] + "/_admin/faults", json={"action": "expire_reservations", "group_id": "13"})
    assert response.status_code == 400 and "group_id must be an integer" in response.json()["message"]


def test_rented_numbers_lag_n_reads_after_a_checkout(jane):
    settings(jane, rented_numbers_lag=2)
    before = rented(jane)
    assert jane.portal("POST", SHOP, {"referenceIds": [jane.reserve(1, 1)]}).status_code == 204
    assert rented(jane) == before and rented(jane) == before
    assert len(rented(jane)) == 3
    assert len(jane.organisation()["numbers"]) == 3


def test_group_without_cost_is_listed_without_it_and_still_charged(jane):
    settings(jane, hide_cost_group=75)
    groups = dict((g["groupId"], g) for g in jane.portal("GET", SHOP).json())
    assert "cost" not in groups[75] and groups[1]["cost"] == {"amount": 2.0, "currencyId": "USD"}
    assert jane.portal("POST", SHOP, {"referenceIds": [jane.reserve(75, 1)]}).status_code == 204
    assert credit(jane) == 98.0


def test_string_ids(jane):
    settings(jane, string_ids=1)
    groups = jane.portal("GET", SHOP).json()
    assert groups[0]["groupId"] == "1"
    numbers = rented(jane)
    assert numbers[0]["number"] == "14150005550" and numbers[0]["groupId"] == "13"
    # Requests still need JSON integers.
    assert_error(jane.portal("PUT", SHOP, {"groupId": "1", "quantity": 1}), 40001)
