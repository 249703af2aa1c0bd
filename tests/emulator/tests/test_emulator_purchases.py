"""The purchase ledger of /_admin/state, and checkouts whose answer is lost after they were applied."""

import datetime
import decimal
import os

import pytest
import requests
import yaml

from emulator_helpers import EMULATOR_DIR, OTHER, OTHER_ORG, SHOP, Client, assert_error

CHECKOUT = {"method": "POST", "path": ".*/numbers/shop"}


def purchases(jane):
    return jane.state()["purchases"]


def checkout(jane, *reference_ids):
    return jane.portal("POST", SHOP, {"referenceIds": list(reference_ids)})


def credit(jane):
    return jane.organisation()["credit"]["amount"]


def assert_paid_once(ledger):
    """No reference id in two purchases (what a test of a client's plan asserts)."""
    seen = [reference for purchase in ledger for reference in purchase["reference_ids"]]
    assert len(seen) == len(set(seen)), ledger


def total(ledger):
    """The sum of the amounts charged, without float drift."""
    return sum((decimal.Decimal(str(purchase["amount"])) for purchase in ledger), decimal.Decimal(0))


def test_ledger_records_each_checkout_in_order(jane):
    """One entry per applied checkout: seq, organisation, reservations, numbers, groups, amount, time."""
    first, second = jane.reserve(1, 2), jane.reserve(3, 1)
    assert checkout(jane, first, second).status_code == 204
    third = jane.reserve(13, 1, ["sms"])
    assert checkout(jane, third).status_code == 204
    ledger = purchases(jane)
    assert [p["seq"] for p in ledger] == [1, 2]
    assert ledger[0]["organisation_id"] == 8888123 and ledger[0]["reference_ids"] == [first, second]
    assert ledger[0]["numbers"] == [33170000000, 33170000001, 33180000000]
    assert ledger[0]["groups"] == [{"group_id": 1, "quantity": 2, "unit_cost": 2.0}, {"group_id": 3, "quantity": 1, "unit_cost": 12.5}]
    assert ledger[0]["amount"] == 16.5
    assert (ledger[1]["reference_ids"], ledger[1]["numbers"], ledger[1]["amount"]) == ([third], [14150006000], 1.0)
    assert_paid_once(ledger)
    assert total(ledger) == decimal.Decimal("17.5") and credit(jane) == 82.5
    owned = [n["number"] for n in jane.organisation()["numbers"]]
    assert all(number in owned for purchase in ledger for number in purchase["numbers"])


