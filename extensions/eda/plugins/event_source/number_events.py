# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An ansible-rulebook event source: changes of the rented Sinch numbers, polled with the collection's client."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: Changes of the rented Sinch numbers, as events
description:
  - An ansible-rulebook event source plugin that reads the organisation's rented numbers every O(interval) seconds
    with the collection's own client (one signed request per reading) and puts one event per change.
  - "The first reading puts one C(snapshot) event (C(numbers): the watched numbers, C(count), C(unreadable_count)).
    Then, per change: C(rented) (a number not listed before), C(gone) (listed before, no longer), C(assigned) (put
    on an application), C(unassigned) (taken off its application), C(moved) (from one application to another), and
    C(expiring) (its rental ends within a threshold of O(expiry_warning_days); once per number and threshold)."
  - "Every event is C({\"sinch_number\": {...}}) with C(type), C(number) (E.164), C(group_id), C(capabilities),
    C(application_key) (where the number is now, null when on none), C(previous_application_key) (where it was, for
    C(gone), C(unassigned), C(moved)), C(country_id), C(city), C(area_code), C(expires), C(monthly_cost) in the
    collection's money shape (C({\"amount\": \"1.00\", \"currency_id\": \"USD\"}), C(amount) null when unknown),
    C(unreadable) (the API fields Sinch listed unreadably; their values are the last ones read) and
    C(organisation_id). C(expiring) events add C(expiry_warning_days) (the threshold) and C(days_left)."
  - Unknown is never "no". A field Sinch lists unreadably keeps its last known value and decides nothing; a listing
    that is not read whole raises no C(gone) and takes no number off its application (the next whole listing says
    it); a number listed without C(applicationKey) is C(unassigned) only when the application it was on does not list
    it either (one more request, only then); a reading that fails puts no event at all.
  - "Errors: the reading is tried again after a wait that doubles up to O(backoff_max) seconds (at least the wait
    Sinch asks for with Retry-After, up to O(backoff_max) too), with one warning per
    kind of failure until a reading works again, and no event. Instances are renewed (a new log-in) before they
    expire. No password, instance secret or authorization is ever put in an event or a log line."
  - Credentials and hosts come from the options or, as for the modules, from the E(SINCH_EMAIL), E(SINCH_PASSWORD),
    E(SINCH_INSTANCE_ID), E(SINCH_INSTANCE_SECRET), E(SINCH_ORGANISATION_ID), E(SINCH_USER_API_URL),
    E(SINCH_API_URL) and E(SINCH_PORTAL_API_URL) environment variables of ansible-rulebook (an empty one counts as
    unset). Prefer the environment (or an EDA credential injecting it) to literals in a rulebook.
  - Needs the Python library requests and ansible-core where ansible-rulebook runs (a decision environment with this
    collection and requests).
