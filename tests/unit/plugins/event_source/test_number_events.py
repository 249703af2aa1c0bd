# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The number_events event source: options, one log-in and one request per reading, failures without events or
secrets, backoff, renewal, and events on ansible-rulebook's queue."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import asyncio
import datetime
import importlib.util
import logging
import os

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

ROOT = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, os.pardir)
PLUGIN = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "number_events.py")
APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
PASSWORD = "correct-horse-battery-staple"
SECRET = "c2Vjb25kLXNlY3JldC0xMjM="
ENV = {"SINCH_EMAIL": "address@example.com", "SINCH_PASSWORD": PASSWORD, "SINCH_ORGANISATION_ID": "8888123",
       "SINCH_PORTAL_API_URL": "https://p.test", "SINCH_USER_API_URL": "https://u.test", "SINCH_API_URL": "https://a.test"}


@pytest.fixture
def plugin():
    """The source's globals, loaded from its file as ansible-rulebook does (not runpy: ansible-test's collection loader
    claims every path under the collection, which runpy.run_path would then take for a package)."""
    spec = importlib.util.spec_from_file_location("sinch_numbers_number_events", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


def item(number, application_key=None):
    raw = {"number": number, "groupId": 13, "capabilities": ["voice"], "countryId": "US", "city": "X",
           "areaCode": "415", "expires": "2099-01-01T00:00:00+00:00", "cost": {"amount": 1.0, "currencyId": "USD"}}
    if application_key:
        raw["applicationKey"] = application_key
    return raw


def login(expires_in=172800):
    return [FakeResponse(200, {"authorization": "user-token-123", "user": {}}),
            FakeResponse(200, {"id": "inst-9", "secret": SECRET, "expiresIn": expires_in})]


def source(plugin, monkeypatch, args=None, env=None):
    http = FakeHTTP()
    module = plugin["NumberEvents"].__init__.__globals__
    monkeypatch.setitem(module, "_collection_importable", lambda: None)
    made = plugin["NumberEvents"](args or {}, env if env is not None else ENV)
    made.client = client_from_params(made.params, session=http)
    made.http = http
    return made


def test_options_from_the_environment_an_empty_variable_unset(plugin):
    params, watch, interval, thresholds, backoff_max = plugin["settings"]({"interval": 60}, dict(ENV, SINCH_API_URL=""))
    assert params["email"] == "address@example.com" and params["organisation_id"] == 8888123
    assert params["api_url"] == "https://api.sinch.com"
    assert (interval, thresholds, backoff_max) == (60, [14], 3600)
    assert watch.application_keys == set() and watch.selector is None


def test_options_given_win_and_narrow(plugin):
    _params, watch, _interval, thresholds, _max = plugin["settings"](
        {"application_keys": [APP], "group_id": 13, "expiry_warning_days": [30, 7], "eda_feedback_queue": object()}, ENV)
    assert watch.application_keys == {APP} and watch.selector.group_id == 13 and thresholds == [30, 7]


@pytest.mark.parametrize("args, words", [
    ({"intervall": 5}, "has no option intervall"),
    ({"interval": 0}, "interval must be 1 or more"),
    ({"interval": True}, "interval must be a whole number"),
    ({"expiry_warning_days": "soon"}, "expiry_warning_days must be a whole number"),
    ({"application_keys": ["not a key"]}, "application_keys is not an application key"),
    ({"application_keys": APP}, "application_keys must be a list"),
    ({"capability": "fax"}, "capability 'fax' is not one Sinch knows"),
    ({"timeout": "inf"}, "timeout must be a finite number"),
])
def test_bad_options_end_in_one_sentence(plugin, args, words):
    with pytest.raises(ValueError) as caught:
        plugin["settings"](args, ENV)
    assert words in str(caught.value) and PASSWORD not in str(caught.value)


def test_missing_credentials_say_where_to_give_them(plugin):
    with pytest.raises(ValueError) as caught:
        plugin["settings"]({}, {"SINCH_EMAIL": "address@example.com"})
    assert "email was given without password" in str(caught.value)
    with pytest.raises(ValueError) as caught:
        plugin["settings"]({}, {})
    assert "SINCH_* environment variables of ansible-rulebook" in str(caught.value)


def test_one_log_in_then_one_request_per_reading(plugin, monkeypatch):
    made = source(plugin, monkeypatch)
    made.http.script = login() + [FakeResponse(200, [item(14150005551, APP)]), FakeResponse(200, [item(14150005551, APP)]),
                                  FakeResponse(200, [item(14150005551, APP), item(14150005552)])]
    events = [made.read() for _attempt in range(3)]
    assert [[event["type"] for event in found] for found, problem in events] == [["snapshot"], [], ["rented"]]
    assert [problem for _found, problem in events] == [None, None, None]
    assert [request["url"] for request in made.http.sent] == [
        "https://u.test/v1/users/email/address@example.com/authentication", "https://a.test/v1/instance"] + [
        "https://p.test/v1/organisations/id/8888123/numbers"] * 3


def test_a_failed_reading_puts_no_event_says_why_once_and_backs_off(plugin, monkeypatch, caplog):
    made = source(plugin, monkeypatch, {"interval": 10, "backoff_max": 35, "retries": 0})
    made.http.script = login() + [FakeResponse(200, [item(14150005551, APP)])] + [
        FakeResponse(503, {"errorCode": 50300, "message": "down"})] * 3
    made.read()
    failures = [made.read() for _attempt in range(3)]
    assert all(found == [] for found, _problem in failures)
    kinds = set(problem[0] for _found, problem in failures)
    assert kinds == {("SinchError", 503, 50300)}
    assert "no event put" in failures[0][1][1] and PASSWORD not in failures[0][1][1]
    assert [made.wait(True) for _attempt in range(4)] + [made.wait(False)] == [20, 35, 35, 35, 10]
    warnings = plugin["Warnings"]()
    with caplog.at_level(logging.DEBUG, logger="sinch.numbers.number_events"):
        for _found, problem in failures:
            warnings.say(*problem)
        warnings.recovered()
    said = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(said) == 2 and "works again" in said[1].getMessage()
    assert not [record for record in caplog.records if SECRET in record.getMessage() or PASSWORD in record.getMessage()]


def test_a_rejected_instance_logs_in_again_at_the_next_reading(plugin, monkeypatch):
    made = source(plugin, monkeypatch)
    made.http.script = login() + [FakeResponse(401, {"errorCode": 40100, "message": "expired"})] + login() + [
        FakeResponse(200, [])]
    found, problem = made.read()
    assert found == [] and problem[0][1] == 401
    found, problem = made.read()
    assert [event["type"] for event in found] == ["snapshot"] and problem is None
    assert len([request for request in made.http.sent if request["url"].endswith("/authentication")]) == 2


def test_the_instance_is_renewed_before_it_expires(plugin, monkeypatch):
    made = source(plugin, monkeypatch)
    made.http.script = login(expires_in=1800) + [FakeResponse(200, [])] + login() + [FakeResponse(200, [])] + [
        FakeResponse(200, [])]
    for _attempt in range(3):
        made.read()
    assert len([request for request in made.http.sent if request["url"].endswith("/instance")]) == 2


def test_an_unassignment_the_application_read_contradicts_puts_no_event(plugin, monkeypatch):
    made = source(plugin, monkeypatch)
    made.http.script = login() + [FakeResponse(200, [item(14150005551, APP)]), FakeResponse(200, [item(14150005551)]),
                                  FakeResponse(200, [item(14150005551, APP)])]
    made.read()
    found, problem = made.read()
    assert found == [] and problem is None
    assert made.http.sent[-1]["url"] == "https://p.test/v1/applications/key/%s/numbers" % APP


def test_main_puts_each_event_under_sinch_number(plugin, monkeypatch):
    made = source(plugin, monkeypatch)
    made.http.script = login() + [FakeResponse(200, [item(14150005551, APP)])]
    module = plugin["main"].__globals__
    monkeypatch.setitem(module, "NumberEvents", lambda args: made)
    monkeypatch.setitem(module, "_collection_importable", lambda: None)

    class Stop(Exception):
        pass

    async def sleep(seconds):
        raise Stop()

    monkeypatch.setattr(asyncio, "sleep", sleep)

    class Queue(object):
        def __init__(self):
            self.events = []

        async def put(self, event):
            self.events.append(event)

    queue = Queue()
    with pytest.raises(Stop):
        asyncio.run(plugin["main"](queue, {}))
    assert [list(event) for event in queue.events] == [["sinch_number"]]
    assert queue.events[0]["sinch_number"]["type"] == "snapshot"
    assert queue.events[0]["sinch_number"]["numbers"][0]["number"] == "+14150005551"


def test_expiry_thresholds_reach_the_events(plugin, monkeypatch):
    made = source(plugin, monkeypatch, {"expiry_warning_days": 30})
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).isoformat()
    made.http.script = login() + [FakeResponse(200, [dict(item(14150005551, APP), expires=soon)])] * 2
    first, _problem = made.read()
    second, _problem = made.read()
    assert [event["type"] for event in first] == ["snapshot", "expiring"] and second == []
    assert first[1]["monthly_cost"] == {"amount": "1.00", "currency_id": "USD"}


