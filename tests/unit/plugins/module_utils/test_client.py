# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real client, session and transport over a fake HTTP layer: which calls are sent again, and the journal.

The renting tests replace the client, so the retry flags each client call passes, and the way each
write is recorded in the task's journal, are only visible here: marking checkout safe to repeat, or
checking out several reservations in one request, must fail these tests.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from decimal import Decimal

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
APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
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


def refused_connection():
    # A connection that never reached Sinch: nothing can have been applied.
    return requests.exceptions.ConnectTimeout("connection to p.test timed out before it was established")


NOT_APPLIED = [
    pytest.param(lambda: FakeResponse(503, {"errorCode": 50300, "message": "Service is temporarily unavailable"}), id="503"),
    pytest.param(lambda: FakeResponse(429, {"errorCode": 42900, "message": "Too many requests"}), id="429"),
    pytest.param(refused_connection, id="connection refused"),
]
MAYBE_APPLIED = [
    pytest.param(lambda: gateway(500), id="500 html"),
    pytest.param(lambda: gateway(502), id="502 html"),
    pytest.param(lambda: gateway(504), id="504 html"),
    pytest.param(reset, id="reset before an answer"),
]


@pytest.mark.parametrize("failure", MAYBE_APPLIED)
def test_a_reserve_that_may_have_been_applied_is_not_sent_again(failure):
    # A duplicate reservation would hold the shop's numbers until it expires: the run stops instead.
    sinch, http = client(failure(), RESERVED)
    with pytest.raises(SinchError) as err:
        sinch.reserve(13, 2)
    assert [(r["method"], r["url"]) for r in http.sent] == [("PUT", SHOP)]
    assert sinch.warnings == [] and err.value.attempts == 1


@pytest.mark.parametrize("failure", NOT_APPLIED)
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
        sinch.checkout("ref-1")
    assert [(r["method"], r["url"]) for r in http.sent] == [("POST", SHOP)]
    assert sinch.warnings == []
    assert err.value.attempts == 1
    assert err.value.action == "check out reservation ref-1"


def test_a_checkout_carries_exactly_one_reservation():
    sinch, http = client(CHECKED_OUT)
    sinch.checkout("ref-1", group_id=13, quantity=2)
    assert http.sent[0]["data"] == b'{"referenceIds":["ref-1"]}'


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_on_checkout_leaves_its_outcome_unknown(status):
    sinch, http = client(gateway(status), CHECKED_OUT)
    with pytest.raises(SinchError) as err:
        sinch.checkout("ref-1")
    assert err.value.outcome_unknown and len(http.sent) == 1
    assert [(write.kind, write.status) for write in sinch.journal.writes] == [("checkout", "unknown")]


# --- the journal: every write recorded as it is sent, settled by its answer ------------------------------

def test_a_checkout_is_in_the_journal_keyed_by_its_reservation_with_what_it_buys():
    sinch, _http = client(CHECKED_OUT)
    sinch.checkout("ref-1", group_id=13, quantity=2, unit_cost=Decimal("1.50"), currency_id="usd")
    write = sinch.journal.find("checkout", "ref-1")
    assert write.status == "applied" and write.changed
    assert write.to_result() == {"kind": "checkout", "status": "applied", "reference_id": "ref-1", "group_id": 13,
                                 "quantity": 2, "unit_cost": {"amount": "1.50", "currency_id": "USD"}}
    assert sinch.journal.words() == ("Before it failed, this task bought 2 numbers of group 13 (not listed by Sinch yet) "
                                     "for 3.00 USD a month (reservation ref-1).")


def test_a_write_is_in_the_journal_before_its_answer_arrives():
    seen = []

    class Watching(FakeHTTP):
        def request(self, *args, **kwargs):
            seen.append([(write.kind, write.key, write.changed) for write in sinch.journal.writes])
            return super(Watching, self).request(*args, **kwargs)
    http = Watching(CHECKED_OUT)
    sinch = SinchClient(Session(Transport(session=http, sleep=lambda seconds: None, retries=3), URLS, instance_id="i",
                                instance_secret=SECRET, organisation_id=42))
    sinch.checkout("ref-1")
    assert seen == [[("checkout", ("checkout", "ref-1"), True)]]


def test_a_refused_checkout_is_not_applied_and_no_change():
    refused = FakeResponse(402, {"errorCode": 40200, "message": "Insufficient funds"})
    sinch, _http = client(refused)
    with pytest.raises(SinchError):
        sinch.checkout("ref-1", group_id=13, quantity=1)
    assert sinch.journal.find("checkout", "ref-1").status == "not applied"
    assert sinch.journal.changed is False and sinch.journal.to_result() == {"writes": []}


def test_the_same_checkout_sent_again_is_one_write_in_the_journal():
    sinch, _http = client(gateway(503), CHECKED_OUT)
    with pytest.raises(SinchError):
        sinch.checkout("ref-1", group_id=13, quantity=1)
    sinch.checkout("ref-1", group_id=13, quantity=1)
    assert [(write.key, write.sends, write.status) for write in sinch.journal.writes] == [(("checkout", "ref-1"), 2,
                                                                                          "applied")]


def test_a_reserve_is_held_not_written():
    sinch, _http = client(RESERVED)
    assert sinch.reserve(13, 2) == "ref-2"
    assert sinch.journal.writes == [] and sinch.journal.changed is False
    assert sinch.journal.held == [{"reference_id": "ref-2", "group_id": 13, "quantity": 2}]


def test_application_writes_are_in_the_journal_keyed_by_what_they_write():
    sinch, _http = client(FakeResponse(200, [{"number": 14150005550, "capabilities": ["voice"], "applicationKey": APP}]),
                          FakeResponse(204))
    sinch.set_application_numbers(APP, "voice", ["14150005550", 14150005550])
    sinch.unassign_number(APP, "14150005551")
    assert [write.key for write in sinch.journal.writes] == [("overwrite", (APP, "voice")), ("unassign", (APP, 14150005551))]
    assert [write.to_result() for write in sinch.journal.writes] == [
        {"kind": "overwrite", "status": "applied", "application_key": APP, "capability": "voice",
         "numbers": ["+14150005550"]},
        {"kind": "unassign", "status": "applied", "application_key": APP, "number": "+14150005551"}]


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
