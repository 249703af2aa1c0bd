# -*- coding: utf-8 -*-
"""A fake SinchClient that keeps Sinch's ledger, for the purchase, pending-purchase and lock tests.

The ledger follows the protocol's rules (tests/../PROTOCOL.md): a reservation is bought at most once
(a checkout of a consumed or expired reservation answers 40400), a checkout needs accounting (42200)
and credit (40200), and every charge is written down. Faults are scripted per checkout of a group's
reservations, and the rented-numbers listing can lag behind the charges by a number of reads, never
show them, or show them without their ``groupId``. Failed answers are the SinchErrors the real
transport raises for such HTTP answers (its classification, not the test's).
"""
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from decimal import Decimal

import requests

from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import Journal
from ansible_collections.sinch.numbers.plugins.module_utils._planner import Line, reserve_capabilities
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

ORG = 8888123
SHOP_PATH = "v1/organisations/id/%d/numbers/shop" % ORG
SHOP_URL = "https://portalapi.sinch.com/" + SHOP_PATH
NEVER = "never"          # a listing lag: the charged numbers are never listed
NO_GROUP = "no group"    # a listing lag: the charged numbers are listed at once, without their groupId
CITIES = {1: "PARIS", 2: "LYON", 3: "NICE"}
PRICES = {1: "1.00", 2: "2.50", 3: "0.10"}

# Scripted checkout faults (see FakeLedgerClient.checkout).
OK = "ok"
APPLIED_LOST = "applied, answer lost"
LOST = "not applied, answer lost"
UNAVAILABLE_BEFORE = "503 before applying"
ERROR_AFTER = "500 after applying"
HTML_AFTER = "502 HTML page after applying"
NOT_JSON_AFTER = "200 not JSON after applying"
NO_CREDIT = "40200 not enough credit"
NO_ACCOUNTING = "42200 no accounting"
EXPIRED = "reservation expired before the checkout"
GONE_AFTER = "applied, answered 40400 (a gateway replayed it)"
REFUSED_AFTER = "applied, answered 400 (a gateway's refusal)"
CHECKOUT_FAULTS = (OK, APPLIED_LOST, LOST, UNAVAILABLE_BEFORE, ERROR_AFTER, HTML_AFTER, NOT_JSON_AFTER, NO_CREDIT,
                   NO_ACCOUNTING, EXPIRED)
APPLIED_FIRST = (APPLIED_LOST, ERROR_AFTER, HTML_AFTER, NOT_JSON_AFTER)


def shop_group(group_id, amount=None, currency_id="USD", capabilities=("voice",), availability=50):
    """A number group as the shop lists it (Sinch's camelCase)."""
    return {"groupId": group_id, "country": "FR", "countryId": "FR", "city": CITIES.get(group_id, "PARIS"),
            "type": capabilities[0].capitalize(), "availability": availability, "areaCode": "0%d" % group_id,
            "cost": {"amount": amount if amount is not None else PRICES.get(group_id, "1.00"), "currencyId": currency_id},
            "capabilities": list(capabilities)}


def group(group_id, **kwargs):
    """A shop group as the planner sees it (shaped by _shapes)."""
    record, _unreadable = _shapes.number_group(shop_group(group_id, **kwargs))
    return record


def line(group_id, quantity, **kwargs):
    """A plan line: ``quantity`` numbers of group ``group_id``, reserved with every capability of the group."""
    shaped = group(group_id, **kwargs)
    return Line(shaped, quantity, reserve_capabilities(shaped))


class FakeHTTPResponse(object):
    """What the transport reads of an HTTP answer."""

    def __init__(self, status, body=None, content=None, reason="Error"):
        self.status_code = status
        self.reason = reason
        if content is None:
            content = json.dumps(body).encode("utf-8") if body is not None else b""
        self.content = content
        self.headers = {}

    def json(self):
        return json.loads(self.content.decode("utf-8"))


def http_answer(status, body=None, content=None, reason="Error", method="POST"):
    """The SinchError the real transport raises for such an answer (None when it accepts it)."""
    try:
        Transport._answer(FakeHTTPResponse(status, body, content, reason), method, SHOP_PATH)
    except SinchError as err:
        return err
    return None


def http_error(status, error_code, message, method="POST"):
    """The SinchError of an HTTP error answer with Sinch's JSON body."""
    err = http_answer(status, {"errorCode": error_code, "message": message}, method=method)
    assert err is not None, "the transport accepted HTTP %d" % status
    return err


