# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: every option parsed once, into the typed values the logic takes.

Ansible's own type checks let through values that would crash or mislead later (``count: true`` is
the integer 1, ``max_unit_cost: true`` would be the float 1.0, ``application_key: ""`` is a string),
so each option the collection knows is parsed here, by name, once, before any request: costs become
``Decimal``, rentals become ``Rental`` objects, a plan id its canonical text. Options whose booleans
Ansible would turn into numbers (costs, timeouts) are declared ``type: raw`` so that the parser sees
the boolean and refuses it. A value that cannot be used raises InputError with one sentence; nothing
downstream checks an option again.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import math
import re
from decimal import Decimal, InvalidOperation

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError
from ansible_collections.sinch.numbers.plugins.module_utils._plan_id import PLAN_ID, PREFIX as PLAN_ID_PREFIX
from ansible_collections.sinch.numbers.plugins.module_utils._session import valid_secret
from ansible_collections.sinch.numbers.plugins.module_utils._shapes import CAPABILITIES, e164, same_text

# Sinch issues application keys as UUIDs (bb7b4e39-4227-4913-8c81-2db4abb54fb3): hex digits
# in dash-separated groups. Nothing else may go into a request path.
_APPLICATION_KEY = re.compile(r"^[0-9A-Fa-f]+(?:-[0-9A-Fa-f]+)*\Z")
APPLICATION_KEY_MAX = 64
_CURRENCY = re.compile(r"^[A-Za-z]{3}\Z")
_COUNTRY = re.compile(r"^[A-Za-z]{2}\Z")
# Bounds: a day count past ten years names no rental, and more than 10 retries with their waits
# would hold a play for many minutes.
MAX_DAYS = 3650
MAX_RETRIES = 10
MAX_SECONDS = 86400.0
# The longest wait for a Retry-After that max_retry_wait may allow: an hour.
MAX_RETRY_WAIT = 3600.0
# scheme://authority: the authority ends at the first /, ? or # (RFC 3986), user info before its last @.
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")
URL_OPTIONS = ("user_api_url", "api_url", "portal_api_url")
LOCAL_HOSTS = ("localhost", "localhost.localdomain", "ip6-localhost")


# --- Typed values the logic takes ---------------------------------------------------------------


class Selector(object):
    """Which numbers a rental counts: those of a group, or of a place, optionally with a capability.

    ``match`` answers True, False, or None when a field it reads could not be read (unknown is never "no").
    """

    KEYS = ("group_id", "country_id", "city", "area_code", "capability")
    # The API field each key reads on a rented number or a shop group.
    FIELDS = {"group_id": "groupId", "country_id": "countryId", "city": "city", "area_code": "areaCode",
              "capability": "capabilities"}
    _DIGITS = re.compile(r"^[0-9]+\Z")

    def __init__(self, group_id=None, country_id=None, city=None, area_code=None, capability=None):
        self.group_id = group_id
        self.country_id = country_id.upper() if country_id else None
        self.city = city
        self.area_code = area_code
        self.capability = capability

    def given(self):
        """The selector's keys with a value, in KEYS order."""
        return [key for key in self.KEYS if getattr(self, key) is not None]

    def fields(self):
        """The API fields this selector reads."""
        return set(self.FIELDS[key] for key in self.given())

    def match(self, record, unreadable=()):
        """True / False, or None when a field it reads is unreadable and the others match."""
        maybe = False
        for key in self.given():
            field = self.FIELDS[key]
            wanted = getattr(self, key)
            value = record.get("capabilities" if key == "capability" else key)
            if field in unreadable or value is None:
                maybe = True
                continue
            if key == "group_id":
                same = int(value) == wanted
            elif key == "capability":
                same = wanted in value
            elif key == "area_code":
                same = self.same_area_code(value, wanted)
            else:
                same = same_text(value, wanted)
            if not same:
                return False
        return None if maybe else True

    @staticmethod
    def same_area_code(listed, wanted):
        """Area codes as Sinch's types drift: digits against digits as numbers (1 is "01"), else as text in any case."""
        listed, wanted = str(listed).strip(), str(wanted).strip()
        if Selector._DIGITS.match(listed) and Selector._DIGITS.match(wanted):
            return int(listed) == int(wanted)
        return same_text(listed, wanted)

    def words(self):
        """FR, city Paris, voice (the selector in the summary's words)."""
        if self.group_id is not None:
            parts = ["group %d" % self.group_id]
        else:
            parts = [self.country_id]
            if self.city is not None:
                parts.append("city %s" % self.city)
            if self.area_code is not None:
                parts.append("area code %s" % self.area_code)
        if self.capability:
            parts.append(self.capability)
        return ", ".join(parts)


