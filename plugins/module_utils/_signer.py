# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: Sinch instance request signing (pure functions)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import datetime
import hashlib
import hmac

# The content type sent, and signed, on every request, bodiless GET and DELETE included:
# the seed's example signatures only reproduce with it.
CONTENT_TYPE = "application/json"


def utc_timestamp(now=None):
    """The x-timestamp value: UTC ISO 8601 with milliseconds, e.g. 2015-06-20T11:43:10.944Z."""
    if now is None:
        now = datetime.datetime.now(datetime.timezone.utc)
    now = now.astimezone(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


def content_md5(body):
    """Base64 of the MD5 of the body bytes, or the empty string for an empty body."""
    if not body:
        return ""
    return base64.b64encode(hashlib.md5(body).digest()).decode("ascii")


def string_to_sign(method, body, content_type, timestamp, path):
    """The canonical string signed for a request; path is the URL path without query."""
    resource = path.lstrip("/")
    return "\n".join([
        method.upper(),
        content_md5(body),
        content_type,
        "x-timestamp:" + timestamp,
        resource,
    ])


def sign(secret, method, body, content_type, timestamp, path):
    """Base64(HMAC-SHA256(Base64Decode(secret), StringToSign))."""
    key = base64.b64decode(secret)
    message = string_to_sign(method, body, content_type, timestamp, path).encode("utf-8")
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def instance_authorization(instance_id, secret, method, path, body, timestamp, content_type=CONTENT_TYPE):
    """The Authorization header value of an instance-signed request.

    ``body`` is the exact bytes that will be sent (b"" or None when there is none).
    """
    signature = sign(secret, method, body or b"", content_type, timestamp, path)
    return "Instance %s:%s" % (instance_id, signature)
