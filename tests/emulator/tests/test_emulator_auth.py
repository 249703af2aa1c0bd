"""Signing, signature rejection, authorization schemes and the timestamp window."""

import datetime

import pytest
import yaml

from emulator_helpers import APP, EMULATOR_DIR, RENTED, SHOP, assert_error, sign, timestamp
from sinch_emulator import auth
from sinch_emulator.timeutil import parse_timestamp

SEED_SECRET = "bRo76GRddEyetgJDTgkLHA=="
SEED_INSTANCE = "00a3ffb1-0808-4dd4-9c7d-e4383d82e445"
SEED_TIMESTAMP = "2015-06-20T11:43:10.944Z"
SHOP_RESOURCE = "v1/organisations/id/8888123/numbers/shop"
APP_RESOURCE = "v1/applications/key/bb7b4e39-4227-4913-8c81-2db4abb54fb3/numbers"

# The seed's examples: (method, resource, body, signature). The reserve example
# is reproduced with {"groupId":13,"quantity":1} (no capabilities), as in the protocol notes.
SEED_SIGNATURES = [
    ("GET", "v1/organisations", b"", "bb9i9SGuw8mPspPF6WHzIZxw4yQxdOwGaDliMi+IhCU="),
    ("GET", SHOP_RESOURCE, b"", "jYJQFcgc1uh7DO2uQZyLu7rpxOc3jXjcuQNKWiHFJiI="),
    ("PUT", SHOP_RESOURCE, b'{"groupId":13,"quantity":1}', "a6p7RYw8bMr3JuZh1LArvWTLJjIgCeQj5nsRZaXW7VQ="),
    ("POST", SHOP_RESOURCE, b'{"referenceIds":["c8b27491-3379-44f3-af31-fbbfbb2ba510"]}', "FN0oGGh6UAzdP8WVVwgbhXqUM2KJpHoWgjcgUKpS3bU="),
    ("GET", "v1/organisations/id/8888123/numbers", b"", "PToDaAs7AiJDqGKZHCl3mayEigGWodVfg4fSlkAYLHg="),
    ("GET", APP_RESOURCE, b"", "VE1UwyOa8r9DscyBWGVZ43qEDn+SGJGoNe2aN8WrR+8="),
    ("DELETE", APP_RESOURCE + "/14150005551", b"", "EA85F4qGFB0+tYZUh68g22R8DgtzxpsCXttLq1NKPgM="),
]
# The seed's "overwrite" example is signed with method GET (a mistake of the seed), not PUT.
SEED_OVERWRITE = ("GET", APP_RESOURCE + "/voice", b'{"numbers":[14150005550]}', "6mLYthlkatoYKkq15oI/RuwtC8sIwfJsPrSHkOLDmUM=")


@pytest.mark.parametrize("method,resource,body,signature", SEED_SIGNATURES + [SEED_OVERWRITE])
def test_seed_signatures(method, resource, body, signature):
    """The test signer and the emulator's verifier both reproduce the seed's signatures byte for byte."""
    assert sign(SEED_SECRET, method, resource, body, "application/json", SEED_TIMESTAMP) == signature
    assert auth.compute_signature(SEED_SECRET, method, body, "application/json", SEED_TIMESTAMP, "/" + resource) == signature
    assert auth.signature_matches(SEED_SECRET, signature, method, body, "application/json", SEED_TIMESTAMP, "/" + resource)
    assert not auth.signature_matches(SEED_SECRET, signature, method, body + b" ", "application/json", SEED_TIMESTAMP, "/" + resource)


def test_seed_reserve_body_with_capabilities_does_not_match():
    """The reserve example's signature is not over the body shown with capabilities."""
    body = b'{"groupId":13,"quantity":1,"capabilities":["voice","sms"]}'
    assert sign(SEED_SECRET, "PUT", SHOP_RESOURCE, body, "application/json", SEED_TIMESTAMP) != SEED_SIGNATURES[2][3]


@pytest.fixture
def seed_client(client):
    """The emulator with the seed's instance and its clock set to the seed's timestamp."""
    with open(EMULATOR_DIR + "/fixtures/default.yml") as handle:
        data = yaml.safe_load(handle)
    data["instances"] = [{"id": SEED_INSTANCE, "secret": SEED_SECRET, "user_id": 123456789}]
    client.admin("POST", "reset", {"fixture_data": data})
    now = datetime.datetime.now(datetime.timezone.utc).timestamp()
    client.admin("POST", "clock", {"offset_seconds": parse_timestamp(SEED_TIMESTAMP) - now})
    return client


