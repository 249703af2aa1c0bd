# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The e164 filter: every accepted form becomes +<digits>; anything else fails with one sentence."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader

from ansible_collections.sinch.numbers.plugins.filter.e164 import FilterModule, e164


@pytest.mark.parametrize("value, expected", [
    (14150005550, "+14150005550"),
    ("14150005550", "+14150005550"),
    ("+14150005550", "+14150005550"),
    ("0014150005550", "+14150005550"),
    ("+1 (415) 000-5550", "+14150005550"),
    ("  +1 415.000.5550 ", "+14150005550"),
    ("0033 1 70 00 00 00", "+33170000000"),
    ("+44 20/7000 0000", "+442070000000"),
    ("1234567", "+1234567"),
    ("123456789012345", "+123456789012345"),
])
def test_accepted_forms(value, expected):
    assert e164(value) == expected


@pytest.mark.parametrize("value", [
    "0170000000",        # national form: no country code
    "+0170000000",
    "123456",            # too short
    "1234567890123456",  # too long
    "+1 415 CALL NOW",
    "14150005550x12",
    "+1+4150005550",
    "",
    14150005550.0,
    True,
    None,
    [14150005550],
    {"number": 14150005550},
])
def test_refused_with_one_sentence(value):
    with pytest.raises(AnsibleFilterError) as caught:
        e164(value)
    message = str(caught.value)
    assert message.startswith("The sinch.numbers.e164 filter could not read the value: %r is not a phone number" % (value,))
    assert message.endswith("; write it like +14150005550 or +1 415-000-5550.")
    assert message.count(". ") == 0
    assert "Traceback" not in message


def test_registered_under_its_documented_name():
    assert FilterModule().filters() == {"e164": e164}
    assert filter_loader.get("sinch.numbers.e164") is not None
