# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: rented_numbers
short_description: The phone numbers a Sinch organisation or application has rented, for templates
version_added: 0.2.0
description:
  - Returns the organisation's rented numbers as E.164 strings (V(+14150005550)), or as whole number records
    with O(records=true), filtered like M(sinch.numbers.sinch_number_info) (same options, same meaning).
  - Runs on the controller, with the same client as the modules. It takes no terms; filters and credentials are options.
  - One request when given an instance (O(instance_id) and O(instance_secret)) and either O(application_key)
    or O(organisation_id). Without O(organisation_id), listing the organisation's numbers first looks it up (one more request).
  - "Log-ins: with O(email) and O(password) only, the lookup logs in (two requests) and keeps the instance in the
    process it runs in, for the same credentials and hosts. Ansible runs each task in its own worker process,
    so every lookup of one task (one template, every item of a loop) shares one log-in, but the next task logs in again.
    To log in once per play, log in once with M(sinch.numbers.sinch_session) and give its instance to every lookup."
  - Errors are one sentence (what was asked, what Sinch answered, what to do) and never show a password,
    instance secret or authorization token.
author:
  - Sinch Numbers maintainers (@sinch-numbers)
options:
  application_key:
    description:
      - Only the numbers assigned to this application (its key, not a secret), read with the application's own endpoint.
      - Without it, all numbers rented by the organisation are listed.
    type: str
  group_id:
    description: Only numbers rented from this number group.
    type: int
  country_id:
    description: Only numbers of this country (ISO 3166-1 alpha-2, case-insensitive), for example V(US).
    type: str
  city:
    description: Only numbers of this city (case-insensitive), for example V(San Francisco).
    type: str
  area_code:
    description:
      - Only numbers with this area code. Quote it to keep leading zeros (V("01")).
    type: str
  capability:
    description:
      - Only numbers with this capability, V(voice) or V(sms) (case-insensitive).
    type: str
  assigned:
    description:
      - V(true) keeps only numbers assigned to an application, V(false) only those assigned to none.
      - Without it, both are listed. A value that is not a boolean (V('false') as a string, V(1)) fails the lookup.
    type: bool
  expiring_within_days:
    description:
      - Only numbers whose current rental period ends within this many days from now (already ended ones included).
      - Numbers without an expiry date are left out.
    type: int
  records:
    description:
      - V(false) returns E.164 strings; V(true) returns whole number records, as M(sinch.numbers.sinch_number_info)
        returns them in RV(sinch.numbers.sinch_number_info#module:numbers).
      - A value that is not a boolean fails the lookup.
    type: bool
    default: false
extends_documentation_fragment:
  - sinch.numbers.connection
  - sinch.numbers.connection.LOOKUP
notes:
  - The connection options are those of the modules, with the same meaning and the same C(SINCH_*) environment
    variables of the controller. Prefer the environment or a vaulted variable to a literal password in a template.
  - Use C(query) (or C(lookup) with C(wantlist=true)) to get a list, since C(lookup) joins a list of strings with commas.
  - The lookup only reads; it never rents, assigns or changes anything, so it behaves the same in check mode.
seealso:
  - module: sinch.numbers.sinch_number_info
  - module: sinch.numbers.sinch_session
  - plugin: sinch.numbers.e164
    plugin_type: filter
"""

EXAMPLES = r"""
- name: The voice numbers of an application, from a template
  ansible.builtin.template:
    src: sip_trunk.conf.j2
    dest: /etc/asterisk/sinch_trunk.conf
    mode: "0644"
  vars:
    # Evaluated on the controller when the template renders; SINCH_EMAIL and SINCH_PASSWORD in its environment.
    trunk_numbers: "{{ query('sinch.numbers.rented_numbers', application_key='bb7b4e39-4227-4913-8c81-2db4abb54fb3',
                       capability='voice') }}"

- name: Log in once, then sign every lookup with the instance (one request per lookup, no log-in)
  sinch.numbers.sinch_session:
  no_log: true
  register: session
  run_once: true
  delegate_to: localhost

- name: Numbers on no application, as records
  ansible.builtin.debug:
    msg: "{{ item.e164 }} costs {{ item.cost.amount }} {{ item.cost.currency_id }} a month"
  loop: "{{ query('sinch.numbers.rented_numbers', assigned=false, records=true,
            instance_id=session.instance_id, instance_secret=session.instance_secret,
            organisation_id=session.organisation.id) }}"
"""

RETURN = r"""
_raw:
  description:
    - The matching rented numbers, sorted by number.
    - E.164 strings by default; with O(records=true), one dictionary per number with the keys
      C(number) (int), C(e164), C(group_id), C(capabilities), C(application_key), C(country_id), C(city),
      C(country), C(area_code), C(expires) and C(cost) (C(amount), C(currency_id), and C(formatted) when Sinch sends it),
      as returned by M(sinch.numbers.sinch_number_info).
  type: list
  elements: raw
  sample: ["+14150005550", "+14150005551"]
