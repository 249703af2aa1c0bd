"""Fault injection through /_admin/faults."""

import time

import pytest
import requests

from emulator_helpers import APP, SHOP, assert_error

RESERVE = {"groupId": 1, "quantity": 1}


def test_error_fault_not_applied(jane):
    """error: 503/50300 with the default message, nothing applied; count consumed, then normal again."""
    jane.add_fault(method="PUT", path=SHOP, count=2, action="error")
    for _attempt in range(2):
        assert_error(jane.portal("PUT", SHOP, RESERVE), 50300, "Service is temporarily unavailable, please try again later.")
    assert jane.state()["reservations"] == []
    assert jane.admin("GET", "faults") == []
    assert jane.portal("PUT", SHOP, RESERVE).status_code == 200
    log = jane.requests_log()
    assert [(e["method"], e["status"], e["error_code"], e["fault"]) for e in log[-3:]] == [
        ("PUT", 503, 50300, "error"), ("PUT", 503, 50300, "error"), ("PUT", 200, None, None)]


def test_error_fault_rate_limited(jane):
    """error with 429/42900 and retry_after: a Retry-After header."""
    jane.add_fault(host="portalapi", action="error", status=429, error_code=42900, message="Too many requests.", retry_after=3)
    response = jane.portal("GET", SHOP)
    assert_error(response, 42900, "Too many requests.")
    assert response.headers["Retry-After"] == "3"


def test_error_fault_status_from_code(jane):
    """Only error_code given: the status follows it."""
    jane.add_fault(action="error", error_code=50000, message="boom")
    assert_error(jane.portal("GET", SHOP), 50000, "boom")


def test_error_after_applies(jane):
    """error_after: the reservation is made, the answer is lost."""
    jane.add_fault(method="PUT", action="error_after")
    assert_error(jane.portal("PUT", SHOP, RESERVE), 50300)
    assert len(jane.state()["reservations"]) == 1
    assert jane.requests_log()[-1]["fault"] == "error_after"


def test_latency(jane):
    """latency: the request is slowed down, then handled normally."""
    jane.add_fault(action="latency", seconds=0.4, host="api")
    started = time.monotonic()
    assert jane.signed("GET", "api", "/v1/organisations").status_code == 200
    assert time.monotonic() - started >= 0.4


def test_drop_before(jane):
    """drop_before: the connection closes with no answer and nothing is applied; the server lives on."""
    jane.add_fault(method="PUT", path=SHOP, action="drop_before")
    with pytest.raises(requests.exceptions.ConnectionError):
        jane.portal("PUT", SHOP, RESERVE)
    assert jane.state()["reservations"] == []
    assert jane.portal("PUT", SHOP, RESERVE).status_code == 200
    entry = jane.requests_log()[-2]
    assert (entry["status"], entry["error_code"], entry["fault"]) == (None, None, "drop_before")


def test_drop_after(jane):
    """drop_after: applied, then the connection closes with no answer."""
    jane.add_fault(method="DELETE", action="drop_after")
    with pytest.raises(requests.exceptions.ConnectionError):
        jane.portal("DELETE", "/v1/applications/key/%s/numbers/14150005551" % APP)
    assert all("applicationKey" not in n for n in jane.organisation()["numbers"])
    assert jane.requests_log()[-1]["fault"] == "drop_after"


def test_expire_reservations_then_reserve_again(jane):
    """expire_reservations: checkout answers 40400; a new reservation checks out."""
    reference = jane.reserve(2, 2)
    jane.add_fault(method="POST", path=".*/numbers/shop", action="expire_reservations")
    assert_error(jane.portal("POST", SHOP, {"referenceIds": [reference]}), 40400)
    assert jane.group(2)["availability"] == 2
    assert jane.portal("POST", SHOP, {"referenceIds": [jane.reserve(2, 2)]}).status_code == 204


def test_filters(jane):
    """method, host and path (re.fullmatch) must all match; the first matching fault is consumed."""
    jane.add_fault(host="api", action="error")
    jane.add_fault(path="/v1/organisations/id/[0-9]+/numbers", action="error", error_code=50001)
    jane.add_fault(path="/v1/organisations/id/[0-9]+/numbers.*", action="error", error_code=50002)
    assert jane.portal("GET", SHOP).json()["errorCode"] == 50002
    assert jane.portal("GET", "/v1/organisations/id/8888123/numbers").json()["errorCode"] == 50001
    assert jane.signed("GET", "api", "/v1/organisations").json()["errorCode"] == 50300
    assert jane.portal("GET", SHOP).status_code == 200
    assert jane.admin("GET", "faults") == []


def test_every_nth_matching_request(jane):
    """every: N faults the Nth, 2Nth... matching request only; the others fall through to later rules."""
    assert jane.add_fault(path=SHOP, method="GET", action="error", every=3, count=2)["every"] == 3
    jane.add_fault(path=SHOP, method="GET", action="error", error_code=50001)
    statuses = [jane.portal("GET", SHOP).status_code for _request in range(7)]
    # 1st: not the first rule's turn, the second rule answers 500; 3rd and 6th: the first rule's turns.
    assert statuses == [500, 200, 503, 200, 200, 503, 200]
    assert jane.admin("GET", "faults") == []


def test_admin_never_faulted_nor_logged(jane):
    """A fault matching everything leaves /_admin alone and keeps its count."""
    jane.add_fault(action="drop_before")
    jane.admin("DELETE", "requests")
    assert jane.admin("GET", "health") == {"status": "ok"}
    assert jane.state()["instances"] == 1
    faults = jane.admin("GET", "faults")
    assert len(faults) == 1 and faults[0]["remaining"] == 1
    assert jane.requests_log() == []
    assert jane.admin("DELETE", "faults") == {"cleared": 1}
    assert jane.admin("GET", "faults") == []


@pytest.mark.parametrize("fault", [
    {}, {"action": "explode"}, {"action": "error", "count": 0}, {"action": "error", "path": "("}, {"action": "error", "host": "www"},
    {"action": "latency"}, {"action": "error", "status": 9}, {"action": "error", "typo": 1}, {"action": "error", "count": "2"},
    {"action": "error", "every": 0}, {"action": "error", "every": True},
])
def test_bad_fault_is_400(jane, fault):
    """Invalid fault definitions are refused."""
    response = jane.http.post(jane.urls["api"] + "/_admin/faults", json=fault)
    assert response.status_code == 400
    assert jane.admin("GET", "faults") == []
