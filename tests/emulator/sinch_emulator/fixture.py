"""Loading and strict validation of fixtures (YAML files or the same data as JSON).

The schema is documented in tests/emulator/README.md. Unknown keys are
rejected so that a typo in a fixture fails loudly instead of being ignored.
"""

import base64
import binascii
import datetime

import yaml

from .errors import FixtureError
from .models import Instance, NumberGroup, Organisation, RentedNumber, User, World, to_decimal
from .timeutil import format_offset_utc

CAPABILITIES = ("voice", "sms")
IDENTITY_TYPES = ("email", "number", "username")
TOP_LEVEL_KEYS = ("settings", "users", "organisations", "number_groups", "instances", "accounts")
ORG_DETAIL_KEYS = ("name", "website", "phone", "countryId", "vatnumber")
ORG_KEYS = ("id", "credit") + ORG_DETAIL_KEYS + ("accounting", "applications", "numbers")
# An account: an organisation and the one user who logs in to it, in one entry.
ACCOUNT_LOGIN_KEYS = ("email", "password", "user_id")


def load_fixture_file(path):
    """Read a YAML fixture file; FixtureError when it cannot be read or parsed."""
    try:
        with open(path, "rb") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise FixtureError("cannot load fixture %s: %s" % (path, exc)) from exc


def build_world(data, default_settings, now):
    """Validate fixture data and build a World from it; ``now`` dates fixture instances."""
    _check_mapping(data, "fixture", required=(), optional=TOP_LEVEL_KEYS)
    world = World(parse_settings(data.get("settings") or {}, default_settings, "settings"))
    for index, item in enumerate(_list(data, "number_groups", "fixture")):
        group = _parse_group(item, "number_groups[%d]" % index)
        _unique(world.groups, group.group_id, "number_groups[%d].groupId" % index)
        world.groups[group.group_id] = group
    for index, item in enumerate(_list(data, "organisations", "fixture")):
        _add_organisation(world, item, "organisations[%d]" % index)
    for index, item in enumerate(_list(data, "users", "fixture")):
        _add_user(world, item, "users[%d]" % index)
    for index, item in enumerate(_list(data, "accounts", "fixture")):
        add_account(world, item, "accounts[%d]" % index)
    for index, item in enumerate(_list(data, "instances", "fixture")):
        _add_instance(world, item, "instances[%d]" % index, now)
    return world


def parse_settings(values, base, where):
    """Validate a (partial) settings mapping and return ``base`` updated with it."""
    _check_mapping(values, where, required=(), optional=tuple(base))
    settings = dict(base)
    for key, value in values.items():
        if not _is_int(value) or value < 0:
            raise FixtureError("%s.%s must be an integer >= 0 (seconds, or days for number_expiry_days)" % (where, key))
        settings[key] = value
    return settings


def _parse_group(item, where):
    """A number group of the shop."""
    _check_mapping(item, where, required=("groupId", "country", "countryId", "city", "type", "areaCode", "cost", "capabilities", "stock",
                                          "next_number"), optional=())
    amount, currency_id = _parse_money(item["cost"], where + ".cost")
    return NumberGroup(
        group_id=_int(item, "groupId", where),
        country=_str(item, "country", where),
        country_id=_str(item, "countryId", where),
        city=_str(item, "city", where),
        group_type=_str(item, "type", where),
        area_code=_str(item, "areaCode", where),
        cost=amount,
        currency_id=currency_id,
        capabilities=_capabilities(item["capabilities"], where + ".capabilities"),
        stock=_int(item, "stock", where, minimum=0),
        next_number=_int(item, "next_number", where, minimum=1),
    )


