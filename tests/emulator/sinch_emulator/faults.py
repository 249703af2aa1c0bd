"""Fault injection: rules set through /_admin/faults that change how matching requests are answered (stdlib only).

The registry has no lock of its own: callers hold ``Emulator.lock``.
"""

import re

from .errors import status_for

ACTIONS = ("error", "error_after", "latency", "drop_before", "drop_after", "expire_reservations")
HOSTS = ("userapi", "api", "portalapi")
DEFAULT_MESSAGE = "Service is temporarily unavailable, please try again later."
FAULT_KEYS = ("method", "path", "host", "count", "every", "action", "status", "error_code", "message", "seconds",
              "retry_after")


class Fault:
    """One rule: which requests it matches, what it does, and how many more times."""

    def __init__(self, fault_id, action, remaining, method=None, path=None, host=None, every=1, **params):
        self.fault_id = fault_id
        self.action = action
        self.remaining = remaining
        # Applies to every Nth matching request only (every: 5 faults 20% of them, deterministically).
        self.every = every
        self.seen = 0
        self.method = method
        self.path = path
        self.path_re = re.compile(path) if path is not None else None
        self.host = host
        self.status = params.get("status")
        self.error_code = params.get("error_code")
        self.message = params.get("message")
        self.seconds = params.get("seconds")
        self.retry_after = params.get("retry_after")

    def matches(self, host, method, path):
        """True when the rule applies to a request (``path`` is matched with re.fullmatch)."""
        if self.method is not None and self.method != method.upper():
            return False
        if self.host is not None and self.host != host:
            return False
        return self.path_re is None or self.path_re.fullmatch(path) is not None

    def error_parts(self):
        """(status, error body, extra headers) of an ``error`` / ``error_after`` answer."""
        body = {"errorCode": self.error_code, "message": self.message}
        headers = {}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return self.status, body, headers

    def to_json(self):
        """The admin view of the rule."""
        answer = {"id": self.fault_id, "action": self.action, "remaining": self.remaining, "every": self.every,
                  "method": self.method, "path": self.path, "host": self.host}
        if self.action in ("error", "error_after"):
            answer.update({"status": self.status, "error_code": self.error_code, "message": self.message, "retry_after": self.retry_after})
        if self.action == "latency":
            answer["seconds"] = self.seconds
        return answer


class FaultRegistry:
    """The active rules, in the order they were added."""

    def __init__(self):
        self.faults = []
        self.next_id = 1

    def add(self, data):
        """Validate an admin request body and add the rule; ValueError on bad input."""
        fault = parse_fault(data, self.next_id)
        self.next_id += 1
        self.faults.append(fault)
        return fault

    def take(self, host, method, path):
        """Consume one count of the first active rule matching the request; None when none matches."""
        for fault in self.faults:
            if fault.matches(host, method, path):
                fault.seen += 1
                if fault.seen % fault.every:
                    continue  # not its turn: later rules may still apply
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def to_json(self):
        """The admin view of all active rules."""
        return [fault.to_json() for fault in self.faults]

    def clear(self):
        """Remove every rule; return how many there were."""
        count = len(self.faults)
        self.faults = []
        return count


def parse_fault(data, fault_id):
    """Build a Fault from the JSON body of POST /_admin/faults; ValueError on bad input."""
    if not isinstance(data, dict):
        raise ValueError("the fault must be a JSON object")
    unknown = sorted(key for key in data if key not in FAULT_KEYS)
    if unknown:
        raise ValueError("unknown fault key(s): %s" % ", ".join(unknown))
    action = data.get("action")
    if action not in ACTIONS:
        raise ValueError("action must be one of %s" % ", ".join(ACTIONS))
    count = data.get("count", 1)
    if not _is_int(count) or count < 1:
        raise ValueError("count must be an integer >= 1")
    every = data.get("every", 1)
    if not _is_int(every) or every < 1:
        raise ValueError("every must be an integer >= 1")
    method = _optional_str(data, "method")
    path = _optional_str(data, "path")
    if path is not None:
        try:
            re.compile(path)
        except re.error as exc:
            raise ValueError("path is not a valid regular expression: %s" % exc) from exc
    host = data.get("host")
    if host is not None and host not in HOSTS:
        raise ValueError("host must be one of %s" % ", ".join(HOSTS))
    params = _action_params(action, data)
    return Fault(fault_id, action, count, method=method.upper() if method else None, path=path, host=host, every=every,
                 **params)


def _action_params(action, data):
    """The parameters that go with an action, with their defaults."""
    if action in ("error", "error_after"):
        return _error_params(data)
    if action == "latency":
        seconds = data.get("seconds")
        if not _is_number(seconds) or seconds < 0:
            raise ValueError("a latency fault needs seconds >= 0")
        return {"seconds": seconds}
    return {}


def _error_params(data):
    """status / error_code / message / retry_after of an error fault.

    Without both, 503/50300; with only one, the other follows the
    "status = first three digits of errorCode" rule.
    """
    status = data.get("status")
    error_code = data.get("error_code")
    if status is not None and (not _is_int(status) or not 100 <= status <= 599):
        raise ValueError("status must be an HTTP status code")
    if error_code is not None and (not _is_int(error_code) or not 10000 <= error_code <= 59999):
        raise ValueError("error_code must be a five-digit integer")
    if status is None:
        status = status_for(error_code) if error_code is not None else 503
    if error_code is None:
        error_code = status * 100
    message = data.get("message", DEFAULT_MESSAGE)
    if not isinstance(message, str):
        raise ValueError("message must be a string")
    retry_after = data.get("retry_after")
    if retry_after is not None and (not _is_int(retry_after) or retry_after < 0):
        raise ValueError("retry_after must be an integer >= 0")
    return {"status": status, "error_code": error_code, "message": message, "retry_after": retry_after}


def _optional_str(data, key):
    """An optional non-empty string field."""
    value = data.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError("%s must be a non-empty string" % key)
    return value


def _is_int(value):
    """A real integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    """An int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
