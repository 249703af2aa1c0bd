"""The benchmark of sinch.numbers: paired, interleaved ratios measured against the API emulator.

    python scripts/bench_driver.py --work DIR [--pairs N] [--rentals 1,10,50] [--estate N] [--forks N]
                                   [--rows read,size,role,estate]

It runs with the working directory in a laid-out copy of the collection (it reads
tests/emulator/fixtures/default.yml and runs playbooks/estate.yml), with the emulator's URLs in
SINCH_USER_API_URL, SINCH_API_URL and SINCH_PORTAL_API_URL and ansible-playbook on PATH; it loads a
benchmark fixture into the emulator (the default fixture plus organisations holding 10 and 10,000
numbers, one with number groups to rent from, and --estate organisations of one floor each) and
prints the machine, its load at the start and at the end, and one Markdown table. Timings are not
asserted anywhere: this is not part of the test command.

Every row compares a case A with a base B, measured in pairs, interleaved: one warm-up pair that is
not counted, then --pairs pairs (5 or more), A before B in one pair and B before A in the next so
that an order effect (a warm cache, a busier moment) falls on both sides. Each pair gives one ratio
A/B; a row reports the median of A, the median of B, the median ratio, the smallest ratio and the
spread (the largest ratio minus the smallest).

    read    each read module (sinch_organisation_info, sinch_number_shop_info, sinch_number_info)
            vs ansible.builtin.uri sending the same signed GET; the time of one task (start to
            result), both tasks next to each other in one play, one play per pair
    size    sinch_number_info on the organisations of 10 and of 10,000 numbers, with every key,
            fields: [e164] and fields: [] (the count only), each vs ansible.builtin.uri reading the
            same list (the same signed GET, return_content, registered), next to it in the play;
            and each vs the floor: one signed GET of the same list with requests, made in this
            process (the HTTP exchange and the JSON parse alone), before the pair's play in one
            pair and after it in the next
    role    the number_rental role on each --rentals count (one number each, every other rental on
            an application): its first run and its converged re-run vs a playbook that only logs in
            and reads the rented numbers once; the wall time of the whole ansible-playbook. Before
            each first run the emulator is reset, outside the timed run (the floor always reads the
            converged state). Requests and writes from the emulator's request log (writes: requests
            that change the account, i.e. not GET and not logging in); tasks that ran (skipped ones
            not counted); medians over the counted runs
    estate  playbooks/estate.yml over an inventory of --estate organisations (0 skips it), one host
            each, with --forks forks, each renting one number: its first run (after a reset, outside
            the timed run) and its converged re-run vs the same playbook's converged re-run on one
            organisation (the first of them); requests and writes as above

--rows chooses the groups (default: all four). The role is driven only through its variables
(roles/number_rental/meta/argument_specs.yml), so it measures whichever role is in the tree.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import requests
import yaml

ROW_GROUPS = ("read", "size", "role", "estate")
MIN_PAIRS = 5
DEFAULTS = {"pairs": 5, "rentals": "1,10,50", "estate": 20, "forks": 10, "rows": ",".join(ROW_GROUPS)}
ENV_URLS = {"user_api": "SINCH_USER_API_URL", "api": "SINCH_API_URL", "portal_api": "SINCH_PORTAL_API_URL"}
APP_KEY = "669762D5-2B10-44E0-8418-BC9EE4457555"
PASSWORD = "bench-password-not-a-secret"
ORGS = {"small": 9100001, "large": 9100002, "rentals": 9100003}
RENTAL_APPS = ["b0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002"]
GROUP_BASE = 2000
ESTATE_ORG, ESTATE_GROUP = 9400000, 1999
FLOOR_PLAY = "log in + read once"
SIZE_CASES = (
    # (case, organisation, fields option: None for every key)
    ("10, every key", "small", None),
    ("10, fields [e164]", "small", ["e164"]),
    ("10, count only", "small", []),
    ("10,000, every key", "large", None),
    ("10,000, fields [e164]", "large", ["e164"]),
    ("10,000, count only", "large", []),
)


class BadOption(Exception):
    """An option the driver cannot run with; its message is one sentence for the user."""


class BenchFailed(Exception):
    """A benchmark run that failed; its message is one sentence for the user."""


# --- pure parts: pairing, statistics, options, table ------------------------------------------


def pair_schedule(pairs):
    """The order of a paired measurement: [(counted, order)], the warm-up pair first (not counted).

    order is ("a", "b") or ("b", "a"), alternating from one pair to the next, the warm-up pair
    being ("a", "b"), so the first counted pair is ("b", "a").
    """
    return [(index > 0, ("a", "b") if index % 2 == 0 else ("b", "a")) for index in range(pairs + 1)]


def run_pairs(pairs, run_a, run_b, before_a=None):
    """Run A and B in the order of pair_schedule; (A's results, B's results) of the counted pairs.

    before_a, when given, runs right before each A, outside A's own measurement (a reset).
    """
    kept = {"a": [], "b": []}
    for counted, order in pair_schedule(pairs):
        for side in order:
            if side == "a" and before_a is not None:
                before_a()
            value = run_a() if side == "a" else run_b()
            if counted:
                kept[side].append(value)
    return kept["a"], kept["b"]


def summarize(a_times, b_times):
    """Statistics of paired times: medians of A and B, the ratios A/B, their median, min, max and spread."""
    if not a_times or len(a_times) != len(b_times):
        raise ValueError("paired times need as many B times as A times, at least one")
    if any(value <= 0 for value in b_times):
        raise ValueError("a B time must be positive to divide by it")
    ratios = [a / b for a, b in zip(a_times, b_times)]
    return {
        "pairs": len(ratios),
        "median_a": statistics.median(a_times),
        "median_b": statistics.median(b_times),
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
        "min_ratio": min(ratios),
        "max_ratio": max(ratios),
        "spread": max(ratios) - min(ratios),
    }


def _whole(name, text, least):
    """A whole number of at least ``least`` from an option's text, else BadOption."""
    if not text.isdigit() or int(text) < least:
        raise BadOption("%s wants a whole number, %d or more, not %r" % (name, least, text))
    return int(text)


