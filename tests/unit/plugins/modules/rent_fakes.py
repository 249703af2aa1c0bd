# -*- coding: utf-8 -*-
"""A fake SinchClient for renting: a shop, reservations, credit and scripted faults, every call recorded.

Sinch's state (the ledger) can be shared by several clients, one per concurrent run; each client keeps its own
calls, faults and journal, and records its writes in the journal exactly as the real client does.
"""
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import functools
import json
import threading
from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils import _module
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._input import parse_options
from ansible_collections.sinch.numbers.plugins.module_utils._journal import Journal
from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

ORG = 8888123
SHOP_PATH = "v1/organisations/id/%d/numbers/shop" % ORG
APP = "aaaaaaaa-0000-4000-8000-000000000001"
OTHER = "bbbbbbbb-0000-4000-8000-000000000002"


def group(group_id, availability, amount=2.0, currency_id="USD", country_id="FR", city="PARIS", area_code="01",
          capabilities=("voice",)):
    """A number group as the shop lists it."""
    return {"groupId": group_id, "country": country_id, "countryId": country_id, "city": city, "type": capabilities[0].capitalize(),
            "availability": availability, "areaCode": area_code, "cost": {"amount": amount, "currencyId": currency_id},
            "capabilities": list(capabilities)}


def rented(number, group_id=1, country_id="FR", city="PARIS", area_code="01", capabilities=("voice",), application_key=None,
           amount=2.0, currency_id="USD"):
    """A rented number as Sinch lists it."""
    raw = {"number": number, "groupId": group_id, "capabilities": list(capabilities), "countryId": country_id,
           "city": city, "country": country_id, "areaCode": area_code, "expires": "2030-01-01T00:00:00+00:00",
           "cost": {"amount": amount, "currencyId": currency_id}}
    if application_key:
        raw["applicationKey"] = application_key
    return raw


class FakeHTTPResponse(object):
    """What the transport sees of an HTTP answer (status, reason, body bytes, headers)."""

    def __init__(self, status, body):
        self.status_code = status
        self.reason = "Error"
        self.content = json.dumps(body).encode("utf-8") if body is not None else b""
        self.headers = {}

    def json(self):
        return json.loads(self.content.decode("utf-8"))


def http_error(status, error_code, message, method="POST"):
    """The SinchError the real transport raises for such an answer (its classification, not the test's)."""
    try:
        Transport._answer(FakeHTTPResponse(status, {"errorCode": error_code, "message": message}), method, SHOP_PATH)
    except SinchError as err:
        return err
    raise AssertionError("the transport accepted HTTP %d" % status)


def lost(method="POST"):
    """No answer at all (a dropped connection): the request may have been applied."""
    return SinchError("connection dropped", method=method, path=SHOP_PATH, outcome_unknown=True)


class FakeSession(object):
    def __init__(self):
        self.warnings = []


def _error(message, status, code, method="POST"):
    return SinchError(message, status=status, error_code=code, method=method, path=SHOP_PATH)


def _throw(error):
    raise error


def _next(faults):
    """The next scripted fault, "ok" when none is left."""
    return (faults.pop(0) if faults else "ok") or "ok"


class Ledger(object):
    """Sinch's state for one organisation: the shop, the rented numbers, the reservations and the credit.

    Thread-safe, so that concurrent runs (each with its own client) can share it. A reservation is bought at most
    once: checking out a reservation already checked out, or expired, answers 40400.
    """

    def __init__(self, groups, numbers=(), credit="100", accounting=True, applications=(APP, OTHER)):
        self.lock = threading.RLock()
        self.groups = dict((raw["groupId"], copy.deepcopy(raw)) for raw in groups)
        self.numbers = dict((raw["number"], copy.deepcopy(raw)) for raw in numbers)
        self.credit = Decimal(credit)
        self.accounting = accounting
        self.applications = set(applications)
        self.reservations = {}
        self.checkouts = []      # every checkout applied: (reference id, group id, quantity)
        self.handout = {}        # group id -> fields of the numbers Sinch hands out from it (another city...)
        self._seq = 0

    def reserve(self, group_id, quantity, capabilities):
        with self.lock:
            stock = self.groups[group_id]
            if quantity > stock["availability"]:
                raise _error("Not enough numbers available", 400, 40003, method="PUT")
            stock["availability"] -= quantity
            self._seq += 1
            reference_id = "ref-%d" % self._seq
            self.reservations[reference_id] = {"group_id": group_id, "quantity": quantity, "capabilities": capabilities,
                                               "active": True}
            return reference_id

    def expire(self, reference_id=None):
        """Every live reservation (or one) expires: its numbers go back to the shop."""
        with self.lock:
            for ref, reservation in self.reservations.items():
                if reference_id in (None, ref) and reservation["active"]:
                    reservation["active"] = False
                    self.groups[reservation["group_id"]]["availability"] += reservation["quantity"]

    def checkout(self, reference_id):
        """Apply the checkout of one reservation; returns the numbers bought."""
        with self.lock:
            held = self.reservations.get(reference_id)
            if held is None or not held["active"]:
                raise _error("reservation not found or expired", 404, 40400)
            if not self.accounting:
                raise _error("Accounting not set up for this organization.", 422, 42200)
            raw = self.groups[held["group_id"]]
            total = Decimal(str(raw["cost"]["amount"])) * held["quantity"]
            if total > self.credit:
                raise _error("Insufficient funds to complete the transaction.", 402, 40200)
            self.credit -= total
            del self.reservations[reference_id]
            self.checkouts.append((reference_id, held["group_id"], held["quantity"]))
            return self._rent(held, raw)

    def _rent(self, reservation, raw):
        base = int("33%d00000000" % reservation["group_id"])
        bought = []
        for _unit in range(reservation["quantity"]):
            base += 1
            while base in self.numbers:
                base += 1
            number = rented(base, raw["groupId"], raw["countryId"], raw["city"], raw["areaCode"],
                            reservation["capabilities"] or raw["capabilities"], amount=raw["cost"]["amount"],
                            currency_id=raw["cost"]["currencyId"])
            number.update(copy.deepcopy(self.handout.get(raw["groupId"], {})))
            self.numbers[base] = number
            bought.append(base)
        return bought

    def bought(self):
        """How many numbers the checkouts bought, over every run."""
        return sum(quantity for _ref, _group, quantity in self.checkouts)


