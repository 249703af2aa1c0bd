"""Run the main job the way AWX / AAP runs it, against the emulator, and check what it leaves.

Called by scripts/test.sh (step "awx"), with the emulator started and its URLs in
SINCH_USER_API_URL, SINCH_API_URL and SINCH_PORTAL_API_URL:

    python scripts/awx_job.py --project DIR --work DIR --email E --password P --organisation-id N

1. The project: a copy of DIR (the repository's files) in WORK/project, as AWX checks it out.
2. The project update: ``ansible-galaxy collection install -r collections/requirements.yml``
   from the project's root into WORK/requirements_collections, as AWX does, with the Galaxy
   server pointed at a closed local port: it must resolve without any network.
3. The credential: extensions/awx/credential_type.yml's env injectors rendered as AWX renders
   them (a sandboxed Jinja2 environment; a field left blank renders as an empty string; the
   organisation id is left blank here, so that case is covered).
4. The job template: extensions/awx/job_template.yml's extra variables and its survey's
   defaults, with the organisation id as the survey answer; job type check first, then run,
   then run again.
5. ansible-runner with that private data directory; checks: every run successful, the check run
   wrote nothing, the second real run changed nothing and sent no write, and no password, user
   authorization or instance secret appears in the job events or the stdout of any run.
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

import ansible_runner
import requests
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

SINCH_VARIABLES = ("SINCH_EMAIL", "SINCH_PASSWORD", "SINCH_INSTANCE_ID", "SINCH_INSTANCE_SECRET",
                   "SINCH_ORGANISATION_ID", "SINCH_USER_API_URL", "SINCH_API_URL", "SINCH_PORTAL_API_URL")


def fail(message):
    print("FAILED: %s" % message, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


ADMIN_URL = os.environ.get("SINCH_API_URL", "") + "/_admin/"


def admin(method, path):
    response = requests.request(method, ADMIN_URL + path, timeout=30)
    response.raise_for_status()
    return response.json() if response.content else None


def copy_project(source, project):
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(source, project, symlinks=True,
                    ignore=shutil.ignore_patterns("output", "integration_config.yml", "__pycache__"))


def project_update(project, collections):
    """What AWX's project update runs for collections/requirements.yml, with no network at all."""
    env = dict(os.environ, ANSIBLE_GALAXY_SERVER="http://127.0.0.1:9/", ANSIBLE_GALAXY_SERVER_LIST="")
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    command = ["ansible-galaxy", "collection", "install", "-r", "collections/requirements.yml",
               "-p", collections, "--force"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    print(done.stdout + done.stderr)
    if done.returncode != 0:
        fail("the project's collections/requirements.yml did not install without a network")
    role = os.path.join(collections, "ansible_collections", "sinch", "numbers", "roles", "number_rental")
    if not os.path.isdir(role):
        fail("collections/requirements.yml did not install sinch.numbers (no roles/number_rental)")


def injected_env(credential_type, inputs):
    """The environment AWX injects for a credential with these inputs."""
    sandbox = ImmutableSandboxedEnvironment()
    names = [field["id"] for field in credential_type["inputs"]["fields"]]
    for required in credential_type["inputs"].get("required", []):
        if not inputs.get(required):
            fail("the credential type requires %s" % required)
    namespace = {name: inputs[name] for name in names if name in inputs}
    return {variable: sandbox.from_string(template).render(**namespace)
            for variable, template in credential_type["injectors"]["env"].items()}


def extra_vars(template, answers):
    """The job's extra variables: the template's, then the survey's answers (or defaults)."""
    result = dict(template.get("extra_vars") or {})
    for question in template["survey_spec"]["spec"]:
        name = question["variable"]
        if name in answers:
            result[name] = answers[name]
        elif "default" in question:
            result[name] = question["default"]
        elif question.get("required"):
            fail("the survey question %s is required and has no answer" % name)
    return result


def run_job(work, ident, env, variables, check):
    cmdline = "--check --diff" if check else "--diff"
    runner = ansible_runner.run(
        private_data_dir=work, ident=ident, playbook="playbooks/main.yml",
        inventory=os.path.join(work, "inventory", "hosts"), envvars=env, extravars=variables,
        cmdline=cmdline, quiet=True, timeout=900)
    stdout = os.path.join(work, "artifacts", ident, "stdout")
    if runner.status != "successful" or runner.rc != 0:
        if os.path.exists(stdout):
            with open(stdout, encoding="utf-8", errors="replace") as handle:
                print(handle.read())
        fail("the %s job ended %s (rc %s)" % (ident, runner.status, runner.rc))
    changed = sum((runner.stats or {}).get("changed", {}).values())
    print("job %s: %s, %d task(s) changed" % (ident, runner.status, changed))
    return changed


def writes():
    return [entry for entry in admin("GET", "requests") if entry["method"] != "GET"
            and entry["path"] not in ("/v1/users/email/address@example.com/authentication", "/v1/instance")]


def organisation(org_id):
    for item in admin("GET", "state")["organisations"]:
        if item["id"] == org_id:
            return item
    fail("the emulator has no organisation %s" % org_id)
    return None


def leaks(work, secrets):
    """(file, which secret) for every job event and stdout artifact holding one of the secrets."""
    found = []
    files = glob.glob(os.path.join(work, "artifacts", "*", "job_events", "*.json"))
    files += glob.glob(os.path.join(work, "artifacts", "*", "stdout"))
    if not files:
        fail("ansible-runner left no job events or stdout to check")
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        for label, value in secrets:
            if value and value in text:
                found.append((os.path.relpath(path, work), label))
    return found, len(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--organisation-id", required=True, type=int)
    args = parser.parse_args()

    work = os.path.abspath(args.work)
    project = os.path.join(work, "project")
    collections = os.path.join(work, "requirements_collections")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "inventory"))
    copy_project(os.path.abspath(args.project), project)
    project_update(project, collections)

    credential_type = load(os.path.join(project, "extensions", "awx", "credential_type.yml"))
    template = load(os.path.join(project, "extensions", "awx", "job_template.yml"))
    env = injected_env(credential_type, {
        "email": args.email, "password": args.password,
        "user_api_url": os.environ["SINCH_USER_API_URL"], "api_url": os.environ["SINCH_API_URL"],
        "portal_api_url": os.environ["SINCH_PORTAL_API_URL"]})
    if env.get("SINCH_ORGANISATION_ID") != "":
        fail("a blank organisation id should be injected as an empty SINCH_ORGANISATION_ID")
    # As AWX: only the project's requirements' collections, and nothing of this shell's SINCH_*.
    for name in SINCH_VARIABLES:
        os.environ.pop(name, None)
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_ROLES_PATH=os.path.join(work, "requirements_roles"),
               ANSIBLE_FORCE_COLOR="False")
    with open(os.path.join(work, "inventory", "hosts"), "w", encoding="utf-8") as handle:
        # AWX's Demo Inventory.
        yaml.safe_dump({"all": {"hosts": {"localhost": {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}, handle)
    variables = extra_vars(template, {"number_rental_organisation_id": args.organisation_id})
    if template.get("job_type") != "check":
        fail("the example job template should check first (job_type: check)")

    admin("POST", "reset")
    credit = organisation(args.organisation_id)["credit"]["amount"]
    run_job(work, "check", env, variables, check=True)
    if writes() or organisation(args.organisation_id)["credit"]["amount"] != credit:
        fail("the check job wrote to Sinch: %s" % writes())
    run_job(work, "run", env, variables, check=False)
    held = organisation(args.organisation_id)
    if held["credit"]["amount"] >= credit:
        fail("the run job rented nothing (credit %s before, %s after)" % (credit, held["credit"]["amount"]))
    admin("DELETE", "requests")
    changed = run_job(work, "rerun", env, variables, check=False)
    if changed or writes():
        fail("the second run is not converged: %d change(s), writes %s" % (changed, writes()))

    issued = admin("GET", "secrets")
    secrets = [("the password", args.password)]
    secrets += [("a user authorization", value) for value in issued["user_authorizations"]]
    secrets += [("an instance secret", value) for value in issued["instance_secrets"]]
    if not issued["user_authorizations"] or not issued["instance_secrets"]:
        fail("the jobs logged in without the emulator issuing an authorization and an instance")
    found, checked = leaks(work, secrets)
    if found:
        fail("secrets in the job's artifacts: %s" % json.dumps(found))
    print("AWX-style job: check, run and a converged rerun; %d secrets absent from %d job event and stdout files"
          % (len(secrets), checked))


if __name__ == "__main__":
    main()
