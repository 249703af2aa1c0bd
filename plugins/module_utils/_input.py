# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: every module option checked and normalised before any request.

Ansible's own type checks let through values that would crash or mislead later (``count: true``
is the integer 1, ``timeout: inf`` is a float, ``application_key: ""`` is a string), so each
option the collection knows is parsed here, by name, into the value the module logic uses.
A value that cannot be used raises InputError with one sentence; InputError is not a
ValueError, so odd data in an answer from Sinch is never reported as the user's mistake.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import math
import re

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sinch.numbers.plugins.module_utils._session import valid_secret

CAPABILITIES = ("voice", "sms")
# Sinch issues application keys as UUIDs (bb7b4e39-4227-4913-8c81-2db4abb54fb3): hex digits
# in dash-separated groups. Nothing else may go into a request path.
_APPLICATION_KEY = re.compile(r"^[0-9A-Fa-f]+(?:-[0-9A-Fa-f]+)*\Z")
APPLICATION_KEY_MAX = 64
# Bounds: a day count past ten years names no rental, and more than 10 retries with their waits
# would hold a play for many minutes.
MAX_DAYS = 3650
MAX_RETRIES = 10
# scheme://authority: the authority ends at the first /, ? or # (RFC 3986), user info before its last @.
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")
URL_OPTIONS = ("user_api_url", "api_url", "portal_api_url")
# Options that select: an empty value would select everything instead of nothing.
SELECTION_TEXT = ("country_id", "city", "area_code", "currency_id")
LOCAL_HOSTS = ("localhost", "localhost.localdomain", "ip6-localhost")


class InputError(Exception):
    """An option value the module cannot use; the message is one sentence for the user."""

    def __init__(self, message):
        super(InputError, self).__init__(message)
        self.message = message
        # Parts of the value that must never be shown (a URL's user name and password).
        self.secrets = []
        self.scrubbed = None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def integer(name, value, minimum=None, maximum=None):
    """A true integer (not a bool) within bounds, or InputError."""
    if value is None:
        return None
    if not _is_int(value):
        raise InputError("%s must be a whole number, not %s." % (name, _kind(value)))
    if minimum is not None and value < minimum:
        raise InputError("%s must be %d or more (it is %d)." % (name, minimum, value))
    if maximum is not None and value > maximum:
        raise InputError("%s must be %d or less (it is %d)." % (name, maximum, value))
    return value


def number(name, value, positive=False):
    """A finite number (not a bool, nan or infinity), above 0 when ``positive``, else 0 or more."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError("%s must be a number, not %s." % (name, _kind(value)))
    if math.isnan(value) or math.isinf(value):
        raise InputError("%s must be a finite number (it is %s)." % (name, value))
    if positive and value <= 0:
        raise InputError("%s must be more than 0 (it is %s)." % (name, value))
    if value < 0:
        raise InputError("%s must be 0 or more (it is %s)." % (name, value))
    return value


def _kind(value):
    if isinstance(value, bool):
        return "true/false (%s)" % str(value).lower()
    return "a %s" % type(value).__name__


def application_key(value, name="application_key"):
    """The key of a Sinch application as Sinch issues it (hex digits and dashes), or InputError.

    The value is never echoed: it may hold anything, including what should not be printed.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError("%s is empty: give the key of the Sinch application (as shown in the dashboard)." % name)
    if len(value) > APPLICATION_KEY_MAX or not _APPLICATION_KEY.match(value):
        raise InputError("%s is not an application key as Sinch issues it (hex digits and dashes, like "
                         "bb7b4e39-4227-4913-8c81-2db4abb54fb3): copy it from the Sinch dashboard; nothing was sent to "
                         "Sinch." % name)
    return value


def capability(value, name="capability"):
    """voice or sms, whatever the case, or InputError."""
    if value is None:
        return None
    lowered = value.strip().lower() if isinstance(value, str) else None
    if lowered not in CAPABILITIES:
        raise InputError("%s %r is not one Sinch knows: use voice or sms." % (name, value))
    return lowered