class FakeShopClient(object):
    """A client over a Ledger: Sinch's renting rules in a few lines, and scripted faults.

    ``checkout_faults`` is consumed one entry per checkout: "ok" or None (normal), "drop_after" (applied, answer
    lost), "drop_before" (not applied, answer lost), "expire" (the reservation expired: 40400), a SinchError to
    raise without applying, or ("applied", SinchError) to apply and then raise. ``reserve_faults`` likewise per
    reserve: None (normal) or a SinchError. ``lagging_reads``: so many reads of the rented numbers, after this client's
    first purchase, leave out the numbers its checkouts bought. ``list_filter`` rewrites the rented-numbers answer
    (fields Sinch omits). ``fail_from`` and ``failure``: every call from that index of ``calls`` on raises
    ``failure()`` (Sinch gone, or a bug), inside the journal for writes.
    Every write goes to ``journal`` as the real client records it.
    """

    organisation_id = ORG

    def __init__(self, groups=(), numbers=(), credit="100", accounting=True, ledger=None, applications=(APP, OTHER)):
        self.ledger = ledger if ledger is not None else Ledger(groups, numbers, credit, accounting, applications)
        self.journal = Journal()
        self.checkout_faults = []
        self.reserve_faults = []
        self.lagging_reads = 0
        self.hidden = set()
        self.list_filter = None
        self.read_delay = None   # a function called after Sinch answered each rented-numbers read (to widen a race)
        self.fail_from = None    # with ``failure``: every call from this index (of ``calls``) on raises failure()
        self.failure = None
        self.calls = []
        self.session = FakeSession()

    # --- Sinch's state, as the tests look at it -----------------------------------------------------
    @property
    def numbers(self):
        return self.ledger.numbers

    @property
    def groups(self):
        return self.ledger.groups

    @property
    def credit(self):
        return self.ledger.credit

    @property
    def reservations(self):
        return self.ledger.reservations

    @property
    def warnings(self):
        return self.session.warnings

    def names(self):
        """The calls made, by method name only."""
        return [call[0] for call in self.calls]

    def writes(self):
        return [call for call in self.calls if call[0] in ("reserve", "checkout", "set_application_numbers",
                                                           "unassign_number")]

    def assigned(self, application_key):
        return sorted(n for n, raw in self.numbers.items() if raw.get("applicationKey") == application_key)

    # --- the endpoints ------------------------------------------------------------------------------
    def _fault(self):
        """Raise the scripted failure when the call just recorded is at or past ``fail_from``."""
        if self.fail_from is not None and len(self.calls) - 1 >= self.fail_from:
            raise self.failure()

    def _write(self, kind, key, details, send):
        """As SinchClient._write: in the journal before it leaves, settled by its answer."""
        return self.journal.send(kind, key, details, send)

    def list_numbers(self):
        self.calls.append(("list_numbers",))
        self._fault()
        with self.ledger.lock:
            answer = [copy.deepcopy(self.numbers[n]) for n in sorted(self.numbers)]
        if self.read_delay is not None:
            self.read_delay()   # the answer, as Sinch made it, arrives late
        if self.lagging_reads and self.hidden:
            self.lagging_reads -= 1
            answer = [raw for raw in answer if raw["number"] not in self.hidden]
        return self.list_filter(answer) if self.list_filter else answer

    def list_number_groups(self):
        self.calls.append(("list_number_groups",))
        self._fault()
        with self.ledger.lock:
            return [copy.deepcopy(self.groups[g]) for g in sorted(self.groups)]

    def reserve(self, group_id, quantity, capabilities=None):
        self.calls.append(("reserve", group_id, quantity, capabilities))
        self._fault()
        fault = _next(self.reserve_faults)
        if isinstance(fault, SinchError):
            _throw(fault)
        reference_id = self.ledger.reserve(group_id, quantity, capabilities)
        self.journal.reserved(reference_id, group_id, quantity)
        return reference_id

    def checkout(self, reference_id, **about):
        self.calls.append(("checkout", reference_id))
        fault = _next(self.checkout_faults)
        self._write("checkout", reference_id, about, lambda: self._checkout(reference_id, fault))

    def _checkout(self, reference_id, fault):
        self._fault()
        after = None
        if isinstance(fault, tuple):
            fault, after = fault
        if isinstance(fault, SinchError):
            raise fault
        if fault == "drop_before":
            raise lost()
        if fault == "expire":
            self.ledger.expire(reference_id)
        self.hidden.update(self.ledger.checkout(reference_id))
        if fault == "drop_after":
            raise lost()
        if after is not None:
            raise after

    def list_application_numbers(self, application_key):
        self.calls.append(("list_application_numbers", application_key))
        self._fault()
        with self.ledger.lock:
            if application_key not in self.ledger.applications:
                raise SinchError("Application with the key %s was not found." % application_key, status=404,
                                 error_code=40400, method="GET")
            return [copy.deepcopy(raw) for _n, raw in sorted(self.numbers.items())
                    if raw.get("applicationKey") == application_key]

    def set_application_numbers(self, application_key, capability, numbers):
        numbers = sorted(set(int(n) for n in numbers))
        self.calls.append(("set_application_numbers", application_key, capability, list(numbers)))
        details = {"application_key": application_key, "capability": capability, "numbers": numbers}
        return self._write("overwrite", (application_key, capability), details,
                           lambda: self._overwrite(application_key, capability, numbers))

    def _overwrite(self, application_key, capability, numbers):
        self._fault()
        with self.ledger.lock:
            for raw in self.numbers.values():
                if raw.get("applicationKey") == application_key and capability in raw["capabilities"]:
                    del raw["applicationKey"]
            for number in numbers:
                self.numbers[number]["applicationKey"] = application_key
            return [copy.deepcopy(raw) for _n, raw in sorted(self.numbers.items())
                    if raw.get("applicationKey") == application_key]


