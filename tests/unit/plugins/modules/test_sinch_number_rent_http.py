# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_rent through the real client, session and transport, over a scripted HTTP layer.

The transport's own classification (and its never-retry flag for checkout) decide here: marking checkout as safe
to retry in the transport, or checking out more than one reservation per request, makes these tests fail. The
purchase itself sends the checkout of one reservation again after a lost answer (a reservation is bought once).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import requests

from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
from ansible_collections.sinch.numbers.plugins.module_utils._rent import number_rent
from ansible_collections.sinch.numbers.plugins.module_utils._session import Session
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_rent import ARGUMENTS
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse
from ansible_collections.sinch.numbers.tests.unit.plugins.modules.rent_fakes import module_params, run_module

URLS = {"user_api": ("https://u.test", "user_api_url"), "api": ("https://a.test", "api_url"),
        "portal_api": ("https://p.test", "portal_api_url")}
SECRET = "bRo76GRddEyetgJDTgkLHA=="
ORG = 8888123
GROUP = {"groupId": "1", "country": "FR", "countryId": "FR", "city": "PARIS", "type": "Voice", "availability": "7",
         "areaCode": "01", "cost": {"amount": "2.0", "currencyId": "USD"}, "capabilities": ["voice"]}


def number(value):
    return {"number": str(value), "groupId": "1", "capabilities": ["voice"], "countryId": "FR", "city": "PARIS",
            "cost": {"amount": 2.0, "currencyId": "USD"}}


NONE = FakeResponse(200, [])
ONE = FakeResponse(200, [number(33100000001)])
SHOP = FakeResponse(200, [GROUP])
DONE = FakeResponse(204)
UNAVAILABLE = FakeResponse(503, {"errorCode": 50300, "message": "Service is temporarily unavailable"})


def reserved(reference_id):
    return FakeResponse(200, {"referenceId": reference_id})


def client(http):
    session = Session(Transport(session=http, sleep=lambda s: None, retries=3), URLS, instance_id="i",
                      instance_secret=SECRET, organisation_id=ORG)
    return SinchClient(session)


def wanted(tmp_path, count, **values):
    return module_params(ARGUMENTS, count=count, group_id=1, lock_path=str(tmp_path), **values)


def sent(http):
    return ["%s %s" % (item["method"], item["url"].split("/numbers")[-1] or "numbers") for item in http.sent]


def checkouts(http):
    return [json.loads(item["data"]) for item in http.sent if item["method"] == "POST"]


def fast(**values):
    values.setdefault("settle_delays", (0.1,))
    values.setdefault("resend_delays", (0.1,))
    return dict(sleep=lambda s: None, **values)


def test_a_checkout_answered_503_is_not_retried_by_the_transport_but_sent_again_alone(tmp_path):
    http = FakeHTTP(NONE, SHOP, reserved("ref-1"), UNAVAILABLE, DONE, ONE)
    sinch = client(http)
    result = number_rent(sinch, wanted(tmp_path, 1), False, **fast())
    assert sent(http) == ["GET numbers", "GET /shop", "PUT /shop", "POST /shop", "POST /shop", "GET numbers"]
    assert checkouts(http) == [{"referenceIds": ["ref-1"]}, {"referenceIds": ["ref-1"]}]
    assert result["changed"] is True and [item["number"] for item in result["rented"]] == [33100000001]
    assert result["rented"][0]["group_id"] == 1
    assert result["spent"] == {"amount": "2.00", "currency_id": "USD"}
    # The transport never repeated the checkout on its own: no "Sent ... again" warning for it.
    assert not [text for text in sinch.warnings if "POST" in text]


def test_two_groups_are_two_checkouts_of_one_reference_each(tmp_path):
    second = dict(GROUP, groupId="2", availability="1", cost={"amount": "3.0", "currencyId": "USD"})
    two = FakeResponse(200, [number(33100000001), dict(number(33200000001), groupId="2")])
    first = dict(GROUP, availability="1")
    http = FakeHTTP(NONE, FakeResponse(200, [first, second]), reserved("ref-a"), reserved("ref-b"), DONE, DONE, two)
    result = number_rent(client(http), module_params(ARGUMENTS, count=2, country_id="FR", lock_path=str(tmp_path)),
                         False, **fast())
    assert checkouts(http) == [{"referenceIds": ["ref-a"]}, {"referenceIds": ["ref-b"]}]
    assert result["reference_ids"] == ["ref-a", "ref-b"] and result["rented_count"] == 2


def test_a_lost_checkout_whose_reads_fail_is_reported_as_unknown_with_changed(tmp_path):
    lost = requests.exceptions.ReadTimeout("read timed out")
    http = FakeHTTP(NONE, SHOP, reserved("ref-1"), lost, lost, *([UNAVAILABLE] * 4))
    module = run_module(number_rent, client(http), wanted(tmp_path, 1), **fast(settle_delays=()))
    result = module.failed
    assert checkouts(http) == [{"referenceIds": ["ref-1"]}] * 2
    assert result["changed"] is True and result["spent"]["amount"] is None
    assert result["maybe_rented_count"] == 1
    assert "whether it was bought is unknown" in result["msg"]
    assert "may have bought 1 number of group 1 for 2.00 USD a month (reservation ref-1)" in result["msg"]
    assert [(write["kind"], write["reference_id"], write["status"]) for write in result["writes"]] == [
        ("checkout", "ref-1", "unknown")]


def test_a_resent_checkout_answered_40400_is_read_to_tell_consumed_from_expired(tmp_path):
    gone = FakeResponse(404, {"errorCode": 40400, "message": "Reservation not found"})
    http = FakeHTTP(NONE, SHOP, reserved("ref-1"), UNAVAILABLE, gone, ONE)
    result = number_rent(client(http), wanted(tmp_path, 1), False, **fast())
    # Consumed by the first send: the read shows the number, bought once.
    assert sent(http)[-3:] == ["POST /shop", "POST /shop", "GET numbers"]
    assert result["rented_count"] == 1 and result["spent"] == {"amount": "2.00", "currency_id": "USD"}
