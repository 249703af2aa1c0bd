"""The request log read through GET /_admin/requests (stdlib only).

The log has no lock of its own: callers hold ``Emulator.lock``.
"""

import json

REDACTED_KEYS = ("password", "authorization", "secret")


def redact(value):
    """Replace the value of every ``password``, ``authorization`` and ``secret`` key, at any depth, with "***"."""
    if isinstance(value, dict):
        return {key: ("***" if key in REDACTED_KEYS else redact(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def parse_logged_body(raw):
    """The request body as parsed JSON (redacted), or None when empty or not JSON."""
    if not raw:
        return None
    try:
        return redact(json.loads(raw.decode("utf-8")))
    except ValueError:
        return None


class RequestLog:
    """Non-admin requests in the order their answers were decided."""

    def __init__(self):
        self.entries = []
        self.seq = 0

    def append(self, host, method, path, query, status, error_code, raw_body, fault, organisation_id=None):
        """Record one request, with the organisation it was for (None when nothing in it names a known one)."""
        self.seq += 1
        self.entries.append({
            "seq": self.seq,
            "host": host,
            "method": method,
            "path": path,
            "query": query,
            "status": status,
            "error_code": error_code,
            "body": parse_logged_body(raw_body),
            "fault": fault,
            "organisation_id": organisation_id,
        })

    def to_json(self):
        """A copy of all entries."""
        return [dict(entry) for entry in self.entries]

    def clear(self):
        """Forget all entries; numbering starts again at 1."""
        self.entries = []
        self.seq = 0