def check_options(raw):
    """Parsed options (argparse namespace of strings) -> dict of typed values; BadOption when one is wrong."""
    if not raw.pairs.isdigit() or int(raw.pairs) < MIN_PAIRS:
        raise BadOption("--pairs wants a whole number of pairs, %d or more (fewer cannot show a spread worth reading), not %r"
                        % (MIN_PAIRS, raw.pairs))
    parts = raw.rentals.split(",")
    if not all(part.isdigit() and int(part) > 0 for part in parts):
        raise BadOption("--rentals wants rental counts of 1 or more separated by commas, e.g. 1,10,50, not %r" % raw.rentals)
    rows = [part for part in raw.rows.split(",") if part]
    unknown = [part for part in rows if part not in ROW_GROUPS]
    if unknown or not rows:
        raise BadOption("--rows wants row groups from %s separated by commas, not %r" % (",".join(ROW_GROUPS), raw.rows))
    if not os.path.isdir(raw.work):
        raise BadOption("--work wants an existing directory for the driver's scratch files, not %r" % raw.work)
    estate = _whole("--estate", raw.estate, 0)
    if estate == 0:
        rows = [group for group in rows if group != "estate"]
        if not rows:
            raise BadOption("--rows estate with --estate 0 leaves nothing to measure")
    return {"work": os.path.abspath(raw.work), "pairs": int(raw.pairs), "rentals": [int(part) for part in parts],
            "estate": estate, "forks": _whole("--forks", raw.forks, 1),
            "rows": [group for group in ROW_GROUPS if group in rows]}


class _Parser(argparse.ArgumentParser):
    """argparse, whose errors are one sentence and exit status 2."""

    def error(self, message):
        self.exit(2, "bench: %s (try --help).\n" % message)