def selection_text(name, value):
    """A text that narrows a selection: never empty (an empty one would select everything)."""
    if value is None:
        return None
    if not value.strip():
        raise InputError("%s is empty: give a value, or leave the option out not to select on it." % name)
    return value.strip()


def url(name, value):
    """A base URL option; returns (url, warning or None), or InputError.

    A URL holding a user name or password is refused and never echoed (not even the user
    name); plain http to a host that is not this machine gets a warning, since the password
    and the instance's signed requests would cross the network in clear.
    """
    if value is None:
        return None, None
    _refuse_user_info(name, value)
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # pylint: disable=pointless-statement
    except ValueError:
        raise InputError("%s is not a valid URL: give https:// and the host name, as in the module's documentation." % name)
    if parts.scheme not in ("http", "https") or not host:
        raise InputError("%s must start with https:// and name a host, as in the module's documentation." % name)
    if parts.query or parts.fragment:
        raise InputError("%s must not hold a query (?) or fragment (#): give https:// and the host name." % name)
    warning = None
    if parts.scheme == "http" and not _local(host):
        warning = ("%s uses plain http to %s, which is not this machine: the password and the signed requests cross "
                   "the network unencrypted. Use https://." % (name, host))
    return value, warning


def _refuse_user_info(name, value):
    """InputError when the URL's authority holds a user name or password, found without parsing the URL
    (a bad port or a broken IPv6 literal must not keep the user info in the module's arguments)."""
    match = _AUTHORITY.match(value) if isinstance(value, str) else None
    if not match or "@" not in match.group(2):
        return
    user_info, _at, host_port = match.group(2).rpartition("@")
    user, _colon, password = user_info.partition(":")
    err = InputError("%s holds a user name or password: give the host only (https://host) and the credentials "
                     "as email and password, which are never shown." % name)
    # What the module must hide in its result (the value itself is replaced by parse_options).
    err.secrets = [part for part in (user, password) if part]
    err.scrubbed = value[:match.start(2)] + host_port + value[match.end(2):]
    raise err


def _local(host):
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


# name -> parser(value) for every option the collection's modules take (absent ones are skipped).
_PARSERS = {
    "timeout": lambda value: number("timeout", value, positive=True),
    "retries": lambda value: integer("retries", value, minimum=0, maximum=MAX_RETRIES),
    "organisation_id": lambda value: integer("organisation_id", value, minimum=1),
    "count": lambda value: integer("count", value, minimum=0),
    "group_id": lambda value: integer("group_id", value, minimum=1),
    "min_availability": lambda value: integer("min_availability", value, minimum=0),
    "expiring_within_days": lambda value: integer("expiring_within_days", value, minimum=0, maximum=MAX_DAYS),
    "max_unit_cost": lambda value: number("max_unit_cost", value),
    "max_total_cost": lambda value: number("max_total_cost", value),
    "lock_timeout": lambda value: number("lock_timeout", value),
    "application_key": application_key,
    "capability": capability,
}


def parse_options(params):
    """Check and normalise, in place, every known option in a module's ``params``.

    Returns the warnings to show (plain http to a remote host); raises InputError for the
    first value that cannot be used. Runs before the client is built, so a refused value
    means no request was sent.
    """
    warnings = []
    for name in URL_OPTIONS:
        if name in params:
            try:
                params[name], warning = url(name, params[name])
            except InputError as err:
                if err.scrubbed is not None:
                    # The failed task's result (its invocation) must not carry the user info either.
                    params[name] = err.scrubbed
                raise
            if warning:
                warnings.append(warning)
    for name, parse in _PARSERS.items():
        if name in params:
            params[name] = parse(params[name])
    for name in SELECTION_TEXT:
        if name in params:
            params[name] = selection_text(name, params[name])
    return warnings