def _seed_request(client, method, host, resource, body, signature):
    """Send a request with the seed's exact headers."""
    headers = {"Authorization": "Instance %s:%s" % (SEED_INSTANCE, signature), "x-timestamp": SEED_TIMESTAMP,
               "Content-Type": "application/json"}
    return client.http.request(method, client.urls[host] + "/" + resource, data=body, headers=headers, timeout=10)


def test_seed_requests_verify_end_to_end(seed_client):
    """The seed's example requests, sent verbatim, pass the emulator's checks."""
    expected = {"v1/organisations": ("api", 200)}
    answers = []
    for method, resource, body, signature in SEED_SIGNATURES:
        host, _status = expected.get(resource, ("portalapi", None))
        answers.append((method, _seed_request(seed_client, method, host, resource, body, signature)))
    statuses = [(method, response.status_code) for method, response in answers]
    assert statuses == [("GET", 200), ("GET", 200), ("PUT", 200), ("POST", 404), ("GET", 200), ("GET", 200), ("DELETE", 204)]
    assert answers[0][1].json() == {"id": "8888123", "name": "Acme", "website": "http://www.example.com", "phone": "+12055500000",
                                    "countryId": "US"}
    assert_error(answers[3][1], 40400, "Unable to assign numbers to organization: reservation(s) not found or expired")


def test_seed_overwrite_example_is_rejected_as_put(seed_client):
    """The seed's overwrite signature was made for GET: as a PUT it is a bad signature."""
    method, resource, body, signature = SEED_OVERWRITE
    assert method == "GET"
    assert_error(_seed_request(seed_client, "PUT", "portalapi", resource, body, signature), 40102)


def test_signature_rejections(jane):
    """Anything that differs from what was signed is 40102: secret, body, path, content type."""
    body = {"groupId": 13, "quantity": 1}
    assert jane.portal("PUT", SHOP, body).status_code == 200
    assert_error(jane.portal("PUT", SHOP, body, secret="AAAAAAAAAAAAAAAAAAAAAA=="), 40102)
    ts = timestamp()
    signed_for_one = sign(jane.secret, "PUT", SHOP, b'{"groupId":13,"quantity":1}', "application/json", ts)
    sent_two = jane.portal("PUT", SHOP, raw=b'{"groupId":13,"quantity":2}', ts=ts, authorization="Instance %s:%s" % (jane.instance_id, signed_for_one))
    assert_error(sent_two, 40102)
    assert_error(jane.portal("GET", SHOP, sign_path=RENTED), 40102)
    assert_error(jane.portal("GET", SHOP, sign_path=SHOP + "/"), 40102)
    response = jane.signed("GET", "portalapi", SHOP, headers={"Content-Type": "application/json; charset=utf-8"})
    assert_error(response, 40102)


def test_signature_uses_the_raw_body(jane):
    """The body is verified byte for byte as sent: pretty JSON signed as sent is fine."""
    raw = b'{\n  "groupId": 13,\n  "quantity": 1\n}'
    assert jane.portal("PUT", SHOP, raw=raw).status_code == 200


def test_signature_covers_content_type_as_sent(jane):
    """The content type is signed exactly as sent, also when absent on a GET."""
    assert jane.portal("GET", SHOP, content_type=None).status_code == 200
    assert jane.portal("GET", SHOP, content_type="text/plain").status_code == 200


def test_signature_excludes_query_string(jane):
    """The signed resource is the path without the query string."""
    assert jane.portal("GET", SHOP + "?type=voice").status_code == 200
    assert_error(jane.portal("GET", SHOP + "?type=voice", sign_path=SHOP + "?type=voice"), 40102)


def test_signature_is_case_sensitive(jane):
    """A signature in another case is not the signature."""
    good = sign(jane.secret, "GET", SHOP, b"", "application/json", timestamp())
    flipped = good.swapcase()
    response = jane.portal("GET", SHOP, authorization="Instance %s:%s" % (jane.instance_id, flipped))
    assert_error(response, 40102)


