"""Fault modes for renting reliability: partial checkout, one group's reservations expired, lagging reads
(by count and by time), a group without cost, string ids."""

from emulator_helpers import APP, RENTED, SHOP, assert_error


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


def buy(jane, group_id, quantity=1):
    """Reserve and check out; the numbers the ledger says were bought."""
    assert jane.portal("POST", SHOP, {"referenceIds": [jane.reserve(group_id, quantity)]}).status_code == 204
    return jane.state()["purchases"][-1]["numbers"]


def listed(jane):
    return [n["number"] for n in rented(jane)]


def test_rented_numbers_lag_seconds_hides_a_checkout_until_the_clock_passes(jane):
    """Bought numbers are left out of the rented numbers for N seconds of the emulator's clock; the state has them."""
    settings(jane, rented_numbers_lag_seconds=30)
    before = listed(jane)
    bought = buy(jane, 1, 2)
    assert listed(jane) == before and listed(jane) == before
    assert len(jane.organisation()["numbers"]) == 4
    jane.advance_clock(25)
    assert listed(jane) == before
    jane.advance_clock(10)
    assert listed(jane) == sorted(before + bought)


def test_rented_numbers_lag_seconds_leaves_the_application_read_alone(jane):
    """A hidden number can be put on an application, and the application read lists it."""
    settings(jane, rented_numbers_lag_seconds=60)
    number = buy(jane, 13)[0]
    app_numbers = "/v1/applications/key/%s/numbers" % APP
    assert jane.portal("PUT", app_numbers + "/voice", {"numbers": [14150005551, number]}).status_code == 200
    assert number in [n["number"] for n in jane.portal("GET", app_numbers).json()]
    assert number not in listed(jane)
    settings(jane, rented_numbers_lag_seconds=0)
    assert number in listed(jane)


def test_rented_numbers_lag_seconds_composes_with_the_count_lag(jane):
    """The count lag answers the list as before the last checkout; the time lag then hides the earlier recent ones."""
    settings(jane, rented_numbers_lag=1, rented_numbers_lag_seconds=30)
    fixture = listed(jane)
    first = buy(jane, 1)
    assert listed(jane) == fixture          # count lag (and time lag)
    jane.advance_clock(20)
    second = buy(jane, 75)
    assert listed(jane) == fixture          # count lag hides the second, time lag the first
    assert listed(jane) == fixture          # time lag hides both
    jane.advance_clock(15)
    assert listed(jane) == sorted(fixture + first)
    jane.advance_clock(20)
    assert listed(jane) == sorted(fixture + first + second)


def test_rented_numbers_lag_seconds_under_string_ids(jane):
    """Hidden also when the ids are answered as strings."""
    settings(jane, rented_numbers_lag_seconds=30, string_ids=1)
    buy(jane, 13)
    assert listed(jane) == ["14150005550", "14150005551"]


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