class Rental(object):
    """One rental: a name, a selector, a count, and maybe the application the numbers serve."""

    def __init__(self, name, selector, count, application_key=None):
        self.name = name
        self.selector = selector
        self.count = count
        self.application_key = application_key

    @property
    def capability(self):
        return self.selector.capability

    def words(self):
        return self.selector.words()


class Guard(object):
    """The cost guards: highest unit cost, highest total (Decimal), their currency (upper case); all optional."""

    def __init__(self, max_unit_cost=None, max_total_cost=None, currency_id=None):
        self.max_unit_cost = max_unit_cost
        self.max_total_cost = max_total_cost
        self.currency_id = currency_id

    @property
    def active(self):
        return self.max_unit_cost is not None or self.max_total_cost is not None

    def names(self):
        return [name for name in ("max_unit_cost", "max_total_cost") if getattr(self, name) is not None]

    @classmethod
    def from_params(cls, params):
        """From parsed params (see parse_options): no check here, they were checked once."""
        return cls(params.get("max_unit_cost"), params.get("max_total_cost"), params.get("currency_id"))


# --- Parsers ------------------------------------------------------------------------------------------


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value):
    if isinstance(value, bool):
        return "true/false (%s)" % str(value).lower()
    if isinstance(value, str):
        return "the text %r" % value
    name = type(value).__name__
    return "%s %s" % ("an" if name[:1] in "aeiou" else "a", name)


_WHOLE = re.compile(r"^[+-]?[0-9]+\Z")


def integer(name, value, minimum=None, maximum=None):
    """A whole number within bounds (an int, or text of digits such as "13"), or InputError; None stays None.

    Options that are whole numbers are declared ``type: raw``, so that this is the one check: Ansible's own int
    conversion turns ``true`` into 1 and crashes on ``"inf"``. Booleans, fractions and other text are refused.
    """
    if value is None:
        return None
    if isinstance(value, str) and _WHOLE.match(value.strip()):
        value = int(value.strip())
    elif isinstance(value, float) and not isinstance(value, bool) and value.is_integer():
        value = int(value)
    if not _is_int(value):
        raise InputError("%s must be a whole number, not %s." % (name, _kind(value)))
    if minimum is not None and value < minimum:
        raise InputError("%s must be %d or more (it is %d)." % (name, minimum, value))
    if maximum is not None and value > maximum:
        raise InputError("%s must be %d or less (it is %d)." % (name, maximum, value))
    return value


def seconds(name, value, positive=False, maximum=MAX_SECONDS):
    """A finite number of seconds (float), not a bool, 0 or more (more than 0 when ``positive``)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise InputError("%s must be a number of seconds, not %s." % (name, _kind(value)))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError("%s must be a number of seconds, not %s." % (name, _kind(value)))
    if math.isnan(value) or math.isinf(value):
        raise InputError("%s must be a finite number of seconds (it is %s)." % (name, value))
    if positive and value <= 0:
        raise InputError("%s must be more than 0 seconds (it is %s)." % (name, value))
    if value < 0:
        raise InputError("%s must be 0 seconds or more (it is %s)." % (name, value))
    if value > maximum:
        raise InputError("%s must be %g seconds or less (it is %s)." % (name, maximum, value))
    return float(value)


def amount(name, value):
    """A cost option as an exact Decimal: a finite number (or numeric text), 0 or more, not a bool."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError("%s must be an amount of money (a number such as 2.5), not %s." % (name, _kind(value)))
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InputError("%s must be an amount of money (a number such as 2.5), not %s." % (name, _kind(value)))
    if not result.is_finite():
        raise InputError("%s must be a finite amount of money (it is %s)." % (name, value))
    if result < 0:
        raise InputError("%s must be 0 or more (it is %s)." % (name, value))
    return result + 0  # -0 is 0


def currency(value, name="currency_id"):
    """An ISO 4217 currency: three letters, written in upper case as Sinch does."""
    if value is None:
        return None
    if not isinstance(value, str) or not _CURRENCY.match(value.strip()):
        raise InputError("%s must be a three-letter ISO 4217 currency such as USD (it is %r)." % (name, value))
    return value.strip().upper()


def country(value, name="country_id"):
    """An ISO 3166-1 alpha-2 country: two letters, upper case."""
    if value is None:
        return None
    if not isinstance(value, str) or not _COUNTRY.match(value.strip()):
        raise InputError("%s must be a two-letter country code such as FR (it is %r)." % (name, value))
    return value.strip().upper()


