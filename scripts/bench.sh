#!/usr/bin/env bash
# The benchmark of sinch.numbers: bash scripts/bench.sh [--reps N] [--role-reps N] [--rentals 1,10,50]
#                                 [--estate 100] [--forks 10]
#
# Sets up what it needs like the other commands (.venv, collection copy under .build, the API
# emulator), loads a benchmark fixture into the emulator (scripts/bench.sh builds it from the
# default fixture: organisations holding 10 and 10,000 numbers, and one with 50 number groups to
# rent from), and prints one Markdown table of medians and ratios, measured side by side:
#
#   read    each read module vs ansible.builtin.uri sending the same signed GET; the time of one
#           task, interleaved (module, uri, module, uri, ...) in one play
#   size    sinch_number_info at 10 and 10,000 numbers: every key, fields: [e164], fields: []
#           (count only); the time of one task with its result registered, interleaved
#   role    the number_rental role on 1, 10 and 50 rentals (one number each, every other one on
#           an application): its first run and its converged re-run, vs a playbook that only logs
#           in and reads the rented numbers once; requests and writes from the emulator's request
#           log (writes: requests that change the account, i.e. not GET and not logging in), tasks
#           that ran (skipped ones not counted), wall time of the whole ansible-playbook
#
#   estate  playbooks/estate.yml over an inventory of --estate organisations (default 100; 0 skips
#           it), one host each with --forks forks (default 10), each organisation renting one
#           number: the first run (writes, and numbers rented = the sum of the floors), the
#           converged re-run (4 requests per organisation, no write) vs the same playbook's
#           converged re-run on one organisation
#
# The role is driven only through its variables (roles/number_rental/meta/argument_specs.yml),
# so it measures whichever role is in the tree. Each round runs every case once, in turn; the
# first round of the task cases warms up and is not counted. Medians over --reps rounds
# (default 3; --role-reps, default --reps, for the role's rounds, the slow part). The machine is described at the top of the output. Timings are not asserted
# anywhere: this is not part of the test command. Record results in docs/benchmarks.md.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPS=3
ROLE_REPS=""
RENTALS="1,10,50"
ESTATE=100
FORKS=10
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) REPS="${2:-}"; shift 2 ;;
        --role-reps) ROLE_REPS="${2:-}"; shift 2 ;;
        --rentals) RENTALS="${2:-}"; shift 2 ;;
        --estate) ESTATE="${2:-}"; shift 2 ;;
        --forks) FORKS="${2:-}"; shift 2 ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) sn_die "unknown argument: $1 (try --help)" ;;
    esac
done
ROLE_REPS="${ROLE_REPS:-$REPS}"
for n in "$REPS" "$ROLE_REPS"; do
    case "$n" in '' | *[!0-9]* | 0) sn_die "--reps and --role-reps want a whole number of rounds, 1 or more" ;; esac
done
case "$RENTALS" in '' | *[!0-9,]*) sn_die "--rentals wants rental counts separated by commas, e.g. 1,10,50" ;; esac
case "$ESTATE" in '' | *[!0-9]*) sn_die "--estate wants a number of organisations, 0 or more" ;; esac
case "$FORKS" in '' | *[!0-9]* | 0) sn_die "--forks wants a whole number, 1 or more" ;; esac

trap sn_emulator_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sn_setup || sn_die "setup failed"
sn_emulator_start || sn_die "could not start the API emulator"

WORK="$(mktemp -d)"
trap 'sn_emulator_stop; rm -rf "$WORK"' EXIT

