# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: HTTP transport to the Sinch hosts (one keep-alive session, retries)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import email.utils
import json
import math
import os
import random
import re
import ssl
import time
import traceback
import warnings

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._signer import CONTENT_TYPE, utc_timestamp

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

# Waiting longer than this for a Retry-After is worse than failing with a clear message; the
# default of the max_retry_wait option, which also caps the backoff between tries.
MAX_RETRY_AFTER = 60.0
# The variables requests reads for a CA bundle when it is told to verify with its default one.
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
# Answers after which a request marked safe to repeat is sent again: rate limited, or a
# server or gateway failure that a later attempt may not meet.
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A narrower set a call site may pass instead (retry=BUSY_STATUSES): only the answers that say
# "not now" (rate limited, temporarily unavailable), for writes whose replay is harmless but
# whose 500 may mean a failure worth reporting as it came.
BUSY_STATUSES = (429, 503)


class NotApplied(tuple):
    """``retry=NotApplied(statuses)``: send again after those answers, and after a connection failure only when the
    request surely never reached Sinch (never after a lost answer or a timeout: the request may have been applied).

    For calls whose repeat is harmless but whose duplicate is not free: a second reservation holds numbers of the
    shop until it expires, so a reserve whose answer was lost is not sent again.
    """


class Response(object):
    """A successful answer: HTTP status, parsed JSON body (None when empty) and headers."""

    def __init__(self, status, data, headers):
        self.status = status
        self.data = data
        self.headers = headers


