"""Log in, create an instance, read the organisation; hosts, routes and request rules."""

import base64
import json

import pytest

from emulator_helpers import APPLICATION_KEY, JANE, OTHER, SHOP, assert_error, compact, timestamp

PASSWORD = JANE[2]


@pytest.mark.parametrize("identity_type,identity", [
    ("email", "address@example.com"),
    ("email", "Address@Example.com"),
    ("number", "%2B12055500000"),
    ("number", "+12055500000"),
    ("username", "jane"),
])
def test_login(client, identity_type, identity):
    """Every identity of the user logs in; the answer has the seed's shape."""
    response = client.login(identity_type, identity, PASSWORD)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"authorization", "user"}
    blob, mac = answer["authorization"].split(":")
    created = json.loads(base64.b64decode(blob))
    assert created["applicationKey"] == APPLICATION_KEY
    assert created["identity"]["type"] == identity_type
    assert len(base64.b64decode(mac)) == 32
    assert answer["user"] == {
        "id": 123456789,
        "identities": [{"type": "email", "endpoint": "address@example.com"}, {"type": "number", "endpoint": "+12055500000"},
                       {"type": "username", "endpoint": "jane"}],
        "profile": {"name": {"first": "Jane", "last": "Bloggs", "full": "Jane Bloggs"}, "contact": {"email": "address@example.com"}},
    }


@pytest.mark.parametrize("identity_type,identity,password", [
    ("email", "address@example.com", "wrong-password"),
    ("email", "nobody@example.com", PASSWORD),
    ("username", "address@example.com", PASSWORD),
    ("number", "12055500000", PASSWORD),
    ("email", "other@example.com", PASSWORD),
])
def test_login_rejected(client, identity_type, identity, password):
    """Unknown identity or wrong password: 40100, the password is never echoed nor logged."""
    body = assert_error(client.login(identity_type, identity, password), 40100, "Invalid identity or password.")
    assert password not in json.dumps(body)
    logged = client.requests_log()[-1]
    assert logged["body"] == {"password": "***"}
    assert logged["error_code"] == 40100


@pytest.mark.parametrize("headers,code", [
    ({"Authorization": None}, 40100),
    ({"Authorization": "Application 669762d5-2b10-44e0-8418-bc9ee4457555"}, 40100),
    ({"Authorization": "Application bb7b4e39-4227-4913-8c81-2db4abb54fb3"}, 40100),
    ({"Authorization": "User " + APPLICATION_KEY}, 40100),
    ({"Content-Type": "text/plain"}, 41500),
    ({"Content-Type": None}, 41500),
])
def test_login_headers(client, headers, code):
    """The number administration key exactly; a JSON content type."""
    assert_error(client.login("email", "address@example.com", PASSWORD, headers=headers), code)


def test_login_bad_type_and_body(client):
    """Identity type outside email|number|username, missing password, invalid JSON: 40001."""
    assert_error(client.login("phone", "+12055500000", PASSWORD), 40001)
    headers = {"Authorization": "Application " + APPLICATION_KEY, "x-timestamp": timestamp(), "Content-Type": "application/json"}
    url = client.urls["userapi"] + "/v1/users/email/address@example.com/authentication"
    for raw in (b"", b"{", b"[]", b'{"password": 12}', b'{"pass": "x"}', b"NaN"):
        assert_error(client.http.post(url, data=raw, headers=headers), 40001)


def test_create_instance(client):
    """An instance: uuid id, 16-byte Base64 secret, expiresIn = instance_ttl."""
    token = client.login(*JANE).json()["authorization"]
    response = client.create_instance(token)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"id", "secret", "expiresIn"}
    assert len(answer["id"]) == 36 and answer["id"].count("-") == 4
    assert len(base64.b64decode(answer["secret"])) == 16
    assert answer["expiresIn"] == 172800
    assert client.state()["instances"] == 1


@pytest.mark.parametrize("body", [
    {"authorization": "TOKEN"},
    {"authorization": "TOKEN", "version": None},
    {"authorization": "TOKEN", "version": "1"},
    {"authorization": "TOKEN", "version": {"os": "Linux"}},
    {"authorization": "TOKEN", "version": {"platform": "Python"}},
    {"authorization": "TOKEN", "version": {"os": "", "platform": "Python"}},
    {"authorization": "TOKEN", "version": {"os": "Linux", "platform": 3}},
    {"version": {"os": "Linux", "platform": "Python"}},
])
def test_create_instance_bad_body(client, body):
    """version (os, platform) is mandatory; authorization is required: 40001."""
    token = client.login(*JANE).json()["authorization"]
    body = json.loads(json.dumps(body).replace("TOKEN", token))
    assert_error(client.create_instance(token, body=body), 40001)