options:
  interval:
    description:
      - Seconds between two readings of the rented numbers (one signed request each). At least 1.
    type: int
    default: 300
  expiry_warning_days:
    description:
      - Put an C(expiring) event when a number's rental ends within this many days (already ended ones included).
      - A list gives several thresholds (V([30, 7, 1])); each number warns once per threshold and expiry date.
      - V([]) turns C(expiring) events off.
    type: raw
    default: 14
  application_keys:
    description:
      - Only events about numbers on these applications, or taken off them. Without it, every number.
      - The organisation's numbers are still read with one request (an application's own listing could not tell
        a number moved to another application from a number released).
    type: list
    elements: str
  group_id:
    description: Only numbers of this number group.
    type: int
  country_id:
    description: Only numbers of this country (ISO 3166-1 alpha-2, case-insensitive).
    type: str
  city:
    description: Only numbers of this city (case-insensitive).
    type: str
  area_code:
    description: Only numbers with this area code.
    type: str
  capability:
    description: Only numbers with this capability, V(voice) or V(sms).
    type: str
  backoff_max:
    description:
      - The longest wait, in seconds, between readings while they fail (the wait starts at O(interval) and doubles).
    type: int
    default: 3600
  email:
    description:
      - The identity to log in with (O(identity_type)); with O(password). If not set, E(SINCH_EMAIL).
      - The source logs in once, and again only to renew its instance before it expires.
    type: str
  password:
    description:
      - The password of the Sinch account. If not set, E(SINCH_PASSWORD).
      - The source never shows it, but ansible-rulebook prints the options of its sources when run with C(-vv)
        (the source warns when it is given here). Prefer E(SINCH_PASSWORD).
    type: str
  identity_type:
    description: What kind of identity O(email) is.
    type: str
    choices: [email, number, username]
    default: email
  instance_id:
    description:
      - An existing Sinch instance (with O(instance_secret)); no log-in then. If not set, E(SINCH_INSTANCE_ID).
      - An instance cannot be renewed without O(email) and O(password); give those too for a long-running source.
    type: str
  instance_secret:
    description:
      - The secret of O(instance_id). If not set, E(SINCH_INSTANCE_SECRET).
      - As for O(password), ansible-rulebook prints it with C(-vv) when given here. Prefer the environment.
    type: str
  organisation_id:
    description: The id of the organisation; saves the organisation lookup. If not set, E(SINCH_ORGANISATION_ID).
    type: int
  user_api_url:
    description: Base URL of the host that logs users in. If not set, E(SINCH_USER_API_URL).
    type: str
    default: https://userapi.sinch.com
  api_url:
    description: Base URL of the host that creates instances. If not set, E(SINCH_API_URL).
    type: str
    default: https://api.sinch.com
  portal_api_url:
    description: Base URL of the host that serves the rented numbers. If not set, E(SINCH_PORTAL_API_URL).
    type: str
    default: https://portalapi.sinch.com
  validate_certs:
    description: Whether to verify the TLS certificates of the Sinch hosts.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of the CA that signs the certificates the source sees (behind a proxy that inspects TLS, the
        proxy's CA), used instead of the default bundle of C(requests). If not set, E(SINCH_CA_PATH).
    type: path
  use_proxy:
    description:
      - Whether to go through the proxy that E(HTTPS_PROXY) names in the environment of ansible-rulebook (unless
        E(NO_PROXY) lists the host); false connects directly, as for the modules.
    type: bool
    default: true
  max_retry_wait:
    description:
      - The longest wait, in seconds, for a C(Retry-After) answer or a backoff within one reading (at most 3600);
        a longer C(Retry-After) fails the reading, which the source then waits out with its own backoff.
    type: raw
    default: 60
  timeout:
    description: Seconds to wait for each HTTP answer.
    type: raw
    default: 30
  retries:
    description: How many times one reading is sent again after HTTP 429, 500, 502, 503, 504 or a connection failure.
    type: int
    default: 3
"""

EXAMPLES = r"""
- name: Keep the support numbers as declared
  hosts: all
  sources:
    # SINCH_EMAIL and SINCH_PASSWORD in the environment of ansible-rulebook (or an EDA credential).
    - sinch.numbers.number_events:
        interval: 300
        expiry_warning_days: [30, 7]
        application_keys:
          - bb7b4e39-4227-4913-8c81-2db4abb54fb3
  rules:
    - name: Say what changed
      condition: event.sinch_number.type is defined
      action:
        debug:
          msg: "{{ event.sinch_number.type }} {{ event.sinch_number.number }}"
"""

import asyncio
import datetime
import logging
import math
import os
import sys
import traceback

LOGGER = logging.getLogger("sinch.numbers.number_events")
# Options of the source besides those of ansible-rulebook (eda_*); the connection ones are the modules'.
CONNECTION = ("email", "password", "identity_type", "instance_id", "instance_secret", "organisation_id",
              "user_api_url", "api_url", "portal_api_url", "validate_certs", "ca_path", "use_proxy", "timeout", "retries",
              "max_retry_wait")
IDENTITY_TYPES = ("email", "number", "username")
SELECTION = ("group_id", "country_id", "city", "area_code", "capability")
OPTIONS = CONNECTION + SELECTION + ("interval", "expiry_warning_days", "application_keys", "backoff_max")
ENVIRONMENT = {"email": "SINCH_EMAIL", "password": "SINCH_PASSWORD", "instance_id": "SINCH_INSTANCE_ID",
               "instance_secret": "SINCH_INSTANCE_SECRET", "organisation_id": "SINCH_ORGANISATION_ID",
               "user_api_url": "SINCH_USER_API_URL", "api_url": "SINCH_API_URL", "portal_api_url": "SINCH_PORTAL_API_URL",
               "ca_path": "SINCH_CA_PATH"}
DEFAULTS = {"identity_type": "email", "user_api_url": "https://userapi.sinch.com", "api_url": "https://api.sinch.com",
            "portal_api_url": "https://portalapi.sinch.com", "validate_certs": True, "use_proxy": True, "timeout": 30,
            "retries": 3, "max_retry_wait": 60, "interval": 300, "expiry_warning_days": 14, "backoff_max": 3600}
# An instance is renewed when it has less than this left (instances live 48 hours).
RENEW_BEFORE = datetime.timedelta(hours=1)


def _collection_importable():
    """Make ``ansible_collections`` importable from the collection this file is installed in.

    ansible-rulebook runs a source with runpy, outside Ansible's collection loader: the directory holding
    ``ansible_collections/sinch/numbers/extensions/eda/plugins/event_source/`` goes on sys.path when needed.
    """
    try:
        __import__("ansible_collections.sinch.numbers.plugins.module_utils._events")
        return
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, *([os.pardir] * 7)))
    if os.path.isdir(os.path.join(root, "ansible_collections", "sinch", "numbers")) and root not in sys.path:
        sys.path.append(root)


class SourceError(ValueError):
    """Options the source cannot use: one sentence, shown by ansible-rulebook as the source's failure."""


def settings(args, environ=None):
    """The source's options, parsed once: (connection parameters, Watch, interval, thresholds, backoff_max)."""
    from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError
    from ansible_collections.sinch.numbers.plugins.module_utils._events import Watch
    from ansible_collections.sinch.numbers.plugins.module_utils._input import (
        Selector, application_key, boolean, credentials_problem, integer, parse_options)

    environ = os.environ if environ is None else environ
    unknown = sorted(name for name in args if name not in OPTIONS and not name.startswith("eda_"))
    if unknown:
        raise SourceError("sinch.numbers.number_events has no option %s: its options are %s." % (
            ", ".join(unknown), ", ".join(sorted(OPTIONS))))
    values = dict(DEFAULTS)
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable):
            values[name] = environ[variable]
    values.update((name, value) for name, value in args.items() if name in OPTIONS and value is not None)
    try:
        params = dict((name, values.get(name)) for name in CONNECTION)
        if isinstance(params["ca_path"], str):
            params["ca_path"] = os.path.expanduser(params["ca_path"])
        boolean("validate_certs", params["validate_certs"])
        boolean("use_proxy", params["use_proxy"])
        warnings = parse_options(params)
        selection = dict((name, values.get(name)) for name in SELECTION)
        parse_options(selection)
        interval = integer("interval", values["interval"], minimum=1, maximum=86400)
        backoff_max = integer("backoff_max", values["backoff_max"], minimum=1, maximum=86400)
        thresholds = values["expiry_warning_days"]
        thresholds = [integer("expiry_warning_days", days, minimum=0, maximum=3650)
                      for days in (thresholds if isinstance(thresholds, list) else [thresholds])]
        keys = values.get("application_keys") or []
        if not isinstance(keys, list):
            raise InputError("application_keys must be a list of application keys.")
        if any(key is None for key in keys):
            raise InputError("application_keys lists an empty entry: give only keys of Sinch applications (as shown "
                             "in the dashboard).")
        keys = [application_key(key, "application_keys") for key in keys]
        if params["identity_type"] not in IDENTITY_TYPES:
            raise InputError("identity_type must be one of %s." % ", ".join(IDENTITY_TYPES))
    except InputError as err:
        raise SourceError(err.describe())
    problem = credentials_problem(params, ways="as options of the source, or as SINCH_* environment variables of "
                                               "ansible-rulebook")
    if problem:
        raise SourceError(problem)
    selector = Selector(**selection) if any(value is not None for value in selection.values()) else None
    for warning in warnings:
        LOGGER.warning(warning)
    given = [name for name in ("password", "instance_secret") if args.get(name) is not None]
    if given:
        # ansible-rulebook prints the options of a source in its debug log (-vv): only the environment is never shown.
        LOGGER.warning("%s given as an option of sinch.numbers.number_events: ansible-rulebook shows the options of "
                       "its sources when run with -vv; give %s in the environment instead.",
                       " and ".join(given), " and ".join(ENVIRONMENT[name] for name in given))
    return params, Watch(keys, selector), interval, thresholds, max(backoff_max, interval)