def test_ledger_time_is_the_emulator_clock(jane):
    """at is ISO 8601 UTC on the emulator's clock (offset included)."""
    jane.advance_clock(3600)
    assert checkout(jane, jane.reserve(13)).status_code == 204
    at = datetime.datetime.strptime(purchases(jane)[0]["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    ahead = (at - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert 3500 < ahead <= 3600


def test_amounts_are_decimal_exact(jane):
    """Three numbers at 0.1 cost 0.3, not 0.30000000000000004."""
    jane.admin("POST", "reset", {"fixture_data": fixture_with_group_cost(0.1)})
    jane.sign_in()
    assert checkout(jane, jane.reserve(13, 3)).status_code == 204
    ledger = purchases(jane)
    assert ledger[0]["amount"] == 0.3 and ledger[0]["groups"][0]["unit_cost"] == 0.1


def fixture_with_group_cost(cost):
    """The default fixture with group 13 at another cost."""
    with open(os.path.join(EMULATOR_DIR, "fixtures", "default.yml")) as handle:
        data = yaml.safe_load(handle)
    for group in data["number_groups"]:
        if group["groupId"] == 13:
            group["cost"]["amount"] = cost
    return data


def test_failed_checkouts_are_not_recorded(jane):
    """40400 (all or nothing), 40200 and 42200 apply nothing, so they add nothing to the ledger."""
    held = jane.reserve(1)
    assert_error(checkout(jane, held, "00000000-0000-4000-8000-000000000000"), 40400)
    jane.admin("POST", "organisations/8888123", {"credit": 1})
    assert_error(checkout(jane, held), 40200)
    jane.admin("POST", "organisations/8888123", {"credit": 100, "accounting": False})
    assert_error(checkout(jane, held), 42200)
    assert purchases(jane) == []


def test_partial_checkout_records_what_was_applied(jane):
    """checkout_partial: the ledger lists the applied reservation only, and its amount only."""
    jane.admin("POST", "settings", {"checkout_partial": 1})
    held, doomed = jane.reserve(1, 2), jane.reserve(13, 1)
    jane.add_fault(action="expire_reservations", group_id=13, **CHECKOUT)
    assert_error(checkout(jane, held, doomed), 40400)
    ledger = purchases(jane)
    assert len(ledger) == 1 and ledger[0]["reference_ids"] == [held] and ledger[0]["amount"] == 4.0
    assert ledger[0]["groups"] == [{"group_id": 1, "quantity": 2, "unit_cost": 2.0}] and len(ledger[0]["numbers"]) == 2


def test_ledger_keeps_organisations_apart(jane, client):
    """Each entry names the organisation that paid."""
    assert checkout(jane, jane.reserve(13)).status_code == 204
    otto = Client(client.urls).sign_in(OTHER)
    path = "/v1/organisations/id/%d/numbers/shop" % OTHER_ORG
    reference = otto.portal("PUT", path, {"groupId": 75, "quantity": 1}).json()["referenceId"]
    assert otto.portal("POST", path, {"referenceIds": [reference]}).status_code == 204
    assert [(p["organisation_id"], p["amount"]) for p in purchases(jane)] == [(8888123, 1.0), (OTHER_ORG, 2.0)]


def test_checkout_applied_then_error_after(jane):
    """error_after on checkout: the numbers are bought and charged, the answer is a 503; a re-send is 40400, not a second charge."""
    reference = jane.reserve(1, 2)
    jane.add_fault(action="error_after", **CHECKOUT)
    assert_error(checkout(jane, reference), 50300)
    ledger = purchases(jane)
    assert len(ledger) == 1 and ledger[0]["reference_ids"] == [reference] and ledger[0]["amount"] == 4.0
    assert credit(jane) == 96.0 and len(jane.organisation()["numbers"]) == 4
    assert jane.requests_log()[-1]["fault"] == "error_after"
    assert_error(checkout(jane, reference), 40400)
    assert len(purchases(jane)) == 1 and credit(jane) == 96.0


def test_checkout_applied_then_error_after_with_another_error(jane):
    """error_after with a chosen error (e.g. a 500) behaves the same: applied, then that answer."""
    jane.add_fault(action="error_after", status=500, error_code=50000, message="boom", **CHECKOUT)
    assert_error(checkout(jane, jane.reserve(13)), 50000, "boom")
    assert len(purchases(jane)) == 1 and credit(jane) == 99.0


def test_checkout_applied_then_dropped(jane):
    """drop_after on checkout: no answer at all, but the purchase is made and recorded once."""
    reference = jane.reserve(13, 2)
    jane.add_fault(action="drop_after", **CHECKOUT)
    with pytest.raises(requests.exceptions.ConnectionError):
        checkout(jane, reference)
    ledger = purchases(jane)
    assert len(ledger) == 1 and ledger[0]["numbers"] == [14150006000, 14150006001] and credit(jane) == 98.0
    entry = jane.requests_log()[-1]
    assert (entry["status"], entry["fault"]) == (None, "drop_after")
    assert_error(checkout(jane, reference), 40400)
    assert len(purchases(jane)) == 1


def test_checkout_dropped_before_is_not_applied(jane):
    """drop_before on checkout: nothing bought, nothing recorded; the reservation still checks out."""
    reference = jane.reserve(13)
    jane.add_fault(action="drop_before", **CHECKOUT)
    with pytest.raises(requests.exceptions.ConnectionError):
        checkout(jane, reference)
    assert purchases(jane) == [] and credit(jane) == 100.0
    assert checkout(jane, reference).status_code == 204
    assert len(purchases(jane)) == 1


def test_checkout_applied_then_answered_with_html(jane):
    """non_json_after on checkout: a 502 HTML page, and the purchase is recorded."""
    jane.add_fault(action="non_json_after", status=502, **CHECKOUT)
    response = checkout(jane, jane.reserve(75))
    assert response.status_code == 502 and response.headers["Content-Type"].startswith("text/html")
    assert [p["amount"] for p in purchases(jane)] == [2.0] and credit(jane) == 98.0
