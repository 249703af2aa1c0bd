"""html_error faults: gateway pages in HTML (no errorCode) on any path, Retry-After, nothing applied."""

import pytest

from emulator_helpers import SHOP

RESERVE = {"groupId": 1, "quantity": 1}
NUMBERS = "/v1/organisations/id/8888123/numbers"


@pytest.mark.parametrize("status, title", [(500, "500 Internal Server Error"), (502, "502 Bad Gateway"),
                                           (504, "504 Gateway Time-out")])
def test_html_error_answers_a_gateway_page_and_applies_nothing(jane, status, title):
    """The page is text/html with the status in its title; the request is not applied; then normal again."""
    jane.add_fault(method="PUT", path=SHOP, action="html_error", status=status)
    response = jane.portal("PUT", SHOP, RESERVE)
    assert response.status_code == status
    assert "%d %s" % (response.status_code, response.reason) == title
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<title>%s</title>" % title in response.text and "errorCode" not in response.text
    assert jane.state()["reservations"] == []
    assert jane.portal("PUT", SHOP, RESERVE).status_code == 200
    log = jane.requests_log()
    assert [(e["method"], e["status"], e["error_code"], e["fault"]) for e in log[-2:]] == [
        ("PUT", status, None, "html_error"), ("PUT", 200, None, None)]


def test_html_error_defaults_to_502():
    from sinch_emulator.faults import parse_fault
    assert parse_fault({"action": "html_error"}, 1).status == 502


def test_html_error_with_retry_after(jane):
    """retry_after adds a Retry-After header to the page."""
    jane.add_fault(host="portalapi", action="html_error", status=503, retry_after=3600)
    response = jane.portal("GET", NUMBERS)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "3600")


def test_html_404_on_a_wrong_path(jane):
    """A path no route serves answers the fault's HTML 404 (what a wrong base URL meets), not Sinch's 40400 JSON."""
    jane.add_fault(path="/wrong/.*", action="html_error", status=404, count=5)
    response = jane.portal("GET", "/wrong" + NUMBERS)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<title>404 Not Found</title>" in response.text
    assert jane.requests_log()[-1]["fault"] == "html_error"
    # Without the fault, the same wrong path is the emulator's JSON 40400.
    jane.admin("DELETE", "faults")
    assert jane.portal("GET", "/wrong" + NUMBERS).json()["errorCode"] == 40400


def test_html_error_is_listed_with_its_status(jane):
    fault = jane.add_fault(action="html_error", status=504, retry_after=2, count=3)
    assert fault == {"id": fault["id"], "action": "html_error", "remaining": 3, "method": None, "path": None, "host": None,
                     "status": 504, "retry_after": 2}


@pytest.mark.parametrize("fault", [
    {"action": "html_error", "status": 302}, {"action": "html_error", "status": "502"},
    {"action": "html_error", "error_code": 50200}, {"action": "html_error", "message": "x"},
    {"action": "html_error", "retry_after": -1},
])
def test_bad_html_error_is_400(jane, fault):
    response = jane.http.post(jane.urls["api"] + "/_admin/faults", json=fault)
    assert response.status_code == 400
    assert jane.admin("GET", "faults") == []
