# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

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
                                   authorize=lambda m, p, body, ts: signed.append(body) or "Instance i:s", idempotent=False)
    assert signed == [b'{"groupId":13,"quantity":1}']
    assert http.sent[0]["data"] == b'{"groupId":13,"quantity":1}'


def test_get_is_retried_on_503_with_growing_jittered_waits(waits):
    http = FakeHTTP(BUSY, BUSY, FakeResponse(200, [1]))
    resp = transport(http, waits).request("GET", URL, "/v1/x")
    assert resp.data == [1]
    assert len(http.sent) == 3
    assert len(waits) == 2 and 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0


def test_retries_stop_after_the_configured_count(waits):
    http = FakeHTTP(BUSY, BUSY, BUSY)
    with pytest.raises(SinchError) as err:
        transport(http, waits, retries=2).request("GET", URL, "/v1/x")
    assert len(http.sent) == 3
    assert err.value.error_code == 50300 and err.value.status == 503


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_reserve_and_checkout_are_not_repeated_after_a_5xx(method, waits):
    http = FakeHTTP(BUSY)
    with pytest.raises(SinchError) as err:
        transport(http, waits).request(method, URL, "/v1/shop", {"a": 1}, idempotent=False)
    assert len(http.sent) == 1
    assert err.value.outcome_unknown


def test_timeout_of_a_checkout_is_outcome_unknown_and_not_repeated(waits):
    http = FakeHTTP(requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("POST", URL, "/v1/shop", {"a": 1}, idempotent=False)
    assert len(http.sent) == 1
    assert err.value.outcome_unknown and err.value.status is None


def test_429_is_retried_even_for_checkout_and_honours_retry_after(waits):
    limited = FakeResponse(429, {"errorCode": 42900, "message": "Too many requests"}, headers={"Retry-After": "3"})
    http = FakeHTTP(limited, FakeResponse(204))
    transport(http, waits).request("POST", URL, "/v1/shop", {"a": 1}, idempotent=False)
    assert waits == [3.0]


def test_connection_never_made_is_retried_for_any_request(waits):
    http = FakeHTTP(refused(), FakeResponse(204))
    transport(http, waits).request("POST", URL, "/v1/shop", {"a": 1}, idempotent=False)
    assert len(http.sent) == 2


def test_client_errors_are_not_retried_and_carry_the_answer(waits):
    http = FakeHTTP(FakeResponse(400, {"errorCode": 40003, "message": "Invalid number group: 99"}))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("PUT", URL, "/v1/organisations/id/1/numbers/shop", {"groupId": 99}, idempotent=False)
    assert len(http.sent) == 1 and waits == []
    assert (err.value.status, err.value.error_code, err.value.path) == (400, 40003, "v1/organisations/id/1/numbers/shop")
    assert not err.value.outcome_unknown


def test_error_description_is_one_sentence_without_secrets(waits):
    http = FakeHTTP(FakeResponse(401, {"errorCode": 40100, "message": "Invalid identity or password."}))
    with pytest.raises(SinchError) as err:
        transport(http, waits).request("POST", URL, "/v1/users/email/a@example.com/authentication", {"password": "hunter2"},
                                       authorize=lambda *a: "Application key")
    text = err.value.describe("log in to Sinch as email a@example.com")
    assert text.startswith("Could not log in to Sinch as email a@example.com: Sinch answered HTTP 401 errorCode 40100")
    assert "hunter2" not in text and "hunter2" not in repr(err.value.to_result())


def test_invalid_url_names_the_option(waits):
    with pytest.raises(SinchError) as err:
        Transport(session=requests.Session(), sleep=waits.append).request("GET", "not a url", "/v1/x", url_option="portal_api_url")
    assert "Check portal_api_url" in err.value.describe()
    assert waits == []


def test_non_json_error_body_still_gives_a_message(waits):
    http = FakeHTTP(FakeResponse(502, raw=b"<html>bad gateway</html>", reason="Bad Gateway"))
    with pytest.raises(SinchError) as err:
        transport(http, waits, retries=0).request("GET", URL, "/v1/x")
    assert err.value.message == "Bad Gateway"