def encode_body(payload):
    """Serialise once, compactly; the same bytes are signed and sent."""
    if payload is None:
        return b""
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def _retry_after(value):
    """Seconds Sinch asks to wait from a Retry-After header (delta-seconds or HTTP date), or None.

    Not capped here: a wait longer than the cap is refused by the transport, saying how long.
    """
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        when = _http_date(value)
        if when is None:
            return None
        seconds = when.timestamp() - time.time()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def _duration(seconds):
    """A wait in words: "0.5 s", "45 s", "1 h 0 min"."""
    if seconds < 10 and abs(seconds - round(seconds)) >= 0.05:
        return "%.1f s" % seconds
    seconds = int(round(seconds))
    if seconds < 120:
        return "%d s" % seconds
    if seconds < 7200:
        return "%d min" % (seconds // 60)
    return "%d h %d min" % (seconds // 3600, seconds % 3600 // 60)


def _date_skew(headers):
    """Seconds this host's clock is ahead of Sinch's (from the answer's Date header), or None."""
    when = _http_date(headers.get("Date") if headers else None)
    return None if when is None else time.time() - when.timestamp()


def _http_date(value):
    """An HTTP date header (Retry-After, Date) as an aware datetime (UTC when it names no zone), or None."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=datetime.timezone.utc)


def _reason(status, reason):
    """The status reason as text ("Bad Gateway"), never the body of an HTML page."""
    if isinstance(reason, bytes):
        reason = reason.decode("latin-1")
    reason = (reason or "").strip()
    return reason or "no message"


def _not_sent(exc):
    """True when the request surely never reached the server (connection not established)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", None)
        return type(reason).__name__ in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")
    return False


def ca_bundle(validate_certs=True, ca_path=None, environ=None):
    """What requests is told to verify the Sinch hosts with, and that bundle in words: (verify, words).

    ``verify`` is False (validate_certs false; words None), ``ca_path``, the bundle REQUESTS_CA_BUNDLE or
    CURL_CA_BUNDLE names (as requests itself would pick it; read here, so that use_proxy false, which
    stops requests reading its environment, keeps them), or True: requests' own bundle (certifi's).
    """
    if not validate_certs:
        return False, None
    if ca_path:
        return ca_path, "the CA bundle %s given as ca_path" % ca_path
    environ = os.environ if environ is None else environ
    for name in CA_BUNDLE_VARIABLES:
        if environ.get(name):
            return environ[name], "the CA bundle %s named by %s" % (environ[name], name)
    return True, "the default CA bundle of the Python library requests"


def _no_netrc(request):
    """Session.auth: the requests carry their own Authorization (or none, to log in), so a ~/.netrc entry for
    a Sinch host (which requests would otherwise add as Basic credentials) is never used."""
    return request


def _chain(exc):
    """``exc`` and the exceptions it wraps (arguments, urllib3's ``reason``, causes), outermost first."""
    seen, queue = set(), [exc]
    while queue:
        err = queue.pop(0)
        if not isinstance(err, BaseException) or id(err) in seen:
            continue
        seen.add(id(err))
        yield err
        queue.extend(arg for arg in getattr(err, "args", ()) if isinstance(arg, BaseException))
        queue.extend([getattr(err, "reason", None), getattr(err, "original_error", None), err.__cause__,
                      err.__context__])


def _tls_reason(exc):
    """What the TLS library said, in a few words ("certificate verify failed: unable to get local issuer
    certificate"), without its "[SSL: ...]" prefix and "(_ssl.c:1000)" suffix."""
    for err in _chain(exc):
        verify_message = getattr(err, "verify_message", None)
        if isinstance(err, ssl.SSLError) and verify_message:
            return "certificate verify failed: %s" % verify_message.rstrip(".")
        if isinstance(err, ssl.SSLError):
            text = re.sub(r"^\[[^\]]*\]\s*|\s*\(_ssl\.c:\d+\)$", "", err.strerror or str(err))
            return text or err.reason or type(err).__name__
    return type(exc).__name__


def _os_reason(exc):
    """The operating system's words for the failure inside ``exc`` ("Connection refused"), or its type."""
    for err in _chain(exc):
        if isinstance(err, OSError) and err.strerror:
            return err.strerror
        if (isinstance(err, OSError) and not isinstance(err, requests.exceptions.RequestException) and err.args
                and isinstance(err.args[0], str)):
            return err.args[0]  # "Tunnel connection failed: 407 Proxy Authentication Required"
    return type(exc).__name__


def _origin(url):
    """scheme://host:port of a URL (the URL options hold no user info: _input refuses it)."""
    parts = urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc.rpartition("@")[2])


def environ_proxy(url):
    """The proxy requests takes from the environment for ``url`` (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY),
    as scheme://host:port without its user name and password, or None."""
    try:
        proxy = requests.utils.select_proxy(url, requests.utils.get_environ_proxies(url))
    except Exception:  # pylint: disable=broad-except
        return None
    if not proxy:
        return None
    return _origin(proxy if "://" in proxy else "http://" + proxy)


def _proxy_not_sent(exc):
    """True when a ProxyError happened before anything reached the proxy or, through its tunnel, Sinch."""
    for err in _chain(exc):
        if type(err).__name__ in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError"):
            return True
        if isinstance(err, OSError) and "Tunnel connection failed" in str(err):
            return True
    return False


class Transport(object):
    """Sends JSON requests to Sinch with a timeout on every call, and repeats the ones marked safe.

    A request is sent again only when its call site passes ``retry=True`` (reads, log-in,
    instance creation, reserve): by default nothing is repeated, so a checkout is never sent
    twice by the transport. A request marked safe is repeated, up to ``retries`` times with
    jittered exponential backoff (or the Retry-After Sinch asks for), after HTTP 429, 500,
    502, 503 or 504 and after a connection that failed or was reset before an answer. Each
    repeat is recorded in ``warnings`` (what, why, which try), for the module to show.

    A Retry-After longer than ``max_wait`` seconds (the max_retry_wait option) is not waited
    for: the request fails at once, saying how long Sinch asked to wait; the backoff between
    tries never exceeds it either. Everything else raises SinchError at once, flagged
    ``outcome_unknown`` when the request may have been applied.

    TLS: the Sinch hosts' certificates are verified with ``ca_path`` when given (see
    ca_bundle), not at all when ``validate_certs`` is false. Proxies: with ``use_proxy``
    (the default) requests takes them from the environment (HTTPS_PROXY, HTTP_PROXY,
    ALL_PROXY, NO_PROXY); without it, it reads no proxy variable and connects directly.
    """

    def __init__(self, timeout=30, validate_certs=True, retries=3, backoff=0.5, backoff_max=8.0,
                 sleep=time.sleep, session=None, max_wait=MAX_RETRY_AFTER, ca_path=None, use_proxy=True):
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.verify, self.ca_words = ca_bundle(validate_certs, ca_path)
        self.ca_path = ca_path
        self.use_proxy = use_proxy
        self.retries = retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.max_wait = max_wait
        self._sleep = sleep
        self.session = session or requests.Session()
        if isinstance(self.session, requests.Session):
            # use_proxy false: requests reads no proxy variable. trust_env also governs ~/.netrc (never used:
            # _no_netrc) and REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (read by ca_bundle instead): only proxies change.
            self.session.trust_env = bool(use_proxy)
            self.session.auth = _no_netrc
        # Sentences for the module's result (one per repeated request); see _module.run.
        self.warnings = []

    def _delay(self, attempt, retry_after=None):
        if retry_after is not None:
            return retry_after
        ceiling = min(self.backoff_max, self.max_wait, self.backoff * (2 ** attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def request(self, method, base_url, path, payload=None, authorize=None, retry=False, url_option=None, action=None):
        """Send one request and return a Response, or raise SinchError.

        ``path`` starts with a slash and carries no query string; ``authorize`` is called with
        (method, path, body_bytes, timestamp) for every attempt and returns the Authorization
        header (None for none). ``retry`` marks the request safe to send again (see the class):
        False (the default) never, True after RETRY_STATUSES and connection failures, or a
        tuple of the statuses to send it again after (connection failures included).
        ``url_option`` names the option that gave ``base_url``, for hints; ``action`` says in
        words what the request is for, for warnings and errors.
        """
        body = encode_body(payload)
        url = base_url.rstrip("/") + path
        attempt = 0
        while True:
            try:
                return self._send(method, url, path, body, authorize, url_option)
            except SinchError as err:
                err.attempts = attempt + 1
                err.action = err.action or action
                wait = self.retry_wait(err, retry, attempt)
                if wait is None:
                    raise
                failed = err
            self.warnings.append(self._retry_warning(failed, method, path, action, attempt, wait))
            self._sleep(wait)
            attempt += 1

    def retry_wait(self, err, retry, attempt):
        """Seconds to wait before sending again, or None when the request must not be repeated.

        ``err`` is the failure of attempt number ``attempt`` (0 for the first); a Retry-After
        beyond ``max_wait`` gets its hint here, whether or not the request was safe to repeat.
        """
        if err.retry_after is not None and err.retry_after > self.max_wait:
            err.hint = ("Sinch asked to wait %s (Retry-After) before trying again, longer than max_retry_wait (%s): "
                        "run again after that, or raise max_retry_wait." % (
                            _duration(err.retry_after), _duration(self.max_wait)))
            return None
        if not retry or attempt >= self.retries:
            return None
        statuses = RETRY_STATUSES if retry is True else tuple(retry)
        connection = err.status is None and err.transient
        if connection and isinstance(retry, NotApplied) and err.outcome_unknown:
            return None
        if err.status in statuses or connection:
            return self._delay(attempt, err.retry_after)
        return None

    def _retry_warning(self, err, method, path, action, attempt, wait):
        if err.status is not None:
            why = "Sinch answered HTTP %s%s (%s)" % (
                err.status, " errorCode %s" % err.error_code if err.error_code is not None else "", err.message.rstrip("."))
        else:
            why = err.message.rstrip(".")
        what = "%s %s" % (method, path.lstrip("/"))
        if action:
            what = "%s (%s)" % (what, action)
        return "Sent %s again after %.1f s because %s: try %d of at most %d." % (
            what, wait, why, attempt + 2, self.retries + 1)

    def _send(self, method, url, path, body, authorize, url_option):
        resource = path.lstrip("/")
        timestamp = utc_timestamp()
        headers = {"Content-Type": CONTENT_TYPE, "Accept": "application/json", "x-timestamp": timestamp}
        if authorize is not None:
            authorization = authorize(method, path, body, timestamp)
            if authorization:
                headers["Authorization"] = authorization
        try:
            with warnings.catch_warnings():
                if self.verify is False:
                    # validate_certs false was asked for: urllib3's warning, written straight to stderr, would
                    # only break the lookup's output (Ansible flags a worker writing to stderr).
                    warnings.simplefilter("ignore", requests.packages.urllib3.exceptions.InsecureRequestWarning)
                resp = self.session.request(method, url, data=body or None, headers=headers, timeout=self.timeout,
                                            verify=self.verify, allow_redirects=False)
        except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                requests.exceptions.InvalidURL) as exc:
            raise SinchError("the URL %s is not valid (%s)" % (url, type(exc).__name__), method=method, path=resource,
                             hint=self._check(url_option))
        except requests.exceptions.ProxyError as exc:
            raise self._proxy_error(exc, method, url, resource)
        except requests.exceptions.SSLError as exc:
            raise self._tls_error(exc, method, url, resource)
        except requests.exceptions.RequestException as exc:
            raise self._connection_error(exc, method, url, resource, url_option)
        except OSError as exc:
            # requests checks the CA bundle before connecting: one the environment names may be missing.
            if "CA certificate bundle" not in str(exc):
                raise
            raise SinchError("%s cannot be used (%s)" % (self.ca_words, exc), method=method, path=resource,
                             hint="Set ca_path to the PEM file of the CA that signs the Sinch hosts' certificates.")
        return self._answer(resp, method, resource, url_option)

    def _tls_error(self, exc, method, url, resource):
        """A failed TLS handshake: which host, verified with which CA bundle, what the TLS library said, what to do.

        Nothing was sent (the request goes out only after the handshake), so it is neither unknown nor repeated.
        """
        reason = _tls_reason(exc)
        if self.verify is False:
            what = "the TLS connection to %s failed (%s)" % (_origin(url), reason)
            hint = "Check that the URL option names an https:// host that speaks TLS."
        else:
            what = "the TLS certificate of %s could not be verified with %s (%s)" % (_origin(url), self.ca_words, reason)
            if self.ca_path:
                hint = ("Check that ca_path holds the CA that signed this certificate (behind a TLS-inspecting proxy, "
                        "the proxy's CA).")
            else:
                hint = ("If a proxy inspects TLS or the host has a private CA, set ca_path to the PEM file of that CA; "
                        "set validate_certs: false only for a test host.")
        return SinchError(what, method=method, path=resource, hint=hint)

    def _proxy_error(self, exc, method, url, resource):
        """The proxy the environment names could not be used: which one (no user info), why, what to do."""
        proxy = environ_proxy(url)
        what = "could not reach %s through the proxy %s that the environment names (HTTPS_PROXY, HTTP_PROXY or " \
               "ALL_PROXY): %s" % (_origin(url), proxy or "(unknown)", _os_reason(exc))
        hint = ("Check the proxy variables (HTTPS_PROXY, NO_PROXY) of the host this runs on, or set use_proxy: false "
                "to connect directly.")
        unknown = not _proxy_not_sent(exc)
        return SinchError(what, method=method, path=resource, outcome_unknown=unknown, hint=hint, transient=True)

    @staticmethod
    def _check(url_option):
        return "Check %s." % url_option if url_option else None

    def _connection_error(self, exc, method, url, resource, url_option):
        if _not_sent(exc):
            what = "could not connect to %s" % url
            unknown = False
        elif isinstance(exc, requests.exceptions.Timeout):
            what = "no answer from %s within %s s" % (url, self.timeout)
            unknown = True
        else:
            what = "the connection to %s failed before an answer arrived (%s)" % (url, type(exc).__name__)
            unknown = True
        hint = None
        if url_option:
            hint = "Check %s%s." % (url_option, "" if unknown else " and that the host is reachable")
        return SinchError(what, method=method, path=resource, outcome_unknown=unknown, hint=hint, transient=True)

    @staticmethod
    def _answer(resp, method, resource, url_option=None):
        data = None
        if resp.content:
            try:
                data = resp.json()
            except ValueError:
                data = None
        if 200 <= resp.status_code < 300:
            if resp.content and data is None:
                raise SinchError("the answer of HTTP %s was not JSON" % resp.status_code, method=method, path=resource,
                                 outcome_unknown=method != "GET")
            return Response(resp.status_code, data, resp.headers)
        code = data.get("errorCode") if isinstance(data, dict) else None
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, str) or not message.strip():
            # An HTML page (a gateway's, a load balancer's) or an empty body: the status reason
            # says it in a few words; the page itself is never repeated.
            message = _reason(resp.status_code, resp.reason)
        err = SinchError(message, status=resp.status_code, error_code=code, method=method, path=resource,
                         outcome_unknown=resp.status_code >= 500,
                         retry_after=_retry_after(resp.headers.get("Retry-After")))
        if resp.status_code == 404 and code is None:
            # Not Sinch's own "not found" (it carries an errorCode): the URL points elsewhere.
            err.hint = ("Nothing answers at this address: check %s (the host name only, as in the module's "
                        "documentation, with no path)." % (url_option or "the URL options"))
        elif code == 40101:
            err.hint = _clock_hint(resp.headers)
        raise err


def _clock_hint(headers):
    """40101: the x-timestamp was refused; say how far off this host's clock is when the answer's Date tells."""
    skew = _date_skew(headers)
    hint = "Check that this host's clock is correct (Sinch refuses requests whose x-timestamp is too far off)"
    if skew is not None and abs(skew) >= 1:
        hint += ": it is %s %s Sinch's" % (_duration(abs(skew)), "ahead of" if skew > 0 else "behind")
    return hint + "; synchronise it (NTP) and run again."
