# -*- coding: utf-8 -*-
"""A fake SinchClient for renting: a shop, reservations, credit and scripted checkout faults, every call recorded."""
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
from decimal import Decimal

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

ORG = 8888123
SHOP_PATH = "v1/organisations/id/%d/numbers/shop" % ORG


def group(group_id, availability, amount=2.0, currency_id="USD", country_id="FR", city="PARIS", area_code="01",
          capabilities=("voice",)):
    """A number group as the shop lists it."""
    return {"groupId": group_id, "country": country_id, "countryId": country_id, "city": city, "type": capabilities[0].capitalize(),
            "availability": availability, "areaCode": area_code, "cost": {"amount": amount, "currencyId": currency_id},
            "capabilities": list(capabilities)}


def rented(number, group_id=1, country_id="FR", city="PARIS", area_code="01", capabilities=("voice",), application_key=None):
    """A rented number as Sinch lists it."""
    raw = {"number": number, "groupId": group_id, "capabilities": list(capabilities), "countryId": country_id,
           "city": city, "country": country_id, "areaCode": area_code, "expires": "2030-01-01T00:00:00+00:00",
           "cost": {"amount": 2.0, "currencyId": "USD"}}
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


class FakeSession(object):
    def __init__(self):
        self.warnings = []


def _error(message, status, code, method="POST", unknown=False):
    return SinchError(message, status=status, error_code=code, method=method, path=SHOP_PATH, outcome_unknown=unknown)


def _throw(error):
    raise error


def _next(faults):
    """The next scripted fault, "ok" when none is left."""
    return faults.pop(0) if faults else "ok"


class FakeShopClient(object):
    """Sinch's renting rules in a few lines.

    ``checkout_faults`` is consumed one entry per checkout: "ok" or None (normal), "drop_after" (applied, answer
    lost), "drop_before" (not applied, answer lost), "expire" (reservations expire, 40400), or a SinchError
    to raise without applying. ``reserve_faults`` likewise per reserve: None (normal) or a SinchError.
    """

    organisation_id = ORG

    def __init__(self, groups, numbers=(), credit="100", accounting=True):
        self.groups = dict((raw["groupId"], copy.deepcopy(raw)) for raw in groups)
        self.numbers = dict((raw["number"], copy.deepcopy(raw)) for raw in numbers)
        self.credit = Decimal(credit)
        self.accounting = accounting
        self.reservations = {}
        self.checkout_faults = []
        self.reserve_faults = []
        self.calls = []
        self.session = FakeSession()
        self._seq = 0

    def names(self):
        """The calls made, by method name only."""
        return [call[0] for call in self.calls]

    def writes(self):
        return [call for call in self.calls if call[0] in ("reserve", "checkout")]

    def list_numbers(self):
        self.calls.append(("list_numbers",))
        return [copy.deepcopy(self.numbers[n]) for n in sorted(self.numbers)]

    def list_number_groups(self):
        self.calls.append(("list_number_groups",))
        return [copy.deepcopy(self.groups[g]) for g in sorted(self.groups)]

    def reserve(self, group_id, quantity, capabilities=None):
        self.calls.append(("reserve", group_id, quantity, capabilities))
        fault = _next(self.reserve_faults)
        if isinstance(fault, SinchError):
            _throw(fault)
        stock = self.groups[group_id]
        if quantity > stock["availability"]:
            raise _error("Not enough numbers available", 400, 40003, method="PUT")
        stock["availability"] -= quantity
        self._seq += 1
        reference_id = "ref-%d" % self._seq
        self.reservations[reference_id] = {"group_id": group_id, "quantity": quantity, "capabilities": capabilities,
                                           "active": True}
        return reference_id

    def checkout(self, reference_ids):
        self.calls.append(("checkout", list(reference_ids)))
        fault = _next(self.checkout_faults)
        if isinstance(fault, SinchError):
            _throw(fault)
        if fault == "drop_before":
            raise _error("connection dropped", None, None, unknown=True)
        if fault == "expire":
            for reservation in self.reservations.values():
                reservation["active"] = False
        held = [self.reservations.get(ref) for ref in reference_ids]
        if any(r is None or not r["active"] for r in held):
            raise _error("reservation(s) not found or expired", 404, 40400)
        if not self.accounting:
            raise _error("Accounting not set up for this organization.", 422, 42200)
        total = sum(Decimal(str(self.groups[r["group_id"]]["cost"]["amount"])) * r["quantity"] for r in held)
        if total > self.credit:
            raise _error("Insufficient funds to complete the transaction.", 402, 40200)
        self.credit -= total
        for ref in reference_ids:
            self._rent(self.reservations.pop(ref))
        if fault == "drop_after":
            raise _error("connection dropped", None, None, unknown=True)

    def _rent(self, reservation):
        raw = self.groups[reservation["group_id"]]
        base = int("33%d00000000" % reservation["group_id"])
        for _unit in range(reservation["quantity"]):
            base += 1
            while base in self.numbers:
                base += 1
            self.numbers[base] = rented(base, raw["groupId"], raw["countryId"], raw["city"], raw["areaCode"],
                                        reservation["capabilities"] or raw["capabilities"])