def application_key(value, name="application_key"):
    """The key of a Sinch application as Sinch issues it (hex digits and dashes), or InputError.

    The value is never echoed: it may hold anything, including what should not be printed.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError("%s is empty: give the key of the Sinch application (as shown in the dashboard)." % name)
    value = value.strip()
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
    if not isinstance(value, str):
        value = str(value)
    if not value.strip():
        raise InputError("%s is empty: give a value, or leave the option out not to select on it." % name)
    return value.strip()


def boolean(name, value):
    """A real true/false (YAML true, false), not a string or a number."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InputError("%s must be true or false, not %s." % (name, _kind(value)))
    return value


def plan_id(value, name="expected_plan_id"):
    """A plan id as sinch_number_rentals returns it, lower case; InputError naming what one looks like."""
    if value is None:
        return None
    text = ("%s" % value).strip().lower()
    if not PLAN_ID.match(text):
        hint = ""
        if text.startswith("snp1-"):
            hint = (" It is a plan id of version 0.2, which did not cover the organisation and the capabilities "
                    "reserved: plan again (in check mode) and approve the new id.")
        raise InputError("%s %r is not a plan id: give the plan_id a run of sinch.numbers.sinch_number_rentals "
                         "returned (%s- and five groups of 16 hexadecimal digits). Nothing was sent to Sinch.%s"
                         % (name, value, PLAN_ID_PREFIX, hint))
    return text


def lock_path(value, name="lock_path"):
    """The directory of the renting lock: a non-empty path (a leading ~ is expanded)."""
    if value is None:
        return None
    import os
    if not isinstance(value, str) or not value.strip():
        raise InputError("%s is empty: give the directory where the renting lock lives, or leave it out." % name)
    return os.path.expanduser(value.strip())


def ca_path(value, name="ca_path"):
    """A CA bundle for the Sinch hosts: a file of PEM certificates (or a directory prepared with
    ``openssl rehash``) that the TLS library can load; InputError saying what to give otherwise."""
    if value is None:
        return None
    import os
    import ssl
    if not isinstance(value, str) or not value.strip():
        raise InputError("%s is empty: give the PEM file of the CA that signs the Sinch hosts' certificates (or of "
                         "your TLS-inspecting proxy), or leave it out. Nothing was sent to Sinch." % name)
    path = os.path.expanduser(value.strip())
    if not os.path.exists(path):
        raise InputError("%s %s does not exist on the host this runs on: give the PEM file of the CA that signs the "
                         "Sinch hosts' certificates (or of your TLS-inspecting proxy). Nothing was sent to Sinch."
                         % (name, path))
    try:
        if os.path.isdir(path):
            ssl.create_default_context(capath=path)
        else:
            ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or type(exc).__name__
        # "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found (_ssl.c:4154)": the words only.
        reason = re.sub(r"^\[[^\]]*\]\s*|\s*\(_ssl\.c:\d+\)$", "", str(reason)) or type(exc).__name__
        raise InputError("%s %s holds no CA certificate that can be used (%s): give a file of PEM certificates "
                         "(-----BEGIN CERTIFICATE-----). Nothing was sent to Sinch." % (name, path, reason))
    return path


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
    return None


# --- Rentals ----------------------------------------------------------------------------------------

_RENTAL_PARSERS = (
    ("count", lambda value: integer("count", value, minimum=0)),
    ("group_id", lambda value: integer("group_id", value, minimum=1)),
    ("country_id", country),
    ("city", lambda value: selection_text("city", value)),
    ("area_code", lambda value: selection_text("area_code", value)),
    ("capability", capability),
    ("application_key", application_key),
)


def rentals(options):
    """The ``rentals`` option as Rental objects, or InputError naming every problem at once.

    The argument spec has already checked types, required keys and exclusive keys; each value is then
    parsed as the option of that name is, and what no single option can say (unique names, city and
    area code only with a country) is checked here, so nothing is sent when one is wrong.
    """
    if isinstance(options, list) and options and all(isinstance(item, Rental) for item in options):
        return options  # parsed already (a module that builds its one rental itself)
    problems, result, seen = [], [], set()
    for index, option in enumerate(options or []):
        name = (option.get("name") or "").strip()
        where = "rental '%s'" % name if name else "rental #%d" % (index + 1)
        if not name:
            problems.append("%s: name is empty" % where)
        elif name in seen:
            problems.append("the name '%s' is used by more than one rental (names must be unique)" % name)
        seen.add(name)
        parsed, found = _rental_values(option)
        problems.extend("%s: %s" % (where, problem) for problem in found)
        if not problems:
            result.append(rental(name, parsed))
    if problems:
        raise InputError("rentals: %s. Nothing was sent to Sinch." % "; ".join(problems))
    return result


