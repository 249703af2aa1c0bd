# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sinch_number_rent through the real client, session and transport, over a scripted HTTP layer.

The transport's own classification (and its never-retry flags for reserve and checkout) decide here: marking
checkout as safe to retry, or checking out again without reading first, makes these tests fail.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from ansible_collections.sinch.numbers.plugins.module_utils import _lock, _rent
from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._session import Session
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport
from ansible_collections.sinch.numbers.plugins.modules.sinch_number_rent import ARGUMENTS, number_rent
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

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
RESERVED = FakeResponse(200, {"referenceId": "ref-1"})
DONE = FakeResponse(204)
UNAVAILABLE = FakeResponse(503, {"errorCode": 50300, "message": "Service is temporarily unavailable"})


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch, tmp_path):
    monkeypatch.setattr(_rent.time, "sleep", lambda _s: None)
    monkeypatch.setattr(_lock.tempfile, "gettempdir", lambda: str(tmp_path))


def client(http):
    session = Session(Transport(session=http, sleep=lambda s: None, retries=3), URLS, instance_id="i",
                      instance_secret=SECRET, organisation_id=ORG)
    return SinchClient(session)


def wanted(count):
    params = dict((name, None) for name in ARGUMENTS)
    params.update(count=count, group_id=1)
    return params


def sent(http):
    return ["%s %s" % (item["method"], item["url"].split("/numbers")[-1] or "numbers") for item in http.sent]


def test_checkout_answered_503_is_never_retried_by_the_transport_and_is_read_first():
    http = FakeHTTP(NONE, SHOP, RESERVED, UNAVAILABLE, NONE, DONE, ONE)
    result = number_rent(client(http), wanted(1), False)
    assert sent(http) == ["GET numbers", "GET /shop", "PUT /shop", "POST /shop", "GET numbers", "POST /shop", "GET numbers"]
    assert result["changed"] is True and [item["number"] for item in result["rented"]] == [33100000001]
    assert result["rented"][0]["group_id"] == 1


def test_lost_checkout_whose_read_fails_is_not_checked_out_again():
    lost = requests.exceptions.ReadTimeout("read timed out")
    http = FakeHTTP(NONE, SHOP, RESERVED, lost, *([UNAVAILABLE] * 4))
    with pytest.raises(SinchError) as err:
        number_rent(client(http), wanted(1), False)
    assert [line for line in sent(http) if line.startswith("POST")] == ["POST /shop"]
    assert err.value.outcome_unknown is True and err.value.to_result()["changed"] is True
    assert "unknown outcome" in err.value.describe()
