"""The number shop (portalapi): list groups, reserve numbers, check reservations out."""

import decimal
import uuid

from .auth import require_instance
from .errors import ApiError, bad_request
from .fixture import CAPABILITIES
from .models import Purchase, Reservation, RentedNumber
from .session import require_owner
from .timeutil import format_offset_utc
from .validation import parse_json_object, require_int, require_list

NOT_FOUND_OR_EXPIRED = "Unable to assign numbers to organization: reservation(s) not found or expired"


def invalid_type_message(value):
    """The seed's message for a number type other than sms / voice (two spaces before 'Type')."""
    return "Invalid number type: %s.  Type must be one of: sms, voice." % value


def list_groups(emulator, request, org_segment):
    """GET /v1/organisations/id/{org}/numbers/shop[?type=sms|voice]: NumberGroup[] sorted by groupId."""
    instance = require_instance(emulator, request)
    require_owner(emulator, instance, org_segment)
    wanted = request.args.get("type")
    if wanted is not None and wanted.lower() not in CAPABILITIES:
        raise bad_request(invalid_type_message(wanted))
    groups = emulator.world.sorted_groups()
    if wanted is not None:
        groups = [g for g in groups if wanted.lower() in g.capabilities]
    answer = [g.to_api(emulator.availability(g)) for g in groups]
    for item in answer:
        if item["groupId"] == emulator.settings["hide_cost_group"]:
            del item["cost"]
    return [stringify_ids(emulator, item) for item in answer]


def stringify_ids(emulator, item):
    """The ``string_ids`` fault mode: groupId and number as JSON strings (as the API sends the organisation id)."""
    if emulator.settings["string_ids"]:
        for key in ("groupId", "number"):
            if key in item:
                item[key] = str(item[key])
    return item


def reserve(emulator, request, org_segment):
    """PUT .../numbers/shop: hold ``quantity`` numbers of a group; answers {"referenceId": uuid}."""
    instance = require_instance(emulator, request)
    org = require_owner(emulator, instance, org_segment)
    body = parse_json_object(request.get_data(cache=True), request.headers.get("Content-Type"))
    if body.get("groupId") is None:
        raise ApiError(40002, "No groupIds specified")
    group_id = require_int(body, "groupId")
    quantity = require_int(body, "quantity", minimum=1)
    requested = _requested_capabilities(body)
    group = emulator.world.groups.get(group_id)
    if group is None:
        raise ApiError(40003, "Invalid number group: %d" % group_id)
    for capability in requested or ():
        if capability not in group.capabilities:
            raise bad_request("Invalid capability '%s'" % capability)
    available = emulator.availability(group)
    if quantity > available:
        raise ApiError(40003, "Not enough numbers available in number group %d: %d available, %d requested." % (group_id, available, quantity))
    world = emulator.world
    world.reservation_seq += 1
    reservation = Reservation(world.reservation_seq, str(uuid.uuid4()), org.org_id, group_id, quantity, requested or list(group.capabilities),
                              group.cost, group.currency_id, emulator.now() + emulator.settings["reservation_ttl"])
    world.reservations[reservation.reference_id] = reservation
    return {"referenceId": reservation.reference_id}


def _requested_capabilities(body):
    """The optional ``capabilities`` list, de-duplicated; None when absent or null.

    An empty list is refused (40001): it would reserve numbers that can do nothing.
    """
    value = body.get("capabilities")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("The field 'capabilities' must be a list of strings.")
    if not value:
        raise bad_request("The field 'capabilities' must not be empty.")
    for capability in value:
        if capability not in CAPABILITIES:
            raise bad_request("Invalid capability '%s'" % capability)
    return list(dict.fromkeys(value))


def checkout(emulator, request, org_segment):
    """POST .../numbers/shop: rent the reserved numbers, all or nothing; answers 204 (None)."""
    instance = require_instance(emulator, request)
    org = require_owner(emulator, instance, org_segment)
    body = parse_json_object(request.get_data(cache=True), request.headers.get("Content-Type"))
    if body.get("referenceIds") is None or body.get("referenceIds") == []:
        raise ApiError(40002, "No referenceIds specified")
    reference_ids = list(dict.fromkeys(require_list(body, "referenceIds", lambda item: isinstance(item, str), "strings")))
    now = emulator.now()
    reservations = [emulator.world.reservations.get(reference_id) for reference_id in reference_ids]
    invalid = [r for r in reservations if r is None or r.org_id != org.org_id or not r.is_active(now)]
    if invalid and emulator.settings["checkout_partial"]:
        # The other reading of the API: the still-valid reservations are applied, then 40400 for the rest.
        valid = [r for r in reservations if r not in invalid]
        if valid:
            _apply(emulator, org, valid, now)
        raise ApiError(40400, NOT_FOUND_OR_EXPIRED)
    if invalid:
        raise ApiError(40400, NOT_FOUND_OR_EXPIRED)
    _apply(emulator, org, reservations, now)
    return None


def _apply(emulator, org, reservations, now):
    """Charge and rent a list of valid reservations, all or nothing (accounting 42200, credit 40200)."""
    if not org.accounting:
        raise ApiError(42200, "Accounting not set up for this organization.")
    total = sum((r.total_cost() for r in reservations), decimal.Decimal(0))
    if total > org.credit:
        raise ApiError(40200, "Insufficient funds to complete the transaction.")
    org.credit -= total
    if emulator.settings["rented_numbers_lag"]:
        if not org.lag_reads:
            org.lagged = [n.to_api() for n in org.sorted_numbers()]
        org.lag_reads = emulator.settings["rented_numbers_lag"]
    bought = []
    for reservation in reservations:
        bought += _rent(emulator, org, reservation, now)
        del emulator.world.reservations[reservation.reference_id]
    world = emulator.world
    world.purchases.append(Purchase(len(world.purchases) + 1, org.org_id, reservations, bought, total, now))


def _rent(emulator, org, reservation, now):
    """Turn one reservation into rented numbers and take them out of the group's stock; return the numbers, in order."""
    group = emulator.world.groups[reservation.group_id]
    group.stock -= reservation.quantity
    expires = format_offset_utc(now + emulator.settings["number_expiry_days"] * 86400)
    taken = emulator.world.all_numbers()
    bought = []
    for _unit in range(reservation.quantity):
        number = group.next_number
        while number in taken:
            number += 1
        group.next_number = number + 1
        taken.add(number)
        org.numbers[number] = RentedNumber(number, group.group_id, list(reservation.capabilities), group.country_id, group.city,
                                           group.country, group.area_code, expires, group.cost, group.currency_id, bought_at=now)
        bought.append(number)
    return bought
