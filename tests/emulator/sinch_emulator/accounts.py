"""Many accounts in one emulator: which organisation a request is for (stdlib only).

The request log records it (``organisation_id``) and a fault can be scoped to it, so that one
organisation's fault leaves the others clean and tests count requests per organisation.
"""

import re

from .auth import split_authorization

_ORG_PATH_RE = re.compile(r"/v1/organisations/id/([0-9]+)(?:/.*)?")
_APP_PATH_RE = re.compile(r"/v1/applications/key/([^/]+)(?:/.*)?")
_LOGIN_PATH_RE = re.compile(r"/v1/users/([^/]+)/([^/]+)/authentication")


def request_organisation(emulator, request):
    """The organisation id a request is for, or None when nothing in it names a known one.

    In order: the organisation in the path, the owner of the application in the path, the
    organisation of the signing instance or of the user authorization, the user of the log-in
    identity. Nothing is verified here (the route does that); callers hold ``Emulator.lock``.
    """
    world = emulator.world
    path = request.path
    match = _ORG_PATH_RE.fullmatch(path)
    if match:
        return int(match.group(1))
    match = _APP_PATH_RE.fullmatch(path)
    if match:
        owner = world.application_owner(match.group(1))
        if owner is not None:
            return owner.org_id
    scheme, credentials = split_authorization(request.headers.get("Authorization", ""))
    if scheme.lower() == "instance":
        instance = world.instances.get(credentials.partition(":")[0])
        if instance is not None:
            return instance.org_id
    if scheme.lower() == "user":
        record = world.tokens.get(credentials)
        users = [user for user in world.users if record is not None and user.user_id == record["user_id"]]
        if users:
            return users[0].organisation_id
    match = _LOGIN_PATH_RE.fullmatch(path)
    if match:
        for user in world.users:
            if user.has_identity(match.group(1), match.group(2)):
                return user.organisation_id
    return None
