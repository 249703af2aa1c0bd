# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the rented numbers of an organisation or of one application, read once and filtered.

Shared by the sinch_number_info module and the rented_numbers lookup, so both select alike.
Imports nothing that needs AnsibleModule: the lookup runs it on the controller.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils._filters import (
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
    """(the records passing every filter, sorted by number; a warning or None) after one request.

    The application's numbers when ``application_key`` is given (no organisation id needed then), else the
    organisation's; the filters were parsed by _input. Records Sinch lists with fields that cannot be read
    are kept or left out by what can be read, and the warning says which they are: a filter on a field that
    cannot be read leaves the record out (``assigned`` included: a number whose application cannot be read
    is neither assigned nor free).
    """
    wanted, warning, _owner_unknown = read_rented(client, filters)
    return wanted, warning


def read_rented(client, filters):
    """``rented_numbers`` plus the set of numbers (ints) among the records returned whose application cannot be read."""
    if filters.get("application_key"):
        listing = _shapes.listing(client.list_application_numbers(filters["application_key"]))
    else:
        listing = _shapes.listing(client.list_numbers())
    wanted = [
        item for item in listing.records
        if matches_place(item, filters.get("group_id"), filters.get("country_id"), filters.get("city"), filters.get("area_code"))
        and has_capability(item, filters.get("capability"))
        and is_assigned(item, filters.get("assigned"), listing.fields(item))
        and expires_within(item, filters.get("expiring_within_days"))
    ]
    warning = None
    if not listing.whole:
        warning = ("Sinch listed %d of %d numbers with fields that cannot be read (%s): they are returned with null "
                   "there, and a filter on such a field leaves them out." % (
                       len(listing.unreadable) + listing.unidentified, len(listing.records) + listing.unidentified,
                       listing.describe()))
    owner_unknown = set(item["number"] for item in wanted if "applicationKey" in listing.fields(item))
    return wanted, warning, owner_unknown
