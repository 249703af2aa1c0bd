# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the connection options every module shares, and the client built from them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

# Not ansible.module_utils.basic: the rented_numbers lookup imports this file on the controller.
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
from ansible_collections.sinch.numbers.plugins.module_utils._lock import DEFAULT_LOCK_TIMEOUT
from ansible_collections.sinch.numbers.plugins.module_utils._session import Session
from ansible_collections.sinch.numbers.plugins.module_utils._transport import MAX_RETRY_AFTER, Transport

USER_API_URL = "https://userapi.sinch.com"
API_URL = "https://api.sinch.com"
PORTAL_API_URL = "https://portalapi.sinch.com"


def env_value(name):
    """The value of environment variable NAME; an empty variable counts as unset.

    AWX and AAP credential types set every variable of their injectors, an optional field left
    blank as an empty string: that must mean "not given", not an empty organisation id or URL.
    """
    value = os.environ.get(name)
    if not value:
        raise AnsibleFallbackNotFound
    return value


def _env(name):
    return (env_value, [name])


def connection_argument_spec():
    """Options documented once in the sinch.numbers.connection doc fragment."""
    return dict(
        email=dict(type="str", aliases=["identity"], fallback=_env("SINCH_EMAIL")),
        password=dict(type="str", no_log=True, fallback=_env("SINCH_PASSWORD")),
        identity_type=dict(type="str", default="email", choices=["email", "number", "username"]),
        instance_id=dict(type="str", fallback=_env("SINCH_INSTANCE_ID")),
        instance_secret=dict(type="str", no_log=True, fallback=_env("SINCH_INSTANCE_SECRET")),
        organisation_id=dict(type="raw", fallback=_env("SINCH_ORGANISATION_ID")),
        user_api_url=dict(type="str", default=USER_API_URL, fallback=_env("SINCH_USER_API_URL")),
        api_url=dict(type="str", default=API_URL, fallback=_env("SINCH_API_URL")),
        portal_api_url=dict(type="str", default=PORTAL_API_URL, fallback=_env("SINCH_PORTAL_API_URL")),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path", fallback=_env("SINCH_CA_PATH")),
        use_proxy=dict(type="bool", default=True),
        timeout=dict(type="raw", default=30.0),
        retries=dict(type="raw", default=3),
        max_retry_wait=dict(type="raw", default=MAX_RETRY_AFTER),
    )


def lock_argument_spec():
    """Options documented once in the sinch.numbers.lock doc fragment (the modules that write)."""
    return dict(
        lock_timeout=dict(type="raw", default=DEFAULT_LOCK_TIMEOUT),
        lock_path=dict(type="path", fallback=_env("SINCH_LOCK_PATH")),
    )


def client_from_params(params, session=None):
    """A SinchClient over one keep-alive HTTP session, from validated module parameters."""
    transport = Transport(timeout=params["timeout"], validate_certs=params["validate_certs"],
                          retries=params["retries"], session=session, ca_path=params.get("ca_path"),
                          use_proxy=params.get("use_proxy", True) is not False,
                          max_wait=params.get("max_retry_wait") or MAX_RETRY_AFTER)
    urls = {
        "user_api": (params["user_api_url"], "user_api_url"),
        "api": (params["api_url"], "api_url"),
        "portal_api": (params["portal_api_url"], "portal_api_url"),
    }
    return SinchClient(Session(
        transport, urls, identity=params.get("email"), password=params.get("password"),
        identity_type=params.get("identity_type") or "email", instance_id=params.get("instance_id"),
        instance_secret=params.get("instance_secret"), organisation_id=params.get("organisation_id")))