sn_log "benchmark: $REPS round(s) of the task cases, $ROLE_REPS of the role on $RENTALS rental(s)"
(cd "$SN_COLL" && ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False \
    "$SN_VENV/bin/python" - "$WORK" "$REPS" "$ROLE_REPS" "$RENTALS" "$ESTATE" "$FORKS" <<'PY'
"""Benchmark driver: builds the fixture and playbooks, runs them, prints the table."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import requests
import yaml

WORK, REPS, ROLE_REPS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
RENTALS = [int(n) for n in sys.argv[4].split(",") if n]
ESTATE, FORKS = int(sys.argv[5]), int(sys.argv[6])
ESTATE_ORG, ESTATE_GROUP = 9400000, 1999
URLS = {"user_api": os.environ["SINCH_USER_API_URL"], "api": os.environ["SINCH_API_URL"],
        "portal_api": os.environ["SINCH_PORTAL_API_URL"]}
ADMIN = URLS["portal_api"] + "/_admin"
APP_KEY = "669762D5-2B10-44E0-8418-BC9EE4457555"
PASSWORD = "bench-password-not-a-secret"
ORGS = {"small": 9100001, "large": 9100002, "rentals": 9100003}
RENTAL_APPS = ["b0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002"]
GROUP_BASE = 2000


def admin(method, path, body=None):
    answer = requests.request(method, ADMIN + path, json=body, timeout=120)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def fixture():
    """The default fixture plus three benchmark organisations (10, 10,000 numbers; groups to rent from)."""
    with open("tests/emulator/fixtures/default.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for index, (name, org_id) in enumerate(sorted(ORGS.items())):
        email = "bench-%s@example.com" % name
        data["users"].append({"id": 555000001 + index, "organisation_id": org_id, "password": PASSWORD,
                              "identities": [{"type": "email", "endpoint": email}]})
    data["organisations"].append({"id": ORGS["small"], "name": "Bench 10", "credit": {"amount": 100.0, "currencyId": "USD"},
                                  "applications": [], "numbers": [{"number": 14160000000 + i, "groupId": 13} for i in range(10)]})
    data["organisations"].append({"id": ORGS["large"], "name": "Bench 10,000", "credit": {"amount": 100.0, "currencyId": "USD"},
                                  "applications": [], "numbers": [{"number": 14170000000 + i, "groupId": 13} for i in range(10000)]})
    data["organisations"].append({"id": ORGS["rentals"], "name": "Bench rentals", "credit": {"amount": 100000.0, "currencyId": "USD"},
                                  "applications": RENTAL_APPS, "numbers": []})
    data["accounts"] = [{"id": ESTATE_ORG + i, "name": "Estate %d" % i, "credit": {"amount": 1000.0, "currencyId": "USD"},
                         "email": "estate-%d@example.com" % i, "password": PASSWORD} for i in range(ESTATE)]
    data["number_groups"].append({
        "groupId": ESTATE_GROUP, "country": "US", "countryId": "US", "city": "ESTATE", "type": "Voice", "areaCode": "199",
        "cost": {"amount": 1.25, "currencyId": "USD"}, "capabilities": ["voice"], "stock": max(ESTATE, 1),
        "next_number": 17900000000})
    for i in range(max(RENTALS + [1])):
        data["number_groups"].append({
            "groupId": GROUP_BASE + i, "country": "US", "countryId": "US", "city": "BENCH %d" % i, "type": "Voice",
            "areaCode": "%03d" % (200 + i), "cost": {"amount": 1.0, "currencyId": "USD"}, "capabilities": ["voice"],
            "stock": 5, "next_number": 18800000000 + i * 1000})
    return data


def instance(name):
    """Log in as the bench user of an organisation: (instance id, secret)."""
    email = "bench-%s@example.com" % name
    login = requests.post("%s/v1/users/email/%s/authentication" % (URLS["user_api"], email),
                          headers={"Authorization": "Application " + APP_KEY, "x-timestamp": stamp()},
                          json={"password": PASSWORD}, timeout=60)
    login.raise_for_status()
    auth = login.json()["authorization"]
    made = requests.post(URLS["api"] + "/v1/instance",
                         headers={"Authorization": "User " + auth, "x-timestamp": stamp()},
                         json={"authorization": auth, "version": {"os": "bench", "platform": "bench"}}, timeout=60)
    made.raise_for_status()
    return made.json()["id"], made.json()["secret"]


def stamp():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


def signed_headers(inst, path):
    """Headers of a GET signed as the API reference says (what the modules send)."""
    timestamp = stamp()
    message = "\n".join(["GET", "", "application/json", "x-timestamp:" + timestamp, path.lstrip("/")])
    signature = base64.b64encode(hmac.new(base64.b64decode(inst[1]), message.encode(), hashlib.sha256).digest()).decode()
    return {"Authorization": "Instance %s:%s" % (inst[0], signature), "x-timestamp": timestamp,
            "Content-Type": "application/json"}


TIMER = '''
import json, os, time
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.rows, self.start, self.name = [], None, None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.start, self.name = time.perf_counter(), task.get_name()

    def _done(self, status):
        self.rows.append({"name": self.name, "seconds": time.perf_counter() - self.start, "status": status})

    def v2_runner_on_ok(self, result):
        self._done("changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._done("failed")

    def v2_runner_on_skipped(self, result):
        self._done("skipped")

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["BENCH_TIMER_OUT"], "w") as handle:
            json.dump(self.rows, handle)
'''


def playbook(name, plays):
    path = os.path.join(WORK, name + ".yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(plays, handle, sort_keys=False, width=1000)
    return path


def run_playbook(path, extra=None):
    """(wall seconds, timer rows) of one ansible-playbook run; fails loudly."""
    out = os.path.join(WORK, "timer.json")
    env = dict(os.environ, BENCH_TIMER_OUT=out, ANSIBLE_CALLBACK_PLUGINS=WORK, ANSIBLE_CALLBACKS_ENABLED="bench_timer",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED="False")
    cmd = ["ansible-playbook", "-i", "localhost,", "-c", "local", path]
    if extra:
        cmd += ["-e", "@" + extra]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-6000:])
        raise SystemExit("benchmark playbook %s failed (exit status %d)" % (os.path.basename(path), done.returncode))
    with open(out, encoding="utf-8") as handle:
        return wall, json.load(handle)


def connection(inst, org):
    return {"user_api_url": URLS["user_api"], "api_url": URLS["api"], "portal_api_url": URLS["portal_api"],
            "instance_id": inst[0], "instance_secret": inst[1], "organisation_id": org}


def task_cases(small, large):
    """name -> task (without its name); pairs and groups are compared within one play."""
    numbers = "/v1/organisations/id/%d/numbers" % ORGS["small"]
    shop = "/v1/organisations/id/%d/numbers/shop" % ORGS["small"]
    orgs = "/v1/organisations"
    conn_small, conn_large = connection(small, ORGS["small"]), connection(large, ORGS["large"])

    def uri(host, path):
        return {"ansible.builtin.uri": {"url": URLS[host] + path, "headers": signed_headers(small, path),
                                        "return_content": True}}

    return {
        "sinch_organisation_info": {"sinch.numbers.sinch_organisation_info": conn_small},
        "uri GET organisation": uri("api", orgs),
        "sinch_number_shop_info": {"sinch.numbers.sinch_number_shop_info": conn_small},
        "uri GET shop": uri("portal_api", shop),
        "sinch_number_info": {"sinch.numbers.sinch_number_info": conn_small},
        "uri GET numbers": uri("portal_api", numbers),
        "info 10, every key": {"sinch.numbers.sinch_number_info": conn_small},
        "info 10, fields [e164]": {"sinch.numbers.sinch_number_info": dict(conn_small, fields=["e164"])},
        "info 10, count only": {"sinch.numbers.sinch_number_info": dict(conn_small, fields=[])},
        "info 10,000, every key": {"sinch.numbers.sinch_number_info": conn_large},
        "info 10,000, fields [e164]": {"sinch.numbers.sinch_number_info": dict(conn_large, fields=["e164"])},
        "info 10,000, count only": {"sinch.numbers.sinch_number_info": dict(conn_large, fields=[])},
    }


def measure_tasks():
    small, large = instance("small"), instance("large")
    cases = task_cases(small, large)
    tasks = []
    for round_no in range(REPS + 1):  # round 0 warms up
        for name, task in cases.items():
            tasks.append(dict({"name": "%d|%s" % (round_no, name), "register": "out"}, **task))
    path = playbook("tasks", [{"name": "bench tasks", "hosts": "localhost", "gather_facts": False, "tasks": tasks}])
    _wall, rows = run_playbook(path)
    times = {}
    for row in rows:
        round_no, name = row["name"].split("|", 1)
        if round_no != "0":
            times.setdefault(name, []).append(row["seconds"])
    return dict((name, statistics.median(values)) for name, values in times.items())


def rentals_vars(count):
    rentals = []
    for i in range(count):
        entry = {"name": "bench-%d" % i, "group_id": GROUP_BASE + i, "count": 1}
        if i % 2:
            entry["application_key"] = RENTAL_APPS[i % 4 // 2]
        rentals.append(entry)
    values = {
        "number_rental_email": "bench-rentals@example.com", "number_rental_password": PASSWORD,
        "number_rental_organisation_id": ORGS["rentals"], "number_rental_user_api_url": URLS["user_api"],
        "number_rental_api_url": URLS["api"], "number_rental_portal_api_url": URLS["portal_api"],
        "number_rental_rentals": rentals,
    }
    path = os.path.join(WORK, "rentals-%d.json" % count)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(values, handle)
    return path


def measure_role(data):
    role = playbook("role", [{"name": "bench role", "hosts": "localhost", "gather_facts": False,
                              "roles": [{"role": "sinch.numbers.number_rental"}]}])
    reads = playbook("reads", [{"name": "bench: log in and read the rented numbers once", "hosts": "localhost",
                                "gather_facts": False, "tasks": [
                                    {"name": "Log in", "no_log": True, "register": "session", "sinch.numbers.sinch_session": {
                                        "email": "bench-rentals@example.com", "password": PASSWORD,
                                        "user_api_url": URLS["user_api"], "api_url": URLS["api"], "portal_api_url": URLS["portal_api"]}},
                                    {"name": "Read the rented numbers", "register": "held", "sinch.numbers.sinch_number_info": {
                                        "instance_id": "{{ session.instance_id }}", "instance_secret": "{{ session.instance_secret }}",
                                        "organisation_id": "{{ session.organisation.id }}", "user_api_url": URLS["user_api"],
                                        "api_url": URLS["api"], "portal_api_url": URLS["portal_api"]}}]}])
    results = {}
    for _round in range(ROLE_REPS):
        for count in RENTALS:
            extra = rentals_vars(count)
            admin("POST", "/reset", {"fixture_data": data})
            for label, path in (("first run", role), ("re-run", role), ("log in + read once", reads)):
                admin("DELETE", "/requests")
                wall, rows = run_playbook(path, extra)
                log = admin("GET", "/requests")
                ran = [row for row in rows if row["status"] != "skipped"]
                results.setdefault((count, label), []).append(
                    {"wall": wall, "requests": len(log), "writes": len([r for r in log if r["method"] != "GET" and r["host"] == "portalapi"]),
                     "tasks": len(ran), "changed": len([row for row in ran if row["status"] == "changed"])})
    return results


def estate_inventory(count):
    """An inventory of ``count`` organisations of the estate, one host each, renting one number each."""
    hosts = {}
    for i in range(count):
        hosts["org-%03d" % i] = {
            "number_rental_organisation_id": ESTATE_ORG + i, "number_rental_email": "estate-%d@example.com" % i,
            "number_rental_password": PASSWORD,
            "number_rental_rentals": [{"name": "estate", "group_id": ESTATE_GROUP, "count": 1}]}
    group_vars = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                  "number_rental_user_api_url": URLS["user_api"], "number_rental_api_url": URLS["api"],
                  "number_rental_portal_api_url": URLS["portal_api"], "number_rental_lock_path": os.path.join(WORK, "locks")}
    path = os.path.join(WORK, "estate-%d.yml" % count)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"sinch_organisations": {"vars": group_vars, "hosts": hosts}}, handle, sort_keys=False)
    return path


def run_estate(inventory):
    """(wall seconds, requests, writes) of one run of playbooks/estate.yml; fails loudly."""
    admin("DELETE", "/requests")
    env = dict(os.environ, ANSIBLE_RETRY_FILES_ENABLED="False")
    started = time.perf_counter()
    done = subprocess.run(["ansible-playbook", "-i", inventory, "--forks", str(FORKS), "playbooks/estate.yml"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-6000:])
        raise SystemExit("the estate playbook failed (exit status %d)" % done.returncode)
    log = admin("GET", "/requests")
    writes = len([r for r in log if r["method"] != "GET" and r["host"] == "portalapi"])
    return wall, len(log), writes


def measure_estate(data):
    """The estate of ESTATE organisations (first run, re-run) and one organisation's re-run, ROLE_REPS rounds."""
    os.makedirs(os.path.join(WORK, "locks"), mode=0o700, exist_ok=True)
    many, one = estate_inventory(ESTATE), estate_inventory(1)
    results = {}
    for _round in range(ROLE_REPS):
        admin("POST", "/reset", {"fixture_data": data})
        # The one organisation is the first of the many: its run after theirs is a converged re-run.
        for label, inventory in (("first run", many), ("re-run", many), ("one organisation, re-run", one)):
            wall, requests_sent, writes = run_estate(inventory)
            rented = sum(len(p["numbers"]) for p in admin("GET", "/state")["purchases"]) if label == "first run" else None
            results.setdefault(label, []).append({"wall": wall, "requests": requests_sent, "writes": writes, "rented": rented})
    return results


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ansible = subprocess.run(["ansible", "--version"], stdout=subprocess.PIPE, text=True, check=False).stdout.splitlines()[0]
    return "%s; %d CPU(s) (%s); load average %s at start; Python %s; %s" % (
        platform.platform(), os.cpu_count() or 0, cpu, " ".join("%.2f" % v for v in os.getloadavg()),
        platform.python_version(), ansible)


def main():
    with open(os.path.join(WORK, "bench_timer.py"), "w", encoding="utf-8") as handle:
        handle.write(TIMER)
    print("machine: " + machine())
    data = fixture()
    admin("POST", "/reset", {"fixture_data": data})
    tasks = measure_tasks()
    role = measure_role(data) if RENTALS else {}
    estate = measure_estate(data) if ESTATE else {}
    print("\nmedians of %d round(s) of the task cases (seconds per task, interleaved in one play, after a warm-up round)"
          " and of %d round(s) of the role (wall of ansible-playbook)\n" % (REPS, ROLE_REPS))
    print("| group | case | median (s) | compared with | ratio | requests | writes | tasks |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for module, other in (("sinch_organisation_info", "uri GET organisation"), ("sinch_number_shop_info", "uri GET shop"),
                          ("sinch_number_info", "uri GET numbers")):
        print("| read | %s | %.3f | %s (%.3f s) | %.2f | 1 | 0 | 1 |" % (
            module, tasks[module], other, tasks[other], tasks[module] / tasks[other]))
    base = tasks["info 10, every key"]
    for name in ("info 10, every key", "info 10, fields [e164]", "info 10, count only",
                 "info 10,000, every key", "info 10,000, fields [e164]", "info 10,000, count only"):
        print("| size | sinch_number_info %s | %.3f | info 10, every key | %.2f | 1 | 0 | 1 |" % (
            name[5:], tasks[name], tasks[name] / base))
    for count in RENTALS:
        floor = statistics.median(r["wall"] for r in role[(count, "log in + read once")])
        for label in ("first run", "re-run", "log in + read once"):
            runs = role[(count, label)]
            print("| role | %d rental(s), %s | %.2f | log in + read once (%.2f s) | %.2f | %d | %d | %d |" % (
                count, label, statistics.median(r["wall"] for r in runs), floor,
                statistics.median(r["wall"] for r in runs) / floor,
                statistics.median(r["requests"] for r in runs), statistics.median(r["writes"] for r in runs),
                statistics.median(r["tasks"] for r in runs)))
    if estate:
        floor = statistics.median(r["wall"] for r in estate["one organisation, re-run"])
        for label, name in (("first run", "%d organisations, first run" % ESTATE), ("re-run", "%d organisations, re-run" % ESTATE),
                            ("one organisation, re-run", "1 organisation, re-run")):
            runs = estate[label]
            wall = statistics.median(r["wall"] for r in runs)
            print("| estate | %s, forks %d | %.2f | 1 organisation, re-run (%.2f s) | %.2f | %d | %d | - |" % (
                name, FORKS, wall, floor, wall / floor, statistics.median(r["requests"] for r in runs),
                statistics.median(r["writes"] for r in runs)))
        print("\nestate first run: %d numbers rented for %d organisations of one floor each (sum of the floors: %d)" % (
            statistics.median(r["rented"] for r in estate["first run"]), ESTATE, ESTATE))


main()
PY
)
