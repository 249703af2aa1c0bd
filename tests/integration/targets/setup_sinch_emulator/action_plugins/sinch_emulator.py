# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive the emulator's admin API from the controller, in one task and without a module process.

Tests only. Every integration target lists setup_sinch_emulator as a dependency, which puts this
action on their path. Options (all optional; what is asked runs in this order):

  requests: true       read the request log first: facts emulator_requests and emulator_writes
                       (the non-GET ones), and the same under requests/writes in the result
  state: true          read the whole state: fact emulator_state (and state in the result)
  reset: true          reload the start fixture (or fixture_data), clearing log, faults, clock...
  fixture_data: {...}  with reset, the fixture to load instead of the start one
  clear_requests: true empty the request log
  clear_faults: true   remove every armed fault
  settings: {...}      POST /_admin/settings
  clock: {...}         POST /_admin/clock
  organisation: {id: N, credit: ..., accounting: ...}   POST /_admin/organisations/N
  accounts: [{...}, ...]  POST /_admin/accounts for each (an organisation and its log-in), after a reset
  fault: {...}         arm one fault; faults: [{...}, ...] arms several

Reads come first, so "requests: true, clear_requests: true" returns the log and empties it.
The admin URL is admin_url, else sinch_admin_url, else sinch_portal_api_url + /_admin.
Admin calls are made in check mode too (they prepare and observe the test, they are not under test).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from urllib.error import HTTPError, URLError

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.urls import open_url
from ansible.plugins.action import ActionBase

_OPTIONS = frozenset(("admin_url", "requests", "state", "reset", "fixture_data", "clear_requests", "clear_faults", "settings",
                      "clock", "organisation", "fault", "faults", "accounts"))


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        unknown = sorted(set(args) - _OPTIONS)
        if unknown:
            raise AnsibleActionFail("sinch_emulator: unknown option(s) %s" % ", ".join(unknown))
        base = self._admin_url(args, task_vars or {})
        facts = {}
        if args.get("requests"):
            log = self._call(base, "GET", "/requests")
            facts["emulator_requests"] = log
            facts["emulator_writes"] = [item for item in log if item.get("method") != "GET"]
            result["requests"], result["writes"] = log, facts["emulator_writes"]
        if args.get("state"):
            facts["emulator_state"] = result["state"] = self._call(base, "GET", "/state")
        if args.get("reset"):
            body = {"fixture_data": args["fixture_data"]} if args.get("fixture_data") is not None else {}
            self._call(base, "POST", "/reset", body)
            result["changed"] = True
        elif args.get("fixture_data") is not None:
            raise AnsibleActionFail("sinch_emulator: fixture_data needs reset: true")
        for account in args.get("accounts") or []:
            self._call(base, "POST", "/accounts", account)
            result["changed"] = True
        for name in ("requests", "faults"):
            if args.get("clear_" + name):
                self._call(base, "DELETE", "/" + name)
                result["changed"] = True
        for name in ("settings", "clock"):
            if args.get(name):
                self._call(base, "POST", "/" + name, args[name])
                result["changed"] = True
        if args.get("organisation"):
            body = dict(args["organisation"])
            org_id = body.pop("id", None)
            if org_id is None:
                raise AnsibleActionFail("sinch_emulator: organisation needs its id")
            self._call(base, "POST", "/organisations/%s" % org_id, body)
            result["changed"] = True
        faults = list(args.get("faults") or []) + ([args["fault"]] if args.get("fault") else [])
        for fault in faults:
            self._call(base, "POST", "/faults", fault)
            result["changed"] = True
        if facts:
            result["ansible_facts"] = facts
        return result

    def _admin_url(self, args, task_vars):
        url = args.get("admin_url") or task_vars.get("sinch_admin_url")
        if not url:
            portal = task_vars.get("sinch_portal_api_url")
            if not portal:
                raise AnsibleActionFail("sinch_emulator: give admin_url, or define sinch_portal_api_url")
            url = "%s/_admin" % portal
        return self._templar.template(url).rstrip("/")

    @staticmethod
    def _call(base, method, path, body=None):
        data = None if body is None else json.dumps(body)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        try:
            answer = open_url(base + path, method=method, data=data, headers=headers, timeout=30)
            text = to_text(answer.read())
        except HTTPError as err:
            raise AnsibleActionFail("sinch_emulator: %s %s answered %s: %s"
                                    % (method, path, err.code, to_text(err.read())))
        except URLError as err:
            raise AnsibleActionFail("sinch_emulator: %s %s%s failed: %s" % (method, base, path, err.reason))
        return json.loads(text) if text.strip() else None
