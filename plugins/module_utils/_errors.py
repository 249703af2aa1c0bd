# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the one family of errors sinch.numbers raises.

Every error the collection raises on purpose is a ``NumbersError``: a sentence for the user (what was
asked, what happened, what to do), whether something was (or may have been) written before it
(``changed``), and the return values that say what (``result``). The runner (``_runner.run``) is the one
place these become ``fail_json``; it also adds what the task's journal (``_journal``) recorded, so an
error raised deep in the code never has to know what was written before it, and a failure after a write
can never say ``changed: false``.

The kinds, so that odd data from Sinch is never blamed on the user and the reverse:

- ``SinchError``: a request failed, or Sinch's answer could not be used (``status``, ``error_code``...);
- ``InputError``: an option value the module cannot use (nothing was sent);
- ``PlanError``: what was asked cannot be done as asked (availability, cost guards, an unknown
  application, a stale plan id); nothing was reserved or written;
- ``UnreadableError``: Sinch listed records whose fields cannot be read, and they could decide what is
  bought or taken off an application (unknown is never "no");
- ``LockError``: the organisation's renting lock could not be held;
- ``PurchaseError``: renting stopped after its first checkout was sent (what was, or may have been,
  bought is in the journal).

Causes are chained (``raise ... from err``), never copied field by field; ``to_result`` finds the
request that failed through the chain.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


# What to do, by Sinch errorCode, when the API names a known failure.
HINTS = {
    40001: "Check the values given to the module against its documentation.",
    40002: "Give at least one value for the parameter Sinch names.",
    40003: "Check the number, group or application given.",
    40100: "The instance is unknown or expired: log in again with sinch.numbers.sinch_session, or give email and password too.",
    40101: "Check that this host's clock is correct (Sinch rejects requests whose x-timestamp is too far off).",
    40102: ("Sinch refused the request's signature: instance_secret does not belong to instance_id (or was changed); "
            "pass both as sinch.numbers.sinch_session returned them, or log in again to get a fresh instance."),
    40200: "Add credit to the Sinch account, then run again.",
    40300: "Check organisation_id: the logged-in user does not own that organisation.",
    40301: "Use an instance (instance_id and instance_secret, or email and password) for this request.",
    40400: "Check the application key or number; it is not known to this organisation.",
    42200: "Set up accounting for the organisation in the Sinch dashboard, then run again.",
    42900: "Sinch is rate limiting this account; wait and run again, or raise retries.",
    50000: "Sinch failed internally; run again later.",
    50300: "Sinch is temporarily unavailable; run again later, or raise retries.",
}


def sentence(text):
    """``text`` ending with exactly one full stop."""
    text = (text or "").strip()
    return text if text.endswith((".", "!", "?")) else text + "."


class NumbersError(Exception):
    """Base of every error sinch.numbers raises on purpose.

    ``message`` says what failed; ``hint`` what to do. ``changed`` is True when something was, or may
    have been, written before the failure; ``result`` holds return values for the failed task (what was
    bought, assigned or removed). The runner merges the task's journal into both.
    """

    def __init__(self, message, hint=None, changed=False, result=None):
        super(NumbersError, self).__init__(message)
        self.message = message
        self.hint = hint
        self.changed = changed
        self.result = dict(result or {})

    def __str__(self):
        return self.describe()

    def describe(self):
        """The whole sentence for ``msg``: what failed, then what to do."""
        text = sentence(self.message)
        if self.hint:
            text += " " + sentence(self.hint)
        return text

    def request_error(self):
        """The SinchError of the request behind this failure (itself, or a cause in the chain), or None."""
        seen = set()
        err = self
        while err is not None and id(err) not in seen:
            seen.add(id(err))
            if isinstance(err, SinchError):
                return err
            err = err.__cause__ or err.__context__
        return None

    def to_result(self):
        """Return values for fail_json (safe to show): ``changed``, the partial result, the failed request."""
        result = dict(self.result)
        result["changed"] = bool(self.changed or result.get("changed"))
        request = self.request_error()
        if request is not None and "error" not in result:
            result["error"] = request.error_result()
        return result