@pytest.mark.parametrize("authorization,code", [
    (None, 40100),
    ("User abc", 40301),
    ("Application 669762D5-2B10-44E0-8418-BC9EE4457555", 40301),
    ("Bearer x", 40301),
    ("Instance", 40100),
    ("Instance nocolon", 40100),
    ("Instance :sig", 40100),
    ("Instance 11111111-2222-3333-4444-555555555555:c2ln", 40100),
])
def test_authorization_outcomes(jane, authorization, code):
    """Missing header 40100, other scheme 40301, malformed or unknown instance 40100."""
    headers = {"Authorization": authorization} if authorization else {"Authorization": None}
    response = jane.signed("GET", "api", "/v1/organisations", headers=headers)
    body = assert_error(response, code)
    if code == 40301:
        assert body["message"] == "The authorization scheme 'instance' is required."


def test_expired_instance(jane):
    """An instance past instance_ttl is unknown or expired (40100)."""
    jane.admin("POST", "settings", {"instance_ttl": 5})
    jane.sign_in()
    assert jane.signed("GET", "api", "/v1/organisations").status_code == 200
    jane.advance_clock(6)
    body = assert_error(jane.signed("GET", "api", "/v1/organisations"), 40100)
    assert "expired" in body["message"]


@pytest.mark.parametrize("value", [None, "", "yesterday", "2015-06-20 11:43:10Z", "2015-06-20T11:43:10.944", "2015-06-20T11:43:10+02:00",
                                   "2015-13-20T11:43:10Z", "2015-06-20T11:43:10.944z"])
def test_timestamp_malformed(jane, value):
    """Missing or not ISO 8601 UTC: 40101."""
    assert_error(jane.signed("GET", "api", "/v1/organisations", ts=value or "", headers={"x-timestamp": value}), 40101)


def test_timestamp_window(jane):
    """Within the tolerance (600 s) in either direction; +00:00 accepted; outside: 40101."""
    assert jane.signed("GET", "api", "/v1/organisations", ts=timestamp(-590)).status_code == 200
    assert jane.signed("GET", "api", "/v1/organisations", ts=timestamp(590)).status_code == 200
    plus = timestamp()[:-1] + "+00:00"
    assert jane.signed("GET", "api", "/v1/organisations", ts=plus).status_code == 200
    no_fraction = timestamp()[:19] + "Z"
    assert jane.signed("GET", "api", "/v1/organisations", ts=no_fraction).status_code == 200
    assert_error(jane.signed("GET", "api", "/v1/organisations", ts=timestamp(-610)), 40101)
    assert_error(jane.signed("GET", "api", "/v1/organisations", ts=timestamp(610)), 40101)


def test_timestamp_follows_emulator_clock(jane):
    """The window is around the emulator's (offset) clock, and the tolerance is a setting."""
    jane.admin("POST", "clock", {"offset_seconds": 3600})
    assert_error(jane.signed("GET", "api", "/v1/organisations", ts=timestamp()), 40101)
    assert jane.signed("GET", "api", "/v1/organisations", ts=timestamp(3600)).status_code == 200
    jane.admin("POST", "settings", {"timestamp_tolerance": 4000})
    assert jane.signed("GET", "api", "/v1/organisations", ts=timestamp()).status_code == 200


def test_timestamp_on_login_and_instance(client):
    """The log-in and create-instance steps check x-timestamp too."""
    assert_error(client.login("email", "address@example.com", "correct-horse-battery-staple", headers={"x-timestamp": None}), 40101)
    token = client.login("email", "address@example.com", "correct-horse-battery-staple").json()["authorization"]
    assert_error(client.create_instance(token, headers={"x-timestamp": timestamp(-3600)}), 40101)


def test_application_scheme_missing_on_signed_endpoint_of_app(jane):
    """A wrong scheme on an application endpoint is 40301 too."""
    response = jane.signed("GET", "portalapi", "/v1/applications/key/%s/numbers" % APP, authorization="User x")
    assert_error(response, 40301)


def test_parse_timestamp_is_strict():
    """A trailing newline, non-ASCII digits or another offset are not accepted."""
    assert parse_timestamp("2015-06-20T11:43:10.944Z") == parse_timestamp("2015-06-20T11:43:10.944+00:00")
    assert parse_timestamp("2015-06-20T11:43:10.9441234Z") is not None
    for value in ("2015-06-20T11:43:10.944Z\n", "\u0662015-06-20T11:43:10Z", "2015-06-20T11:43:10.944-01:00", "2015-02-30T11:43:10Z"):
        assert parse_timestamp(value) is None
