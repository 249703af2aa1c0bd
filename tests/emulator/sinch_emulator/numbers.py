"""Rented numbers and applications (portalapi): list, overwrite an application's numbers, unassign."""

import re

from .auth import require_instance
from .errors import ApiError, bad_request
from .fixture import CAPABILITIES
from .session import require_application_of, require_owner
from .shop import invalid_type_message, stringify_ids
from .validation import is_int, parse_json_object, require_list

# A number in a path is the API's long: a bare integer, no "+", 7 to 15 digits (E.164 without the plus).
_NUMBER_RE = re.compile(r"[1-9][0-9]{6,14}")


def list_rented(emulator, request, org_segment):
    """GET /v1/organisations/id/{org}/numbers: Number[] sorted by number."""
    instance = require_instance(emulator, request)
    org = require_owner(emulator, instance, org_segment)
    if org.lag_reads:
        # The rented_numbers_lag fault mode: the list as it was before the last checkout.
        org.lag_reads -= 1
        listed = [dict(item) for item in org.lagged]
    else:
        listed = [n.to_api() for n in org.sorted_numbers()]
    hidden = _bought_too_recently(emulator, org)
    return [stringify_ids(emulator, item) for item in listed if item["number"] not in hidden]


def _bought_too_recently(emulator, org):
    """The rented_numbers_lag_seconds fault mode: the numbers whose checkout is less than N seconds old (emulator clock).

    It applies to every number a checkout rented, also before the setting was made; 0 (off) hides nothing.
    """
    lag = emulator.settings["rented_numbers_lag_seconds"]
    if not lag:
        return set()
    now = emulator.now()
    return {n.number for n in org.numbers.values() if n.bought_at is not None and now < n.bought_at + lag}


def list_application(emulator, request, application_key):
    """GET /v1/applications/key/{appKey}/numbers: the organisation's numbers assigned to the application."""
    instance = require_instance(emulator, request)
    org = require_application_of(emulator, instance, application_key)
    return [stringify_ids(emulator, n.to_api()) for n in org.sorted_numbers(application_key)]


def overwrite(emulator, request, application_key, capability):
    """PUT /v1/applications/key/{appKey}/numbers/{capability}: replace the application's numbers of that capability.

    Every number on the application whose capabilities include ``capability``
    is unassigned, then each given number is assigned (moved from another
    application if needed). Validation is all or nothing.
    """
    instance = require_instance(emulator, request)
    if capability not in CAPABILITIES:
        raise bad_request(invalid_type_message(capability))
    org = require_application_of(emulator, instance, application_key)
    body = parse_json_object(request.get_data(cache=True), request.headers.get("Content-Type"))
    wanted = list(dict.fromkeys(require_list(body, "numbers", is_int, "integers")))
    for number in wanted:
        if number not in org.numbers:
            raise ApiError(40003, "The number %d is not rented by this organisation." % number)
        if capability not in org.numbers[number].capabilities:
            raise bad_request("The number %d does not have the capability %s." % (number, capability))
    for rented in org.numbers.values():
        if rented.application_key == application_key and capability in rented.capabilities:
            rented.application_key = None
    for number in wanted:
        org.numbers[number].application_key = application_key
    return [stringify_ids(emulator, n.to_api()) for n in org.sorted_numbers(application_key)]


def unassign(emulator, request, application_key, number_segment):
    """DELETE /v1/applications/key/{appKey}/numbers/{number}: take the number off the application (it stays rented)."""
    instance = require_instance(emulator, request)
    org = require_application_of(emulator, instance, application_key)
    if not _NUMBER_RE.fullmatch(number_segment):
        raise ApiError(40003, "The 'number' specified is not a valid number.")
    number = int(number_segment)
    rented = org.numbers.get(number)
    if rented is None or rented.application_key != application_key:
        raise ApiError(40400, "The number %d is not assigned to application %s." % (number, application_key))
    rented.application_key = None
    return None
