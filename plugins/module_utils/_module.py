# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the runner every module uses (options, client, result, the one place failures are reported).

A module file holds its documentation and a ``main()`` that calls ``run(module, logic)``; ``logic`` is a
plain function in module_utils taking ``(client, params, check_mode)`` and returning the result.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.sinch.numbers.plugins.module_utils._errors import InputError, NumbersError, sentence
from ansible_collections.sinch.numbers.plugins.module_utils._input import credentials_problem, parse_options
from ansible_collections.sinch.numbers.plugins.module_utils._options import client_from_params, connection_argument_spec
from ansible_collections.sinch.numbers.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR


def sinch_module(argument_spec=None, **kwargs):
    """An AnsibleModule with the shared connection options merged in, its options parsed once (``_input``).

    The parsed, typed values (Decimal costs, Rental objects...) are ``module.sinch_params``; ``module.params``
    keeps what the user gave (Ansible shows it as the task's invocation, which must stay plain JSON). A value
    that cannot be used fails the task with one sentence, before any request.
    """
    spec = connection_argument_spec()
    spec.update(argument_spec or {})
    kwargs.setdefault("supports_check_mode", True)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    check_options(module)
    return module


def check_options(module):
    """Parse a copy of module.params into module.sinch_params; fail on the first unusable value, warn on plain http."""
    params = dict(module.params)
    try:
        warnings = parse_options(params)
    except InputError as err:
        # A URL's user name and password are masked wherever Ansible would show them, and the invocation
        # carries the URL without them.
        module.no_log_values.update(err.secrets)
        for name, value in params.items():
            if value != module.params.get(name) and isinstance(value, str):
                module.params[name] = value
        module.fail_json(msg=err.describe())
    module.sinch_params = params
    for warning in warnings:
        module.warn(warning)


def run(module, logic):
    """Build the client, call ``logic(client, module.params, module.check_mode)`` and exit with its result.

    The one place failures are reported. A ``NumbersError`` (the collection's own family) becomes a
    failure with its sentence; anything else is a bug and keeps its traceback in ``exception``. Either
    way the task's journal is asked what was written before the failure: ``changed`` is true when
    anything was or may have been written, the message says what, and the module's partial result (if
    it registered one) comes along, so no failure after a write can say ``changed: false``. The client's
    warnings (every repeated request, a new log-in) reach the result whether the task succeeds or fails.
    Nothing secret reaches the output: errors carry no headers, bodies or tokens. A result that could not
    be handed over to Ansible (a bug) is reported like any other failure, with what was written.
    """
    params = getattr(module, "sinch_params", module.params)
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    problem = credentials_problem(params)
    if problem:
        module.fail_json(msg=problem)
    client = client_from_params(params)
    try:
        result = logic(client, params, module.check_mode)
        if client.journal.changed:
            # A write that was or may have been applied is a change, whatever the logic computed.
            result["changed"] = True
        json.dumps(result, default=_refuse)
    except NumbersError as err:
        _warn(module, client)
        module.fail_json(**failure(client, err))
    except Exception as err:  # pylint: disable=broad-except
        _warn(module, client)
        module.fail_json(**failure(client, err, traceback.format_exc()))
    _warn(module, client)
    module.exit_json(**result)


def failure(client, err, trace=None):
    """The fail_json arguments for ``err``, with what the task's journal says was written before it."""
    journal = client.journal
    result = {}
    if journal.partial is not None:
        try:
            result.update(journal.partial() or {})
        except Exception:  # pylint: disable=broad-except
            pass  # the journal's own account below still says what was written
    result.update(journal.to_result())
    if isinstance(err, NumbersError):
        result.update(err.to_result())
        text = err.describe()
        changed = bool(err.changed or journal.changed)
    else:
        text = ("sinch.numbers failed with an internal error (%s: %s); this is a bug, please report it with the "
                "traceback." % (type(err).__name__, err))
        changed = journal.changed
        result["exception"] = trace
    written = journal.words()
    if written:
        text = "%s %s" % (sentence(text), written)
    result.pop("msg", None)
    result["changed"] = changed
    result["msg"] = text
    return result


def _refuse(value):
    raise TypeError("a result value of type %s cannot be returned" % type(value).__name__)


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
