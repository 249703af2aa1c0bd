# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._signer import (
    content_md5,
    instance_authorization,
    string_to_sign,
    utc_timestamp,
)

INSTANCE = "00a3ffb1-0808-4dd4-9c7d-e4383d82e445"
SECRET = "bRo76GRddEyetgJDTgkLHA=="
TIMESTAMP = "2015-06-20T11:43:10.944Z"
ORG = "/v1/organisations/id/8888123/numbers"
APP = "/v1/applications/key/bb7b4e39-4227-4913-8c81-2db4abb54fb3/numbers"

# The seven example signatures of the API reference that PROTOCOL.md reproduced.
SEED_EXAMPLES = [
    ("GET", "/v1/organisations", b"", "bb9i9SGuw8mPspPF6WHzIZxw4yQxdOwGaDliMi+IhCU="),
    ("GET", ORG + "/shop", b"", "jYJQFcgc1uh7DO2uQZyLu7rpxOc3jXjcuQNKWiHFJiI="),
    ("PUT", ORG + "/shop", b'{"groupId":13,"quantity":1}', "a6p7RYw8bMr3JuZh1LArvWTLJjIgCeQj5nsRZaXW7VQ="),
    ("POST", ORG + "/shop", b'{"referenceIds":["c8b27491-3379-44f3-af31-fbbfbb2ba510"]}', "FN0oGGh6UAzdP8WVVwgbhXqUM2KJpHoWgjcgUKpS3bU="),
    ("GET", ORG, b"", "PToDaAs7AiJDqGKZHCl3mayEigGWodVfg4fSlkAYLHg="),
    ("GET", APP, b"", "VE1UwyOa8r9DscyBWGVZ43qEDn+SGJGoNe2aN8WrR+8="),
    ("DELETE", APP + "/14150005551", b"", "EA85F4qGFB0+tYZUh68g22R8DgtzxpsCXttLq1NKPgM="),
]


@pytest.mark.parametrize("method, path, body, signature", SEED_EXAMPLES, ids=[m + " " + p for m, p, b, s in SEED_EXAMPLES])
def test_reproduces_seed_signatures(method, path, body, signature):
    header = instance_authorization(INSTANCE, SECRET, method, path, body, TIMESTAMP)
    assert header == "Instance %s:%s" % (INSTANCE, signature)


def test_string_to_sign_layout():
    assert string_to_sign("put", b'{"a":1}', "application/json", TIMESTAMP, "/v1/x") == (
        "PUT\n" + content_md5(b'{"a":1}') + "\napplication/json\nx-timestamp:" + TIMESTAMP + "\nv1/x")


def test_empty_body_has_empty_md5():
    assert content_md5(b"") == ""
    assert content_md5(None) == ""


def test_signature_depends_on_body_bytes():
    compact = instance_authorization(INSTANCE, SECRET, "PUT", ORG + "/shop", b'{"groupId":13,"quantity":1}', TIMESTAMP)
    spaced = instance_authorization(INSTANCE, SECRET, "PUT", ORG + "/shop", b'{"groupId": 13, "quantity": 1}', TIMESTAMP)
    assert compact != spaced


def test_timestamp_format_is_utc_with_milliseconds():
    when = datetime.datetime(2015, 6, 20, 13, 43, 10, 944123, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert utc_timestamp(when) == TIMESTAMP
