"""Authentication of requests: timestamp window, application key, user authorization, instance signature.

This is an independent implementation of the signing rules in the API
reference; it must not share code with the collection's client (stdlib only).

Order of the checks, for every protected endpoint:
1. the Authorization header is present and of the right scheme (40100, or 40301 for "instance required");
   (schemes compare case-insensitively, as RFC 7235 says; the application key of the log-in step must match exactly);
2. the x-timestamp header is present, ISO 8601 UTC, within the tolerance (40101);
3. the credentials are known and unexpired (40100);
4. for instance-signed requests, the signature matches (40102).
"""

import base64
import hashlib
import hmac
import json

from .errors import ApiError
from .timeutil import format_zulu, parse_timestamp

NUMBER_ADMINISTRATION_KEY = "669762D5-2B10-44E0-8418-BC9EE4457555"


def content_md5(body):
    """Base64(MD5(body)), or "" for an empty body."""
    if not body:
        return ""
    return base64.b64encode(hashlib.md5(body).digest()).decode("ascii")


def string_to_sign(method, body, content_type, timestamp, path):
    """METHOD\\nContentMD5\\nContentType\\nx-timestamp:{timestamp}\\n{path without leading slash}."""
    resource = path[1:] if path.startswith("/") else path
    return "\n".join((method, content_md5(body), content_type, "x-timestamp:" + timestamp, resource))


def compute_signature(secret, method, body, content_type, timestamp, path):
    """Base64(HMAC-SHA256(Base64Decode(secret), UTF8(StringToSign)))."""
    key = base64.b64decode(secret)
    message = string_to_sign(method, body, content_type, timestamp, path).encode("utf-8")
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")


def signature_matches(secret, signature, method, body, content_type, timestamp, path):
    """Constant-time comparison of a received signature with the expected one."""
    expected = compute_signature(secret, method, body, content_type, timestamp, path)
    return hmac.compare_digest(expected.encode("utf-8"), signature.encode("utf-8"))


def split_authorization(value):
    """Split an Authorization header into (scheme, credentials); credentials is "" when absent."""
    scheme, _sep, credentials = value.partition(" ")
    return scheme, credentials


def check_timestamp(emulator, headers):
    """Return the x-timestamp header; 40101 when missing, not ISO 8601 UTC, or out of the tolerance window."""
    value = headers.get("x-timestamp")
    if not value:
        raise ApiError(40101, "The x-timestamp header is missing.")
    moment = parse_timestamp(value)
    if moment is None:
        raise ApiError(40101, "The x-timestamp header is not a valid ISO 8601 UTC timestamp: %s" % value)
    now = emulator.now()
    if abs(now - moment) > emulator.settings["timestamp_tolerance"]:
        raise ApiError(40101, "The x-timestamp %s is too far from the server time %s." % (value, format_zulu(now)))
    return value


def require_application(emulator, headers):
    """The log-in step: ``Authorization: Application 669762D5-...`` exactly, then a valid timestamp."""
    value = headers.get("Authorization")
    if value is None:
        raise ApiError(40100, "The Authorization header is missing.")
    if value != "Application " + NUMBER_ADMINISTRATION_KEY:
        raise ApiError(40100, "Invalid authorization: use the number administration application key.")
    check_timestamp(emulator, headers)


def issue_user_authorization(emulator, user, identity_type, identity):
    """Create and remember a user authorization: Base64(JSON blob) + ":" + Base64(HMAC of the blob)."""
    now = emulator.now()
    blob = json.dumps({
        "applicationKey": NUMBER_ADMINISTRATION_KEY,
        "identity": {"type": identity_type, "endpoint": identity},
        "created": format_zulu(now),
    }, separators=(",", ":")).encode("utf-8")
    encoded = base64.b64encode(blob).decode("ascii")
    mac = base64.b64encode(hmac.new(emulator.token_key, encoded.encode("ascii"), hashlib.sha256).digest()).decode("ascii")
    token = encoded + ":" + mac
    emulator.world.tokens[token] = {"user_id": user.user_id, "expires_at": now + emulator.settings["instance_ttl"]}
    return token


def require_user(emulator, headers):
    """The create-instance step: ``Authorization: User {authorization}``; returns (token, user)."""
    value = headers.get("Authorization")
    if value is None:
        raise ApiError(40100, "The Authorization header is missing.")
    scheme, token = split_authorization(value)
    if scheme.lower() != "user" or not token:
        raise ApiError(40100, "The authorization scheme 'user' is required.")
    check_timestamp(emulator, headers)
    record = emulator.world.tokens.get(token)
    if record is None or record["expires_at"] <= emulator.now():
        raise ApiError(40100, "The user authorization is unknown or has expired.")
    user = [u for u in emulator.world.users if u.user_id == record["user_id"]][0]
    return token, user


def require_instance(emulator, request):
    """An instance-signed request: check scheme, timestamp, instance and signature; return the Instance.

    The signed resource is Werkzeug's ``request.path`` (already percent-decoded)
    without its leading slash and without the query string; the body is the raw
    bytes received and the content type the header exactly as received.
    """
    headers = request.headers
    value = headers.get("Authorization")
    if value is None:
        raise ApiError(40100, "The Authorization header is missing.")
    scheme, credentials = split_authorization(value)
    if scheme.lower() != "instance":
        raise ApiError(40301, "The authorization scheme 'instance' is required.")
    instance_id, _sep, signature = credentials.partition(":")
    if not instance_id or not signature:
        raise ApiError(40100, "Invalid authorization header: expected 'Instance {instanceId}:{signature}'.")
    timestamp = check_timestamp(emulator, headers)
    instance = emulator.world.instances.get(instance_id)
    if instance is None or instance.expires_at <= emulator.now():
        raise ApiError(40100, "The instance %s is unknown or has expired." % instance_id)
    body = request.get_data(cache=True)
    content_type = headers.get("Content-Type", "")
    if not signature_matches(instance.secret, signature, request.method, body, content_type, timestamp, request.path):
        raise ApiError(40102, "Invalid signature.")
    return instance
