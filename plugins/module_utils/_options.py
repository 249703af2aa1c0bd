# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the connection options every module shares, and the client built from them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.common.parameters import env_fallback

from ansible_collections.sinch.numbers.plugins.module_utils._client import SinchClient
from ansible_collections.sinch.numbers.plugins.module_utils._session import Session, valid_secret
from ansible_collections.sinch.numbers.plugins.module_utils._transport import Transport

USER_API_URL = "https://userapi.sinch.com"
API_URL = "https://api.sinch.com"
PORTAL_API_URL = "https://portalapi.sinch.com"


def _env(name):
    return (env_fallback, [name])


def connection_argument_spec():
    """Options documented once in the sinch.numbers.connection doc fragment."""
    return dict(
        email=dict(type="str", aliases=["identity"], fallback=_env("SINCH_EMAIL")),
        password=dict(type="str", no_log=True, fallback=_env("SINCH_PASSWORD")),
        identity_type=dict(type="str", default="email", choices=["email", "number", "username"]),
        instance_id=dict(type="str", fallback=_env("SINCH_INSTANCE_ID")),
        instance_secret=dict(type="str", no_log=True, fallback=_env("SINCH_INSTANCE_SECRET")),
        organisation_id=dict(type="int", fallback=_env("SINCH_ORGANISATION_ID")),
        user_api_url=dict(type="str", default=USER_API_URL, fallback=_env("SINCH_USER_API_URL")),
        api_url=dict(type="str", default=API_URL, fallback=_env("SINCH_API_URL")),
        portal_api_url=dict(type="str", default=PORTAL_API_URL, fallback=_env("SINCH_PORTAL_API_URL")),
        validate_certs=dict(type="bool", default=True),
        timeout=dict(type="float", default=30.0),
        retries=dict(type="int", default=3),
    )


def credentials_problem(params, ways="as options, through module_defaults, or as SINCH_* environment variables"):
    """One sentence when the credentials are missing or half given, else None.

    ``ways`` says how credentials can be given where the sentence is shown (a lookup has no module_defaults).
    """
    instance_id, secret = params.get("instance_id"), params.get("instance_secret")
    email, password = params.get("email"), params.get("password")
    if bool(instance_id) != bool(secret):
        given, missing = ("instance_id", "instance_secret") if instance_id else ("instance_secret", "instance_id")
        return "%s was given without %s: give both, or log in with email and password instead." % (given, missing)
    if bool(email) != bool(password):
        given, missing = ("email", "password") if email else ("password", "email")
        return "%s was given without %s: give both, or use an existing instance (instance_id and instance_secret)." % (given, missing)
    if not instance_id and not email:
        return ("No Sinch credentials were given: set email and password, or instance_id and instance_secret "
                "(%s)." % ways)
    if secret and not valid_secret(secret):
        return "instance_secret is not Base64 as Sinch issues it: pass the secret returned by sinch_session unchanged."
    if params.get("timeout") is not None and params["timeout"] <= 0:
        return "timeout must be a positive number of seconds."
    if params.get("retries") is not None and params["retries"] < 0:
        return "retries must be zero or more."
    return None


def client_from_params(params, session=None):
    """A SinchClient over one keep-alive HTTP session, from validated module parameters."""
    transport = Transport(timeout=params["timeout"], validate_certs=params["validate_certs"],
                          retries=params["retries"], session=session)
    urls = {
        "user_api": (params["user_api_url"], "user_api_url"),
        "api": (params["api_url"], "api_url"),
        "portal_api": (params["portal_api_url"], "portal_api_url"),
    }
    return SinchClient(Session(
        transport, urls, identity=params.get("email"), password=params.get("password"),
        identity_type=params.get("identity_type") or "email", instance_id=params.get("instance_id"),
        instance_secret=params.get("instance_secret"), organisation_id=params.get("organisation_id")))
