# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the rented numbers of an organisation or of one application, read once and filtered.

Shared by the sinch_number_info module and the rented_numbers lookup, so both filter alike.
Imports nothing that needs AnsibleModule: the lookup runs it on the controller.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils._filters import (
    capability_option,
    expires_within,
    has_capability,
    is_assigned,
    matches_place,
)
from ansible_collections.sinch.numbers.plugins.module_utils import _shapes

# The filters, named as the options of sinch_number_info and of the rented_numbers lookup.
FILTERS = ("application_key", "group_id", "country_id", "city", "area_code", "capability", "assigned",
           "expiring_within_days")


def rented_numbers(client, filters):
    """The shaped rented numbers (sorted by number) passing every filter; a filter that is None keeps all.

    One request: the application's numbers when ``application_key`` is given (no organisation id
    needed then), else the organisation's. A bad filter raises ValueError before any request.
    """
    capability = capability_option(filters.get("capability"))
    days = filters.get("expiring_within_days")
    if days is not None and days < 0:
        raise ValueError("expiring_within_days must be 0 or more (it is %d)." % days)
    if filters.get("application_key"):
        raw = client.list_application_numbers(filters["application_key"])
    else:
        raw = client.list_numbers()
    return [
        item for item in _shapes.numbers(raw)
        if matches_place(item, filters.get("group_id"), filters.get("country_id"), filters.get("city"), filters.get("area_code"))
        and has_capability(item, capability)
        and is_assigned(item, filters.get("assigned"))
        and expires_within(item, days)
    ]
