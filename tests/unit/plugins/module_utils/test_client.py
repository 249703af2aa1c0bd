# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real client, session and transport over a fake HTTP layer: which calls are sent again.

The renting tests replace the client, so the retry flags each client call passes are only
visible here: marking checkout safe to repeat must fail these tests.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._session import Session
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

URLS = {"user_api": ("https://u.test", "user_api_url"), "api": ("https://a.test", "api_url"),
        "portal_api": ("https://p.test", "portal_api_url")}
SECRET = "bRo76GRddEyetgJDTgkLHA=="
SHOP = "https://p.test/v1/organisations/id/42/numbers/shop"
RESERVED = FakeResponse(200, {"referenceId": "ref-2"})
CHECKED_OUT = FakeResponse(204)


def gateway(status):
    reasons = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return FakeResponse(status, raw=b"<html><body>%d</body></html>" % status, reason=reasons[status])


def reset():
    return requests.exceptions.ConnectionError(ConnectionResetError(104, "Connection reset by peer"))


FAILURES = [
    pytest.param(lambda: gateway(500), id="500 html"),
    pytest.param(lambda: gateway(502), id="502 html"),
    pytest.param(lambda: FakeResponse(503, {"errorCode": 50300, "message": "Service is temporarily unavailable"}), id="503"),
    pytest.param(lambda: gateway(504), id="504 html"),
    pytest.param(lambda: FakeResponse(429, {"errorCode": 42900, "message": "Too many requests"}), id="429"),
    pytest.param(reset, id="reset before an answer"),
]


def client(*script):
    http = FakeHTTP(*script)
    transport = Transport(session=http, sleep=lambda seconds: None, retries=3)
    return SinchClient(Session(transport, URLS, instance_id="i", instance_secret=SECRET, organisation_id=42)), http


@pytest.mark.parametrize("failure", FAILURES)
def test_reserve_is_sent_again_after_a_failure_and_warned(failure):
    sinch, http = client(failure(), RESERVED)
    assert sinch.reserve(13, 2) == "ref-2"
    assert [(r["method"], r["url"]) for r in http.sent] == [("PUT", SHOP), ("PUT", SHOP)]
    assert http.sent[0]["data"] == http.sent[1]["data"] == b'{"groupId":13,"quantity":2}'
    assert len(sinch.warnings) == 1
    assert sinch.warnings[0].startswith("Sent PUT v1/organisations/id/42/numbers/shop (reserve 2 number(s) of group 13) again")


@pytest.mark.parametrize("failure", FAILURES)
def test_checkout_is_sent_once_whatever_the_failure(failure):
    sinch, http = client(failure(), CHECKED_OUT)
    with pytest.raises(SinchError) as err:
        sinch.checkout(["ref-1"])
    assert [(r["method"], r["url"]) for r in http.sent] == [("POST", SHOP)]
    assert sinch.warnings == []
    assert err.value.attempts == 1
    assert err.value.action == "check out reservation(s) ref-1"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_on_checkout_leaves_its_outcome_unknown(status):
    sinch, http = client(gateway(status), CHECKED_OUT)
    with pytest.raises(SinchError) as err:
        sinch.checkout(["ref-1"])
    assert err.value.outcome_unknown and len(http.sent) == 1


def test_reads_are_sent_again():
    sinch, http = client(gateway(502), FakeResponse(200, []), gateway(504), FakeResponse(200, []))
    assert sinch.list_numbers() == []
    assert sinch.list_number_groups() == []
    assert [r["method"] for r in http.sent] == ["GET"] * 4
    assert len(sinch.warnings) == 2


def test_reserve_gives_up_after_retries_saying_how_many_times_it_was_sent():
    busy = FakeResponse(503, {"errorCode": 50300, "message": "Service is temporarily unavailable"})
    sinch, http = client(busy, busy, busy, busy, RESERVED)
    with pytest.raises(SinchError) as err:
        sinch.reserve(13, 1)
    assert len(http.sent) == 4 and len(sinch.warnings) == 3
    assert err.value.describe().startswith(
        "Could not reserve 1 number(s) of group 13: Sinch answered HTTP 503 errorCode 50300: Service is temporarily "
        "unavailable (sent 4 times).")


APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
APP_ANSWER = FakeResponse(200, [])


@pytest.mark.parametrize("failure, sent", [
    pytest.param(lambda: FakeResponse(503, {"errorCode": 50300, "message": "busy"}), 2, id="503"),
    pytest.param(lambda: FakeResponse(429, {"errorCode": 42900, "message": "slow down"}), 2, id="429"),
    pytest.param(reset, 2, id="reset before an answer"),
    pytest.param(lambda: gateway(500), 1, id="500 html"),
    pytest.param(lambda: gateway(502), 1, id="502 html"),
    pytest.param(lambda: gateway(504), 1, id="504 html"),
])
def test_application_writes_keep_their_narrower_retries(failure, sent):
    # Replaying them is harmless, but a 5xx other than 503 is reported as it came (their
    # honesty about a write that may have been applied lives in _app_numbers).
    sinch, http = client(failure(), APP_ANSWER)
    try:
        sinch.set_application_numbers(APP, "voice", [14150005550])
    except SinchError:
        assert sent == 1
    assert len(http.sent) == sent
    sinch, http = client(failure(), FakeResponse(204))
    try:
        sinch.unassign_number(APP, 14150005550)
    except SinchError:
        assert sent == 1
    assert [r["method"] for r in http.sent] == ["DELETE"] * sent
