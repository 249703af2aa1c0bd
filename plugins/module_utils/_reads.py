# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the modules that only read (sinch_session, sinch_organisation_info,
sinch_number_shop_info, sinch_number_info), as plain functions: client, parsed options, check mode in;
result out.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sinch.numbers.plugins.module_utils import _costs, _shapes
from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError
from ansible_collections.sinch.numbers.plugins.module_utils._fields import put_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._filters import has_capability, matches_place, within_cost
from ansible_collections.sinch.numbers.plugins.module_utils._numbers import read_rented


def open_session(client, params, check_mode):
    """Log in, create an instance, look up the organisation (three requests)."""
    session = client.session
    if not session.can_log_in:
        raise InputError("sinch_session logs in and needs email and password (an existing instance is not enough).")
    session.create_instance()
    return {
        "changed": False,
        "instance_id": session.instance_id,
        "instance_secret": session.instance_secret,
        "expires_at": session.expires_at,
        "organisation": _shapes.organisation(session.organisation()),
    }


def organisation_info(client, params, check_mode):
    return {"changed": False, "organisation": _shapes.organisation(client.get_organisation())}


def shop_info(client, params, check_mode):
    """The shop's groups that pass every given filter, sorted by group id (one request).

    Groups Sinch lists with fields that cannot be read are returned with null there (a filter on such a
    field leaves them out), with a warning.
    """
    shop = _shapes.shop(client.list_number_groups())
    wanted = [
        group for group in shop.records
        if matches_place(group, params.get("group_id"), params.get("country_id"), params.get("city"), params.get("area_code"))
        and has_capability(group, params.get("capability"))
        and group["availability"] >= (params.get("min_availability") or 0)
        and within_cost(group, params.get("max_unit_cost"))
    ]
    if not shop.whole:
        client.session.warnings.append(
            "Sinch listed %d of the shop's groups with fields that cannot be read (%s): they are returned with null "
            "there (availability 0), and a filter on such a field leaves them out."
            % (len(shop.unreadable) + shop.unidentified, shop.describe()))
    return {"changed": False, "number_groups": wanted}


def number_info(client, params, check_mode):
    """The rented numbers (of the organisation, or of one application) passing every filter (one request).

    ``fields`` shapes the returned list (see _fields.shaped); ``count`` and ``summary`` (what the matching
    numbers cost a month) are always returned. A number whose application Sinch lists unreadably is counted
    under no application key and never under ``no_application``: ``unknown_application`` counts it apart.
    """
    wanted, warning, owner_unknown = read_rented(client, params)
    if warning:
        client.session.warnings.append(warning)
    summary = _costs.summary(wanted)
    if owner_unknown:
        free = [item for item in wanted if not item.get("application_key") and item["number"] not in owner_unknown]
        summary["no_application"] = _costs.cost(free)
        summary["unknown_application"] = _costs.cost([item for item in wanted if item["number"] in owner_unknown])
    result = {"changed": False, "count": len(wanted), "summary": summary}
    return put_numbers(result, "numbers", wanted, params.get("fields"))