def _rental_values(option):
    """The option's values parsed, and the sentences (without their full stop) of those that cannot be used."""
    parsed, problems = dict(option), []
    for key, parse in _RENTAL_PARSERS:
        try:
            parsed[key] = parse(option.get(key))
        except InputError as err:
            parsed[key] = None
            # One sentence for every problem: the parser's own "nothing was sent" is said once, at its end.
            problems.append(err.message.rstrip(".").replace("; nothing was sent to Sinch", ""))
    if option.get("count") is None and not any("count" in problem for problem in problems):
        problems.append("count must be a whole number, 0 or more")
    if option.get("group_id") is not None and option.get("country_id") is not None:
        problems.append("give group_id or country_id, not both")
    if option.get("group_id") is None and option.get("country_id") is None:
        problems.append("give group_id or country_id")
    for key in ("city", "area_code"):
        if option.get(key) is not None and option.get("country_id") is None:
            problems.append("%s needs country_id (a group_id selects one group already)" % key)
    return parsed, problems


def rental(name, values):
    """A Rental from parsed values; with an application and no capability, the numbers serve it for voice."""
    key = values.get("application_key")
    wanted = values.get("capability")
    if wanted is None and key is not None:
        wanted = "voice"
    selector = Selector(values.get("group_id"), values.get("country_id"), values.get("city"), values.get("area_code"),
                        wanted)
    return Rental(name, selector, values["count"], key)


# name -> parser(value) for every option the collection's modules and lookup take (absent ones are skipped).
_PARSERS = {
    "timeout": lambda value: seconds("timeout", value, positive=True, maximum=3600.0),
    "retries": lambda value: integer("retries", value, minimum=0, maximum=MAX_RETRIES),
    "max_retry_wait": lambda value: seconds("max_retry_wait", value, positive=True, maximum=MAX_RETRY_WAIT),
    "ca_path": ca_path,
    "organisation_id": lambda value: integer("organisation_id", value, minimum=1),
    "count": lambda value: integer("count", value, minimum=0),
    "group_id": lambda value: integer("group_id", value, minimum=1),
    "min_availability": lambda value: integer("min_availability", value, minimum=0),
    "expiring_within_days": lambda value: integer("expiring_within_days", value, minimum=0, maximum=MAX_DAYS),
    "expiry_warning_days": lambda value: integer("expiry_warning_days", value, minimum=0, maximum=MAX_DAYS),
    "max_unit_cost": lambda value: amount("max_unit_cost", value),
    "max_total_cost": lambda value: amount("max_total_cost", value),
    "currency_id": currency,
    "country_id": country,
    "city": lambda value: selection_text("city", value),
    "area_code": lambda value: selection_text("area_code", value),
    "lock_timeout": lambda value: seconds("lock_timeout", value),
    "lock_path": lock_path,
    "application_key": application_key,
    "capability": capability,
    "expected_plan_id": plan_id,
    "assigned": lambda value: boolean("assigned", value),
    "records": lambda value: boolean("records", value),
    "rentals": rentals,
}


def parse_options(params):
    """Check and normalise, in place, every known option in ``params``; returns the warnings to show.

    Raises InputError for the first value that cannot be used. Runs before the client is built, so a
    refused value means no request was sent.
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
    if params.get("ca_path") and params.get("validate_certs") is False:
        warnings.append("ca_path is not used, since validate_certs is false: the certificates of the Sinch hosts "
                        "are not verified at all.")
    if params.get("max_total_cost") is not None and params.get("currency_id") is None and "currency_id" in params:
        raise InputError("max_total_cost needs currency_id: the run's cost is summed in one currency. Nothing was sent "
                         "to Sinch.")
    return warnings


def numbers_option(values, what="numbers"):
    """Phone numbers given by the user as a sorted list of distinct ints (the API's long).

    Every value that is not a phone number is named in one InputError, so a playbook is fixed in one go.
    """
    from ansible_collections.sinch.numbers.plugins.module_utils._shapes import parse_number
    numbers, bad = set(), []
    for value in values or []:
        try:
            numbers.add(parse_number(value))
        except ValueError:
            bad.append(repr(value))
    if bad:
        kind = "a value that is not a phone number" if len(bad) == 1 else "values that are not phone numbers"
        raise InputError("%s holds %s: %s. Give numbers in international format, for example 14150005550 "
                         "or '+1 415-000-5550'; nothing was sent to Sinch." % (what, kind, ", ".join(bad)))
    return sorted(numbers)


__all__ = ["InputError", "Selector", "Rental", "Guard", "parse_options", "e164"]
