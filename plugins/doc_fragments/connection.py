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
      - V(false) also leaves O(ca_path) unused (with a warning).
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of the CA certificates to verify the Sinch hosts with, instead of the default bundle of the Python
        library C(requests) (or of E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) when set).
      - Behind a proxy that inspects TLS, give the proxy's CA; for a Sinch stand-in with a private CA, give that CA.
        A directory prepared with C(openssl rehash) works too.
      - A path on the host the module runs on (for the lookup, the controller). A path that does not exist or holds no
        certificate fails before any request; a certificate this bundle cannot verify fails with one sentence naming
        the host and the bundle.
      - If not set, the environment variable E(SINCH_CA_PATH) is used.
    type: path
  use_proxy:
    description:
      - Whether to use the proxy that the environment of the host the module runs on (for the lookup, the controller)
        names. V(true) sends the requests through E(HTTPS_PROXY) (E(HTTP_PROXY) for V(http://) URLs, E(ALL_PROXY) for
        both) unless E(NO_PROXY) lists the host, as the Python library C(requests) does; the variables may be written
        in lower case too.
      - V(false) ignores these variables and connects to the Sinch hosts directly. Nothing else changes
        (E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) still count; C(~/.netrc) is never read either way).
      - A proxy that cannot be reached fails with one sentence naming it (without its user name and password).
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
      - A C(Retry-After) longer than O(max_retry_wait) is not waited for; the request fails at once, saying how long
        Sinch asked to wait.
      - From 0 to 10.
    type: raw
    default: 3
  max_retry_wait:
    description:
      - The longest wait, in seconds, before sending a request again (see O(retries)).
      - A C(Retry-After) longer than this is not waited for; the request fails at once, saying how long Sinch asked to
        wait. The backoff between tries (at most 8 seconds) never exceeds it either.
      - A number above 0, at most 3600 (V(true), V(false), V(inf) and V(nan) fail before any request).
    type: raw
    default: 60
requirements:
  - requests (Python library, on the host the module runs on; for the lookup, on the controller)
notes:
  - An empty C(SINCH_*) environment variable counts as unset (AWX injects an optional credential field
    left blank as an empty variable).
  - Proxies come from the environment (E(HTTPS_PROXY), E(NO_PROXY), see O(use_proxy)). A proxy that tunnels TLS sees
    only the host names; one that inspects TLS needs its CA in O(ca_path).
"""

    # For the rented_numbers lookup: where its connection options are read from besides the lookup's own
    # arguments (the modules read the same variables through their argument spec's fallbacks).
    LOOKUP = r"""
options:
  email:
    env:
      - name: SINCH_EMAIL
  password:
    env:
      - name: SINCH_PASSWORD
  instance_id:
    env:
      - name: SINCH_INSTANCE_ID
  instance_secret:
    env:
      - name: SINCH_INSTANCE_SECRET
  organisation_id:
    env:
      - name: SINCH_ORGANISATION_ID
  user_api_url:
    env:
      - name: SINCH_USER_API_URL
  api_url:
    env:
      - name: SINCH_API_URL
  portal_api_url:
    env:
      - name: SINCH_PORTAL_API_URL
  ca_path:
    env:
      - name: SINCH_CA_PATH
"""
