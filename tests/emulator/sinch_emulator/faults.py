"""Fault injection: rules set through /_admin/faults that change how matching requests are answered (stdlib only).

The registry has no lock of its own: callers hold ``Emulator.lock``.
"""

import re

from .errors import status_for

ACTIONS = ("error", "error_after", "latency", "drop_before", "drop_after", "expire_reservations")
# Faults of the application-number rows (answers that hide numbers, writes answered oddly, other writers).
ACTIONS += ("omit_number", "omit_capabilities", "non_json_after", "other_writer_after")
ACTIONS += ("html_error",)
# Faults that change items of a list answer (fields missing or of the wrong type); the state is left alone.
ACTIONS += ("omit_fields", "set_fields")
HOSTS = ("userapi", "api", "portalapi")
DEFAULT_MESSAGE = "Service is temporarily unavailable, please try again later."
FAULT_KEYS = ("method", "path", "host", "count", "every", "action", "status", "error_code", "message", "seconds", "retry_after")
FAULT_KEYS += ("number", "application_key", "group_id", "fields", "values", "organisation_id")
# The keys every action takes; omit_fields / set_fields take these and their own (LIST_FAULT_KEYS) only.
# organisation_id scopes a fault to the requests for one organisation (many accounts in one emulator).
MATCH_KEYS = ("method", "path", "host", "count", "every", "action", "organisation_id")
LIST_FAULT_KEYS = {"omit_fields": ("fields", "number", "group_id"), "set_fields": ("values", "number", "group_id")}
_DIGITS_RE = re.compile(r"-?[0-9]+")
NON_JSON_BODY = "<html><body><h1>Bad Gateway</h1><p>The upstream server answered oddly.</p></body></html>"


class Fault:
    """One rule: which requests it matches, what it does, and how many more times."""

    def __init__(self, fault_id, action, remaining, method=None, path=None, host=None, every=1, organisation_id=None, **params):
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
        self.organisation_id = organisation_id
        self.status = params.get("status")
        self.error_code = params.get("error_code")
        self.message = params.get("message")
        self.seconds = params.get("seconds")
        self.retry_after = params.get("retry_after")
        self.number = params.get("number")
        self.application_key = params.get("application_key")
        self.group_id = params.get("group_id")
        self.fields = params.get("fields")
        self.values = params.get("values")

    def matches(self, host, method, path, organisation_id=None):
        """True when the rule applies to a request (``path`` is matched with re.fullmatch).

        A rule scoped to an organisation applies only to the requests for it (see accounts.request_organisation).
        """
        if self.organisation_id is not None and self.organisation_id != organisation_id:
            return False
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

    def html_parts(self):
        """(status line, HTML page, extra headers) of an ``html_error`` answer: a gateway's page, no errorCode.

        The status line carries the gateway's reason phrase ("502 Bad Gateway"), as nginx sends it.
        """
        headers = {}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return html_title(self.status), html_page(self.status), headers

    def to_json(self):
        """The admin view of the rule."""
        answer = {"id": self.fault_id, "action": self.action, "remaining": self.remaining,
                  "method": self.method, "path": self.path, "host": self.host}
        if self.every != 1:
            answer["every"] = self.every
        if self.organisation_id is not None:
            answer["organisation_id"] = self.organisation_id
        if self.action in ("error", "error_after"):
            answer.update({"status": self.status, "error_code": self.error_code, "message": self.message, "retry_after": self.retry_after})
        if self.action == "latency":
            answer["seconds"] = self.seconds
        if self.action in ("omit_number", "omit_capabilities", "other_writer_after"):
            answer["number"] = self.number
        if self.action == "other_writer_after":
            answer["application_key"] = self.application_key
        if self.action == "non_json_after":
            answer["status"] = self.status
        if self.action == "html_error":
            answer.update({"status": self.status, "retry_after": self.retry_after})
        if self.action == "expire_reservations":
            answer["group_id"] = self.group_id
        if self.action in LIST_FAULT_KEYS:
            answer.update({"number": self.number, "group_id": self.group_id})
            answer.update({"fields": self.fields} if self.action == "omit_fields" else {"values": self.values})
        return answer

    def rewrite_list(self, data):
        """The JSON list answer of an ``omit_number`` / ``omit_capabilities`` / ``omit_fields`` / ``set_fields`` fault."""
        if self.action == "omit_number":
            return [item for item in data if not self.selects(item)]
        return [self._rewrite_item(item) if self.selects(item) else item for item in data]

    def selects(self, item):
        """True for a list item the fault acts on: an object whose ``number`` / ``groupId`` equal the fault's, when given.

        Compared as integers, so that the ``string_ids`` fault mode ("13") does not hide an item from the fault.
        """
        if not isinstance(item, dict):
            return False
        if self.number is not None and _as_int(item.get("number")) != self.number:
            return False
        return self.group_id is None or _as_int(item.get("groupId")) == self.group_id

    def _rewrite_item(self, item):
        """A copy of one selected item, with keys dropped (omit_*) or set (set_fields)."""
        if self.action == "set_fields":
            changed = dict(item)
            changed.update(self.values)
            return changed
        dropped = self.fields if self.action == "omit_fields" else ("capabilities",)
        return dict((key, value) for key, value in item.items() if key not in dropped)


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

    def take(self, host, method, path, organisation_id=None):
        """Consume one count of the first active rule matching the request; None when none matches."""
        for fault in self.faults:
            if fault.matches(host, method, path, organisation_id):
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
    organisation_id = data.get("organisation_id")
    if organisation_id is not None and (not _is_int(organisation_id) or organisation_id < 1):
        raise ValueError("organisation_id must be a positive integer")
    params = _action_params(action, data)
    return Fault(fault_id, action, count, method=method.upper() if method else None, path=path, host=host, every=every,
                 organisation_id=organisation_id, **params)


