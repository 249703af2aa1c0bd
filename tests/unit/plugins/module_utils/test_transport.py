# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import time

import pytest
import requests

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._transport import MAX_RETRY_AFTER, RETRY_STATUSES, Transport

from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

URL = "https://portalapi.example.test"
BUSY = FakeResponse(503, {"errorCode": 50300, "message": "Service is temporarily unavailable, please try again later."})


@pytest.fixture
def waits():
    return []


def transport(http, waits, retries=3):
    return Transport(timeout=7, retries=retries, session=http, sleep=waits.append)


def refused():
    class NewConnectionError(Exception):
        pass
    reason = NewConnectionError("refused")
    return requests.exceptions.ConnectionError(type("MaxRetryError", (Exception,), {"reason": reason})())


def test_every_request_has_json_content_type_timestamp_and_timeout(waits):
    http = FakeHTTP(FakeResponse(200, []))
    transport(http, waits).request("GET", URL, "/v1/x", authorize=lambda *a: "Instance i:s")
    sent = http.sent[0]
    assert sent["headers"]["Content-Type"] == "application/json"
    assert sent["headers"]["x-timestamp"].endswith("Z")
    assert sent["headers"]["Authorization"] == "Instance i:s"
    assert sent["timeout"] == 7
    assert sent["data"] is None


def test_body_is_serialised_once_and_the_signed_bytes_are_sent(waits):
    http = FakeHTTP(FakeResponse(200, {"referenceId": "r"}))
    signed = []
    transport(http, waits).request("PUT", URL, "/v1/x", {"groupId": 13, "quantity": 1},
                                   authorize=lambda m, p, body, ts: signed.append(body) or "Instance i:s")
    assert signed == [b'{"groupId":13,"quantity":1}']
    assert http.sent[0]["data"] == b'{"groupId":13,"quantity":1}'


def html(status, reason):
    page = ("<html><head><title>%d %s</title></head><body><h1>%s</h1><p>nginx</p></body></html>" % (status, reason, reason))
    return FakeResponse(status, raw=page.encode(), headers={"Content-Type": "text/html"}, reason=reason)


def answer(status):
    """A JSON error answer with Sinch's errorCode for the status."""
    return FakeResponse(status, {"errorCode": status * 100, "message": "failure %d" % status})


def reset():
    return requests.exceptions.ConnectionError(ConnectionResetError(104, "Connection reset by peer"))


def test_get_is_retried_on_503_with_growing_jittered_waits(waits):
    http = FakeHTTP(BUSY, BUSY, FakeResponse(200, [1]))
    resp = transport(http, waits).request("GET", URL, "/v1/x", retry=True)
    assert resp.data == [1]
    assert len(http.sent) == 3
    assert len(waits) == 2 and 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0


def test_retries_stop_after_the_configured_count(waits):
    http = FakeHTTP(BUSY, BUSY, BUSY)
    with pytest.raises(SinchError) as err:
        transport(http, waits, retries=2).request("GET", URL, "/v1/x", retry=True)
    assert len(http.sent) == 3
    assert err.value.error_code == 50300 and err.value.status == 503
    assert err.value.attempts == 3
    assert "(sent 3 times)" in err.value.describe()


# Every status x marked safe / not marked: how many requests go out with retries=2.
STATUSES = [400, 401, 403, 404, 405, 409, 422, 429, 500, 501, 502, 503, 504, 505]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("retry", [True, False], ids=["safe", "not marked"])
def test_retry_decision_for_every_status(status, retry, waits):
    http = FakeHTTP(answer(status), answer(status), answer(status))
    t = transport(http, waits, retries=2)
    with pytest.raises(SinchError) as err:
        t.request("PUT", URL, "/v1/x", {"a": 1}, retry=retry, action="do x")
    expected = 3 if retry and status in (429, 500, 502, 503, 504) else 1
    assert len(http.sent) == expected
    assert len(waits) == expected - 1
    assert len(t.warnings) == expected - 1
    assert err.value.status == status and err.value.attempts == expected


