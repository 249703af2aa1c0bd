# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the Sinch number-administration endpoints, one method each."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._journal import Journal
from ansible_collections.sinch.numbers.plugins.module_utils._transport import BUSY_STATUSES, NotApplied

# A reserve is sent again only after an answer saying it was not applied (429, 503) or a connection that never
# reached Sinch: a duplicate reservation costs nothing but holds the shop's numbers until it expires.
RESERVE_RETRY = NotApplied(BUSY_STATUSES)

CAPABILITIES = ("voice", "sms")


class SinchClient(object):
    """Endpoint calls on top of a Session. Answers are returned as Sinch sends them (camelCase);
    ``_shapes`` turns them into the collection's snake_case results.

    Each call says whether the transport may send it again (``retry``): reads after 429, 500, 502,
    503, 504 and connection failures; reserve only after 429, 503 and a connection that never
    reached Sinch (a duplicate reservation costs nothing but holds numbers of the shop until it
    expires); the application overwrite and unassign (replaying them is harmless) after 429, 503
    and connection failures. ``checkout`` is never marked: the transport
    sends it once, and when its outcome is unknown the SinchError says so (``outcome_unknown``)
    for the renting logic to look before doing anything else.

    Every write is recorded in ``journal`` as it is sent, and settled by its answer (see _journal):
    whatever fails later, the task knows what it wrote.
    """

    def __init__(self, session, journal=None):
        self.session = session
        self.journal = journal if journal is not None else Journal()

    @property
    def warnings(self):
        """Sentences for the module's result: every repeated request, every new log-in."""
        return self.session.warnings

    @property
    def organisation_id(self):
        return self.session.organisation_id

    def _org_path(self, suffix):
        return "/v1/organisations/id/%d/numbers%s" % (self.organisation_id, suffix)

    @staticmethod
    def _app_path(application_key, suffix=""):
        return "/v1/applications/key/%s/numbers%s" % (quote(application_key, safe=""), suffix)

    def _signed_list(self, method, path, what, action, payload=None, retry=True):
        """A signed request whose answer must be a JSON list (of numbers or groups)."""
        resp = self.session.signed("portal_api", method, path, payload, retry=retry, action=action)
        if not isinstance(resp.data, list):
            raise SinchError("the answer listing %s was not a list" % what, method=method, path=path.lstrip("/"),
                             outcome_unknown=method != "GET", action=action)
        return resp.data

    def _write(self, kind, key, details, send):
        """Send a write, recorded in the journal before it leaves and settled by its answer."""
        return self.journal.send(kind, key, details, send)

    def get_organisation(self):
        return self.session.organisation()

    def list_number_groups(self):
        return self._signed_list("GET", self._org_path("/shop"), "number groups",
                                 "list the number shop of organisation %d" % self.organisation_id)

    def reserve(self, group_id, quantity, capabilities=None):
        """Reserve ``quantity`` numbers of a group; returns the referenceId."""
        payload = {"groupId": group_id, "quantity": quantity}
        if capabilities:
            payload["capabilities"] = list(capabilities)
        action = "reserve %d number(s) of group %d" % (quantity, group_id)
        resp = self.session.signed("portal_api", "PUT", self._org_path("/shop"), payload, retry=RESERVE_RETRY,
                                   action=action)
        reference_id = (resp.data or {}).get("referenceId") if isinstance(resp.data, dict) else None
        if not isinstance(reference_id, str) or not reference_id.strip():
            raise SinchError("the reservation answer carried no referenceId", method="PUT", path=self._org_path("/shop")[1:],
                             outcome_unknown=True, action=action)
        self.journal.reserved(reference_id, group_id, quantity)
        return reference_id

    def checkout(self, reference_id, **about):
        """Check out one reservation; Sinch answers 204 without saying which numbers were bought.

        One reference id per request, so that every answer speaks for exactly one reservation (see
        _purchase). Never repeated by the transport: the renting logic decides about sending it again.
        ``about`` (group_id, quantity, unit_cost, currency_id) goes into the journal entry.
        """
        path = self._org_path("/shop")
        self._write("checkout", reference_id, about, lambda: self.session.signed(
            "portal_api", "POST", path, {"referenceIds": [reference_id]}, retry=False,
            action="check out reservation %s" % reference_id))

    def list_numbers(self):
        return self._signed_list("GET", self._org_path(""), "rented numbers",
                                 "list the rented numbers of organisation %d" % self.organisation_id)

    def list_application_numbers(self, application_key):
        return self._signed_list("GET", self._app_path(application_key), "application numbers",
                                 "list the numbers of application %s" % application_key)

    def set_application_numbers(self, application_key, capability, numbers):
        """Overwrite the application's numbers of one capability; returns the application's numbers."""
        numbers = sorted(set(int(n) for n in numbers))
        details = {"application_key": application_key, "capability": capability, "numbers": numbers}
        # Replaying the same overwrite is harmless, so the transport may retry it.
        return self._write("overwrite", (application_key, capability), details, lambda: self._signed_list(
            "PUT", self._app_path(application_key, "/" + capability), "application numbers",
            "set the %s numbers of application %s" % (capability, application_key), {"numbers": numbers},
            retry=BUSY_STATUSES))

    def unassign_number(self, application_key, number):
        details = {"application_key": application_key, "number": int(number)}
        self._write("unassign", (application_key, int(number)), details, lambda: self.session.signed(
            "portal_api", "DELETE", self._app_path(application_key, "/%d" % int(number)), retry=BUSY_STATUSES,
            action="remove number +%d from application %s" % (int(number), application_key)))
