# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the one exception the Sinch client raises."""

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


class SinchError(Exception):
    """A request to Sinch failed, or could not be made.

    Carries what a user needs to understand the failure and nothing that must stay secret:
    never headers, request bodies, passwords, instance secrets or authorization tokens.

    ``status`` and ``error_code`` are None when no HTTP answer arrived.
    ``outcome_unknown`` is True when the request may have reached Sinch and been applied
    although no answer came back (timeout, dropped connection, or a 5xx after sending);
    callers must not repeat a non-idempotent request blindly in that case.
    ``attempts`` is how many times the transport sent the request (more than 1 only for
    requests marked safe to repeat); ``describe`` says "(sent N times)" then.
    ``retry_after`` is the wait Sinch asked for in seconds, uncapped (None without the header).
    """

    def __init__(self, message, status=None, error_code=None, method=None, path=None,
                 outcome_unknown=False, hint=None, transient=False, retry_after=None):
        super(SinchError, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.method = method
        self.path = path
        self.outcome_unknown = outcome_unknown
        self.hint = hint if hint is not None else HINTS.get(error_code)
        # Transport bookkeeping: a connection-level failure worth another try, and the
        # server's Retry-After in seconds.
        self.transient = transient
        self.retry_after = retry_after
        # In words, what the failed request was for; set by the client.
        self.action = None
        # How many times the request was sent (more than 1 when the transport repeated it).
        self.attempts = 1

    def describe(self, action=None):
        """One sentence: what was asked, what Sinch answered, what to do.

        ``action`` says in words what was asked ("list the number shop of organisation 8888123");
        without it the request's method and path stand in.
        """
        asked = action or self.action or "send %s %s" % (self.method, self.path)
        if self.status is not None:
            code = " errorCode %s" % self.error_code if self.error_code is not None else ""
            answer = "Sinch answered HTTP %s%s: %s" % (self.status, code, self.message.rstrip("."))
        else:
            answer = self.message.rstrip(".")
        if self.attempts > 1:
            answer += " (sent %d times)" % self.attempts
        sentence = "Could not %s: %s." % (asked, answer)
        if self.hint:
            sentence += " " + self.hint
        return sentence

    def to_result(self):
        """The error as return values for fail_json (safe to show)."""
        return {
            "error": {
                "status": self.status,
                "error_code": self.error_code,
                "message": self.message,
                "method": self.method,
                "path": self.path,
                "outcome_unknown": self.outcome_unknown,
            }
        }