class Warnings(object):
    """One warning per kind of failure, until a reading works again; one per kind of repeated request, until a reading
    needs no repeat."""

    def __init__(self):
        self.said = set()

    @staticmethod
    def repeat(kind):
        return isinstance(kind, tuple) and kind[:1] == ("repeat",)

    def say(self, kind, text):
        if kind in self.said:
            LOGGER.debug(text)
            return
        self.said.add(kind)
        LOGGER.warning(text)

    def recovered(self, repeated=False):
        """A reading worked: its failures are over; repeats too when it needed none (``repeated``: it did)."""
        failures = set(kind for kind in self.said if not self.repeat(kind))
        if failures:
            LOGGER.warning("Reading the rented Sinch numbers works again.")
        self.said -= failures
        if not repeated:
            self.said = set(kind for kind in self.said if not self.repeat(kind))


class NumberEvents(object):
    """The source's state between readings: the client, the view of the numbers, the failures said."""

    def __init__(self, args, environ=None):
        from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params
        self.params, self.watch, self.interval, self.thresholds, self.backoff_max = settings(args, environ)
        self.client = client_from_params(self.params)
        self.view = None
        self.warnings = Warnings()
        self.failures = 0
        self.repeated = False
        self.retry_after = None

    def renew_if_due(self, now):
        """A new log-in when the instance this source created ends within RENEW_BEFORE."""
        from ansible_collections.sinch.numbers.plugins.module_utils._filters import parse_expires
        session = self.client.session
        ends = parse_expires(session.expires_at)
        if session.can_log_in and session.instance_id and ends is not None and ends - now < RENEW_BEFORE:
            session.create_instance()

    def read(self):
        """One reading (blocking): (events to put, None) or ([], a warning kind and its sentence)."""
        now = datetime.datetime.now(datetime.timezone.utc)
        self.repeated = False
        self.retry_after = None
        try:
            return self._read(now)
        except Exception as err:  # pylint: disable=broad-except
            # A bug, or an answer nothing foresaw: a failed reading (no event, backoff), not the end of the source.
            # Its words are never shown (they may carry a URL, a header or a secret): its type and place only.
            self._transport_warnings()
            where = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
            place = " at %s line %d" % (os.path.basename(where[0].filename), where[0].lineno) if where else ""
            return [], (("unexpected", type(err).__name__), "Could not read the rented Sinch numbers (no event put): "
                        "an unexpected %s%s; it is tried again after the backoff." % (type(err).__name__, place))

    def _read(self, now):
        from ansible_collections.sinch.numbers.plugins.module_utils._errors import NumbersError
        from ansible_collections.sinch.numbers.plugins.module_utils._events import confirm_unassigned, detect
        from ansible_collections.sinch.numbers.plugins.module_utils._events import listing as events_listing
        try:
            self.renew_if_due(now)
            listing = events_listing(self.client.list_numbers())
            organisation_id = self.client.organisation_id
        except NumbersError as err:
            request = err.request_error()
            kind = (type(err).__name__, getattr(request, "status", None), getattr(request, "error_code", None))
            self.retry_after = getattr(request, "retry_after", None)
            if request is not None and request.status == 401 and self.client.session.can_log_in:
                # An instance Sinch no longer accepts: the next reading logs in again.
                self.client.session.instance_id = None
            return [], (kind, "Could not read the rented Sinch numbers (no event put): %s" % err.describe())
        finally:
            self._transport_warnings()
        # The view is kept only once the events are known: a reading that fails half-way loses no change.
        events, view = detect(self.view, listing, now, self.thresholds, self.watch, organisation_id)
        events = confirm_unassigned(events, view, self.application_numbers)
        self._transport_warnings()
        self.view = view
        problem = None
        if not listing.whole:
            problem = ("unreadable", "Sinch listed numbers with fields that cannot be read (%s): they decide no event "
                                     "until they can be read." % listing.describe())
        return events, problem

    def application_numbers(self, key):
        """The numbers (ints) an application lists, read to confirm one was taken off it; NumbersError when unknown."""
        from ansible_collections.sinch.numbers.plugins.module_utils import _shapes
        from ansible_collections.sinch.numbers.plugins.module_utils._errors import UnreadableError
        listing = _shapes.listing(self.client.list_application_numbers(key))
        if listing.unidentified:
            raise UnreadableError("application %s listed numbers that cannot be read" % key)
        return [record["number"] for record in listing.records]

    def _transport_warnings(self):
        for text in self.client.session.warnings:
            self.repeated = True
            self.warnings.say(("repeat", text.split(" again ")[0]), text)
        del self.client.session.warnings[:]

    def wait(self, failed):
        """Seconds until the next reading: the interval, doubled per failure in a row up to backoff_max, and at least
        the wait Sinch asked for (Retry-After of the failed reading), up to backoff_max too."""
        self.failures = self.failures + 1 if failed else 0
        if not failed:
            return self.interval
        asked = min(int(math.ceil(self.retry_after or 0)), self.backoff_max)
        return max(min(self.interval * (2 ** min(self.failures, 20)), self.backoff_max), asked)


async def main(queue, args):
    """Put the events of the rented Sinch numbers on ansible-rulebook's queue, one reading per interval."""
    _collection_importable()
    source = NumberEvents(args)
    loop = asyncio.get_running_loop()
    while True:
        events, problem = await loop.run_in_executor(None, source.read)
        for event in events:
            await queue.put({"sinch_number": event})
        # A listing with unreadable records is a reading (its events are put); only a failed one backs off.
        failed = problem is not None and problem[0] != "unreadable"
        if problem:
            source.warnings.say(problem[0], problem[1])
        else:
            source.warnings.recovered(source.repeated)
        await asyncio.sleep(source.wait(failed))


if __name__ == "__main__":
    # Run directly (SINCH_* in the environment): print the events.
    class MockQueue(object):
        """A fake queue."""

        async def put(self, event):
            print(event)

    asyncio.run(main(MockQueue(), {"interval": 10}))
