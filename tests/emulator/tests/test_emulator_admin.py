"""The admin API: state, reset, settings, clock, organisations, request log."""

import os
import tempfile

import yaml

from emulator_helpers import APP, EMULATOR_DIR, JANE, RENTED, SHOP


def load_default():
    """The default fixture as data."""
    with open(os.path.join(EMULATOR_DIR, "fixtures", "default.yml")) as handle:
        return yaml.safe_load(handle)


def test_health_on_every_port(client):
    """/_admin/health answers on the three hosts."""
    for host in ("userapi", "api", "portalapi"):
        assert client.admin("GET", "health", host=host) == {"status": "ok"}


def test_state_is_deterministic(client):
    """The same state twice gives the same JSON (apart from the clock)."""
    first, second = client.state(), client.state()
    first.pop("now")
    second.pop("now")
    assert first == second
    assert [o["id"] for o in first["organisations"]] == [7777001, 8888123]
    assert first["settings"] == {"instance_ttl": 172800, "number_expiry_days": 30, "reservation_ttl": 900, "timestamp_tolerance": 600,
                                 "checkout_partial": 0, "string_ids": 0, "rented_numbers_lag": 0, "hide_cost_group": 0,
                                 "rented_numbers_lag_seconds": 0}
    assert first["reservations"] == [] and first["purchases"] == [] and first["instances"] == 0 and first["clock_offset_seconds"] == 0


def test_reset_clears_what_requests_created(jane):
    """Reset reloads the fixture and clears log, faults, instances, reservations, purchases and clock offset."""
    jane.reserve(1)
    assert jane.portal("POST", SHOP, {"referenceIds": [jane.reserve(13)]}).status_code == 204
    assert len(jane.state()["purchases"]) == 1
    jane.add_fault(action="error", host="userapi")
    jane.admin("POST", "clock", {"offset_seconds": 30})
    jane.admin("POST", "settings", {"reservation_ttl": 5})
    state = jane.admin("POST", "reset")
    assert state["purchases"] == [] and state["reservations"] == [] and state["instances"] == 0 and state["clock_offset_seconds"] == 0
    assert state["settings"]["reservation_ttl"] == 900
    assert jane.admin("GET", "faults") == [] and jane.requests_log() == []


def test_reset_with_fixture_file_and_data(client):
    """A fixture path or inline data; the start fixture remains the default."""
    data = load_default()
    data["organisations"][0]["name"] = "Renamed"  # Acme, listed second in the state (sorted by id)
    handle, path = tempfile.mkstemp(suffix=".yml")
    with os.fdopen(handle, "w") as out:
        yaml.safe_dump(data, out)
    try:
        assert client.admin("POST", "reset", {"fixture": path})["organisations"][1]["name"] == "Renamed"
    finally:
        os.remove(path)
    data["settings"] = {"reservation_ttl": 7}
    assert client.admin("POST", "reset", {"fixture_data": data})["settings"]["reservation_ttl"] == 7
    assert client.admin("POST", "reset")["organisations"][1]["name"] == "Acme"


def test_reset_with_broken_fixture_changes_nothing(client):
    """A fixture that breaks the schema is refused with 400 and the state stays."""
    client.admin("POST", "settings", {"reservation_ttl": 5})
    for broken in ({"organisations": [{"id": 1}]}, {"typo": []}, {"number_groups": [{"groupId": 1}]}, [1],
                   {"users": [{"id": 1, "organisation_id": 404, "password": "x", "identities": []}]}):
        response = client.http.post(client.urls["api"] + "/_admin/reset", json={"fixture_data": broken})
        assert response.status_code == 400, broken
        assert response.json()["errorCode"] == 40001
    response = client.http.post(client.urls["api"] + "/_admin/reset", json={"fixture": "/nonexistent/fixture.yml"})
    assert response.status_code == 400
    assert client.state()["settings"]["reservation_ttl"] == 5


def test_settings(client):
    """Partial update; unknown keys and bad values refused."""
    assert client.admin("POST", "settings", {"reservation_ttl": 1})["reservation_ttl"] == 1
    for bad in ({"reservation_ttl": -1}, {"reservation_ttl": "1"}, {"nope": 1}, {"instance_ttl": True}):
        assert client.http.post(client.urls["userapi"] + "/_admin/settings", json=bad).status_code == 400
    assert client.state()["settings"]["reservation_ttl"] == 1


