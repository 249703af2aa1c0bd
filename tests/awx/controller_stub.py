"""A recording stand-in of the AWX / Automation Platform controller API, for loading extensions/awx.

Just what the awx.awx modules credential_type, credential, job_template and workflow_job_template
send, answered as AWX answers it, every request recorded (``Controller.requests``) and every
object kept (``Controller.objects``), standard library only:

* ``POST /api/v2/tokens/`` with basic auth (the log-in of CONTROLLER_USERNAME / CONTROLLER_PASSWORD)
  gives a token; every other request must carry it (``Authorization: Bearer``), else 401;
  ``DELETE /api/v2/tokens/<id>/`` (the modules' log-out) revokes it.
* ``GET /api/v2/<collection>/?field=value`` lists by the filters the modules use (name,
  identifier, type, organization, workflow_job_template, credential_type, id, or__id, or__name);
  any other filter is a 400. ``unified_job_templates`` lists job templates, workflow job templates
  and approval templates, each with its ``type``.
* ``POST /api/v2/<collection>/`` creates (201), ``PATCH /api/v2/<collection>/<id>/`` updates
  (200), each with the fields AWX knows for that object only (an unknown field is a 400, stricter
  than AWX, which ignores it, so a misspelt key in a file fails the load), and AWX's checks where
  the files could be wrong: a custom credential type's kind, inputs and injectors (rendered with
  the inputs, as AWX does); a credential's inputs against its type; a survey spec; a node's prompts
  (a job type on a node needs the job template's ask_job_type_on_launch); identifiers unique in a
  workflow; references to existing objects.
* ``GET|POST .../survey_spec/``, ``POST /api/v2/workflow_job_template_nodes/<id>/create_approval_template/``,
  and the associations ``.../credentials/`` of a job template and ``.../success_nodes/``,
  ``.../failure_nodes/``, ``.../always_nodes/`` of a node (``{"id": N}`` links, with
  ``"disassociate": true`` unlinks; a node linked twice from one parent, to itself, to another
  workflow's node or into a cycle is a 400).

Seeded with the organization ``Default`` (id 1), the project ``Sinch numbers`` and the inventory
``Demo Inventory``, and the log-in ``admin`` / ``stub-password``.

    python tests/awx/controller_stub.py --port 0     # prints "controller stub ready: http://..."
"""

import argparse
import base64
import itertools
import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

USERNAME = "admin"
PASSWORD = "stub-password"
API = "/api/v2/"

# collection -> (type, fields a client may write)
KINDS = {
    "organizations": ("organization", {"name", "description"}),
    "projects": ("project", {"name", "description", "organization"}),
    "inventories": ("inventory", {"name", "description", "organization"}),
    "execution_environments": ("execution_environment", {"name", "description", "image", "organization"}),
    "credential_types": ("credential_type", {"name", "description", "kind", "inputs", "injectors", "managed"}),
    "credentials": ("credential", {"name", "description", "organization", "credential_type", "inputs", "user", "team"}),
    "job_templates": ("job_template", {
        "name", "description", "organization", "job_type", "inventory", "project", "playbook", "execution_environment",
        "scm_branch", "forks", "limit", "verbosity", "extra_vars", "job_tags", "force_handlers", "skip_tags",
        "start_at_task", "timeout", "use_fact_cache", "host_config_key", "ask_scm_branch_on_launch",
        "ask_diff_mode_on_launch", "ask_variables_on_launch", "ask_limit_on_launch", "ask_tags_on_launch",
        "ask_skip_tags_on_launch", "ask_job_type_on_launch", "ask_verbosity_on_launch", "ask_inventory_on_launch",
        "ask_credential_on_launch", "ask_execution_environment_on_launch", "ask_forks_on_launch",
        "ask_instance_groups_on_launch", "ask_job_slice_count_on_launch", "ask_labels_on_launch",
        "ask_timeout_on_launch", "survey_enabled", "become_enabled", "diff_mode", "allow_simultaneous",
        "custom_virtualenv", "job_slice_count", "webhook_service", "webhook_credential",
        "prevent_instance_group_fallback"}),
    "workflow_job_templates": ("workflow_job_template", {
        "name", "description", "organization", "extra_vars", "survey_enabled", "allow_simultaneous", "inventory",
        "limit", "scm_branch", "ask_inventory_on_launch", "ask_scm_branch_on_launch", "ask_limit_on_launch",
        "ask_variables_on_launch", "ask_labels_on_launch", "ask_tags_on_launch", "ask_skip_tags_on_launch",
        "webhook_service", "webhook_credential", "job_tags", "skip_tags"}),
    "workflow_job_template_nodes": ("workflow_job_template_node", {
        "workflow_job_template", "unified_job_template", "identifier", "extra_data", "scm_branch", "job_type",
        "job_tags", "skip_tags", "limit", "diff_mode", "verbosity", "forks", "job_slice_count", "timeout",
        "all_parents_must_converge", "inventory", "execution_environment"}),
    "workflow_approval_templates": ("workflow_approval_template", {"name", "description", "timeout"}),
}
REFERENCES = {  # field -> the collection its id must be in
    "organization": "organizations", "project": "projects", "inventory": "inventories",
    "execution_environment": "execution_environments", "credential_type": "credential_types",
    "workflow_job_template": "workflow_job_templates",
}
FILTERS = {"name", "identifier", "type", "organization", "workflow_job_template", "credential_type", "id",
           "or__id", "or__name", "or__identifier"}
