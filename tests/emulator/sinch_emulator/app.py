"""One Flask application per Sinch host, all sharing one Emulator.

Per non-admin request: faults are applied first (before_request), the route
handler runs with the state lock held, and the answer (possibly replaced by a
fault) is logged in after_request. Admin routes (/_admin/...) skip both.
"""

import json
import os
import socket
import time

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound

from . import numbers, session, shop
from .accounts import request_organisation
from .admin import create_admin_blueprint
from .errors import ApiError, error_body, status_for
from .faults import NON_JSON_BODY

HOSTS = ("userapi", "api", "portalapi")
ADMIN_PREFIX = "/_admin"
DROP_KEY = "sinch_emulator.drop"
# Faults that rewrite a 200 JSON list answer after the request was handled (the state is not changed).
LIST_REWRITES = ("omit_number", "omit_capabilities", "omit_fields", "set_fields")

_SHOP = "/v1/organisations/id/<org_segment>/numbers/shop"
_APP_NUMBER = "/v1/applications/key/<application_key>/numbers/<%s>"

# host -> (rule, method, handler(emulator, request, **path variables))
ROUTES = {
    "userapi": (
        ("/v1/users/<identity_type>/<identity>/authentication", "POST", session.login),
    ),
    "api": (
        ("/v1/instance", "POST", session.create_instance),
        ("/v1/organisations", "GET", session.get_organisation),
    ),
    "portalapi": (
        (_SHOP, "GET", shop.list_groups),
        (_SHOP, "PUT", shop.reserve),
        (_SHOP, "POST", shop.checkout),
        ("/v1/organisations/id/<org_segment>/numbers", "GET", numbers.list_rented),
        ("/v1/applications/key/<application_key>/numbers", "GET", numbers.list_application),
        (_APP_NUMBER % "capability", "PUT", numbers.overwrite),
        (_APP_NUMBER % "number_segment", "DELETE", numbers.unassign),
    ),
}


def json_response(data, status=200, headers=None):
    """A compact JSON answer."""
    return Response(json.dumps(data, separators=(",", ":")), status=status, headers=headers, mimetype="application/json")


def error_response(error_code, message, headers=None, status=None):
    """An error answer: ``{"errorCode", "message"}`` with the status taken from the code unless given."""
    return json_response(error_body(error_code, message), status or status_for(error_code), headers)


def no_content():
    """204 with no body and no Content-Type."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def is_admin_path(path):
    """True for /_admin and everything under it."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def create_app(host, emulator):
    """The Flask application of one host (userapi, api or portalapi)."""
    if host not in HOSTS:
        raise ValueError("unknown host %r" % (host,))
    app = Flask("sinch_emulator." + host, root_path=os.path.dirname(os.path.abspath(__file__)))
    app.url_map.merge_slashes = False  # "/v1//instance" is a 404, not a redirect
    app.extensions["sinch_emulator"] = emulator
    for rule, method, handler in ROUTES[host]:
        app.add_url_rule(rule, endpoint=handler.__name__, view_func=_locked_view(emulator, handler), methods=[method],
                         provide_automatic_options=False)
    app.register_blueprint(create_admin_blueprint(emulator), url_prefix=ADMIN_PREFIX)
    app.before_request(lambda: _apply_fault_before(emulator, host))
    app.after_request(lambda response: _finish(emulator, host, response))
    _register_error_handlers(app, host)
    app.wsgi_app = DropConnectionMiddleware(app.wsgi_app)
    return app


def _locked_view(emulator, handler):
    """Wrap a route handler: run it with the state lock held, turn its result into a response."""
    def view(**path_variables):
        with emulator.lock:
            result = handler(emulator, request, **path_variables)
        return no_content() if result is None else json_response(result)
    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _register_error_handlers(app, host):
    """Every error is answered as JSON ``{"errorCode", "message"}``."""
    @app.errorhandler(ApiError)
    def api_error(exc):
        return error_response(exc.error_code, exc.message, exc.headers)

    @app.errorhandler(NotFound)
    def not_found(_exc):
        return error_response(40400, "No resource matches %s %s on this host (%s)." % (request.method, request.path, host))

    @app.errorhandler(MethodNotAllowed)
    def method_not_allowed(exc):
        headers = {"Allow": ", ".join(exc.valid_methods or ())}
        return error_response(40500, "The requested resource does not support http method '%s'." % request.method, headers)

    @app.errorhandler(InternalServerError)
    def internal_error(_exc):
        # Flask has already logged the original exception with its traceback.
        return error_response(50000, "An internal error occurred in the emulator.")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return error_response(exc.code * 100, exc.description or exc.name)


