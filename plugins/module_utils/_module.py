# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: wiring shared by every module (options, client, errors, diff)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._input import InputError, credentials_problem, parse_options
from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params, connection_argument_spec
from ansible_collections.sinch.numbers.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR


def sinch_module(argument_spec=None, **kwargs):
    """An AnsibleModule with the shared connection options merged in, its options parsed.

    Every option is checked and normalised here (``_input.parse_options``), before main()
    reads module.params and before any request: a value that cannot be used fails the task
    with one sentence.
    """
    spec = connection_argument_spec()
    spec.update(argument_spec or {})
    kwargs.setdefault("supports_check_mode", True)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    check_options(module)
    return module


def check_options(module):
    """Parse module.params in place; fail the task on the first unusable value, warn on plain http."""
    try:
        warnings = parse_options(module.params)
    except InputError as err:
        # A URL's user name and password are masked wherever Ansible would show them.
        module.no_log_values.update(err.secrets)
        module.fail_json(msg=err.message)
    for warning in warnings:
        module.warn(warning)


def run(module, logic, *args):
    """Build the client, call ``logic(client, *args)`` and exit with its result.

    This is the one place a SinchError becomes ``fail_json``; an InputError (an option the
    logic refuses) and a ValueError raised by module logic (a plan that cannot be bought, a
    refused change) become a failure with their own sentence. It is also the one place the
    client's warnings (every repeated request, a new log-in) reach the module's result,
    whether the task succeeds or fails. Nothing secret reaches the output: errors carry no
    headers, bodies or tokens.
    """
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    problem = credentials_problem(module.params)
    if problem:
        module.fail_json(msg=problem)
    client = client_from_params(module.params)
    try:
        result = logic(client, *args)
    except SinchError as err:
        _warn(module, client)
        module.fail_json(msg=err.describe(), **err.to_result())
    except InputError as err:
        _warn(module, client)
        module.fail_json(msg=err.message)
    except ValueError as err:
        _warn(module, client)
        module.fail_json(msg=str(err))
    _warn(module, client)
    module.exit_json(**result)


def _warn(module, client):
    for warning in client.warnings:
        module.warn(warning)


def diff(before, after, header=None):
    """The diff mode payload every module returns: one item per line, as Ansible's callbacks render it.

    ``before`` and ``after`` are lists (of E.164 numbers); Ansible's diff display needs text, so
    each becomes one line per item. ``header`` names what is compared.
    """
    result = {"before": "".join("%s\n" % item for item in before), "after": "".join("%s\n" % item for item in after)}
    if header:
        result["before_header"] = result["after_header"] = header
    return result
