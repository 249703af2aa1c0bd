"""The admin API (/_admin/...): served on every port, never logged, never faulted, no auth."""

import json

from flask import Blueprint, Response, request

from .errors import FixtureError, error_body
from .fixture import add_account, parse_settings
from .models import to_decimal
from .timeutil import format_zulu


def _answer(data, status=200):
    """A JSON answer (indented: the admin API is read by people too)."""
    return Response(json.dumps(data, indent=2, sort_keys=False), status=status, mimetype="application/json")


def _bad(message):
    """400 with the usual error shape."""
    return _answer(error_body(40001, message), 400)


def _body():
    """The JSON object sent, {} when there is no body; ValueError otherwise."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    value = json.loads(raw.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    return value


def _is_number(value):
    """An int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def create_admin_blueprint(emulator):
    """The admin routes, bound to one Emulator."""
    admin = Blueprint("admin", __name__)

    @admin.route("/health", methods=["GET"])
    def health():
        """Liveness: {"status": "ok"}."""
        return _answer({"status": "ok"})

    @admin.route("/state", methods=["GET"])
    def state():
        """The whole state, deterministic order."""
        with emulator.lock:
            return _answer(emulator.snapshot())

    @admin.route("/secrets", methods=["GET"])
    def secrets():
        """Every user authorization and instance secret issued so far, so tests can prove none leaked."""
        with emulator.lock:
            return _answer({
                "user_authorizations": sorted(emulator.world.tokens),
                "instance_secrets": sorted(instance.secret for instance in emulator.world.instances.values()),
            })

    @admin.route("/reset", methods=["POST"])
    def reset():
        """Reload a fixture (default: the start one); clears log, faults, instances, reservations, clock offset."""
        try:
            body = _body()
            if set(body) - {"fixture", "fixture_data"}:
                raise ValueError("reset accepts fixture (a path) or fixture_data (an object) only")
            if body.get("fixture") is not None and not isinstance(body["fixture"], str):
                raise ValueError("fixture must be a path")
            emulator.reset(fixture_path=body.get("fixture"), fixture_data=body.get("fixture_data"))
        except (ValueError, FixtureError) as exc:
            return _bad(str(exc))
        with emulator.lock:
            return _answer(emulator.snapshot())

    @admin.route("/settings", methods=["POST"])
    def settings():
        """Partial settings update, e.g. {"reservation_ttl": 1}."""
        try:
            body = _body()
            with emulator.lock:
                emulator.world.settings = parse_settings(body, emulator.world.settings, "settings")
                return _answer(emulator.world.settings)
        except (ValueError, FixtureError) as exc:
            return _bad(str(exc))

    @admin.route("/clock", methods=["POST"])
    def clock():
        """{"offset_seconds": N} sets the clock offset, {"advance_seconds": N} adds to it."""
        try:
            body = _body()
        except ValueError as exc:
            return _bad(str(exc))
        unknown = sorted(set(body) - {"offset_seconds", "advance_seconds"})
        if unknown or not all(_is_number(value) for value in body.values()):
            return _bad("expected {\"offset_seconds\": number} and/or {\"advance_seconds\": number}")
        with emulator.lock:
            if "offset_seconds" in body:
                emulator.clock_offset = float(body["offset_seconds"])
            emulator.clock_offset += float(body.get("advance_seconds", 0))
            return _answer({"offset_seconds": emulator.clock_offset, "now": format_zulu(emulator.now())})

    @admin.route("/organisations/<int:org_id>", methods=["POST"])
    def organisation(org_id):
        """Partial update: {"credit": amount or {"amount": N}, "accounting": bool}."""
        try:
            body = _body()
        except ValueError as exc:
            return _bad(str(exc))
        with emulator.lock:
            org = emulator.world.organisations.get(org_id)
            if org is None:
                return _answer(error_body(40400, "no organisation %d" % org_id), 404)
            problem = _update_organisation(org, body)
            if problem:
                return _bad(problem)
            return _answer(org.snapshot())

    @admin.route("/requests", methods=["GET", "DELETE"])
    def requests_log():
        """GET: the request log; DELETE: clear it."""
        with emulator.lock:
            if request.method == "DELETE":
                emulator.requests.clear()
                return _answer({"cleared": True})
            return _answer(emulator.requests.to_json())

    @admin.route("/faults", methods=["GET", "POST", "DELETE"])
    def faults():
        """GET: active faults; POST: add one; DELETE: clear all."""
        with emulator.lock:
            if request.method == "GET":
                return _answer(emulator.faults.to_json())
            if request.method == "DELETE":
                return _answer({"cleared": emulator.faults.clear()})
            try:
                fault = emulator.faults.add(_body())
            except ValueError as exc:
                return _bad(str(exc))
            return _answer(fault.to_json(), 201)

    _add_account_routes(admin, emulator)
    register_number_route(admin, emulator)
    return admin


def _add_account_routes(admin, emulator):
    """POST /_admin/accounts: one more account (an organisation and its log-in), as in a fixture's ``accounts``."""

    @admin.route("/accounts", methods=["POST"])
    def accounts():
        """Create one account: the keys of a fixture's organisation plus email, password and optional user_id."""
        try:
            body = _body()
            with emulator.lock:
                user = add_account(emulator.world, body, "account")
                org = emulator.world.organisations[user.organisation_id]
                return _answer({"user_id": user.user_id, "organisation": org.snapshot()}, 201)
        except (ValueError, FixtureError) as exc:
            return _bad(str(exc))


def _update_organisation(org, body):
    """Apply an admin organisation update; return an error message, or None when applied."""
    unknown = sorted(set(body) - {"credit", "accounting"})
    if unknown:
        return "unknown key(s): %s" % ", ".join(unknown)
    accounting = body.get("accounting", org.accounting)
    if not isinstance(accounting, bool):
        return "accounting must be true or false"
    credit = org.credit
    if "credit" in body:
        value = body["credit"]
        if isinstance(value, dict):
            if set(value) - {"amount", "currencyId"} or value.get("currencyId", org.currency_id) != org.currency_id:
                return "credit accepts amount (and the organisation's own currencyId) only"
            value = value.get("amount")
        if not _is_number(value):
            return "credit must be a number or {\"amount\": number}"
        credit = to_decimal(value)
    org.accounting = accounting
    org.credit = credit
    return None


def _update_number(rented, body, organisation):
    """Apply an admin number update (what a person does in the dashboard); an error message, or None when applied."""
    unknown = sorted(set(body) - {"application_key", "expires"})
    if unknown or not body:
        return "expected {\"application_key\": key or null} and / or {\"expires\": text}"
    key = body.get("application_key", rented.application_key)
    if key is not None and key not in organisation.applications:
        return "application_key must be an application of organisation %d, or null" % organisation.org_id
    expires = body.get("expires", rented.expires)
    if expires is not None and (not isinstance(expires, str) or not expires.strip()):
        return "expires must be a date-time text (as the API writes it), or null"
    rented.application_key = key
    rented.expires = expires
    return None


def register_number_route(admin, emulator):
    """POST /_admin/numbers/<number>: take a number off its application, put it on one, or set its expiry."""

    @admin.route("/numbers/<int:number>", methods=["POST"])
    def number(number):
        try:
            body = _body()
        except ValueError as exc:
            return _bad(str(exc))
        with emulator.lock:
            for org in emulator.world.organisations.values():
                rented = org.numbers.get(number)
                if rented is not None:
                    problem = _update_number(rented, body, org)
                    return _bad(problem) if problem else _answer(rented.to_api())
            return _answer(error_body(40400, "no organisation rents %d" % number), 404)
