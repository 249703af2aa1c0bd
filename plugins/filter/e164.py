# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The e164 filter; its documentation is e164.yml next to this file."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.sinch.numbers.plugins.module_utils._shapes import e164 as format_e164, parse_number


def e164(value):
    """A phone number in any form the collection accepts, as E.164 (``+<digits>``)."""
    try:
        return format_e164(parse_number(value))
    except ValueError as err:
        raise AnsibleFilterError("The sinch.numbers.e164 filter could not read the value: %s; write it like +14150005550 "
                                 "or +1 415-000-5550." % err) from None


class FilterModule(object):

    def filters(self):
        return {"e164": e164}