def _add_organisation(world, item, where):
    """An organisation with its rented numbers."""
    _check_mapping(item, where, required=("id", "credit"), optional=ORG_DETAIL_KEYS + ("accounting", "applications", "numbers"))
    org_id = _int(item, "id", where)
    _unique(world.organisations, org_id, where + ".id")
    details = {}
    for key in ORG_DETAIL_KEYS:
        if item.get(key) is not None:
            details[key] = _str(item, key, where)
    credit, currency_id = _parse_money(item["credit"], where + ".credit")
    accounting = item.get("accounting", True)
    if not isinstance(accounting, bool):
        raise FixtureError("%s.accounting must be true or false" % where)
    applications = []
    for index, key in enumerate(_list(item, "applications", where)):
        if not isinstance(key, str) or not key:
            raise FixtureError("%s.applications[%d] must be a non-empty string" % (where, index))
        if key in applications or world.application_owner(key) is not None:
            raise FixtureError("%s.applications[%d]: application %s is listed twice" % (where, index, key))
        applications.append(key)
    org = Organisation(org_id, details, credit, currency_id, accounting, applications)
    world.organisations[org_id] = org
    for index, number_item in enumerate(_list(item, "numbers", where)):
        number = _parse_number(world, org, number_item, "%s.numbers[%d]" % (where, index))
        if number.number in world.all_numbers():
            raise FixtureError("%s.numbers[%d]: number %d is rented twice" % (where, index, number.number))
        org.numbers[number.number] = number


def add_account(world, item, where):
    """An account: an organisation (the keys of ``organisations``) and its log-in (``email``, ``password``,
    optional ``user_id``), added to ``world`` as one organisation and one user. Returns the new user.

    The world is left unchanged when the account is refused (FixtureError).
    """
    _check_mapping(item, where, required=("id", "credit", "email", "password"), optional=ORG_KEYS + ACCOUNT_LOGIN_KEYS)
    user_id = item.get("user_id")
    if user_id is None:
        user_id = max([user.user_id for user in world.users] + [100000000]) + 1
    user = {"id": user_id, "organisation_id": item["id"], "password": item["password"],
            "identities": [{"type": "email", "endpoint": item["email"]}]}
    organisation = dict((key, value) for key, value in item.items() if key in ORG_KEYS)
    # Check the log-in first, so that a refused account adds no organisation either.
    if not isinstance(item["email"], str) or not item["email"]:
        raise FixtureError("%s.email must be a non-empty string" % where)
    if any(other.has_identity("email", item["email"]) for other in world.users):
        raise FixtureError("%s.email: identity email %s belongs to another user" % (where, item["email"]))
    if not _is_int(user_id) or any(other.user_id == user_id for other in world.users):
        raise FixtureError("%s.user_id must be an integer no other user has" % where)
    before = dict(world.organisations)
    try:
        _add_organisation(world, organisation, where)
        _add_user(world, user, where)
    except FixtureError:
        world.organisations.clear()
        world.organisations.update(before)
        raise
    return world.users[-1]


def _parse_number(world, org, item, where):
    """A rented number; the fields it omits are taken from its number group."""
    _check_mapping(item, where, required=("number", "groupId"),
                   optional=("capabilities", "applicationKey", "countryId", "city", "country", "areaCode", "expires", "cost"))
    group_id = _int(item, "groupId", where)
    group = world.groups.get(group_id)
    if group is None:
        raise FixtureError("%s.groupId: no number group %d" % (where, group_id))
    application_key = item.get("applicationKey")
    if application_key is not None and application_key not in org.applications:
        raise FixtureError("%s.applicationKey: %r is not an application of organisation %d" % (where, application_key, org.org_id))
    cost, currency_id = group.cost, group.currency_id
    if "cost" in item:
        cost, currency_id = _parse_money(item["cost"], where + ".cost")
    capabilities = group.capabilities
    if "capabilities" in item:
        capabilities = _capabilities(item["capabilities"], where + ".capabilities")
    return RentedNumber(
        number=_int(item, "number", where, minimum=1),
        group_id=group_id,
        capabilities=list(capabilities),
        country_id=_str(item, "countryId", where, default=group.country_id),
        city=_str(item, "city", where, default=group.city),
        country=_str(item, "country", where, default=group.country),
        area_code=_str(item, "areaCode", where, default=group.area_code),
        expires=_expires(item.get("expires"), where + ".expires"),
        cost=cost,
        currency_id=currency_id,
        application_key=application_key,
    )


