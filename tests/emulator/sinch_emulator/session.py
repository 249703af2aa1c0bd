"""Starting a session: log in (userapi), create an instance and read the organisation (api)."""

import base64
import os
import uuid

from .auth import issue_user_authorization, require_application, require_instance, require_user
from .errors import ApiError, bad_request
from .fixture import IDENTITY_TYPES
from .models import Instance
from .validation import parse_json_object, require_str


def login(emulator, request, identity_type, identity):
    """POST /v1/users/{type}/{identity}/authentication: check the password, issue a user authorization.

    ``identity`` arrives percent-decoded (Werkzeug decodes the path), so
    %2B12055500000 is +12055500000.
    """
    require_application(emulator, request.headers)
    if identity_type not in IDENTITY_TYPES:
        raise bad_request("Invalid identity type: %s.  Type must be one of: %s." % (identity_type, ", ".join(IDENTITY_TYPES)))
    body = parse_json_object(request.get_data(cache=True), request.headers.get("Content-Type"))
    password = require_str(body, "password")
    for user in emulator.world.users:
        if user.has_identity(identity_type, identity) and user.password == password:
            token = issue_user_authorization(emulator, user, identity_type, identity)
            return {"authorization": token, "user": user.to_api()}
    raise ApiError(40100, "Invalid identity or password.")


def create_instance(emulator, request):
    """POST /v1/instance: a new signing instance for the user's organisation."""
    token, user = require_user(emulator, request.headers)
    body = parse_json_object(request.get_data(cache=True), request.headers.get("Content-Type"))
    version = body.get("version")
    if not isinstance(version, dict):
        raise bad_request("The field 'version' is required and must be an object with 'os' and 'platform'.")
    for key in ("os", "platform"):
        if not isinstance(version.get(key), str) or not version[key].strip():
            raise bad_request("The field 'version.%s' is required and must be a non-empty string." % key)
    if require_str(body, "authorization") != token:
        raise ApiError(40100, "The authorization in the body does not match the Authorization header.")
    ttl = emulator.settings["instance_ttl"]
    instance = Instance(str(uuid.uuid4()), base64.b64encode(os.urandom(16)).decode("ascii"), user.user_id, user.organisation_id,
                        emulator.now() + ttl)
    emulator.world.instances[instance.instance_id] = instance
    return {"id": instance.instance_id, "secret": instance.secret, "expiresIn": ttl}


def get_organisation(emulator, request):
    """GET /v1/organisations: the organisation of the instance's user."""
    instance = require_instance(emulator, request)
    return emulator.world.organisations[instance.org_id].to_api()


def require_owner(emulator, instance, org_segment):
    """The organisation named in the path, when it is the instance's; 40300 otherwise (unknown ones too)."""
    if org_segment != str(instance.org_id):
        raise ApiError(40300, "The current user is not the owner of the organisation: %s" % org_segment)
    return emulator.world.organisations[instance.org_id]


def require_application_of(emulator, instance, application_key):
    """An application of the instance's organisation; 404/40400 when unknown or another organisation's."""
    org = emulator.world.organisations[instance.org_id]
    if application_key not in org.applications:
        raise ApiError(40400, "Application with the key %s was not found." % application_key)
    return org