def test_documentation_names_every_option_with_its_default(plugin):
    import yaml
    doc = yaml.safe_load(plugin["DOCUMENTATION"])
    assert doc["short_description"] and doc["description"]
    assert sorted(doc["options"]) == sorted(plugin["OPTIONS"])
    for name, option in doc["options"].items():
        assert option.get("default") == plugin["DEFAULTS"].get(name), name
        assert option["description"], name
    examples = yaml.safe_load(plugin["EXAMPLES"])
    sources = examples[0]["sources"][0]
    assert list(sources) == ["sinch.numbers.number_events"]
    assert set(sources["sinch.numbers.number_events"]) <= set(plugin["OPTIONS"])


@pytest.mark.parametrize("args, words", [
    ({"application_keys": [None]}, "application_keys"),
    ({"application_keys": [APP, ""]}, "application_keys"),
    ({"identity_type": "phone"}, "identity_type must be one of email, number, username"),
])
def test_odd_options_end_in_one_sentence_too(plugin, args, words):
    with pytest.raises(ValueError) as caught:
        plugin["settings"](args, ENV)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def run_main(plugin, monkeypatch, made, readings):
    """``readings`` turns of the source's loop (no real wait); the events put and the waits asked for."""
    module = plugin["main"].__globals__
    monkeypatch.setitem(module, "NumberEvents", lambda args: made)
    monkeypatch.setitem(module, "_collection_importable", lambda: None)
    made.client.session.transport._sleep = lambda seconds: None
    waits, events = [], []

    class Stop(Exception):
        pass

    async def sleep(seconds):
        waits.append(seconds)
        if len(waits) >= readings:
            raise Stop()

    class Queue(object):
        async def put(self, event):
            events.append(event["sinch_number"])

    monkeypatch.setattr(asyncio, "sleep", sleep)
    with pytest.raises(Stop):
        asyncio.run(plugin["main"](Queue(), {}))
    return events, waits