def _action_params(action, data):
    """The parameters that go with an action, with their defaults."""
    for key, owner in (("fields", "omit_fields"), ("values", "set_fields")):
        if key in data and action != owner:
            raise ValueError("%s goes only with %s" % (key, owner))
    if action in LIST_FAULT_KEYS:
        return _list_fault_params(action, data)
    if action in ("error", "error_after"):
        return _error_params(data)
    if action in ("omit_number", "omit_capabilities", "other_writer_after"):
        return _number_params(action, data)
    if action == "non_json_after":
        status = data.get("status", 200)
        if not _is_int(status) or not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code")
        return {"status": status}
    if action == "html_error":
        return _html_params(data)
    if action == "latency":
        seconds = data.get("seconds")
        if not _is_number(seconds) or seconds < 0:
            raise ValueError("a latency fault needs seconds >= 0")
        return {"seconds": seconds}
    if action == "expire_reservations":
        group_id = data.get("group_id")
        if group_id is not None and not _is_int(group_id):
            raise ValueError("group_id must be an integer")
        return {"group_id": group_id}
    if data.get("group_id") is not None:
        raise ValueError("group_id goes only with expire_reservations, omit_fields and set_fields")
    return {}


def _list_fault_params(action, data):
    """fields (omit_fields) or values (set_fields), and the optional number / group_id that select the items.

    Keys of other actions are refused rather than ignored: a fault that does not do what it says fails loudly.
    """
    foreign = sorted(key for key in data if key not in MATCH_KEYS + LIST_FAULT_KEYS[action])
    if foreign:
        raise ValueError("a %s fault does not take %s" % (action, ", ".join(foreign)))
    number = data.get("number")
    if number is not None and (not _is_int(number) or number < 1):
        raise ValueError("number must be a positive integer")
    group_id = data.get("group_id")
    if group_id is not None and not _is_int(group_id):
        raise ValueError("group_id must be an integer")
    params = {"number": number, "group_id": group_id}
    if action == "omit_fields":
        fields = data.get("fields")
        if not isinstance(fields, list) or not fields or not all(isinstance(key, str) and key for key in fields):
            raise ValueError("an omit_fields fault needs fields: a non-empty list of non-empty strings")
        params["fields"] = list(fields)
    else:
        values = data.get("values")
        if not isinstance(values, dict) or not values or not all(key for key in values):
            raise ValueError("a set_fields fault needs values: a non-empty object (key -> the JSON value to answer)")
        params["values"] = dict(values)
    return params


def _number_params(action, data):
    """number (and, for other_writer_after, application_key) of a fault on application numbers."""
    number = data.get("number")
    if number is None and action != "omit_capabilities":
        raise ValueError("a %s fault needs number" % action)
    if number is not None and (not _is_int(number) or number < 1):
        raise ValueError("number must be a positive integer")
    params = {"number": number}
    if action == "other_writer_after":
        if "application_key" not in data:
            raise ValueError("an other_writer_after fault needs application_key (a key, or null for no application)")
        key = data["application_key"]
        if key is not None and (not isinstance(key, str) or not key):
            raise ValueError("application_key must be a non-empty string or null")
        params["application_key"] = key
    return params


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


def _html_params(data):
    """status / retry_after of an html_error fault (default 502); it has no errorCode or message."""
    for key in ("error_code", "message"):
        if key in data:
            raise ValueError("an html_error fault answers an HTML page without errorCode or message: drop %s" % key)
    status = data.get("status", 502)
    if not _is_int(status) or not 400 <= status <= 599:
        raise ValueError("status of an html_error fault must be an HTTP error status (400 to 599)")
    retry_after = data.get("retry_after")
    if retry_after is not None and (not _is_int(retry_after) or retry_after < 0):
        raise ValueError("retry_after must be an integer >= 0")
    return {"status": status, "retry_after": retry_after}


# The pages a gateway or load balancer in front of the API answers with (nginx's wording).
_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


def html_title(status):
    """"502 Bad Gateway": the status line and the page's title."""
    return "%d %s" % (status, _REASONS.get(status, "Error"))


def html_page(status):
    """The HTML body of an ``html_error`` answer."""
    title = html_title(status)
    return ("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" % (title, title))


def _optional_str(data, key):
    """An optional non-empty string field."""
    value = data.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError("%s must be a non-empty string" % key)
    return value


def _is_int(value):
    """A real integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value):
    """An answered id as an integer: an int, or a string of ASCII digits (``string_ids``); None otherwise."""
    if _is_int(value):
        return value
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        return int(value)
    return None


def _is_number(value):
    """An int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