class SinchError(NumbersError):
    """A request to Sinch failed, or could not be made, or its answer could not be used.

    Carries what a user needs to understand the failure and nothing that must stay secret:
    never headers, request bodies, passwords, instance secrets or authorization tokens.

    ``status`` and ``error_code`` are None when no HTTP answer arrived.
    ``outcome_unknown`` is True when the request may have reached Sinch and been applied
    although no usable answer came back (timeout, dropped connection, a 5xx, an answer that is
    not JSON); callers must not repeat a write blindly in that case.
    ``attempts`` is how many times the transport sent the request (more than 1 only for
    requests marked safe to repeat). ``retry_after`` is the wait Sinch asked for in seconds,
    uncapped (None without the header). ``action`` says in words what the request was for.
    """

    def __init__(self, message, status=None, error_code=None, method=None, path=None,
                 outcome_unknown=False, hint=None, transient=False, retry_after=None, action=None):
        super(SinchError, self).__init__(message, hint=hint if hint is not None else HINTS.get(error_code))
        self.status = status
        self.error_code = error_code
        self.method = method
        self.path = path
        self.outcome_unknown = outcome_unknown
        # Transport bookkeeping: a connection-level failure worth another try, and the
        # server's Retry-After in seconds.
        self.transient = transient
        self.retry_after = retry_after
        self.action = action
        self.attempts = 1

    @property
    def definite(self):
        """Sinch answered with an HTTP error that applied nothing (not a 5xx, not lost, readable)."""
        return self.status is not None and self.status < 500 and not self.outcome_unknown

    def answer(self):
        """What Sinch answered, in words: "Sinch answered HTTP 404 errorCode 40400: ...", or what went wrong."""
        if self.status is not None:
            code = " errorCode %s" % self.error_code if self.error_code is not None else ""
            text = "Sinch answered HTTP %s%s: %s" % (self.status, code, self.message.rstrip("."))
        else:
            text = self.message.rstrip(".")
        if self.attempts > 1:
            text += " (sent %d times)" % self.attempts
        return text

    def describe(self, action=None):
        """One sentence: what was asked, what Sinch answered, what to do.

        ``action`` says in words what was asked ("list the number shop of organisation 8888123");
        without it the request's own action, else its method and path, stand in.
        """
        asked = action or self.action or "send %s %s" % (self.method, self.path)
        text = "Could not %s: %s." % (asked, self.answer())
        if self.hint:
            text += " " + sentence(self.hint)
        return text

    def error_result(self):
        """The ``error`` return value (safe to show)."""
        return {
            "status": self.status,
            "error_code": self.error_code,
            "message": self.message,
            "method": self.method,
            "path": self.path,
            "outcome_unknown": self.outcome_unknown,
        }

    def request_error(self):
        return self


class InputError(NumbersError):
    """An option value the module cannot use; nothing was sent to Sinch.

    ``secrets`` are parts of the value that must never be shown (a URL's user name and password);
    ``scrubbed`` is the value without them, for the failed task's invocation.
    """

    def __init__(self, message, hint=None):
        super(InputError, self).__init__(message, hint=hint)
        self.secrets = []
        self.scrubbed = None


class PlanError(NumbersError):
    """What was asked cannot be done as asked; nothing was reserved or written by the plan."""


class UnreadableError(PlanError):
    """Sinch listed records whose fields cannot be read, and they could decide what is bought or taken off."""


class LockError(NumbersError):
    """The organisation's renting lock could not be held; nothing was read or bought."""


class PurchaseError(NumbersError):
    """Renting stopped after a checkout was sent; ``outcome_unknown`` when a checkout's fate cannot be learnt."""

    def __init__(self, message, hint=None, changed=True, result=None, outcome_unknown=False):
        super(PurchaseError, self).__init__(message, hint=hint, changed=changed, result=result)
        self.outcome_unknown = outcome_unknown