def test_an_answer_the_source_cannot_handle_is_a_failed_reading_not_the_end(plugin, monkeypatch, caplog):
    made = source(plugin, monkeypatch, {"interval": 10, "backoff_max": 40})
    made.http.script = login() + [FakeResponse(200, [item(14150005551, APP)])] * 2

    listed = made.client.list_numbers
    calls = []

    def list_numbers():
        calls.append(1)
        if len(calls) in (2, 3):
            # A bug, or an answer no code foresaw, whose words carry what must never be shown.
            raise RuntimeError("Authorization: %s https://p.test/?token=%s" % (SECRET, PASSWORD))
        return listed()

    made.client.list_numbers = list_numbers
    with caplog.at_level(logging.DEBUG, logger="sinch.numbers.number_events"):
        events, waits = run_main(plugin, monkeypatch, made, 4)
    assert [event["type"] for event in events] == ["snapshot"]
    assert waits == [10, 20, 40, 10]
    said = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(said) == 2 and "RuntimeError" in said[0] and "works again" in said[1]
    assert not [text for text in said if SECRET in text or PASSWORD in text or "token" in text]


def test_a_retry_at_every_reading_is_said_once_not_twice_per_reading(plugin, monkeypatch, caplog):
    made = source(plugin, monkeypatch, {"interval": 10, "retries": 1})
    made.http.script = login()
    for _reading in range(4):
        made.http.script += [FakeResponse(503, {"errorCode": 50300, "message": "busy"}),
                             FakeResponse(200, [item(14150005551, APP)])]
    with caplog.at_level(logging.WARNING, logger="sinch.numbers.number_events"):
        events, waits = run_main(plugin, monkeypatch, made, 4)
    assert [event["type"] for event in events] == ["snapshot"] and waits == [10] * 4
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and said[0].startswith("Sent GET"), said