def test_create_instance_authorization(client):
    """Header missing, another scheme, unknown token, or body token differing from the header: 40100."""
    token = client.login(*JANE).json()["authorization"]
    other = client.login(*OTHER).json()["authorization"]
    assert_error(client.create_instance(token, headers={"Authorization": None}), 40100)
    assert_error(client.create_instance(token, headers={"Authorization": "Instance " + token}), 40100)
    assert_error(client.create_instance(token, headers={"Authorization": "User "}), 40100)
    assert_error(client.create_instance("bm9wZQ==:bm9wZQ=="), 40100)
    body = {"authorization": other, "version": {"os": "Linux", "platform": "Python"}}
    assert_error(client.create_instance(token, body=body), 40100)
    assert client.state()["instances"] == 0


def test_user_authorization_expires(client):
    """User authorizations live instance_ttl seconds too."""
    client.admin("POST", "settings", {"instance_ttl": 10})
    token = client.login(*JANE).json()["authorization"]
    client.advance_clock(11)
    assert_error(client.create_instance(token), 40100)


def test_get_organisation(jane, client):
    """The organisation of the instance's user, id as a string; another user's is theirs."""
    response = jane.signed("GET", "api", "/v1/organisations")
    assert response.status_code == 200
    assert response.json() == {"id": "8888123", "name": "Acme", "website": "http://www.example.com", "phone": "+12055500000", "countryId": "US"}
    other = type(client)(client.urls).sign_in(OTHER)
    assert other.signed("GET", "api", "/v1/organisations").json() == {"id": "7777001", "name": "Other Org", "website": "http://other.example.com",
                                                                      "countryId": "SE"}


@pytest.mark.parametrize("host,method,path", [
    ("api", "POST", "/v1/users/email/address@example.com/authentication"),
    ("portalapi", "POST", "/v1/users/email/address@example.com/authentication"),
    ("userapi", "POST", "/v1/instance"),
    ("portalapi", "POST", "/v1/instance"),
    ("userapi", "GET", "/v1/organisations"),
    ("portalapi", "GET", "/v1/organisations"),
    ("api", "GET", SHOP),
    ("userapi", "PUT", SHOP),
    ("api", "GET", "/v1/organisations/id/8888123/numbers"),
    ("api", "GET", "/v1/applications/key/bb7b4e39-4227-4913-8c81-2db4abb54fb3/numbers"),
    ("userapi", "DELETE", "/v1/applications/key/bb7b4e39-4227-4913-8c81-2db4abb54fb3/numbers/14150005551"),
    ("portalapi", "GET", "/v1/nothing"),
    ("portalapi", "GET", SHOP + "/"),
    ("portalapi", "GET", "/v1//organisations/id/8888123/numbers/shop"),
])
def test_wrong_host_is_404(jane, host, method, path):
    """A route on the wrong host (or no route at all) is 404 with a JSON error body."""
    assert_error(jane.signed(method, host, path), 40400)


def test_wrong_method_is_405(jane):
    """A known path with a method it does not support: 405/40500."""
    response = jane.signed("PATCH", "portalapi", SHOP)
    assert_error(response, 40500)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PUT", "POST"}


def test_body_content_type_and_json(jane):
    """Bodies must be JSON objects sent as application/json; integers must be JSON integers."""
    assert_error(jane.portal("PUT", SHOP, {"groupId": 13, "quantity": 1}, content_type="text/plain"), 41500)
    assert_error(jane.portal("PUT", SHOP, {"groupId": 13, "quantity": 1}, content_type=None), 41500)
    assert jane.portal("PUT", SHOP, {"groupId": 13, "quantity": 1}, content_type="application/json; charset=utf-8").status_code == 200
    for raw in (b"", b"{", b"[1]", b'"x"', b'{"groupId": 13, "quantity": NaN}', compact({"groupId": 13, "quantity": 1.0})):
        assert_error(jane.portal("PUT", SHOP, raw=raw), 40001)
