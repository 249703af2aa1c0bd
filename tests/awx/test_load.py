"""extensions/awx loaded by the awx.awx modules themselves, against the recording controller stand-in.

Run by the test command's awx step (scripts/sinch_dev/release.py), which puts the awx.awx collection
of a pinned ``ansible`` release in SN_AWX_COLLECTIONS:

    SN_AWX_COLLECTIONS=DIR python -m pytest -p no:cacheprovider tests/awx

extensions/awx/load.yml runs twice with ansible-playbook (the log-in from CONTROLLER_*, as a user
runs it); the tests read what the modules sent and what the stand-in holds: the credential type and
a credential, the job template, and the workflow's nodes, approval and links. A third load, of the
workflow in the shape issue 16 reported (an ``approval_node`` key), must fail.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

import controller_stub

HERE = os.path.dirname(os.path.abspath(__file__))
AWX_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "extensions", "awx"))
PASSWORD = "stub-sinch-password-7f3a"  # the credential's password: must never be shown
CREDENTIAL_INPUTS = {"email": "numbers@example.com", "password": PASSWORD, "organisation_id": "8888123"}


def load_file(name):
    with open(os.path.join(AWX_DIR, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def awx_collections():
    path = os.environ.get("SN_AWX_COLLECTIONS", "")
    if not os.path.isfile(os.path.join(path, "ansible_collections", "awx", "awx", "MANIFEST.json")):
        pytest.fail("SN_AWX_COLLECTIONS must name a directory with ansible_collections/awx/awx "
                    "(the test command's awx step installs it); got %r" % path)
    return path


def ansible_playbook(stub, files_dir):
    """Run load.yml from files_dir against the stand-in; return the completed process."""
    bin_dir = os.path.dirname(sys.executable)
    command = os.path.join(bin_dir, "ansible-playbook")
    if not os.path.exists(command):
        command = shutil.which("ansible-playbook")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CONTROLLER_", "TOWER_", "ANSIBLE_"))}
    env.update(CONTROLLER_HOST=stub.url, CONTROLLER_USERNAME=controller_stub.USERNAME,
               CONTROLLER_PASSWORD=controller_stub.PASSWORD, CONTROLLER_VERIFY_SSL="false",
               ANSIBLE_COLLECTIONS_PATH=awx_collections(), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    extra = json.dumps({"sinch_awx_credential_inputs": CREDENTIAL_INPUTS})
    return subprocess.run([command, os.path.join(files_dir, "load.yml"), "-e", extra], env=env, cwd=files_dir,
                          capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def loaded():
    """The stand-in after two loads: (controller, first run, second run, requests of the first run)."""
    with controller_stub.Server() as stub:
        first = ansible_playbook(stub, AWX_DIR)
        print(first.stdout + first.stderr)
        assert first.returncode == 0, "the first load failed:\n%s%s" % (first.stdout, first.stderr)
        requests_first = list(stub.controller.requests)
        second = ansible_playbook(stub, AWX_DIR)
        print(second.stdout + second.stderr)
        assert second.returncode == 0, "the second load failed:\n%s%s" % (second.stdout, second.stderr)
        yield stub.controller, first, second, requests_first


def one(items, what):
    assert len(items) == 1, "expected one %s, found %d: %s" % (what, len(items), items)
    return items[0]


def created(requests, collection):
    """The bodies the modules POSTed to create objects of a collection."""
    return [entry["body"] for entry in requests
            if entry["method"] == "POST" and entry["path"] == "/api/v2/%s/" % collection and entry["status"] == 201]


def test_credential_type_is_created_as_the_file_says(loaded):
    controller, _first, _second, requests = loaded
    wanted = load_file("credential_type.yml")
    body = one(created(requests, "credential_types"), "credential type created")
    assert body == {"name": wanted["name"], "description": wanted["description"], "kind": "cloud",
                    "inputs": wanted["inputs"], "injectors": wanted["injectors"], "managed": False}
    assert body["injectors"]["env"]["SINCH_PASSWORD"] == "{{ password }}"
    assert [field["id"] for field in body["inputs"]["fields"] if field.get("secret")] == ["password"]
    one(controller.find("credential_types", name=wanted["name"]), "credential type")


def test_credential_has_the_type_and_its_password_is_never_shown(loaded):
    controller, first, second, _requests = loaded
    credential_type = one(controller.find("credential_types"), "credential type")
    credential = one(controller.find("credentials", name="Sinch"), "credential")
    assert credential["credential_type"] == credential_type["id"]
    assert credential["inputs"] == CREDENTIAL_INPUTS
    for run in (first, second):
        assert PASSWORD not in run.stdout + run.stderr


def test_job_template_checks_first_and_never_runs_twice_at_once(loaded):
    controller, _first, _second, requests = loaded
    wanted = load_file("job_template.yml")
    body = one(created(requests, "job_templates"), "job template created")
    assert body["allow_simultaneous"] is False
    assert body["job_type"] == "check" and body["ask_job_type_on_launch"] is True
    assert body["ask_variables_on_launch"] is False
    assert body["playbook"] == "playbooks/main.yml"
    # Every key of the file reached the controller with the file's value.
    for key, value in wanted.items():
        if key == "survey_spec":
            continue
        sent = json.loads(body[key]) if key == "extra_vars" else body[key]
        assert sent == value, "job_template.yml's %s was sent as %r" % (key, sent)
    template = one(controller.find("job_templates", name=wanted["name"]), "job template")
    project = one(controller.find("projects", name="Sinch numbers"), "project")
    inventory = one(controller.find("inventories", name="Demo Inventory"), "inventory")
    assert template["project"] == project["id"] and template["inventory"] == inventory["id"]
    credential = one(controller.find("credentials", name="Sinch"), "credential")
    assert controller.links[("job_templates", template["id"], "credentials")] == [credential["id"]]
    assert controller.surveys[("job_templates", template["id"])] == wanted["survey_spec"]


def test_workflow_is_created_with_its_survey_and_one_run_at_a_time(loaded):
    controller, _first, _second, requests = loaded
    wanted = load_file("workflow_job_template.yml")
    body = one(created(requests, "workflow_job_templates"), "workflow created")
    assert body["allow_simultaneous"] is False
    for key, value in wanted.items():
        if key not in ("survey_spec", "workflow_nodes"):
            assert body[key] == value, "workflow_job_template.yml's %s was sent as %r" % (key, body[key])
    workflow = one(controller.find("workflow_job_templates", name=wanted["name"]), "workflow")
    assert controller.surveys[("workflow_job_templates", workflow["id"])] == wanted["survey_spec"]


def nodes_of(controller):
    workflow = one(controller.find("workflow_job_templates"), "workflow")
    return {node["identifier"]: node for node in controller.find("workflow_job_template_nodes",
                                                                 workflow_job_template=workflow["id"])}


def test_workflow_nodes_plan_in_check_mode_then_apply(loaded):
    controller = loaded[0]
    nodes = nodes_of(controller)
    assert sorted(nodes) == ["apply", "approve", "plan"]
    template = one(controller.find("job_templates"), "job template")
    assert nodes["plan"]["unified_job_template"] == template["id"]
    assert nodes["plan"]["job_type"] == "check"
    assert nodes["apply"]["unified_job_template"] == template["id"]
    assert nodes["apply"]["job_type"] == "run"
    # Nothing on a node overrides the plan id the plan job publishes.
    for node in nodes.values():
        assert "number_rental_expected_plan_id" not in (node.get("extra_data") or {})


def test_approval_node_has_its_name_description_and_timeout(loaded):
    controller = loaded[0]
    node = nodes_of(controller)["approve"]
    wanted = {node["identifier"]: node for node in load_file("workflow_job_template.yml")["workflow_nodes"]}["approve"]
    approval = controller.objects["workflow_approval_templates"][node["unified_job_template"]]
    assert approval["name"] == wanted["unified_job_template"]["name"] == "Approve the Sinch rental plan"
    assert approval["description"] == wanted["unified_job_template"]["description"]
    assert approval["timeout"] == 86400
    assert not node.get("job_type")


def test_links_approve_only_after_a_plan_and_apply_only_after_approval(loaded):
    controller = loaded[0]
    nodes = nodes_of(controller)
    by_id = {node["id"]: name for name, node in nodes.items()}
    links = {(name, relation): sorted(by_id[child] for child in controller.children(node["id"], relation))
             for name, node in nodes.items() for relation in controller_stub.LINKS}
    assert links == {
        ("plan", "success_nodes"): ["approve"], ("plan", "failure_nodes"): [], ("plan", "always_nodes"): [],
        ("approve", "success_nodes"): ["apply"], ("approve", "failure_nodes"): [], ("approve", "always_nodes"): [],
        ("apply", "success_nodes"): [], ("apply", "failure_nodes"): [], ("apply", "always_nodes"): [],
    }


def test_loading_again_creates_nothing_twice(loaded):
    controller, _first, _second, requests_first = loaded
    later = controller.requests[len(requests_first):]
    creations = [entry["path"] for entry in later if entry["method"] == "POST" and entry["status"] == 201
                 and entry["path"] != "/api/v2/tokens/"]
    assert creations == []
    assert len(controller.objects["workflow_job_template_nodes"]) == 3
    assert len(controller.objects["workflow_approval_templates"]) == 1
    failed = [entry for entry in controller.requests if entry["status"] >= 400]
    assert failed == []


def test_the_reported_approval_node_shape_does_not_load(tmp_path):
    """The workflow as issue 16 found it (approval_node: on a node) fails to load; the check can fail."""
    for name in ("load.yml", "credential_type.yml", "job_template.yml"):
        shutil.copy(os.path.join(AWX_DIR, name), tmp_path / name)
    workflow = load_file("workflow_job_template.yml")
    for node in workflow["workflow_nodes"]:
        if node["identifier"] == "approve":
            approval = node.pop("unified_job_template")
            node["approval_node"] = {key: approval[key] for key in ("name", "description", "timeout")}
    (tmp_path / "workflow_job_template.yml").write_text(yaml.safe_dump(workflow), encoding="utf-8")
    with controller_stub.Server() as stub:
        run = ansible_playbook(stub, str(tmp_path))
        assert run.returncode != 0
        assert "The workflow (plan, approve, apply)" in run.stdout
        assert "'unified_job_template'" in run.stdout + run.stderr  # the module's KeyError on that node
        assert not stub.controller.find("workflow_approval_templates")