"""

import hashlib
import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, NumbersError
from ansible_collections.sinch.numbers.plugins.module_utils._numbers import FILTERS, rented_numbers
from ansible_collections.sinch.numbers.plugins.module_utils._input import boolean, ca_path, credentials_problem, integer, parse_options
from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params
from ansible_collections.sinch.numbers.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR

display = Display()

CONNECTION = ("email", "password", "identity_type", "instance_id", "instance_secret", "organisation_id",
              "user_api_url", "api_url", "portal_api_url", "validate_certs", "ca_path", "use_proxy", "timeout", "retries",
              "max_retry_wait")

OPTIONS = set(CONNECTION + FILTERS + ("records",))

# Clients by connection, for the life of this process (one task's worker process): the second
# lookup with the same credentials and hosts reuses the instance, the organisation and the
# keep-alive HTTP session. Secrets are part of the key only as digests. The process id is part
# of it too, so that a worker forked after a lookup ran in the main process (a templated
# ``hosts:``) never shares that process's open connections.
_CLIENTS = {}


def _digest(value):
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else None


def _cache_key(params):
    return (os.getpid(),) + tuple((name, _digest(params[name]) if name in ("password", "instance_secret") else params[name])
                                  for name in CONNECTION)


def client_for(params):
    """A client for these connection parameters, reused within this process."""
    key = _cache_key(params)
    client = _CLIENTS.get(key)
    if client is None:
        client = _CLIENTS[key] = client_from_params(params)
    return client


def _refuse_empty_path(name, value):
    """InputError, as the modules word it, for a path option that is empty or blank."""
    if not isinstance(value, str) or not value.strip():
        ca_path(value, name)


class LookupModule(LookupBase):

    def _unset_empty_environment(self, kwargs):
        """An empty SINCH_* variable counts as unset, as for the modules (their fallbacks skip it); Ansible's own
        reading of the environment would take it as an empty value (for ca_path: the current directory)."""
        for name in CONNECTION:
            if name in kwargs:
                continue
            origin = self.get_option_and_origin(name)[1]
            if not isinstance(origin, str) or not origin.startswith("env: "):
                continue
            value = os.environ.get(origin[len("env: "):])
            if value == "":
                # Not set_option: from ansible-core 2.19 it reads the environment again for a value of None.
                self._options[name] = self.option_definitions.get(name, {}).get("default")
            elif value is not None and name == "ca_path":
                _refuse_empty_path(name, value)

    def run(self, terms, variables=None, **kwargs):
        if terms:
            raise AnsibleLookupError(
                "The sinch.numbers.rented_numbers lookup takes no terms, but was given %d: pass filters as options, "
                "for example application_key='...'." % len(terms))
        unknown = sorted(name for name in kwargs if name not in OPTIONS)
        if unknown:
            raise AnsibleLookupError(
                "The sinch.numbers.rented_numbers lookup has no option %s: its options are %s (see ansible-doc -t lookup "
                "sinch.numbers.rented_numbers). Nothing was sent to Sinch." % (", ".join(unknown), ", ".join(sorted(OPTIONS))))
        try:
            # Checked as given, before Ansible's conversion turns 'no' or 1 into a boolean.
            for name in ("assigned", "records", "validate_certs", "use_proxy"):
                if kwargs.get(name) is not None:
                    boolean(name, kwargs[name])
            # And a boolean given to a whole-number option, before Ansible's conversion turns true into 1.
            for name in ("group_id", "expiring_within_days", "organisation_id", "retries"):
                if isinstance(kwargs.get(name), bool):
                    integer(name, kwargs[name])
        except InputError as err:
            raise AnsibleLookupError("%s Nothing was sent to Sinch." % err.describe()) from None
        try:
            # A path given empty: refused as the modules refuse it (Ansible's type path would make it the current
            # directory). The sentence says that nothing was sent.
            if kwargs.get("ca_path") is not None:
                _refuse_empty_path("ca_path", kwargs["ca_path"])
            self.set_options(var_options=variables, direct=kwargs)
            self._unset_empty_environment(kwargs)
        except InputError as err:
            raise AnsibleLookupError(err.describe()) from None
        params = dict((name, self.get_option(name)) for name in CONNECTION)
        if REQUESTS_IMPORT_ERROR:
            raise AnsibleLookupError("The sinch.numbers.rented_numbers lookup needs the Python library requests "
                                     "on the controller: install it where ansible-core runs (pip install requests).")
        filters = dict((name, self.get_option(name)) for name in FILTERS)
        try:
            # The same checks as the modules' options: nothing is sent for a value that cannot be used.
            for warning in parse_options(params) + parse_options(filters):
                display.warning(warning)
        except InputError as err:
            raise AnsibleLookupError(err.describe()) from None
        problem = credentials_problem(params, ways="as options of the lookup, or as SINCH_* environment variables of the controller")
        if problem:
            raise AnsibleLookupError(problem)
        client = client_for(params)
        try:
            numbers, warning = rented_numbers(client, filters)
            if warning:
                client.session.warnings.append(warning)
        except NumbersError as err:
            # from None: the cause adds nothing the sentence lacks, and no traceback is shown at -vvv.
            raise AnsibleLookupError(err.describe()) from None
        finally:
            for warning in client.session.warnings:
                display.warning(warning)
            del client.session.warnings[:]
        if self.get_option("records"):
            return numbers
        return [item["e164"] for item in numbers]