def lost_answer(method="POST"):
    """The SinchError of a request whose answer never came (a read timeout): it may have been applied."""
    transport = Transport(timeout=30, session=object())
    return transport._connection_error(requests.exceptions.ReadTimeout("read timed out"), method, SHOP_URL, SHOP_PATH,
                                       None)


def html_page(status=502):
    err = http_answer(status, content=b"<html><body><h1>502 Bad Gateway</h1></body></html>", reason="Bad Gateway")
    assert err is not None
    return err


def not_json(status=200):
    err = http_answer(status, content=b"<html>OK</html>", reason="OK")
    assert err is not None, "the transport accepted an answer that is not JSON"
    return err


class FakeSession(object):
    def __init__(self):
        self.warnings = []


class Reservation(object):
    def __init__(self, reference_id, group_id, quantity, capabilities, made_at):
        self.reference_id = reference_id
        self.group_id = group_id
        self.quantity = quantity
        self.capabilities = capabilities
        self.made_at = made_at
        self.state = "held"      # held, consumed, expired


class FakeLedgerClient(object):
    """A SinchClient (reserve, checkout, list_numbers) over Sinch's books.

    ``faults`` maps a group id to the faults of the successive checkouts of its reservations (first send,
    re-sends, the checkouts of renewed reservations), one entry consumed per checkout; none left means OK.
    ``lag`` is how many reads after a charge the listing still shows the numbers as they were before it (an
    int), ``NEVER`` or ``NO_GROUP``, or a dict of those by group id. ``on_expire`` is called when a scripted expiry
    happens (another writer). With ``lifetime``, a reservation also expires that many seconds of ``clock`` after it
    was made.
    """

    organisation_id = ORG

    def __init__(self, groups=(1, 2, 3), credit="1000", accounting=True, lag=0, held=(), stock=50, lifetime=None,
                 clock=None):
        self.journal = Journal()
        self.session = FakeSession()
        self.groups = dict((gid, group(gid)) for gid in groups)
        self.stock = dict((gid, stock) for gid in groups)
        self.credit = Decimal(credit)
        self.accounting = accounting
        self.lag = lag
        self.faults = {}
        self.on_expire = None
        self.lifetime = lifetime
        self.clock = clock or (lambda: 0.0)
        self.reservations = {}
        self.numbers = {}            # number -> group id, in the order rented
        self.visible_from = {}       # number -> index of the first read that lists it
        self.no_group = set()        # numbers listed without groupId
        self.charges = []            # (reference id, group id, quantity, amount, numbers)
        # ("reserve", group, quantity, capabilities, reference or None), ("checkout", reference, SinchError or None),
        # ("read",), in the order sent.
        self.requests = []
        self.reads = 0
        self._next_number = {}
        for number, gid in held:
            self.numbers[number] = gid
            self.visible_from[number] = 0
        self.before = set(self.numbers)

    # --- what the tests look at -------------------------------------------------------------------
    def names(self):
        return [item[0] for item in self.requests]

    def checkouts(self, group_id=None):
        """Reference ids checked out, in order (of one group's reservations when ``group_id`` is given)."""
        return [item[1] for item in self.requests if item[0] == "checkout"
                and (group_id is None or self.group_of(item[1]) == group_id)]

    def group_of(self, reference_id):
        reservation = self.reservations.get(reference_id)
        return reservation.group_id if reservation is not None else None

    def held(self):
        """Reference ids of the reservations still held (neither bought nor expired)."""
        return sorted(ref for ref, reservation in self.reservations.items() if reservation.state == "held")

    def reserves(self, group_id=None):
        return [item for item in self.requests if item[0] == "reserve" and (group_id is None or item[1] == group_id)]

    def charged(self, group_id=None):
        """How many numbers were charged (of one group)."""
        return sum(charge[2] for charge in self.charges if group_id is None or charge[1] == group_id)

    def charged_references(self):
        return [charge[0] for charge in self.charges]

    def bought_numbers(self, group_id=None):
        return [number for charge in self.charges if group_id is None or charge[1] == group_id for number in charge[4]]

    def spent(self):
        return sum((charge[3] for charge in self.charges), Decimal("0"))

    # --- the endpoints ----------------------------------------------------------------------------
    def reserve(self, group_id, quantity, capabilities=None):
        held = sum(r.quantity for r in self.reservations.values() if r.group_id == group_id and r.state == "held")
        if quantity > self.stock[group_id] - held:
            self.requests.append(("reserve", group_id, quantity, capabilities, None))
            raise http_error(400, 40003, "Not enough numbers available", method="PUT")
        reference_id = "ref-%d" % (len(self.reservations) + 1)
        self.reservations[reference_id] = Reservation(reference_id, group_id, quantity, capabilities, self.clock())
        self.requests.append(("reserve", group_id, quantity, capabilities, reference_id))
        self.journal.reserved(reference_id, group_id, quantity)
        return reference_id

    def checkout(self, reference_id, **about):
        """As the real client: recorded in the journal before it is sent, settled by its answer."""
        write = self.journal.sending("checkout", reference_id, **about)
        err = None
        try:
            self._checkout(reference_id)
        except SinchError as failure:
            err = failure
        self.requests.append(("checkout", reference_id, err))
        write.answered(err or None)
        if err is not None:
            raise err

    def list_numbers(self):
        index = self.reads
        self.reads += 1
        self.requests.append(("read",))
        items = []
        for number, gid in self.numbers.items():
            if index < self.visible_from[number]:
                continue
            raw = {"number": number, "groupId": gid, "capabilities": list(self.groups[gid]["capabilities"]),
                   "countryId": "FR", "city": CITIES.get(gid, "PARIS"), "country": "FR", "areaCode": "0%d" % gid,
                   "cost": {"amount": PRICES.get(gid, "1.00"), "currencyId": "USD"}}
            if number in self.no_group:
                del raw["groupId"]
            items.append(raw)
        return items

    # --- Sinch's rules ----------------------------------------------------------------------------
    def _fault(self, group_id):
        script = self.faults.get(group_id) or []
        return script.pop(0) if script else OK

    def _checkout(self, reference_id):
        reservation = self.reservations.get(reference_id)
        fault = self._fault(reservation.group_id) if reservation is not None else OK
        if fault == LOST:
            raise lost_answer()
        if fault == UNAVAILABLE_BEFORE:
            raise http_error(503, 50300, "Service temporarily unavailable")
        if fault == EXPIRED and reservation is not None:
            reservation.state = "expired"
            if self.on_expire is not None:
                self.on_expire(self, reservation)
        if fault == NO_CREDIT:
            self.credit = Decimal("0")
        if fault == NO_ACCOUNTING:
            self.accounting = False
        self._apply(reservation)
        if fault == APPLIED_LOST:
            raise lost_answer()
        if fault == ERROR_AFTER:
            raise http_error(500, 50000, "Internal error")
        if fault == HTML_AFTER:
            raise html_page()
        if fault == NOT_JSON_AFTER:
            raise not_json()
        if fault == GONE_AFTER:
            raise http_error(404, 40400, "Reservation not found or expired")
        if fault == REFUSED_AFTER:
            raise http_error(400, 40001, "Invalid request")

    def _apply(self, reservation):
        if reservation is not None and reservation.state == "held" and self.lifetime is not None and (
                self.clock() - reservation.made_at >= self.lifetime):
            reservation.state = "expired"
        if reservation is None or reservation.state != "held":
            raise http_error(404, 40400, "Reservation not found or expired")
        if not self.accounting:
            raise http_error(422, 42200, "Accounting not set up for this organisation")
        amount = Decimal(self.groups[reservation.group_id]["cost"]["amount"]) * reservation.quantity
        if amount > self.credit:
            raise http_error(402, 40200, "Insufficient funds to complete the transaction")
        self.credit -= amount
        reservation.state = "consumed"
        self.stock[reservation.group_id] -= reservation.quantity
        numbers = [self.rent(reservation.group_id) for _unit in range(reservation.quantity)]
        self.charges.append((reservation.reference_id, reservation.group_id, reservation.quantity, amount, numbers))

    def rent(self, group_id, listed=True):
        """Give a new number of the group to the organisation (a checkout, or another writer)."""
        sequence = self._next_number.get(group_id, 0) + 1
        self._next_number[group_id] = sequence
        number = 33100000000 + group_id * 10000 + sequence
        self.numbers[number] = group_id
        lag = self.lag.get(group_id, 0) if isinstance(self.lag, dict) else self.lag
        if lag == NEVER:
            self.visible_from[number] = float("inf")
        else:
            self.visible_from[number] = self.reads + (0 if lag == NO_GROUP else lag)
        if lag == NO_GROUP:
            self.no_group.add(number)
        return number
