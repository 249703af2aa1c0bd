# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Networks: ca_path against a real TLS server with a CA made here, use_proxy against a proxy the environment names,
max_retry_wait as the cap on every wait, and the options' checks before any request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import socket
import ssl
import threading
import warnings
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._input import parse_options
from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params, connection_argument_spec
from ansible_collections.sinch.numbers.plugins.module_utils._transport import MAX_RETRY_AFTER, Transport
from ansible_collections.sinch.numbers.tests.emulator.make_test_certs import make_certs
from ansible_collections.sinch.numbers.tests.unit.plugins.module_utils.fakes import FakeHTTP, FakeResponse

PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
                   "no_proxy")
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    """Answers every GET with {"ok": true} and records the request's path and headers."""

    def do_GET(self):  # pylint: disable=invalid-name
        self.server.seen.append({"path": self.path, "headers": dict(self.headers.items())})
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certs(str(tmp_path_factory.mktemp("certs")))


@pytest.fixture
def tls_server(certs):
    """A real HTTPS server on 127.0.0.1 with a certificate of the CA made here; ``.url``, ``.seen``."""
    server = _Server(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs["cert"], certs["key"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.seen = []
    server.url = "https://127.0.0.1:%d" % server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def clean_env(monkeypatch):
    """No proxy and no CA bundle from the environment of whoever runs the tests."""
    for name in PROXY_VARIABLES + CA_VARIABLES + ("NETRC",):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def dead_port():
    """A port on 127.0.0.1 where nothing listens (taken, then released)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def get(transport, server, authorize=None):
    return transport.request("GET", server.url, "/v1/x", authorize=authorize, retry=True, action="read x")


# --- ca_path ----------------------------------------------------------------------------------------------


def test_ca_path_verifies_a_host_of_a_private_ca(clean_env, tls_server, certs):
    response = get(Transport(timeout=5, ca_path=certs["ca"]), tls_server)
    assert response.status == 200 and response.data == {"ok": True}
    assert [item["path"] for item in tls_server.seen] == ["/v1/x"]


def test_without_ca_path_a_private_ca_fails_in_one_sentence_and_nothing_is_sent(clean_env, tls_server):
    waits = []
    with pytest.raises(SinchError) as caught:
        get(Transport(timeout=5, retries=3, sleep=waits.append), tls_server)
    err = caught.value
    assert err.describe() == (
        "Could not read x: the TLS certificate of %s could not be verified with the default CA bundle of the Python "
        "library requests (certificate verify failed: unable to get local issuer certificate). If a proxy inspects TLS "
        "or the host has a private CA, set ca_path to the PEM file of that CA; set validate_certs: false only for a "
        "test host." % tls_server.url)
    # The handshake failed before the request left: not unknown, not repeated, nothing reached the server.
    assert err.status is None and not err.outcome_unknown and err.attempts == 1 and waits == []
    assert tls_server.seen == []


def test_a_ca_path_of_another_ca_names_the_bundle(clean_env, tls_server, certs):
    with pytest.raises(SinchError) as caught:
        get(Transport(timeout=5, ca_path=certs["other_ca"]), tls_server)
    text = caught.value.describe()
    assert ("could not be verified with the CA bundle %s given as ca_path (certificate verify failed: unable to get "
            "local issuer certificate). Check that ca_path holds the CA that signed this certificate" % certs["other_ca"]) in text
    assert tls_server.seen == []


def test_a_bundle_named_by_requests_ca_bundle_counts_also_without_proxies(clean_env, tls_server, certs):
    clean_env.setenv("REQUESTS_CA_BUNDLE", certs["ca"])
    for use_proxy in (True, False):
        assert get(Transport(timeout=5, use_proxy=use_proxy), tls_server).data == {"ok": True}
    assert len(tls_server.seen) == 2


def test_a_bundle_named_by_requests_ca_bundle_is_named_when_it_fails(clean_env, tls_server, certs):
    clean_env.setenv("REQUESTS_CA_BUNDLE", certs["other_ca"])
    with pytest.raises(SinchError) as caught:
        get(Transport(timeout=5), tls_server)
    assert "with the CA bundle %s named by REQUESTS_CA_BUNDLE (certificate verify failed" % certs["other_ca"] in str(caught.value)


def test_a_missing_bundle_named_by_the_environment_is_one_sentence(clean_env, tls_server, tmp_path):
    missing = str(tmp_path / "gone.pem")
    clean_env.setenv("CURL_CA_BUNDLE", missing)
    with pytest.raises(SinchError) as caught:
        get(Transport(timeout=5), tls_server)
    text = caught.value.describe()
    assert text.startswith("Could not read x: the CA bundle %s named by CURL_CA_BUNDLE cannot be used (" % missing)
    assert text.endswith("Set ca_path to the PEM file of the CA that signs the Sinch hosts' certificates.")


def test_validate_certs_false_needs_no_ca_and_writes_no_warning_to_stderr(clean_env, tls_server):
    # urllib3's InsecureRequestWarning would be written to stderr: in the lookup, Ansible flags that as a worker
    # writing around its display. The user turned verification off; the docs say what that means.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert get(Transport(timeout=5, validate_certs=False), tls_server).data == {"ok": True}
    assert [str(item.message) for item in caught] == []


def test_a_netrc_entry_for_the_host_never_adds_credentials(clean_env, tls_server, certs, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text(u"machine 127.0.0.1 login someone password netrc-password\n")
    netrc.chmod(0o600)
    clean_env.setenv("NETRC", str(netrc))
    transport = Transport(timeout=5, ca_path=certs["ca"])
    get(transport, tls_server)
    get(transport, tls_server, authorize=lambda *args: "Instance i:s")
    assert "Authorization" not in tls_server.seen[0]["headers"]
    assert tls_server.seen[1]["headers"]["Authorization"] == "Instance i:s"


# --- use_proxy -------------------------------------------------------------------------------------------


@pytest.fixture
def dead_proxy(clean_env):
    """HTTPS_PROXY (both spellings) names a proxy with a user name and password on a port where nothing listens."""
    url = "http://proxyuser:proxy-password@127.0.0.1:%d" % dead_port()
    clean_env.setenv("HTTPS_PROXY", url)
    clean_env.setenv("https_proxy", url)
    return url


def test_use_proxy_sends_through_the_proxy_of_the_environment(dead_proxy, tls_server, certs):
    waits = []
    transport = Transport(timeout=5, retries=1, sleep=waits.append, ca_path=certs["ca"])
    with pytest.raises(SinchError) as caught:
        get(transport, tls_server)
    err = caught.value
    proxy = dead_proxy.replace("proxyuser:proxy-password@", "")
    assert err.describe() == (
        "Could not read x: could not reach %s through the proxy %s that the environment names (HTTPS_PROXY, HTTP_PROXY "
        "or ALL_PROXY): Connection refused (sent 2 times). Check the proxy variables (HTTPS_PROXY, NO_PROXY) of the "
        "host this runs on, or set use_proxy: false to connect directly." % (tls_server.url, proxy))
    assert "proxy-password" not in str(err.to_result()) and "proxyuser" not in err.describe()
    # Nothing reached the proxy, so nothing reached Sinch: safe to repeat, and not unknown.
    assert not err.outcome_unknown and len(waits) == 1 and tls_server.seen == []


def test_use_proxy_false_ignores_the_proxy_of_the_environment(dead_proxy, tls_server, certs):
    transport = Transport(timeout=5, ca_path=certs["ca"], use_proxy=False)
    assert get(transport, tls_server).data == {"ok": True}
    assert len(tls_server.seen) == 1


def test_no_proxy_keeps_the_host_off_the_proxy(dead_proxy, clean_env, tls_server, certs):
    clean_env.setenv("NO_PROXY", "127.0.0.1")
    clean_env.setenv("no_proxy", "127.0.0.1")
    assert get(Transport(timeout=5, ca_path=certs["ca"]), tls_server).data == {"ok": True}
    assert len(tls_server.seen) == 1


# --- max_retry_wait --------------------------------------------------------------------------------------

BUSY = {"errorCode": 50300, "message": "Busy"}


@pytest.mark.parametrize("cap, retry_after, waited", [(60.0, "30", [30.0]), (5.0, "5", [5.0]), (2.5, "1", [1.0])])
def test_a_retry_after_within_max_retry_wait_is_waited_for(cap, retry_after, waited):
    waits = []
    http = FakeHTTP(FakeResponse(503, BUSY, headers={"Retry-After": retry_after}), FakeResponse(200, []))
    Transport(session=http, sleep=waits.append, max_wait=cap).request("GET", "https://p.test", "/v1/x", retry=True)
    assert waits == waited and len(http.sent) == 2


@pytest.mark.parametrize("cap, retry_after, words", [(5.0, "6", "6 s"), (60.0, "61", "61 s"), (0.5, "1", "1 s")])
def test_a_retry_after_beyond_max_retry_wait_fails_at_once_naming_the_option(cap, retry_after, words):
    waits = []
    http = FakeHTTP(FakeResponse(503, BUSY, headers={"Retry-After": retry_after}), FakeResponse(200, []))
    with pytest.raises(SinchError) as caught:
        Transport(session=http, sleep=waits.append, max_wait=cap).request("GET", "https://p.test", "/v1/x", retry=True)
    assert waits == [] and len(http.sent) == 1
    assert caught.value.hint.startswith("Sinch asked to wait %s (Retry-After) before trying again, longer than "
                                        "max_retry_wait (" % words)
    assert caught.value.hint.endswith("run again after that, or raise max_retry_wait.")


def test_max_retry_wait_caps_the_backoff_too():
    waits = []
    http = FakeHTTP(*([FakeResponse(503, BUSY)] * 6 + [FakeResponse(200, [])]))
    Transport(session=http, sleep=waits.append, retries=6, max_wait=0.75).request("GET", "https://p.test", "/v1/x", retry=True)
    # Uncapped, the 4th to 6th waits would be 2 to 8 s; capped, every one is at most 0.75 s (and at least half of it).
    assert len(waits) == 6 and all(w <= 0.75 for w in waits) and all(w >= 0.375 for w in waits[1:])


# --- the options -----------------------------------------------------------------------------------------


def test_every_module_and_the_lookup_get_the_options():
    spec = connection_argument_spec()
    assert spec["ca_path"]["type"] == "path" and spec["use_proxy"] == {"type": "bool", "default": True}
    assert spec["max_retry_wait"]["default"] == MAX_RETRY_AFTER == 60.0
    assert spec["ca_path"]["fallback"][1] == ["SINCH_CA_PATH"]


def connection(**given):
    params = dict(email="a@example.com", password="pw", identity_type="email", instance_id=None, instance_secret=None,
                  organisation_id=None, user_api_url="https://u.test", api_url="https://a.test",
                  portal_api_url="https://p.test", validate_certs=True, ca_path=None, use_proxy=True, timeout=30.0,
                  retries=3, max_retry_wait=60.0)
    params.update(given)
    return params


def test_the_client_takes_ca_path_use_proxy_and_max_retry_wait(clean_env, certs):
    transport = client_from_params(connection(ca_path=certs["ca"], use_proxy=False, max_retry_wait=7.5)).session.transport
    assert transport.verify == certs["ca"] and transport.max_wait == 7.5
    assert transport.session.trust_env is False
    default = client_from_params(connection()).session.transport
    assert default.verify is True and default.max_wait == 60.0 and default.session.trust_env is True


@pytest.mark.parametrize("value, message", [
    (0, "max_retry_wait must be more than 0 seconds (it is 0)."),
    (-1, "max_retry_wait must be more than 0 seconds (it is -1)."),
    (True, "max_retry_wait must be a number of seconds, not true/false (true)."),
    ("soon", "max_retry_wait must be a number of seconds, not the text 'soon'."),
    (float("inf"), "max_retry_wait must be a finite number of seconds (it is inf)."),
    (3601, "max_retry_wait must be 3600 seconds or less (it is 3601)."),
])
def test_max_retry_wait_is_a_positive_number_of_seconds(value, message):
    with pytest.raises(InputError) as caught:
        parse_options({"max_retry_wait": value})
    assert caught.value.describe() == message


def test_max_retry_wait_as_text_is_a_number():
    params = {"max_retry_wait": "90"}
    parse_options(params)
    assert params["max_retry_wait"] == 90.0


def test_a_ca_path_that_does_not_exist_fails_before_any_request(tmp_path):
    missing = str(tmp_path / "proxy-ca.pem")
    with pytest.raises(InputError) as caught:
        parse_options({"ca_path": missing})
    assert caught.value.describe() == (
        "ca_path %s does not exist on the host this runs on: give the PEM file of the CA that signs the Sinch hosts' "
        "certificates (or of your TLS-inspecting proxy). Nothing was sent to Sinch." % missing)


@pytest.mark.parametrize("content", [b"", b"not a certificate\n", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
def test_a_ca_path_without_certificates_fails_before_any_request(tmp_path, content):
    path = tmp_path / "ca.pem"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        parse_options({"ca_path": str(path)})
    text = caught.value.describe()
    assert text.startswith("ca_path %s holds no CA certificate that can be used (" % path)
    assert text.endswith("): give a file of PEM certificates (-----BEGIN CERTIFICATE-----). Nothing was sent to Sinch.")
    assert "_ssl.c" not in text and "[" not in text


def test_an_empty_ca_path_is_refused():
    with pytest.raises(InputError) as caught:
        parse_options({"ca_path": "  "})
    assert caught.value.describe().startswith("ca_path is empty: give the PEM file of the CA")


def test_a_ca_path_with_validate_certs_false_is_unused_with_a_warning(certs):
    params = {"ca_path": certs["ca"], "validate_certs": False}
    assert parse_options(params) == ["ca_path is not used, since validate_certs is false: the certificates of the Sinch "
                                     "hosts are not verified at all."]
    assert parse_options({"ca_path": certs["ca"], "validate_certs": True}) == []
