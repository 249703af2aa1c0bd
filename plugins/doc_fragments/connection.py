# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  email:
    description:
      - The identity to log in with; an email address unless O(identity_type) says otherwise.
      - Needed with O(password) unless O(instance_id) and O(instance_secret) are given.
      - When an instance is given too, the email and password serve only to log in again, once,
        if Sinch rejects the instance (instances expire after 48 hours).
      - If not set, the environment variable E(SINCH_EMAIL) is used.
    type: str
    aliases: [identity]
  password:
    description:
      - The password of the Sinch account. Never shown in output, logs or errors.
      - If not set, the environment variable E(SINCH_PASSWORD) is used.
    type: str
  identity_type:
    description:
      - What kind of identity O(email) is.
    type: str
    choices: [email, number, username]
    default: email
  instance_id:
    description:
      - The id of an existing Sinch instance, as returned by M(sinch.numbers.sinch_session).
      - With O(instance_secret), no log-in is needed, which saves two requests per task.
      - If not set, the environment variable E(SINCH_INSTANCE_ID) is used.
    type: str
  instance_secret:
    description:
      - The secret of the instance given in O(instance_id). Never shown in output, logs or errors.
      - If not set, the environment variable E(SINCH_INSTANCE_SECRET) is used.
    type: str
  organisation_id:
    description:
      - The id of the organisation. When given, the organisation lookup (one request) is skipped.
      - If not set, the environment variable E(SINCH_ORGANISATION_ID) is used.
    type: raw
  user_api_url:
    description:
      - Base URL of the host that logs users in.
      - If not set, the environment variable E(SINCH_USER_API_URL) is used.
      - A URL holding a user name or password (V(https://user:pass@host)) fails the task before any request, without
        repeating it; plain V(http://) to a host other than this machine is accepted with a warning (the password
        and the signed requests would cross the network unencrypted).
    type: str
    default: https://userapi.sinch.com
  api_url:
    description:
      - Base URL of the host that creates instances and answers the organisation lookup.
      - If not set, the environment variable E(SINCH_API_URL) is used.
      - A URL holding a user name or password (V(https://user:pass@host)) fails the task before any request, without
        repeating it; plain V(http://) to a host other than this machine is accepted with a warning (the password
        and the signed requests would cross the network unencrypted).
    type: str
    default: https://api.sinch.com
  portal_api_url:
    description:
      - Base URL of the host that serves the number shop, rented numbers and application numbers.
      - If not set, the environment variable E(SINCH_PORTAL_API_URL) is used.
      - A URL holding a user name or password (V(https://user:pass@host)) fails the task before any request, without
        repeating it; plain V(http://) to a host other than this machine is accepted with a warning (the password
        and the signed requests would cross the network unencrypted).
    type: str
    default: https://portalapi.sinch.com
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the Sinch hosts. Turn off only for test hosts.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP answer. A finite number above 0, at most 3600 (V(inf), V(nan), V(true) and
        V(false) fail the task).
    type: raw
    default: 30
  retries:
    description:
      - How many times to send again a request that is safe to repeat (reads, logging in, creating the instance)
        after HTTP 429, 500, 502, 503 or 504 or after a connection that failed or was reset before an answer, with
        exponential backoff and jitter (or the wait Sinch asks for in C(Retry-After)). Every repeat is reported as a
        warning.
      - Reserving numbers is repeated only after HTTP 429 or 503 or a connection that never reached Sinch, and the
        application numbers' writes only after HTTP 429 or 503 or a connection failure.
      - Checking out numbers is never repeated by this; the renting logic sends the checkout of one reservation again
        after a lost or 5xx answer (a reservation is bought at most once), then reads the rented numbers.
      - A C(Retry-After) longer than 60 seconds is not waited for; the task fails at once, saying how long Sinch
        asked to wait.
      - From 0 to 10.
    type: raw
    default: 3
requirements:
  - requests (Python library, on the host the module runs on)
notes:
  - All modules of this collection are in the action group C(sinch.numbers.sinch), so the connection
    can be set once per play with C(module_defaults) and C(group/sinch.numbers.sinch).
  - An empty C(SINCH_*) environment variable counts as unset (AWX injects an optional credential field
    left blank as an empty variable).
"""