LINKS = ("success_nodes", "failure_nodes", "always_nodes")
# A node's prompt -> the flag of its job template that allows it.
PROMPTS = {
    "job_type": "ask_job_type_on_launch", "inventory": "ask_inventory_on_launch", "limit": "ask_limit_on_launch",
    "scm_branch": "ask_scm_branch_on_launch", "job_tags": "ask_tags_on_launch", "skip_tags": "ask_skip_tags_on_launch",
    "diff_mode": "ask_diff_mode_on_launch", "verbosity": "ask_verbosity_on_launch", "forks": "ask_forks_on_launch",
    "job_slice_count": "ask_job_slice_count_on_launch", "timeout": "ask_timeout_on_launch",
    "execution_environment": "ask_execution_environment_on_launch",
}
SURVEY_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}
# awx.awx.workflow_job_template sends a node's identifier and workflow along with its approval
# template's fields; AWX ignores them there.
APPROVAL_IGNORED = ("identifier", "workflow_job_template")
UNIFIED = ("job_templates", "workflow_job_templates", "workflow_approval_templates")


class Invalid(Exception):
    """A 400 answer: {field: [message]}."""

    def __init__(self, field, message):
        super().__init__(message)
        self.body = {field: [message]}


class Controller:
    """The objects and the request log; one lock around both (the server is threaded)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.objects = {name: {} for name in KINDS}
        self.surveys = {}          # (collection, id) -> spec
        self.links = {}            # (collection, id, relation) -> [ids]
        self.tokens = {}           # token -> id
        self.ids = itertools.count(1)
        self.token_ids = itertools.count(1)
        self.create("organizations", {"name": "Default"})
        self.create("projects", {"name": "Sinch numbers", "organization": 1})
        self.create("inventories", {"name": "Demo Inventory", "organization": 1})

    # --- objects ------------------------------------------------------------------------
    def url(self, collection, ident):
        return "%s%s/%d/" % (API, collection, ident)

    def render(self, collection, item):
        kind = KINDS[collection][0]
        related = {}
        if collection in ("job_templates", "workflow_job_templates"):
            related["survey_spec"] = self.url(collection, item["id"]) + "survey_spec/"
        if collection == "job_templates":
            related["credentials"] = self.url(collection, item["id"]) + "credentials/"
        if collection == "workflow_job_template_nodes":
            for relation in LINKS:
                related[relation] = self.url(collection, item["id"]) + relation + "/"
            related["create_approval_template"] = self.url(collection, item["id"]) + "create_approval_template/"
            ujt = item.get("unified_job_template")
            if ujt is not None:
                related["unified_job_template"] = self.url(self.unified_collection(ujt), ujt)
        result = dict(item, type=kind, url=self.url(collection, item["id"]), related=related, summary_fields={})
        if collection == "workflow_job_template_nodes":
            for relation in LINKS:
                result[relation] = list(self.links.get((collection, item["id"], relation), []))
        return result

    def unified_collection(self, ident):
        for collection in UNIFIED:
            if ident in self.objects[collection]:
                return collection
        return None

    def check_fields(self, collection, data, partial=False, ignored=()):
        allowed = KINDS[collection][1]
        for field in data:
            if field not in allowed and field not in ignored:
                raise Invalid(field, "%s is not a field a client may set on a %s" % (field, KINDS[collection][0]))
        for field, target in REFERENCES.items():
            if field in allowed and data.get(field) is not None and data[field] not in self.objects[target]:
                raise Invalid(field, 'Invalid pk "%s" - object does not exist.' % data[field])
        if not partial and "name" in allowed and collection != "workflow_job_template_nodes" and not data.get("name"):
            raise Invalid("name", "This field is required.")

    def create(self, collection, data, ignored=()):
        self.check_fields(collection, data, ignored=ignored)
        data = {key: value for key, value in data.items() if key not in ignored}
        self.validate(collection, data, None)
        ident = next(self.ids)
        item = dict(data, id=ident)
        self.objects[collection][ident] = item
        return self.render(collection, item)

    def update(self, collection, ident, data, ignored=()):
        self.check_fields(collection, data, partial=True, ignored=ignored)
        data = {key: value for key, value in data.items() if key not in ignored}
        merged = dict(self.objects[collection][ident], **data)
        self.validate(collection, merged, ident)
        self.objects[collection][ident] = merged
        return self.render(collection, merged)

    def validate(self, collection, item, ident):
        others = [other for key, other in self.objects[collection].items() if key != ident]
        if collection == "workflow_job_template_nodes":
            self.validate_node(item, others)
        elif any(other.get("name") == item.get("name") and other.get("organization") == item.get("organization")
                 for other in others) and collection != "workflow_approval_templates":
            raise Invalid("__all__", "A %s with this name and organization already exists." % KINDS[collection][0])
        if collection == "credential_types":
            validate_credential_type(item)
        if collection == "credentials":
            validate_credential(item, self.objects["credential_types"][item["credential_type"]])
        if collection == "job_templates":
            if item.get("job_type", "run") not in ("run", "check"):
                raise Invalid("job_type", '"%s" is not a valid choice.' % item["job_type"])
            if not item.get("playbook") or item.get("project") is None:
                raise Invalid("playbook", "A job template needs a project and a playbook.")
        if collection in ("job_templates", "workflow_job_templates") and "extra_vars" in item:
            try:
                json.loads(item["extra_vars"] or "{}")
            except (TypeError, ValueError) as error:
                raise Invalid("extra_vars", "Not JSON: %s" % error) from None

    def validate_node(self, node, others):
        if not node.get("identifier"):
            raise Invalid("identifier", "This field may not be blank.")
        if any(other["workflow_job_template"] == node["workflow_job_template"]
               and other.get("identifier") == node["identifier"] for other in others):
            raise Invalid("__all__", "Workflow job template node with this Workflow job template and Identifier "
                                     "already exists.")
        ujt = node.get("unified_job_template")
        if ujt is None:
            return
        collection = self.unified_collection(ujt)
        if collection is None:
            raise Invalid("unified_job_template", 'Invalid pk "%s" - object does not exist.' % ujt)
        template = self.objects[collection][ujt]
        for prompt, flag in PROMPTS.items():
            if node.get(prompt) not in (None, "", [], {}) and not template.get(flag):
                raise Invalid(prompt, "Field is not configured to prompt on launch.")
        if node.get("job_type") not in (None, "run", "check"):
            raise Invalid("job_type", '"%s" is not a valid choice.' % node["job_type"])
        if node.get("extra_data") and not (template.get("ask_variables_on_launch") or template.get("survey_enabled")):
            raise Invalid("extra_data", "Variables are not prompted on launch and there is no survey.")

    # --- links -------------------------------------------------------------------------
    def link(self, collection, ident, relation, child, disassociate):
        key = (collection, ident, relation)
        current = self.links.setdefault(key, [])
        if disassociate:
            if child in current:
                current.remove(child)
            return
        if collection == "job_templates":
            if child not in self.objects["credentials"]:
                raise Invalid("id", 'Invalid pk "%s" - object does not exist.' % child)
        else:
            nodes = self.objects["workflow_job_template_nodes"]
            if child not in nodes or nodes[child]["workflow_job_template"] != nodes[ident]["workflow_job_template"]:
                raise Invalid("id", "A node can only link to a node of its own workflow.")
            if child == ident:
                raise Invalid("__all__", "Cycle detected.")
            for other in LINKS:
                if other != relation and child in self.links.get((collection, ident, other), []):
                    raise Invalid("__all__", "Multiple edges between the same nodes are not allowed.")
            if self.reaches(child, ident):
                raise Invalid("__all__", "Cycle detected.")
        if child not in current:
            current.append(child)

    def reaches(self, start, goal):
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node in seen:
                continue
            seen.add(node)
            for relation in LINKS:
                todo.extend(self.links.get(("workflow_job_template_nodes", node, relation), []))
        return False

    def children(self, node_id, relation):
        return list(self.links.get(("workflow_job_template_nodes", node_id, relation), []))

    # --- queries for tests -------------------------------------------------------------
    def find(self, collection, **fields):
        return [self.render(collection, item) for item in self.objects[collection].values()
                if all(item.get(key) == value for key, value in fields.items())]

    def sent(self, method, path_pattern):
        """The recorded requests with this method whose path matches the regular expression."""
        return [entry for entry in self.requests if entry["method"] == method and re.fullmatch(path_pattern, entry["path"])]


def validate_credential_type(item):
    if item.get("managed"):
        raise Invalid("managed", "A custom credential type cannot be managed.")
    if item.get("kind") not in ("cloud", "net"):
        raise Invalid("kind", "Must be 'cloud' or 'net', not %s" % item.get("kind"))
    fields = (item.get("inputs") or {}).get("fields", [])
    ids = []
    for field in fields:
        if not isinstance(field, dict) or not field.get("id") or not field.get("label"):
            raise Invalid("inputs", "Every input field needs an id and a label: %r" % (field,))
        if field.get("type", "string") not in ("string", "boolean"):
            raise Invalid("inputs", "%s: type must be string or boolean" % field["id"])
        unknown = set(field) - {"id", "label", "type", "secret", "help_text", "multiline", "format", "choices",
                                "ask_at_runtime"}
        if unknown:
            raise Invalid("inputs", "%s: unknown keys %s" % (field["id"], sorted(unknown)))
        if field["id"] in ids:
            raise Invalid("inputs", "Duplicate input field id %s" % field["id"])
        ids.append(field["id"])
    for required in (item.get("inputs") or {}).get("required", []):
        if required not in ids:
            raise Invalid("inputs", "required names %s, which is not an input field" % required)
    injectors = item.get("injectors") or {}
    unknown = set(injectors) - {"env", "extra_vars", "file"}
    if unknown:
        raise Invalid("injectors", "unknown injector kinds %s" % sorted(unknown))
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind in ("env", "extra_vars"):
        for name, template in (injectors.get(kind) or {}).items():
            if not isinstance(template, str):
                raise Invalid("injectors", "%s.%s must be a string" % (kind, name))
            try:
                sandbox.from_string(template).render(**{field_id: "x" for field_id in ids})
            except TemplateError as error:
                raise Invalid("injectors", "%s.%s: %s" % (kind, name, error)) from None


def validate_credential(item, credential_type):
    ids = [field["id"] for field in credential_type["inputs"]["fields"]]
    inputs = item.get("inputs") or {}
    unknown = set(inputs) - set(ids)
    if unknown:
        raise Invalid("inputs", "not fields of the credential type: %s" % sorted(unknown))
    for required in credential_type["inputs"].get("required", []):
        if not inputs.get(required):
            raise Invalid("inputs", "%s is required" % required)


def validate_survey(spec):
    for key in ("name", "description", "spec"):
        if key not in spec:
            raise Invalid("error", "'%s' missing from survey spec." % key)
    if not isinstance(spec["spec"], list) or not spec["spec"]:
        raise Invalid("error", "'spec' must be a non-empty list of questions.")
    seen = set()
    for index, question in enumerate(spec["spec"]):
        where = "Survey question %d" % index
        for key in ("question_name", "variable", "type", "required"):
            if key not in question:
                raise Invalid("error", "'%s' missing from %s." % (key, where))
        if question["type"] not in SURVEY_TYPES:
            raise Invalid("error", "%s: type %s is not one of %s." % (where, question["type"], sorted(SURVEY_TYPES)))
        if question["variable"] in seen:
            raise Invalid("error", "%s: variable %s is asked twice." % (where, question["variable"]))
        seen.add(question["variable"])
        if not isinstance(question["required"], bool):
            raise Invalid("error", "%s: 'required' must be a boolean." % where)
        default = question.get("default")
        if question["type"] in ("multiplechoice", "multiselect"):
            choices = question.get("choices")
            if isinstance(choices, str):
                choices = choices.split("\n")
            if not choices:
                raise Invalid("error", "%s: a %s question needs choices." % (where, question["type"]))
            if default not in (None, "") and question["type"] == "multiplechoice" and default not in choices:
                raise Invalid("error", "%s: default %r is not one of the choices." % (where, default))
        if question["type"] in ("integer", "float") and default not in (None, ""):
            wanted = int if question["type"] == "integer" else (int, float)
            if not isinstance(default, wanted) or isinstance(default, bool):
                raise Invalid("error", "%s: default %r is not a %s." % (where, default, question["type"]))
            if "min" in question and default < question["min"] or "max" in question and default > question["max"]:
                raise Invalid("error", "%s: default %r is outside min and max." % (where, default))


class Handler(BaseHTTPRequestHandler):
    """One request: authenticate, route, answer, record."""

    controller = None  # set by serve()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        self.handle_api("GET")

    def do_POST(self):  # pylint: disable=invalid-name
        self.handle_api("POST")

    def do_PATCH(self):  # pylint: disable=invalid-name
        self.handle_api("PATCH")

    def do_PUT(self):  # pylint: disable=invalid-name
        self.handle_api("PUT")

    def do_DELETE(self):  # pylint: disable=invalid-name
        self.handle_api("DELETE")

    def handle_api(self, method):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        entry = {"method": method, "path": parts.path, "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
                 "body": None}
        controller = self.controller
        with controller.lock:
            try:
                if raw:
                    try:
                        entry["body"] = json.loads(raw)
                    except ValueError:
                        raise Invalid("detail", "JSON parse error") from None
                status, body = self.route(controller, method, parts.path, entry["query"], entry["body"])
            except Invalid as error:
                status, body = 400, error.body
            except Refused as error:
                status, body = error.status, {"detail": str(error)}
            entry["status"] = status
            controller.requests.append(entry)
        self.answer(status, body)

    def answer(self, status, body):
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("X-API-Product-Name", "AWX")
        self.send_header("X-API-Product-Version", "24.6.1")
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def basic_auth_ok(self):
        expected = "Basic " + base64.b64encode(("%s:%s" % (USERNAME, PASSWORD)).encode()).decode()
        return self.headers.get("Authorization", "") == expected

    def authorised(self, controller):
        header = self.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[len("Bearer "):] in controller.tokens

    def route(self, controller, method, path, query, body):  # pylint: disable=too-many-return-statements,too-many-branches
        if not path.startswith(API):
            raise Refused(404, "Not found.")
        parts = [part for part in path[len(API):].split("/") if part]
        if parts == ["tokens"] and method == "POST":
            if not self.basic_auth_ok():
                raise Refused(401, "Authentication credentials were not provided or are wrong.")
            token = secrets.token_hex(16)
            controller.tokens[token] = next(controller.token_ids)
            return 201, {"id": controller.tokens[token], "token": token}
        if len(parts) == 2 and parts[0] == "tokens" and method == "DELETE":
            # The modules' log-out, with the user's basic auth or the token itself.
            if not (self.basic_auth_ok() or self.authorised(controller)):
                raise Refused(401, "Authentication credentials were not provided.")
            for token, ident in list(controller.tokens.items()):
                if str(ident) == parts[1]:
                    del controller.tokens[token]
                    return 204, None
            raise Refused(404, "Not found.")
        if not self.authorised(controller):
            raise Refused(401, "Authentication credentials were not provided.")
        collection = parts[0] if parts else ""
        if collection == "unified_job_templates" and len(parts) == 1 and method == "GET":
            items = [controller.render(name, item) for name in UNIFIED for item in controller.objects[name].values()]
            return 200, listing(items, query)
        if collection not in KINDS:
            raise Refused(404, "Not found.")
        if len(parts) == 1:
            if method == "GET":
                items = [controller.render(collection, item) for item in controller.objects[collection].values()]
                return 200, listing(items, query)
            if method == "POST":
                return 201, controller.create(collection, require_object(body))
            raise Refused(405, "Method not allowed.")
        ident = int(parts[1]) if parts[1].isdigit() else None
        if ident not in controller.objects[collection]:
            raise Refused(404, "Not found.")
        if len(parts) == 2:
            if method == "GET":
                return 200, controller.render(collection, controller.objects[collection][ident])
            if method == "PATCH":
                return 200, controller.update(collection, ident, require_object(body),
                                              ignored=APPROVAL_IGNORED if collection == "workflow_approval_templates" else ())
            raise Refused(405, "Method not allowed.")
        sub = parts[2]
        if sub == "survey_spec" and collection in ("job_templates", "workflow_job_templates") and len(parts) == 3:
            if method == "GET":
                return 200, controller.surveys.get((collection, ident), {})
            if method == "POST":
                validate_survey(require_object(body))
                controller.surveys[(collection, ident)] = body
                return 200, None
            if method == "DELETE":
                controller.surveys.pop((collection, ident), None)
                return 200, None
        if sub == "create_approval_template" and collection == "workflow_job_template_nodes" and method == "POST":
            node = controller.objects[collection][ident]
            if node.get("unified_job_template") is not None:
                raise Invalid("__all__", "The node already has an approval template.")
            created = controller.create("workflow_approval_templates", require_object(body), ignored=APPROVAL_IGNORED)
            node["unified_job_template"] = created["id"]
            return 201, created
        relations = ("credentials",) if collection == "job_templates" else LINKS
        if sub in relations and len(parts) == 3 and collection in ("job_templates", "workflow_job_template_nodes"):
            if method == "GET":
                ids = controller.links.get((collection, ident, sub), [])
                target = "credentials" if sub == "credentials" else collection
                return 200, listing([controller.render(target, controller.objects[target][i]) for i in ids], {})
            if method == "POST":
                data = require_object(body)
                if set(data) - {"id", "disassociate"} or not isinstance(data.get("id"), int):
                    raise Invalid("id", "An association takes {\"id\": N} and optionally \"disassociate\": true.")
                controller.link(collection, ident, sub, data["id"], bool(data.get("disassociate")))
                return 204, None
        raise Refused(404, "Not found.")


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def require_object(body):
    if not isinstance(body, dict):
        raise Invalid("detail", "A JSON object is expected.")
    return body


def listing(items, query):
    unknown = set(query) - FILTERS
    if unknown:
        raise Invalid("detail", "The stand-in does not filter by %s" % sorted(unknown))
    plain = {key: value for key, value in query.items() if not key.startswith("or__")}
    alternatives = {key[len("or__"):]: value for key, value in query.items() if key.startswith("or__")}
    found = [item for item in items
             if all(str(item.get(key)) == value for key, value in plain.items())
             and (not alternatives or any(str(item.get(key)) == value for key, value in alternatives.items()))]
    return {"count": len(found), "next": None, "previous": None, "results": found}


class Server:
    """The stand-in on 127.0.0.1 in a thread: ``with Server() as stub: stub.url, stub.controller``."""

    def __init__(self, port=0):
        self.controller = Controller()
        handler = type("BoundHandler", (Handler,), {"controller": self.controller})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with Server(args.port) as stub:
        print("controller stub ready: %s (log-in %s / %s)" % (stub.url, USERNAME, PASSWORD), flush=True)
        try:
            stub.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
