# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The organisation_conflicts and estate filters; their documentation is the .yml file of each name next to this file.

They read the hosts' variables (hostvars) so that the number_rental role can check its one-host-per-organisation
rule and print the estate of a many-organisation job; the logic is in module_utils/_estate.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.sinch.numbers.plugins.module_utils import _estate

CLAIM = "number_rental__organisation_claim"


def _host_list(hosts, name):
    if isinstance(hosts, str) or not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError("The sinch.numbers.%s filter needs a list of host names (for example ansible_play_hosts_all), "
                                 "not %r." % (name, hosts))
    return [str(host) for host in hosts]


def _vars_of(hostvars, host, name):
    if not isinstance(hostvars, Mapping):
        raise AnsibleFilterError("The sinch.numbers.%s filter needs hostvars as its argument." % name)
    try:
        return hostvars[host]
    except KeyError:
        raise AnsibleFilterError("The sinch.numbers.%s filter found no host %s in hostvars." % (name, host)) from None


def organisation_conflicts(hosts, hostvars):
    """Sentences naming what breaks "one host per organisation" among ``hosts``; empty when the play may go on.

    Each host's claim is the fact the role set from its number_rental_organisation_id; a host that has not
    run that task yet (a later serial batch) is judged by its inventory value.
    """
    claims = []
    for host in _host_list(hosts, "organisation_conflicts"):
        values = _vars_of(hostvars, host, "organisation_conflicts")
        claim = values.get(CLAIM)
        if isinstance(claim, Mapping):
            claims.append((host, claim.get("organisation_id")))
        else:
            claims.append((host, values.get("number_rental_organisation_id")))
    return _estate.conflicts(claims)


def _plain(value):
    """A copy made of dicts, lists and scalars (hostvars values may be lazy containers)."""
    if isinstance(value, Mapping):
        return dict((str(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def estate(hosts, hostvars):
    """The estate of ``hosts``: their number_rental_summary and number_rental_failure facts, per organisation and in total."""
    records = []
    for host in _host_list(hosts, "estate"):
        values = _vars_of(hostvars, host, "estate")
        records.append((host, _plain(values.get("number_rental_summary")), _plain(values.get("number_rental_failure"))))
    try:
        return _estate.estate(records)
    except ValueError as err:
        raise AnsibleFilterError("The sinch.numbers.estate filter could not read a summary: %s." % err) from None


class FilterModule(object):

    def filters(self):
        return {"organisation_conflicts": organisation_conflicts, "estate": estate}