def test_clock(client):
    """offset_seconds sets, advance_seconds adds."""
    assert client.admin("POST", "clock", {"offset_seconds": 100})["offset_seconds"] == 100
    assert client.admin("POST", "clock", {"advance_seconds": 20})["offset_seconds"] == 120
    assert client.state()["clock_offset_seconds"] == 120
    assert client.http.post(client.urls["api"] + "/_admin/clock", json={"offset": 1}).status_code == 400


def test_organisation_update(client):
    """credit (number or {amount}) and accounting; 404 for an unknown organisation."""
    org = client.admin("POST", "organisations/8888123", {"credit": 5, "accounting": False})
    assert org["credit"] == {"amount": 5.0, "currencyId": "USD"} and org["accounting"] is False
    assert client.admin("POST", "organisations/8888123", {"credit": {"amount": 7.25}})["credit"]["amount"] == 7.25
    assert client.http.post(client.urls["api"] + "/_admin/organisations/1", json={"credit": 1}).status_code == 404
    assert client.http.post(client.urls["api"] + "/_admin/organisations/8888123", json={"credit": "1"}).status_code == 400
    assert client.http.post(client.urls["api"] + "/_admin/organisations/8888123", json={"accounting": "no"}).status_code == 400


def test_request_log(jane):
    """Every non-admin request in order, secrets redacted; DELETE clears."""
    log = jane.requests_log()
    assert [(e["seq"], e["host"], e["method"], e["path"], e["status"]) for e in log] == [
        (1, "userapi", "POST", "/v1/users/email/address@example.com/authentication", 200),
        (2, "api", "POST", "/v1/instance", 200),
    ]
    assert log[0]["body"] == {"password": "***"}
    assert log[1]["body"] == {"authorization": "***", "version": {"os": "Linux", "platform": "Python"}}
    assert JANE[2] not in str(log)
    jane.portal("GET", SHOP + "?type=sms")
    jane.portal("PUT", SHOP, {"groupId": 99, "quantity": 1})
    entries = jane.requests_log()[2:]
    assert entries[0]["query"] == {"type": "sms"} and entries[0]["body"] is None and entries[0]["error_code"] is None
    assert (entries[1]["status"], entries[1]["error_code"], entries[1]["body"]) == (400, 40003, {"groupId": 99, "quantity": 1})
    assert jane.admin("DELETE", "requests") == {"cleared": True}
    assert jane.requests_log() == []


def test_secrets_lists_what_was_issued(jane):
    """/_admin/secrets returns the user authorizations and instance secrets handed out, for leak checks."""
    before = jane.admin("GET", "secrets")
    jane.admin("POST", "reset")
    assert jane.admin("GET", "secrets") == {"user_authorizations": [], "instance_secrets": []}
    assert before["instance_secrets"] and before["user_authorizations"]


def test_a_number_changed_as_in_the_dashboard(jane):
    """POST /_admin/numbers/N: off its application, on another, a new expiry; the API answers accordingly."""
    answer = jane.admin("POST", "numbers/14150005551", {"application_key": None})
    assert "applicationKey" not in answer and answer["number"] == 14150005551
    listed = {item["number"]: item for item in jane.portal("GET", RENTED).json()}
    assert "applicationKey" not in listed[14150005551]
    jane.admin("POST", "numbers/14150005550", {"application_key": APP, "expires": "2030-01-01T00:00:00+00:00"})
    listed = {item["number"]: item for item in jane.portal("GET", RENTED).json()}
    assert listed[14150005550]["applicationKey"] == APP and listed[14150005550]["expires"] == "2030-01-01T00:00:00+00:00"
    assert jane.admin("GET", "requests")[-1]["method"] == "GET"  # admin calls are not logged


def test_a_number_change_is_refused_when_it_cannot_be(client):
    for path, body in (("numbers/14150005551", {"application_key": "0c6f2d55-8a1e-4b7f-9d3c-6e5a4b3c2d1e"}),
                       ("numbers/14150005551", {"colour": "red"}), ("numbers/14150005551", {}),
                       ("numbers/14150005551", {"expires": 5})):
        response = client.http.request("POST", client.urls["portalapi"] + "/_admin/" + path, json=body, timeout=10)
        assert response.status_code == 400 and response.json()["errorCode"] == 40001, (body, response.text)
    response = client.http.request("POST", client.urls["portalapi"] + "/_admin/numbers/19999999999", json={}, timeout=10)
    assert response.status_code == 404
    state = {n["number"]: n for org in client.state()["organisations"] for n in org["numbers"]}
    assert state[14150005551]["applicationKey"] == APP
