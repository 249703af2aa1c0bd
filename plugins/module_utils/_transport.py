# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: HTTP transport to the Sinch hosts (one keep-alive session, retries)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import json
import random
import time
import traceback

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._signer import CONTENT_TYPE, utc_timestamp

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

# Waiting longer than this for a Retry-After is worse than failing with a clear message.
MAX_RETRY_AFTER = 60.0


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
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, min(float(value), MAX_RETRY_AFTER))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def _not_sent(exc):
    """True when the request surely never reached the server (connection not established)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", None)
        return type(reason).__name__ in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")
    return False


class Transport(object):
    """Sends JSON requests to Sinch with a timeout on every call and retries where safe.

    ``idempotent`` requests (GET, DELETE, the app-numbers PUT) are retried with exponential
    backoff and jitter on 503/50300, 429 and connection errors. Other requests (reserve,
    checkout) are retried only when the answer proves nothing was applied: 429, or a
    connection that was never established. Everything else raises SinchError at once,
    flagged ``outcome_unknown`` when the request may have been applied.
    """

    def __init__(self, timeout=30, validate_certs=True, retries=3, backoff=0.5, backoff_max=8.0,
                 sleep=time.sleep, session=None):
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.retries = retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self._sleep = sleep
        self.session = session or requests.Session()

    def _delay(self, attempt, retry_after=None):
        if retry_after is not None:
            return retry_after
        ceiling = min(self.backoff_max, self.backoff * (2 ** attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def request(self, method, base_url, path, payload=None, authorize=None, idempotent=True, url_option=None):
        """Send one request and return a Response, or raise SinchError.

        ``path`` starts with a slash and carries no query string; ``authorize`` is called with
        (method, path, body_bytes, timestamp) for every attempt and returns the Authorization
        header (None for none). ``url_option`` names the option that gave ``base_url``, for hints.
        """
        body = encode_body(payload)
        url = base_url.rstrip("/") + path
        attempt = 0
        while True:
            try:
                return self._send(method, url, path, body, authorize, url_option)
            except SinchError as err:
                retry, wait = self._should_retry(err, idempotent, attempt)
                if not retry:
                    raise
            self._sleep(wait)
            attempt += 1

    def _should_retry(self, err, idempotent, attempt):
        if attempt >= self.retries:
            return False, None
        # Proven not applied: rate limited, or the connection was never made. Safe for any request.
        if err.status == 429 or (err.transient and not err.outcome_unknown):
            return True, self._delay(attempt, err.retry_after)
        if not idempotent:
            return False, None
        if err.status == 503 or err.error_code == 50300 or err.transient:
            return True, self._delay(attempt, err.retry_after)
        return False, None

    def _send(self, method, url, path, body, authorize, url_option):
        resource = path.lstrip("/")
        timestamp = utc_timestamp()
        headers = {"Content-Type": CONTENT_TYPE, "Accept": "application/json", "x-timestamp": timestamp}
        if authorize is not None:
            authorization = authorize(method, path, body, timestamp)
            if authorization:
                headers["Authorization"] = authorization
        try:
            resp = self.session.request(method, url, data=body or None, headers=headers, timeout=self.timeout,
                                        verify=self.validate_certs, allow_redirects=False)
        except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                requests.exceptions.InvalidURL) as exc:
            raise SinchError("the URL %s is not valid (%s)" % (url, exc), method=method, path=resource,
                             hint=self._check(url_option))
        except requests.exceptions.SSLError as exc:
            raise SinchError("TLS verification failed for %s (%s)" % (url, type(exc).__name__), method=method,
                             path=resource, hint="Fix the certificate chain, or set validate_certs: false for a test host.")
        except requests.exceptions.RequestException as exc:
            raise self._connection_error(exc, method, url, resource, url_option)
        return self._answer(resp, method, resource)

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
    def _answer(resp, method, resource):
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
        if not message:
            message = resp.reason or "no message"
        raise SinchError(str(message), status=resp.status_code, error_code=code, method=method, path=resource,
                         outcome_unknown=resp.status_code >= 500, retry_after=_retry_after(resp.headers.get("Retry-After")))
