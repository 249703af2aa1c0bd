"""Validation of request bodies and values (stdlib only).

Strict on purpose: JSON only with an application/json content type, objects
only, integers only where the API says integer (no strings, no bools, no 13.0).
"""

import json

from .errors import ApiError, bad_request

JSON_MEDIA_TYPE = "application/json"


def _reject_constant(name):
    """json.loads hook: NaN and Infinity are not JSON."""
    raise ValueError("%s is not valid JSON" % name)


def parse_json_object(raw, content_type):
    """Parse a request body that must be a JSON object.

    415/41500 when the Content-Type is not application/json (parameters such as
    charset are allowed); 400/40001 when the body is empty, not UTF-8 JSON, or
    not an object.
    """
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != JSON_MEDIA_TYPE:
        raise ApiError(41500, "The request entity's media type '%s' is not supported for this resource." % (content_type or ""))
    if not raw:
        raise bad_request("The request body is empty; a JSON object is expected.")
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except ValueError as exc:
        raise bad_request("The request body is not valid JSON: %s" % exc) from exc
    if not isinstance(value, dict):
        raise bad_request("The request body must be a JSON object.")
    return value


def is_int(value):
    """A JSON integer: an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def require_str(body, key):
    """A required string field; 40001 when missing or of another type."""
    value = body.get(key)
    if not isinstance(value, str):
        raise bad_request("The field '%s' is required and must be a string." % key)
    return value


def require_int(body, key, minimum=None):
    """A required integer field; 40001 when missing, not an integer, or below ``minimum``."""
    value = body.get(key)
    if not is_int(value):
        raise bad_request("The field '%s' is required and must be an integer." % key)
    if minimum is not None and value < minimum:
        raise bad_request("The field '%s' must be at least %d, got %d." % (key, minimum, value))
    return value


def require_list(body, key, item_check, item_kind):
    """A required list field whose items all pass ``item_check``; 40001 otherwise."""
    value = body.get(key)
    if not isinstance(value, list) or not all(item_check(item) for item in value):
        raise bad_request("The field '%s' is required and must be a list of %s." % (key, item_kind))
    return value
