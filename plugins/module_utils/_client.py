# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: the Sinch number-administration endpoints, one method each."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.sinch.numbers.plugins.module_utils._errors import SinchError
from ansible_collections.sinch.numbers.plugins.module_utils._transport import BUSY_STATUSES

CAPABILITIES = ("voice", "sms")


class SinchClient(object):
    """Endpoint calls on top of a Session. Answers are returned as Sinch sends them (camelCase);
    ``_shapes`` turns them into the collection's snake_case results.

    Each call says whether the transport may send it again (``retry``): reads and reserve (a
    reservation nobody checks out costs nothing and expires) after 429, 500, 502, 503, 504 and
    connection failures; the application overwrite and unassign (replaying them is harmless)
    only after 429, 503 and connection failures. ``checkout`` is never marked: the transport
    sends it once, and when its outcome is unknown the SinchError says so (``outcome_unknown``)
    for the renting logic to look before doing anything else.
    """

    def __init__(self, session):
        self.session = session

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
        """A signed request, safe to repeat, whose answer must be a JSON list (of numbers or groups)."""
        resp = self.session.signed("portal_api", method, path, payload, retry=retry, action=action)
        if not isinstance(resp.data, list):
            err = SinchError("the answer listing %s was not a list" % what, method=method, path=path.lstrip("/"),
                             outcome_unknown=method != "GET")
            err.action = action
            raise err
        return resp.data

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
        resp = self.session.signed("portal_api", "PUT", self._org_path("/shop"), payload, retry=True,
                                   action="reserve %d number(s) of group %d" % (quantity, group_id))
        reference_id = (resp.data or {}).get("referenceId") if isinstance(resp.data, dict) else None
        if not reference_id:
            raise SinchError("the reservation answer carried no referenceId", method="PUT", path=self._org_path("/shop")[1:],
                             outcome_unknown=True)
        return reference_id

    def checkout(self, reference_ids):
        """Check out reservations; Sinch answers 204 without saying which numbers were bought.

        Never marked safe to repeat: a checkout that may have been applied is looked into by
        the renting logic (_rent), never sent again blindly.
        """
        self.session.signed("portal_api", "POST", self._org_path("/shop"), {"referenceIds": list(reference_ids)},
                            retry=False, action="check out reservation(s) %s" % ", ".join(reference_ids))

    def list_numbers(self):
        return self._signed_list("GET", self._org_path(""), "rented numbers",
                                 "list the rented numbers of organisation %d" % self.organisation_id)

    def list_application_numbers(self, application_key):
        return self._signed_list("GET", self._app_path(application_key), "application numbers",
                                 "list the numbers of application %s" % application_key)

    def set_application_numbers(self, application_key, capability, numbers):
        """Overwrite the application's numbers of one capability; returns the application's numbers."""
        # Replaying the same overwrite is harmless, so the transport may retry it.
        return self._signed_list("PUT", self._app_path(application_key, "/" + capability), "application numbers",
                                 "set the %s numbers of application %s" % (capability, application_key),
                                 {"numbers": [int(n) for n in numbers]}, retry=BUSY_STATUSES)

    def unassign_number(self, application_key, number):
        self.session.signed("portal_api", "DELETE", self._app_path(application_key, "/%d" % int(number)),
                            retry=BUSY_STATUSES,
                            action="remove number +%d from application %s" % (int(number), application_key))