def test_the_retried_statuses_are_exactly_these():
    assert RETRY_STATUSES == (429, 500, 502, 503, 504)


@pytest.mark.parametrize("failure", [
    pytest.param(reset, id="reset before an answer"),
    pytest.param(refused, id="connection refused"),
    pytest.param(lambda: requests.exceptions.ReadTimeout("read timed out"), id="timeout"),
])
@pytest.mark.parametrize("retry", [True, False], ids=["safe", "not marked"])
def test_retry_decision_for_connection_failures(failure, retry, waits):
    http = FakeHTTP(failure(), FakeResponse(200, {"ok": True}))
    t = transport(http, waits)
    if retry:
        assert t.request("PUT", URL, "/v1/x", {"a": 1}, retry=True).data == {"ok": True}
        assert len(http.sent) == 2 and len(t.warnings) == 1
    else:
        with pytest.raises(SinchError) as err:
            t.request("PUT", URL, "/v1/x", {"a": 1})
        assert len(http.sent) == 1 and t.warnings == [] and err.value.status is None


def test_requests_are_not_retried_unless_marked(waits):
    http = FakeHTTP(BUSY, FakeResponse(200, []))
    with pytest.raises(SinchError):
        transport(http, waits).request("GET", URL, "/v1/x")
    assert len(http.sent) == 1 and waits == []


def test_a_retry_is_a_warning_naming_the_request_the_reason_and_the_try(waits):
    http = FakeHTTP(html(502, "Bad Gateway"), FakeResponse(200, []))
    t = transport(http, waits)
    t.request("GET", URL, "/v1/organisations/id/1/numbers", retry=True, action="list the rented numbers")
    assert len(t.warnings) == 1
    warning = t.warnings[0]
    assert warning.startswith("Sent GET v1/organisations/id/1/numbers (list the rented numbers) again after ")
    assert warning.endswith("because Sinch answered HTTP 502 (Bad Gateway): try 2 of at most 4.")
    assert "<html>" not in warning and "nginx" not in warning


@pytest.mark.parametrize("status, reason", [(500, "Internal Server Error"), (502, "Bad Gateway"), (504, "Gateway Timeout")])
def test_html_error_pages_give_the_status_reason_never_the_page(status, reason, waits):
    http = FakeHTTP(html(status, reason))
    with pytest.raises(SinchError) as err:
        transport(http, waits, retries=0).request("GET", URL, "/v1/x", retry=True)
    assert err.value.message == reason and err.value.error_code is None
    text = err.value.describe()
    assert text == "Could not send GET v1/x: Sinch answered HTTP %d: %s." % (status, reason)


def test_non_json_error_body_without_reason_still_gives_a_message(waits):
    http = FakeHTTP(FakeResponse(502, raw=b"<html>bad gateway</html>", reason=""))
    with pytest.raises(SinchError) as err:
        transport(http, waits, retries=0).request("GET", URL, "/v1/x")
    assert err.value.message == "no message"


def test_retry_after_within_the_cap_is_waited_for_exactly(waits):
    limited = FakeResponse(429, {"errorCode": 42900, "message": "Too many requests"}, headers={"Retry-After": "3"})
    http = FakeHTTP(limited, FakeResponse(200, []))
    transport(http, waits).request("GET", URL, "/v1/x", retry=True)
    assert waits == [3.0]


@pytest.mark.parametrize("retry", [True, False], ids=["safe", "not marked"])
def test_retry_after_beyond_the_cap_fails_at_once_saying_how_long(retry, waits):
    limited = FakeResponse(503, {"errorCode": 50300, "message": "Busy"}, headers={"Retry-After": "3600"})
    http = FakeHTTP(limited, FakeResponse(200, []))
    t = transport(http, waits)
    with pytest.raises(SinchError) as err:
        t.request("GET", URL, "/v1/x", retry=retry)
    assert len(http.sent) == 1 and waits == [] and t.warnings == []
    assert err.value.retry_after == 3600.0
    assert err.value.hint == ("Sinch asked to wait 60 min (Retry-After) before trying again, longer than max_retry_wait "
                              "(60 s): run again after that, or raise max_retry_wait.")
    assert MAX_RETRY_AFTER == 60.0


