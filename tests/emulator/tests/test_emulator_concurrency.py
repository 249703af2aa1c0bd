"""Thread safety: concurrent requests never oversell a group nor lose an update."""

import concurrent.futures

from emulator_helpers import SHOP, Client


def test_concurrent_reservations_never_oversell(jane):
    """24 concurrent reservations of 1 number from a group of 7: exactly 7 succeed."""
    def reserve(_index):
        response = Client(jane.urls)
        response.instance_id, response.secret = jane.instance_id, jane.secret
        return response.portal("PUT", SHOP, {"groupId": 1, "quantity": 1})

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(reserve, range(24)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) == 7 and statuses.count(400) == 17
    assert all(a.json()["errorCode"] == 40003 for a in answers if a.status_code == 400)
    assert jane.group(1)["availability"] == 0
    assert len({a.json()["referenceId"] for a in answers if a.status_code == 200}) == 7


def test_concurrent_checkouts_charge_once_each(jane):
    """Concurrent checkouts of distinct reservations: every one charged, numbers all distinct."""
    references = [jane.reserve(13, 1) for _index in range(8)]

    def checkout(reference):
        other = Client(jane.urls)
        other.instance_id, other.secret = jane.instance_id, jane.secret
        return other.portal("POST", SHOP, {"referenceIds": [reference]}).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(checkout, references + references)).count(204) == 8
    org = jane.organisation()
    assert org["credit"]["amount"] == 92.0
    assert len(org["numbers"]) == 10 and len({n["number"] for n in org["numbers"]}) == 10
    assert len(jane.requests_log()) == 2 + 8 + 16


def test_concurrent_sessions(client):
    """Concurrent log-ins and instance creations all succeed."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        clients = list(pool.map(lambda _i: Client(client.urls).sign_in(), range(16)))
    assert len({c.instance_id for c in clients}) == 16
    assert client.state()["instances"] == 16