# --- Running a module's logic as Ansible would ---------------------------------------------------------

SECRET = "bRo76GRddEyetgJDTgkLHA=="
CONNECTION = dict(email=None, password=None, identity_type="email", instance_id="inst-1", instance_secret=SECRET,
                  organisation_id=ORG, user_api_url="https://u.test", api_url="https://a.test",
                  portal_api_url="https://p.test", validate_certs=True, timeout=30.0, retries=0)


def module_params(arguments, **values):
    """A module's params as AnsibleModule hands them over (defaults filled in), parsed once as _module does."""
    params = dict((name, spec.get("default")) for name, spec in arguments.items())
    params.update(values)
    parse_options(params)
    return params


class Failed(Exception):
    """AnsibleModule.fail_json ends the process; the fake raises this instead."""


class FakeModule(object):
    """Just what _module.run uses of an AnsibleModule; records the result the user would see."""

    def __init__(self, params, check_mode=False):
        self.params = dict(CONNECTION)
        self.params.update(params)
        self.check_mode = check_mode
        self.failed = None
        self.exited = None
        self.warnings = []
        self.no_log_values = set()

    def fail_json(self, **kwargs):
        self.failed = kwargs
        raise Failed()

    def exit_json(self, **kwargs):
        self.exited = kwargs

    def warn(self, text):
        self.warnings.append(text)

    @property
    def result(self):
        return self.failed if self.failed is not None else self.exited


_RUNNING = threading.local()


def _client_for(params):
    """The runner's client: the test's client of this thread, else the real one (as _module would build it)."""
    client = getattr(_RUNNING, "client", None)
    return client if client is not None else client_from_params(params)


def run_module(logic, client, params, check_mode=False, **options):
    """Run ``logic`` through the runner (_module.run) over ``client``; returns the FakeModule.

    ``options`` go to the logic as keyword arguments (sleep, settle_delays, resend_delays for _purchase). Safe in
    threads: each thread's runner gets its own client.
    """
    module = FakeModule(params, check_mode)
    _module.client_from_params = _client_for
    _RUNNING.client = client
    try:
        _module.run(module, functools.partial(logic, **options) if options else logic)
    except Failed:
        pass
    finally:
        _RUNNING.client = None
    return module