def test_retry_after_as_an_http_date(waits):
    when = email.utils.formatdate(time.time() + 7230, usegmt=True)  # whole seconds: 7229 to 7230 s from now
    http = FakeHTTP(FakeResponse(429, {"errorCode": 42900, "message": "slow down"}, headers={"Retry-After": when}))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("GET", URL, "/v1/x", retry=True)
    assert len(http.sent) == 1 and err.value.hint.startswith("Sinch asked to wait 2 h 0 min (Retry-After)")


def test_timeout_of_a_checkout_is_outcome_unknown_and_not_repeated(waits):
    http = FakeHTTP(requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("POST", URL, "/v1/shop", {"a": 1})
    assert len(http.sent) == 1
    assert err.value.outcome_unknown and err.value.status is None


def test_client_errors_are_not_retried_and_carry_the_answer(waits):
    http = FakeHTTP(FakeResponse(400, {"errorCode": 40003, "message": "Invalid number group: 99"}))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("PUT", URL, "/v1/organisations/id/1/numbers/shop", {"groupId": 99}, retry=True)
    assert len(http.sent) == 1 and waits == []
    assert (err.value.status, err.value.error_code, err.value.path) == (400, 40003, "v1/organisations/id/1/numbers/shop")
    assert not err.value.outcome_unknown


def test_error_description_is_one_sentence_without_secrets(waits):
    http = FakeHTTP(FakeResponse(401, {"errorCode": 40100, "message": "Invalid identity or password."}))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("POST", URL, "/v1/users/email/a@example.com/authentication", {"password": "hunter2"},
                                       authorize=lambda *a: "Application key", retry=True)
    text = err.value.describe("log in to Sinch as email a@example.com")
    assert text.startswith("Could not log in to Sinch as email a@example.com: Sinch answered HTTP 401 errorCode 40100")
    assert "hunter2" not in text and "hunter2" not in repr(err.value.to_result())


def test_invalid_url_names_the_option(waits):
    with pytest.raises(SinchError) as err:
        Transport(session=requests.Session(), sleep=waits.append).request("GET", "not a url", "/v1/x", url_option="portal_api_url")
    assert "Check portal_api_url" in err.value.describe()
    assert waits == []


@pytest.mark.parametrize("response", [
    pytest.param(FakeResponse(404, raw=b"<html><body>Not Found</body></html>", reason="Not Found"), id="html"),
    pytest.param(FakeResponse(404, {"message": "Not Found"}, reason="Not Found"), id="json without errorCode"),
])
def test_a_404_without_an_error_code_points_at_the_url_not_the_application_key(response, waits):
    http = FakeHTTP(response)
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("GET", URL, "/v1/applications/key/k/numbers", retry=True, url_option="portal_api_url")
    assert len(http.sent) == 1
    assert err.value.hint == ("Nothing answers at this address: check portal_api_url (the host name only, as in the "
                              "module's documentation, with no path).")
    assert "application key" not in err.value.describe()


def test_sinchs_own_404_keeps_its_hint(waits):
    http = FakeHTTP(FakeResponse(404, {"errorCode": 40400, "message": "Application not found"}))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("GET", URL, "/v1/applications/key/k/numbers", url_option="portal_api_url")
    assert err.value.hint.startswith("Check the application key or number")


@pytest.mark.parametrize("offset, words", [(-300, ": it is 5 min ahead of Sinch's"), (400, ": it is 6 min behind Sinch's"),
                                           (None, "")])
def test_40101_says_check_the_clock_and_by_how_much(offset, words, waits):
    headers = {} if offset is None else {"Date": email.utils.formatdate(time.time() + offset, usegmt=True)}
    http = FakeHTTP(FakeResponse(401, {"errorCode": 40101, "message": "Invalid timestamp"}, headers=headers))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("GET", URL, "/v1/x", retry=True)
    assert err.value.hint == ("Check that this host's clock is correct (Sinch refuses requests whose x-timestamp is too far "
                              "off)%s; synchronise it (NTP) and run again." % words)