def test_a_password_given_as_an_option_is_warned_against_without_being_shown(plugin, caplog):
    with caplog.at_level(logging.WARNING, logger="sinch.numbers.number_events"):
        plugin["settings"]({"password": PASSWORD}, dict(ENV, SINCH_PASSWORD=""))
        plugin["settings"]({}, ENV)
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and "-vv" in said[0] and "SINCH_PASSWORD" in said[0] and PASSWORD not in said[0]


def test_a_rate_limited_reading_waits_as_long_as_sinch_asks_up_to_the_ceiling(plugin, monkeypatch):
    made = source(plugin, monkeypatch, {"interval": 10, "backoff_max": 600, "retries": 0})
    made.http.script = login() + [FakeResponse(429, {"errorCode": 42900, "message": "slow down"}, {"Retry-After": "120"}),
                                  FakeResponse(429, {"errorCode": 42900, "message": "slow down"}, {"Retry-After": "7200"}),
                                  FakeResponse(503, {"errorCode": 50300, "message": "down"})]
    waits = []
    for _reading in range(3):
        _found, problem = made.read()
        waits.append(made.wait(problem is not None))
    assert waits == [120, 600, 80]


def test_network_options_reach_the_client_as_for_the_modules(plugin, tmp_path):
    from ansible_collections.sinch.numbers.tests.emulator.make_test_certs import make_certs
    bundle = make_certs(str(tmp_path))["ca"]
    params = plugin["settings"]({"use_proxy": False, "max_retry_wait": 5}, dict(ENV, SINCH_CA_PATH=str(bundle)))[0]
    assert params["ca_path"] == str(bundle) and params["use_proxy"] is False and params["max_retry_wait"] == 5
    transport = client_from_params(params).session.transport
    assert transport.max_wait == 5


@pytest.mark.parametrize("args, env, words", [
    ({"use_proxy": "no"}, {}, "use_proxy must be true or false"),
    ({"max_retry_wait": 0}, {}, "max_retry_wait"),
    ({"max_retry_wait": 3601}, {}, "max_retry_wait"),
    ({}, {"SINCH_CA_PATH": "/nonexistent/ca.pem"}, "ca_path"),
])
def test_bad_network_options_end_in_one_sentence(plugin, args, env, words):
    with pytest.raises(ValueError) as caught:
        plugin["settings"](args, dict(ENV, **env))
    assert words in str(caught.value) and "\n" not in str(caught.value) and PASSWORD not in str(caught.value)
