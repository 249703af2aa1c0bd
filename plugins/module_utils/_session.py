# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: a Sinch session (log in, instance, organisation) and signed requests."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import binascii
import datetime
import platform
import sys

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._signer import instance_authorization

# The fixed, public "number administration" key the log-in step must use (not an app key).
NUMBER_ADMINISTRATION_KEY = "669762D5-2B10-44E0-8418-BC9EE4457555"
COLLECTION_VERSION = "0.3.0"  # as galaxy.yml
# Answers that mean the instance itself was refused (expired, unknown, or its secret stale).
INSTANCE_REJECTED = (40100, 40102)


def client_version():
    """The mandatory instance ``version`` object, with this host's real OS and platform."""
    return {
        "os": "%s %s" % (platform.system() or "unknown", platform.release() or ""),
        "platform": "sinch.numbers/%s ansible-core/%s python/%s" % (
            COLLECTION_VERSION, ANSIBLE_VERSION, ".".join(str(v) for v in sys.version_info[:3])),
    }


def valid_secret(secret):
    """True when the instance secret is Base64, as Sinch issues it."""
    try:
        base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    return True


class Session(object):
    """Holds the credentials and the instance, and signs requests with it.

    Either an existing instance (``instance_id``/``instance_secret``) or an identity and a
    password is enough; with both, the instance is used and the password serves only to log
    in again, once, when Sinch rejects the instance (it lives 48 hours).
    """

    def __init__(self, transport, urls, identity=None, password=None, identity_type="email",
                 instance_id=None, instance_secret=None, organisation_id=None):
        self.transport = transport
        # name -> (base URL, option that gave it): "user_api", "api", "portal_api".
        self.urls = urls
        self.identity = identity
        self.identity_type = identity_type
        self._password = password
        self.instance_id = instance_id
        self._instance_secret = instance_secret
        self.expires_at = None
        self._created_here = False
        self._organisation_id = organisation_id
        self._organisation = None
        # One list for the module's result: the transport's retry warnings and the session's own.
        self.warnings = getattr(transport, "warnings", None)
        if self.warnings is None:
            self.warnings = []

    @property
    def can_log_in(self):
        return bool(self.identity and self._password)

    @property
    def instance_secret(self):
        return self._instance_secret

    def _request(self, host, method, path, payload=None, authorize=None, retry=False, action=None):
        """One request through the transport; ``retry`` marks it safe to send again (default: not)."""
        url, option = self.urls[host]
        try:
            return self.transport.request(method, url, path, payload=payload, authorize=authorize,
                                          retry=retry, url_option=option, action=action)
        except SinchError as err:
            err.action = err.action or action
            raise

    def log_in(self):
        """Log in with the identity and password; returns the user authorization string."""
        path = "/v1/users/%s/%s/authentication" % (quote(self.identity_type, safe=""), quote(self.identity, safe="@"))
        try:
            resp = self._request(
                "user_api", "POST", path, payload={"password": self._password},
                authorize=lambda *args: "Application " + NUMBER_ADMINISTRATION_KEY, retry=True,
                action="log in to Sinch as %s %s" % (self.identity_type, self.identity))
        except SinchError as err:
            # 40101 is the clock (x-timestamp refused): the transport's hint says by how much.
            if err.status == 401 and err.error_code != 40101:
                err.hint = "Check email (and identity_type) and password."
            raise
        authorization = (resp.data or {}).get("authorization")
        if not isinstance(authorization, str) or not authorization:
            raise SinchError("the log-in answer carried no authorization", method="POST", path=path.lstrip("/"))
        return authorization

    def create_instance(self):
        """Log in and create a fresh instance; sets instance_id, secret and expires_at."""
        authorization = self.log_in()
        resp = self._request(
            "api", "POST", "/v1/instance",
            payload={"authorization": authorization, "version": client_version()},
            authorize=lambda *args: "User " + authorization, retry=True,
            action="create a Sinch instance for %s" % self.identity)
        data = resp.data or {}
        if not data.get("id") or not data.get("secret") or not valid_secret(data["secret"]):
            raise SinchError("the instance answer carried no usable id and secret", method="POST", path="v1/instance")
        self.instance_id = str(data["id"])
        self._instance_secret = data["secret"]
        self._created_here = True
        expires_in = data.get("expiresIn")
        if isinstance(expires_in, int):
            now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
            self.expires_at = (now + datetime.timedelta(seconds=expires_in)).isoformat().replace("+00:00", "Z")

    def ensure_instance(self):
        if not self.instance_id:
            self.create_instance()

    def _authorize(self, method, path, body, timestamp):
        return instance_authorization(self.instance_id, self._instance_secret, method, path, body, timestamp)

    def signed(self, host, method, path, payload=None, retry=False, action=None):
        """An instance-signed request; logs in again once if Sinch rejects a given instance.

        ``retry=True`` marks the request safe for the transport to send again (reads, reserve);
        without it the request is sent once (checkout).
        """
        self.ensure_instance()
        try:
            return self._request(host, method, path, payload, self._authorize, retry, action)
        except SinchError as err:
            # A 401 is refused before anything is applied, so the request can be sent again
            # after a fresh log-in, reserve and checkout included.
            if err.status != 401 or err.error_code not in INSTANCE_REJECTED or self._created_here or not self.can_log_in:
                raise
        self.create_instance()
        # Said only once the new log-in worked; a failed one raises with its own sentence.
        self.warnings.append("Sinch rejected the given instance (expired or unknown); logged in again as %s." % self.identity)
        return self._request(host, method, path, payload, self._authorize, retry, action)

    def organisation(self):
        """The organisation of the logged-in user (one request, then cached)."""
        if self._organisation is None:
            resp = self.signed("api", "GET", "/v1/organisations", retry=True, action="look up the Sinch organisation")
            if not isinstance(resp.data, dict) or "id" not in resp.data:
                raise SinchError("the organisation answer carried no id", method="GET", path="v1/organisations")
            self._organisation = resp.data
        return self._organisation

    @property
    def organisation_id(self):
        """The organisation id as an integer: given, or looked up once."""
        if self._organisation_id is None:
            raw = self.organisation()["id"]
            try:
                # The API documents an int but its example sends a string ("8888123").
                self._organisation_id = int(raw)
            except (TypeError, ValueError):
                raise SinchError("the organisation id %r is not a number" % (raw,), method="GET", path="v1/organisations")
        return self._organisation_id
