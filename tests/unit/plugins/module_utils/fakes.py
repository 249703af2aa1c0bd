# -*- coding: utf-8 -*-
"""Stand-ins for requests objects, for unit tests of retry decisions."""
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json


class FakeResponse(object):
    """Just what the transport reads of a requests.Response."""

    def __init__(self, status, data=None, headers=None, reason="", raw=None):
        self.status_code = status
        self.content = raw if raw is not None else (json.dumps(data).encode() if data is not None else b"")
        self.headers = headers or {}
        self.reason = reason

    def json(self):
        return json.loads(self.content.decode())


class FakeHTTP(object):
    """Stands in for requests.Session: answers from a script, records what was sent.

    Used only for what the emulator cannot show cheaply: exact retry decisions and waits.
    """

    def __init__(self, *script):
        self.script = list(script)
        self.sent = []

    def request(self, method, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=None):
        self.sent.append({"method": method, "url": url, "data": data, "headers": dict(headers or {}), "timeout": timeout})
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step