def _add_user(world, item, where):
    """A user who can log in."""
    _check_mapping(item, where, required=("id", "organisation_id", "password", "identities"), optional=("profile",))
    org_id = _int(item, "organisation_id", where)
    if org_id not in world.organisations:
        raise FixtureError("%s.organisation_id: no organisation %d" % (where, org_id))
    identities = []
    for index, identity in enumerate(_list(item, "identities", where)):
        spot = "%s.identities[%d]" % (where, index)
        _check_mapping(identity, spot, required=("type", "endpoint"), optional=())
        if identity["type"] not in IDENTITY_TYPES:
            raise FixtureError("%s.type must be one of %s" % (spot, ", ".join(IDENTITY_TYPES)))
        endpoint = _str(identity, "endpoint", spot)
        if any(user.has_identity(identity["type"], endpoint) for user in world.users):
            raise FixtureError("%s: identity %s %s belongs to two users" % (spot, identity["type"], endpoint))
        identities.append({"type": identity["type"], "endpoint": endpoint})
    profile = item.get("profile") or {}
    if not isinstance(profile, dict):
        raise FixtureError("%s.profile must be a mapping" % where)
    user_id = _int(item, "id", where)
    if any(user.user_id == user_id for user in world.users):
        raise FixtureError("%s.id: user %d is defined twice" % (where, user_id))
    world.users.append(User(user_id, org_id, _str(item, "password", where), identities, profile))


def _add_instance(world, item, where, now):
    """A ready-made instance (e.g. the seed's example id and secret) for sandbox use."""
    _check_mapping(item, where, required=("id", "secret", "user_id"), optional=("expires_in",))
    secret = _str(item, "secret", where)
    try:
        base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FixtureError("%s.secret is not Base64: %s" % (where, exc)) from exc
    user_id = _int(item, "user_id", where)
    users = [user for user in world.users if user.user_id == user_id]
    if not users:
        raise FixtureError("%s.user_id: no user %d" % (where, user_id))
    expires_in = item.get("expires_in", world.settings["instance_ttl"])
    if not _is_number(expires_in):
        raise FixtureError("%s.expires_in must be a number" % where)
    instance_id = _str(item, "id", where)
    _unique(world.instances, instance_id, where + ".id")
    world.instances[instance_id] = Instance(instance_id, secret, user_id, users[0].organisation_id, now + expires_in)


def _parse_money(item, where):
    """A Money mapping: (Decimal amount, currencyId)."""
    _check_mapping(item, where, required=("amount", "currencyId"), optional=())
    if not _is_number(item["amount"]):
        raise FixtureError("%s.amount must be a number" % where)
    return to_decimal(item["amount"]), _str(item, "currencyId", where)


def _capabilities(value, where):
    """A non-empty list of distinct capabilities (voice, sms)."""
    if not isinstance(value, list) or not value:
        raise FixtureError("%s must be a non-empty list" % where)
    for capability in value:
        if capability not in CAPABILITIES:
            raise FixtureError("%s: %r is not one of %s" % (where, capability, ", ".join(CAPABILITIES)))
    if len(set(value)) != len(value):
        raise FixtureError("%s lists a capability twice" % where)
    return list(value)


def _expires(value, where):
    """The ``expires`` of a rented number: a string, or a YAML timestamp turned into one."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return format_offset_utc(value.timestamp())
    raise FixtureError("%s must be a string like 2015-12-31T23:59:59+00:00" % where)


def _check_mapping(item, where, required, optional):
    """Fail unless ``item`` is a mapping with all required keys and no unknown key."""
    if not isinstance(item, dict):
        raise FixtureError("%s must be a mapping" % where)
    missing = [key for key in required if key not in item]
    if missing:
        raise FixtureError("%s is missing %s" % (where, ", ".join(missing)))
    unknown = sorted(str(key) for key in item if key not in required and key not in optional)
    if unknown:
        raise FixtureError("%s has unknown key(s) %s" % (where, ", ".join(unknown)))


def _list(item, key, where):
    """An optional list (missing or null = empty)."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FixtureError("%s.%s must be a list" % (where, key))
    return value


def _unique(existing, key, where):
    """Fail when ``key`` is already defined."""
    if key in existing:
        raise FixtureError("%s: %r is defined twice" % (where, key))


def _is_int(value):
    """A real integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    """An int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _int(item, key, where, minimum=None):
    """A required integer field."""
    value = item.get(key)
    if not _is_int(value) or (minimum is not None and value < minimum):
        raise FixtureError("%s.%s must be an integer%s" % (where, key, "" if minimum is None else " >= %d" % minimum))
    return value


def _str(item, key, where, default=None):
    """A string field; required unless a default is given."""
    value = item.get(key, default)
    if not isinstance(value, str):
        raise FixtureError("%s.%s must be a string" % (where, key))
    return value