def _apply_fault_before(emulator, host):
    """Take the first matching fault and apply its "before" part; may answer instead of the route."""
    g.fault = None
    g.organisation_id = None
    if is_admin_path(request.path):
        return None
    with emulator.lock:
        g.organisation_id = request_organisation(emulator, request)
        fault = emulator.faults.take(host, request.method, request.path, g.organisation_id)
        if fault is not None and fault.action == "expire_reservations":
            emulator.expire_all_reservations(fault.group_id, fault.organisation_id)
    g.fault = fault
    if fault is None:
        return None
    if fault.action == "latency":
        time.sleep(fault.seconds)  # outside the lock: other requests go on meanwhile
    elif fault.action == "error":
        status, body, headers = fault.error_parts()
        return json_response(body, status, headers)
    elif fault.action == "drop_before":
        request.environ[DROP_KEY] = True
        return Response(status=500)  # never sent: the connection is closed instead
    elif fault.action == "html_error":
        status, page, headers = fault.html_parts()
        return Response(page, status=status, headers=headers, mimetype="text/html")
    return None


def _finish(emulator, host, response):
    """Apply the "after" part of a fault, then log the request (admin requests are not logged)."""
    if is_admin_path(request.path):
        return response
    fault = g.get("fault")
    if fault is not None and fault.action == "error_after":
        status, body, headers = fault.error_parts()
        response = json_response(body, status, headers)
    elif fault is not None and fault.action == "drop_after":
        request.environ[DROP_KEY] = True
    elif fault is not None and fault.action in LIST_REWRITES:
        data = response.get_json(silent=True) if response.status_code == 200 and response.is_json else None
        if isinstance(data, list):
            response = json_response(fault.rewrite_list(data), response.status_code)
    elif fault is not None and fault.action == "non_json_after":
        response = Response(NON_JSON_BODY, status=fault.status, mimetype="text/html")
    elif fault is not None and fault.action == "other_writer_after":
        with emulator.lock:
            _other_writer(emulator, fault)
    dropped = bool(request.environ.get(DROP_KEY))
    error_code = None
    if not dropped and response.status_code >= 400 and response.is_json:
        error_code = (response.get_json(silent=True) or {}).get("errorCode")
    with emulator.lock:
        emulator.requests.append(
            host=host,
            method=request.method,
            path=request.path,
            query=request.args.to_dict(flat=True),
            status=None if dropped else response.status_code,
            error_code=error_code,
            raw_body=request.get_data(cache=True),
            fault=fault.action if fault is not None else None,
            organisation_id=g.get("organisation_id"),
        )
    return response


def _other_writer(emulator, fault):
    """Another writer, after this request was answered: put ``fault.number`` on ``fault.application_key`` (None: off)."""
    for org in emulator.world.organisations.values():
        rented = org.numbers.get(fault.number)
        if rented is not None:
            rented.application_key = fault.application_key
            return


class _DroppedBody:
    """The body of a dropped request: iterating it raises ConnectionAbortedError, which Werkzeug treats as a client that went away."""

    def __iter__(self):
        raise ConnectionAbortedError("connection dropped by an emulator fault")


class DropConnectionMiddleware:
    """Close the client's TCP connection, without an answer, for requests marked by a drop fault.

    The Werkzeug development server exposes the client socket as
    ``environ["werkzeug.socket"]``. It is shut down (the client sees the
    connection closed with no answer), then the response iterator raises
    ConnectionAbortedError, which the server handles quietly as a dropped
    connection: no traceback, no crash of the server thread.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        result = self.wsgi_app(environ, start_response)
        if not environ.get(DROP_KEY):
            return result
        if hasattr(result, "close"):
            result.close()
        client = environ.get("werkzeug.socket")
        if client is not None:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the client has already gone: nothing left to drop
        return _DroppedBody()