def parse_options(argv):
    """The driver's options from argv; one sentence and exit status 2 when they are wrong."""
    parser = _Parser(prog="bench_driver.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="an existing directory for scratch files (playbooks, inventories)")
    parser.add_argument("--pairs", default=str(DEFAULTS["pairs"]), help="counted pairs per row, %d or more (default: %%(default)s)" % MIN_PAIRS)
    parser.add_argument("--rentals", default=DEFAULTS["rentals"], help="rental counts of the role rows (default: %(default)s)")
    parser.add_argument("--estate", default=str(DEFAULTS["estate"]), help="organisations of the estate rows, 0 skips them (default: %(default)s)")
    parser.add_argument("--forks", default=str(DEFAULTS["forks"]), help="forks of the estate rows (default: %(default)s)")
    parser.add_argument("--rows", default=DEFAULTS["rows"], help="row groups to run, from read,size,role,estate (default: %(default)s)")
    try:
        return check_options(parser.parse_args(argv))
    except BadOption as err:
        parser.error(str(err))
    return None  # not reached: parser.error exits


def table_row(group, case, base, stats, requests_sent="-", writes="-", tasks="-"):
    """One row of the table: what was compared, its statistics and, where known, requests, writes and tasks of A."""
    return {"group": group, "case": case, "base": base, "stats": stats,
            "requests": requests_sent, "writes": writes, "tasks": tasks}


def _seconds(value):
    """Seconds with three significant digits or more: 0.0021, 0.400, 12.50."""
    if value < 0.1:
        return "%.4f" % value
    return "%.3f" % value if value < 10 else "%.2f" % value


def format_table(rows):
    """The Markdown table of the rows."""
    lines = ["| group | case (A) | compared with (B) | pairs | median A (s) | median B (s) | median ratio | min ratio | spread"
             " | requests | writes | tasks |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        stats = row["stats"]
        lines.append("| %s | %s | %s | %d | %s | %s | %.2f | %.2f | %.2f | %s | %s | %s |" % (
            row["group"], row["case"], row["base"], stats["pairs"], _seconds(stats["median_a"]), _seconds(stats["median_b"]),
            stats["median_ratio"], stats["min_ratio"], stats["spread"], row["requests"], row["writes"], row["tasks"]))
    return "\n".join(lines)


def median_of(runs, key):
    """The median of one count over runs, printed as a whole number when it is one."""
    value = statistics.median(run[key] for run in runs)
    return "%d" % value if value == int(value) else "%.1f" % value


def machine(load_start, load_end=None):
    """The machine line: platform, CPUs, CPU model, load average at start (and end), Python, ansible-core."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        core = importlib.metadata.version("ansible-core")
    except importlib.metadata.PackageNotFoundError:
        core = "unknown"
    load = "load average %s at start" % " ".join("%.2f" % value for value in load_start)
    if load_end is not None:
        load += ", %s at end" % " ".join("%.2f" % value for value in load_end)
    return "%s; %d CPU(s) (%s); %s; Python %s; ansible-core %s" % (
        platform.platform(), os.cpu_count() or 0, cpu, load, platform.python_version(), core)


def stamp():
    """An x-timestamp value: now, ISO 8601 UTC with milliseconds."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


def signed_headers(inst, path):
    """Headers of a GET signed as the API reference says (what the modules send); inst is (id, secret)."""
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


def fixture(rentals, estate):
    """The default fixture plus the benchmark's organisations, number groups and estate accounts."""
    with open("tests/emulator/fixtures/default.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for index, (name, org_id) in enumerate(sorted(ORGS.items())):
        data["users"].append({"id": 555000001 + index, "organisation_id": org_id, "password": PASSWORD,
                              "identities": [{"type": "email", "endpoint": "bench-%s@example.com" % name}]})
    data["organisations"].append({"id": ORGS["small"], "name": "Bench 10", "credit": {"amount": 100.0, "currencyId": "USD"},
                                  "applications": [], "numbers": [{"number": 14160000000 + i, "groupId": 13} for i in range(10)]})
    data["organisations"].append({"id": ORGS["large"], "name": "Bench 10,000", "credit": {"amount": 100.0, "currencyId": "USD"},
                                  "applications": [], "numbers": [{"number": 14170000000 + i, "groupId": 13} for i in range(10000)]})
    data["organisations"].append({"id": ORGS["rentals"], "name": "Bench rentals", "credit": {"amount": 100000.0, "currencyId": "USD"},
                                  "applications": RENTAL_APPS, "numbers": []})
    data["accounts"] = [{"id": ESTATE_ORG + i, "name": "Estate %d" % i, "credit": {"amount": 1000.0, "currencyId": "USD"},
                         "email": "estate-%d@example.com" % i, "password": PASSWORD} for i in range(estate)]
    data["number_groups"].append({
        "groupId": ESTATE_GROUP, "country": "US", "countryId": "US", "city": "ESTATE", "type": "Voice", "areaCode": "199",
        "cost": {"amount": 1.25, "currencyId": "USD"}, "capabilities": ["voice"], "stock": max(estate, 1),
        "next_number": 17900000000})
    for i in range(max(rentals)):
        data["number_groups"].append({
            "groupId": GROUP_BASE + i, "country": "US", "countryId": "US", "city": "BENCH %d" % i, "type": "Voice",
            "areaCode": "%03d" % (200 + i), "cost": {"amount": 1.0, "currencyId": "USD"}, "capabilities": ["voice"],
            "stock": 5, "next_number": 18800000000 + i * 1000})
    return data


def _writes(log):
    return len([entry for entry in log if entry["method"] != "GET" and entry["host"] == "portalapi"])


class Bench:
    """The measurements against one emulator, with scratch files under work."""

    def __init__(self, opts, urls):
        self.opts, self.urls, self.work = opts, urls, opts["work"]
        self.data = fixture(opts["rentals"], opts["estate"])
        self.rows = []

    # -- the emulator and ansible-playbook

    def admin(self, method, path, body=None):
        answer = requests.request(method, self.urls["portal_api"] + "/_admin" + path, json=body, timeout=120)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def reset(self):
        self.admin("POST", "/reset", {"fixture_data": self.data})

    def instance(self, name):
        """Log in as the bench user of an organisation: (instance id, secret)."""
        email = "bench-%s@example.com" % name
        login = requests.post("%s/v1/users/email/%s/authentication" % (self.urls["user_api"], email),
                              headers={"Authorization": "Application " + APP_KEY, "x-timestamp": stamp()},
                              json={"password": PASSWORD}, timeout=60)
        login.raise_for_status()
        auth = login.json()["authorization"]
        made = requests.post(self.urls["api"] + "/v1/instance",
                             headers={"Authorization": "User " + auth, "x-timestamp": stamp()},
                             json={"authorization": auth, "version": {"os": "bench", "platform": "bench"}}, timeout=60)
        made.raise_for_status()
        return made.json()["id"], made.json()["secret"]

    def write(self, name, content):
        path = os.path.join(self.work, name)
        with open(path, "w", encoding="utf-8") as handle:
            if name.endswith(".json"):
                json.dump(content, handle)
            elif name.endswith(".py"):
                handle.write(content)
            else:
                yaml.safe_dump(content, handle, sort_keys=False, width=1000)
        return path

    def ansible_playbook(self, args, env=None):
        """(wall seconds, emulator request log) of one ansible-playbook run; BenchFailed when it fails."""
        self.admin("DELETE", "/requests")
        started = time.perf_counter()
        done = subprocess.run(["ansible-playbook"] + args, env=dict(os.environ, ANSIBLE_RETRY_FILES_ENABLED="False", **(env or {})),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.stdout.write(done.stdout[-6000:])
            raise BenchFailed("the benchmark run of %s failed (exit status %d; its output's end is above)." % (args[-1], done.returncode))
        return wall, self.admin("GET", "/requests")

    def run_play(self, path, extra=None):
        """One run of a playbook on localhost with the task timer: {seconds, rows, requests, writes, tasks}."""
        out = os.path.join(self.work, "timer.json")
        args = ["-i", "localhost,", "-c", "local"] + (["-e", "@" + extra] if extra else []) + [path]
        wall, log = self.ansible_playbook(args, {"BENCH_TIMER_OUT": out, "ANSIBLE_CALLBACK_PLUGINS": self.work,
                                                 "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
                                                 "ANSIBLE_PYTHON_INTERPRETER": sys.executable})
        with open(out, encoding="utf-8") as handle:
            rows = json.load(handle)
        ran = [row for row in rows if row["status"] != "skipped"]
        return {"seconds": wall, "rows": rows, "requests": len(log), "writes": _writes(log), "tasks": len(ran)}

    def connection(self, inst, org):
        return {"user_api_url": self.urls["user_api"], "api_url": self.urls["api"], "portal_api_url": self.urls["portal_api"],
                "instance_id": inst[0], "instance_secret": inst[1], "organisation_id": ORGS[org]}

    # -- read and size rows: task pairs in one play per pair, floors in this process

    def task_cases(self, sessions):
        """[(group, case, A task, B task, base name, floor GET or None)] of the read and size rows chosen."""
        def uri(host, path):
            return {"ansible.builtin.uri": {"url": self.urls[host] + path, "headers": signed_headers(sessions["small"], path),
                                            "return_content": True}}

        def numbers(org):
            return "/v1/organisations/id/%d/numbers" % ORGS[org]

        def uri_numbers(org):
            return {"ansible.builtin.uri": {"url": self.urls["portal_api"] + numbers(org), "headers": signed_headers(sessions[org], numbers(org)),
                                            "return_content": True}}

        conn = self.connection(sessions["small"], "small")
        cases = []
        if "read" in self.opts["rows"]:
            cases += [
                ("read", "sinch_organisation_info", {"sinch.numbers.sinch_organisation_info": conn},
                 uri("api", "/v1/organisations"), "uri GET organisation", None),
                ("read", "sinch_number_shop_info", {"sinch.numbers.sinch_number_shop_info": conn},
                 uri("portal_api", "/v1/organisations/id/%d/numbers/shop" % ORGS["small"]), "uri GET shop", None),
                ("read", "sinch_number_info", {"sinch.numbers.sinch_number_info": conn}, uri_numbers("small"), "uri GET numbers", None),
            ]
        if "size" in self.opts["rows"]:
            for case, org, fields in SIZE_CASES:
                options = self.connection(sessions[org], org)
                if fields is not None:
                    options["fields"] = fields
                cases.append(("size", "sinch_number_info " + case, {"sinch.numbers.sinch_number_info": options}, uri_numbers(org),
                              "uri GET the same %s numbers" % ("10" if org == "small" else "10,000"), (sessions[org], numbers(org))))
        return cases

    def floor(self, inst, path):
        """Seconds of one signed GET of path with requests and the parse of its JSON (signing not timed)."""
        headers = signed_headers(inst, path)
        started = time.perf_counter()
        answer = requests.get(self.urls["portal_api"] + path, headers=headers, timeout=120)
        answer.raise_for_status()
        answer.json()
        return time.perf_counter() - started

    def floors(self, cases):
        """{case: seconds of its floor} for the cases that have one."""
        return {name: self.floor(*get) for _group, name, _a, _b, _base, get in cases if get}

    def measure_tasks(self):
        sessions = {"small": self.instance("small"), "large": self.instance("large")}
        names = [case[1] for case in self.task_cases(sessions)]
        times = {name: {"a": [], "b": [], "floor": []} for name in names}
        per_task = []
        for number, (counted, order) in enumerate(pair_schedule(self.opts["pairs"])):
            progress("read and size rows: pair %d of %d%s" % (number, self.opts["pairs"], " (warm-up)" if not counted else ""))
            cases = self.task_cases(sessions)  # signed now: fresh timestamps
            floors = {}
            tasks = []
            for _group, name, task_a, task_b, _base, _get in cases:
                pair = {"a": task_a, "b": task_b}
                for side in order:
                    tasks.append(dict({"name": "%s|%s" % (side, name), "register": "out"}, **pair[side]))
            path = self.write("tasks.yml", [{"name": "bench tasks", "hosts": "localhost", "gather_facts": False, "tasks": tasks}])
            if order[0] == "b":
                floors = self.floors(cases)
            run = self.run_play(path)
            if order[0] == "a":
                floors = self.floors(cases)
            per_task.append((run["requests"], run["writes"], len(tasks)))
            if not counted:
                continue
            for row in run["rows"]:
                side, name = row["name"].split("|", 1)
                times[name][side].append(row["seconds"])
            for name, seconds in floors.items():
                times[name]["floor"].append(seconds)
        # Every task sends one GET, so a play's log holds as many GETs as it has tasks, and no write.
        each = "1" if all(sent == tasks and writes == 0 for sent, writes, tasks in per_task) else "?"
        for group, name, _a, _b, base, get in self.task_cases(sessions):
            self.rows.append(table_row(group, name, base, summarize(times[name]["a"], times[name]["b"]), each, "0", "1"))
            if get:
                self.rows.append(table_row(group, name, "one signed requests GET of the same list, in the driver",
                                           summarize(times[name]["a"], times[name]["floor"]), each, "0", "1"))

    # -- role rows

    def rentals_vars(self, count):
        rentals = []
        for i in range(count):
            entry = {"name": "bench-%d" % i, "group_id": GROUP_BASE + i, "count": 1}
            if i % 2:
                entry["application_key"] = RENTAL_APPS[i % 4 // 2]
            rentals.append(entry)
        return self.write("rentals-%d.json" % count, {
            "number_rental_email": "bench-rentals@example.com", "number_rental_password": PASSWORD,
            "number_rental_organisation_id": ORGS["rentals"], "number_rental_user_api_url": self.urls["user_api"],
            "number_rental_api_url": self.urls["api"], "number_rental_portal_api_url": self.urls["portal_api"],
            "number_rental_rentals": rentals})

    def measure_role(self):
        role = self.write("role.yml", [{"name": "bench role", "hosts": "localhost", "gather_facts": False,
                                        "roles": [{"role": "sinch.numbers.number_rental"}]}])
        urls = {"user_api_url": self.urls["user_api"], "api_url": self.urls["api"], "portal_api_url": self.urls["portal_api"]}
        floor_play = self.write("reads.yml", [{"name": "bench: log in and read the rented numbers once", "hosts": "localhost",
                                               "gather_facts": False, "tasks": [
                                                   {"name": "Log in", "no_log": True, "register": "session",
                                                    "sinch.numbers.sinch_session": dict(urls, email="bench-rentals@example.com", password=PASSWORD)},
                                                   {"name": "Read the rented numbers", "register": "held", "sinch.numbers.sinch_number_info": dict(
                                                       urls, instance_id="{{ session.instance_id }}", instance_secret="{{ session.instance_secret }}",
                                                       organisation_id="{{ session.organisation.id }}")}]}])
        for count in self.opts["rentals"]:
            extra = self.rentals_vars(count)
            for label, before in (("first run", self.reset), ("re-run", None)):
                progress("role rows: %d rental(s), %s, %d pairs after a warm-up pair" % (count, label, self.opts["pairs"]))
                runs_a, runs_b = run_pairs(self.opts["pairs"], lambda extra=extra: self.run_play(role, extra),
                                           lambda extra=extra: self.run_play(floor_play, extra), before)
                stats = summarize([run["seconds"] for run in runs_a], [run["seconds"] for run in runs_b])
                base = "%s (%s requests, %s tasks)" % (FLOOR_PLAY, median_of(runs_b, "requests"), median_of(runs_b, "tasks"))
                self.rows.append(table_row("role", "%d rental(s), %s" % (count, label), base, stats, median_of(runs_a, "requests"),
                                           median_of(runs_a, "writes"), median_of(runs_a, "tasks")))

    # -- estate rows

    def estate_inventory(self, count):
        """An inventory of count organisations of the estate, one host each, renting one number each."""
        hosts = {}
        for i in range(count):
            hosts["org-%03d" % i] = {
                "number_rental_organisation_id": ESTATE_ORG + i, "number_rental_email": "estate-%d@example.com" % i,
                "number_rental_password": PASSWORD,
                "number_rental_rentals": [{"name": "estate", "group_id": ESTATE_GROUP, "count": 1}]}
        group_vars = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                      "number_rental_user_api_url": self.urls["user_api"], "number_rental_api_url": self.urls["api"],
                      "number_rental_portal_api_url": self.urls["portal_api"], "number_rental_lock_path": os.path.join(self.work, "locks")}
        return self.write("estate-%d.yml" % count, {"sinch_organisations": {"vars": group_vars, "hosts": hosts}})

    def run_estate(self, inventory, first=False):
        wall, log = self.ansible_playbook(["-i", inventory, "--forks", str(self.opts["forks"]), "playbooks/estate.yml"])
        rented = sum(len(p["numbers"]) for p in self.admin("GET", "/state")["purchases"]) if first else None
        return {"seconds": wall, "requests": len(log), "writes": _writes(log), "rented": rented}

    def measure_estate(self):
        os.makedirs(os.path.join(self.work, "locks"), mode=0o700, exist_ok=True)
        count, forks = self.opts["estate"], self.opts["forks"]
        many, one = self.estate_inventory(count), self.estate_inventory(1)
        rented = []
        for label, first in (("first run", True), ("re-run", False)):
            progress("estate rows: %d organisations, %s, %d pairs after a warm-up pair" % (count, label, self.opts["pairs"]))
            runs_a, runs_b = run_pairs(self.opts["pairs"], lambda first=first: self.run_estate(many, first),
                                       lambda: self.run_estate(one), self.reset if first else None)
            if first:
                rented = [run["rented"] for run in runs_a]
            stats = summarize([run["seconds"] for run in runs_a], [run["seconds"] for run in runs_b])
            base = "1 organisation, re-run (%s requests)" % median_of(runs_b, "requests")
            self.rows.append(table_row("estate", "%d organisations, %s, forks %d" % (count, label, forks), base, stats,
                                       median_of(runs_a, "requests"), median_of(runs_a, "writes")))
        return "estate first runs: %s number(s) rented for %d organisations of one floor each (sum of the floors: %d)" % (
            "/".join(str(value) for value in sorted(set(rented))), count, count)

    def run(self):
        self.write("bench_timer.py", TIMER)
        self.reset()
        notes = []
        if "read" in self.opts["rows"] or "size" in self.opts["rows"]:
            self.measure_tasks()
        if "role" in self.opts["rows"]:
            self.measure_role()
        if "estate" in self.opts["rows"]:
            notes.append(self.measure_estate())
        return notes


def progress(message):
    sys.stderr.write("bench: %s\n" % message)
    sys.stderr.flush()


def main(argv=None):
    opts = parse_options(sys.argv[1:] if argv is None else argv)
    missing = [name for name in ENV_URLS.values() if not os.environ.get(name)]
    if missing:
        sys.stderr.write("bench: %s must name the emulator's URLs (the bench command sets them).\n" % ", ".join(missing))
        return 2
    if not os.path.isfile("tests/emulator/fixtures/default.yml"):
        sys.stderr.write("bench: run it from the laid-out collection (no tests/emulator/fixtures/default.yml here).\n")
        return 2
    load_start = os.getloadavg()
    progress("machine: " + machine(load_start))
    bench = Bench(opts, {key: os.environ[name] for key, name in ENV_URLS.items()})
    try:
        notes = bench.run()
    except BenchFailed as err:
        sys.stderr.write("bench: %s\n" % err)
        return 1
    except requests.RequestException as err:
        sys.stderr.write("bench: the emulator did not answer as expected (%s).\n" % err)
        return 1
    print("machine: " + machine(load_start, os.getloadavg()))
    print("\n%d counted pairs per row, interleaved (A before B, then B before A), after a warm-up pair; ratio = A/B;"
          " spread = largest ratio - smallest ratio; requests, writes and tasks are A's (medians)\n" % opts["pairs"])
    print(format_table(bench.rows))
    for note in notes:
        print("\n" + note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
