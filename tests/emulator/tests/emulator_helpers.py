"""Helpers of the emulator's own tests: an independent request signer and a small HTTP client.

The signer is written again here, from the API reference, on purpose: it
shares no code with the emulator's verifier nor with the collection's client.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import sys

import requests

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)  # the unit tests import sinch_emulator

APPLICATION_KEY = "669762D5-2B10-44E0-8418-BC9EE4457555"
ORG = 8888123
OTHER_ORG = 7777001
APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
APP2 = "5f1c3a0e-6f4b-4c1e-9a53-2d7e8b9c0a14"
OTHER_APP = "0c6f2d55-8a1e-4b7f-9d3c-6e5a4b3c2d1e"
JANE = ("email", "address@example.com", "correct-horse-battery-staple")
OTHER = ("email", "other@example.com", "other-organisation-password")
SHOP = "/v1/organisations/id/%d/numbers/shop" % ORG
RENTED = "/v1/organisations/id/%d/numbers" % ORG


def sign(secret, method, path, body=b"", content_type="application/json", timestamp=""):
    """Base64(HMAC-SHA256(Base64Decode(secret), METHOD\\nMD5\\nCT\\nx-timestamp:TS\\npath-without-slash))."""
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode() if body else ""
    resource = path[1:] if path.startswith("/") else path
    text = "%s\n%s\n%s\nx-timestamp:%s\n%s" % (method, md5, content_type, timestamp, resource)
    return base64.b64encode(hmac.new(base64.b64decode(secret), text.encode("utf-8"), hashlib.sha256).digest()).decode()


def timestamp(offset=0.0):
    """An x-timestamp value for now + offset seconds: 2015-06-20T11:43:10.944Z."""
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def compact(data):
    """Compact JSON bytes, as the client sends them."""
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


class Client:
    """HTTP access to a running emulator: admin calls, log-in, instances and signed requests.

    ``clock_offset`` follows the emulator's clock offset so that the
    timestamps it sends stay inside the emulator's window.
    """

    def __init__(self, urls):
        self.urls = urls
        self.http = requests.Session()
        self.clock_offset = 0.0
        self.instance_id = None
        self.secret = None

    # -- admin -------------------------------------------------------------
    def admin(self, method, path, body=None, host="portalapi"):
        """Call /_admin/<path>; returns the decoded JSON answer, asserting a 2xx status."""
        response = self.http.request(method, self.urls[host] + "/_admin/" + path, json=body, timeout=10)
        assert response.status_code < 300, response.text
        return response.json()

    def state(self):
        """GET /_admin/state."""
        return self.admin("GET", "state")

    def advance_clock(self, seconds):
        """Move the emulator's clock (and this client's timestamps) forward."""
        self.clock_offset += seconds
        return self.admin("POST", "clock", {"advance_seconds": seconds})

    def requests_log(self):
        """GET /_admin/requests."""
        return self.admin("GET", "requests")

    def add_fault(self, **fault):
        """POST /_admin/faults."""
        return self.admin("POST", "faults", fault)

    def group(self, group_id):
        """One number group of the admin state."""
        return [g for g in self.state()["number_groups"] if g["groupId"] == group_id][0]

    def organisation(self, org_id=ORG):
        """One organisation of the admin state."""
        return [o for o in self.state()["organisations"] if o["id"] == org_id][0]

    # -- session -----------------------------------------------------------
    def login(self, identity_type, identity, password, headers=None):
        """POST /v1/users/{type}/{identity}/authentication; returns the response."""
        sent = {"Authorization": "Application " + APPLICATION_KEY, "x-timestamp": timestamp(self.clock_offset),
                "Content-Type": "application/json"}
        sent.update(headers or {})
        sent = {k: v for k, v in sent.items() if v is not None}
        url = "%s/v1/users/%s/%s/authentication" % (self.urls["userapi"], identity_type, identity)
        return self.http.post(url, data=compact({"password": password}), headers=sent, timeout=10)

    def create_instance(self, token, body=None, headers=None):
        """POST /v1/instance; returns the response."""
        if body is None:
            body = {"authorization": token, "version": {"os": "Linux", "platform": "Python"}}
        sent = {"Authorization": "User " + token, "x-timestamp": timestamp(self.clock_offset), "Content-Type": "application/json"}
        sent.update(headers or {})
        sent = {k: v for k, v in sent.items() if v is not None}
        return self.http.post(self.urls["api"] + "/v1/instance", data=compact(body), headers=sent, timeout=10)

    def sign_in(self, user=JANE):
        """Log in and create an instance; later signed requests use it."""
        response = self.login(*user)
        assert response.status_code == 200, response.text
        instance = self.create_instance(response.json()["authorization"])
        assert instance.status_code == 200, instance.text
        self.instance_id = instance.json()["id"]
        self.secret = instance.json()["secret"]
        return self

    def signed(self, method, host, path, body=None, raw=None, content_type="application/json", ts=None, sign_path=None,
               secret=None, authorization=None, headers=None):
        """Send an instance-signed request; every part of the signature can be overridden to test rejections."""
        data = raw if raw is not None else (compact(body) if body is not None else b"")
        ts = timestamp(self.clock_offset) if ts is None else ts
        signature = sign(secret or self.secret, method, sign_path or path.split("?", 1)[0], data, content_type or "", ts)
        sent = {"x-timestamp": ts, "Authorization": authorization or "Instance %s:%s" % (self.instance_id, signature)}
        if content_type is not None:
            sent["Content-Type"] = content_type
        sent.update(headers or {})
        sent = {k: v for k, v in sent.items() if v is not None}
        return self.http.request(method, self.urls[host] + path, data=data, headers=sent, timeout=10)

    def portal(self, method, path, body=None, **kwargs):
        """A signed request to portalapi."""
        return self.signed(method, "portalapi", path, body=body, **kwargs)

    def reserve(self, group_id, quantity=1, capabilities=None):
        """Reserve and return the referenceId (asserting success)."""
        body = {"groupId": group_id, "quantity": quantity}
        if capabilities is not None:
            body["capabilities"] = capabilities
        response = self.portal("PUT", SHOP, body)
        assert response.status_code == 200, response.text
        return response.json()["referenceId"]


def assert_error(response, error_code, message=None):
    """An error answer: status = first three digits of the code, JSON body with that errorCode."""
    assert response.status_code == int(str(error_code)[:3]), (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"errorCode", "message"}, body
    assert body["errorCode"] == error_code, body
    assert isinstance(body["message"], str) and body["message"]
    if message is not None:
        assert body["message"] == message
    return body
