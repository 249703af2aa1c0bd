"""The keep_numbers rulebook with the real ansible-rulebook, against the emulator (step "eda" of scripts/test.sh).

Called by the test command's eda step (scripts/sinch_dev/release.py) with the emulator started (SINCH_* URLs and credentials in the environment),
ansible-rulebook and ansible-playbook first on PATH, and the collection installed in --collections:

    python scripts/eda_check.py --collections DIR --work DIR [--timeout 120]

1. Drift: the organisation converged (playbooks/main.yml of the installed collection), the rulebook
   (extensions/eda/rulebooks/keep_numbers.yml, read every 2 s and a 5 s cool-down instead of its 5 min and
   1 min) running; a number is taken off its application through the emulator's admin API. Within the
   timeout the application holds it again: one unassigned event, one renting run (its summary and plan id
   reported), exactly one write (the application's voice numbers) and no reserve, checkout or purchase.
2. A renting run that fails (its overwrite refused once): tried again by ansible-rulebook (the rule's retries,
   3 s apart instead of 300), the second run repairs; one repair, two runs, one report, no purchase.
3. Expiry: a fresh ansible-rulebook with a number expiring in 5 days: one expiring event over several
   readings, one renting run, no purchase.
4. Unreadable listings (applicationKey left out of every record, then also capabilities): no gone,
   unassigned or moved event, and no renting run; the applications' listings were read to contradict the
   missing keys, and the unreadable capabilities said once.
5. No password, user authorization or instance secret in the output of any ansible-rulebook.
Every process it starts is stopped, whatever happens.
"""

import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time

import requests
import yaml

APP = "bb7b4e39-4227-4913-8c81-2db4abb54fb3"
TAKEN = 14150005551
EXPIRING = 14150005550
FAR = "2099-12-31T23:59:59+00:00"
ORG_NUMBERS = "/v1/organisations/id/8888123/numbers"


def fail(message):
    print("FAILED: %s" % message, file=sys.stderr)
    sys.exit(1)


def admin(method, path, body=None):
    url = os.environ["SINCH_API_URL"] + "/_admin/" + path
    response = requests.request(method, url, json=body, timeout=30)
    if response.status_code >= 400:
        fail("the emulator's admin API refused %s %s: %s" % (method, path, response.text))
    return response.json() if response.content else None


def wait_for(what, check, timeout):
    """Poll ``check`` until it returns something true, at most ``timeout`` seconds; fail saying ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    fail("%s did not happen within %d s" % (what, timeout))
    return None


class Rulebook(object):
    """One ansible-rulebook process, its output in a file, stopped (its whole process group) by stop()."""

    def __init__(self, rulebook, inventory, log, env):
        self.log = log
        self.handle = open(log, "w", encoding="utf-8")
        self.process = subprocess.Popen(["ansible-rulebook", "-r", rulebook, "-i", inventory], stdout=self.handle,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                        start_new_session=True)

    def output(self):
        with open(self.log, encoding="utf-8", errors="replace") as handle:
            return re.sub(r"\x1b\[[0-9;]*m", "", handle.read())

    def count(self, pattern):
        return len(re.findall(pattern, self.output()))

    def alive(self):
        if self.process.poll() is not None:
            print(self.output())
            fail("ansible-rulebook ended (exit status %s)" % self.process.returncode)
        return True

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(20)
        self.handle.close()


def test_rulebook(shipped, path):
    """The shipped rulebook with a 2 s interval and a 5 s cool-down; everything else as shipped (and checked)."""
    with open(shipped, encoding="utf-8") as handle:
        rulesets = yaml.safe_load(handle)
    ruleset = rulesets[0]
    source = ruleset["sources"][0]["sinch.numbers.number_events"]
    rules = dict((rule["name"], rule) for rule in ruleset["rules"])
    repair = rules.get("Repair drift with the renting job")
    if repair is None or source.get("interval") != 300 or repair["throttle"].get("once_after") != "1 minute":
        fail("keep_numbers.yml no longer has the repair rule, the 300 s interval or the 1 minute cool-down this step changes")
    runs = [action["run_playbook"] for action in repair["actions"] if "run_playbook" in action]
    if [run.get("name") for run in runs] != ["sinch.numbers.main"]:
        fail("keep_numbers.yml's repair rule does not run sinch.numbers.main (once)")
    if runs[0].get("retries") != 2 or runs[0].get("delay") != 300:
        fail("keep_numbers.yml's renting run is no longer tried again twice after 300 s, as this step changes")
    source["interval"] = 2
    repair["throttle"]["once_after"] = "5 seconds"
    runs[0]["delay"] = 3
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(rulesets, handle, sort_keys=False)


def fixture(source):
    """The default fixture with the organisation's numbers far from their expiry."""
    with open(source, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for organisation in data["organisations"]:
        for number in organisation.get("numbers", []):
            number["expires"] = FAR
    return data


def application_numbers(key):
    state = admin("GET", "state")
    return sorted(number["number"] for organisation in state["organisations"] for number in organisation["numbers"]
                  if number.get("applicationKey", number.get("application_key")) == key)


def requests_since(seq):
    return [item for item in admin("GET", "requests") if item["seq"] > seq]


def last_seq():
    log = admin("GET", "requests")
    return log[-1]["seq"] if log else 0


def reads_after(seq):
    return len([item for item in requests_since(seq) if item["method"] == "GET" and item["path"] == ORG_NUMBERS])


def writes(items):
    """The requests that change the organisation (logging in and creating an instance change nothing on it)."""
    return [(item["method"], item["path"]) for item in items
            if item["method"] != "GET" and item["host"] == "portalapi"]


def check_drift(args, env, rulebook, inventory):
    admin("POST", "reset", {"fixture_data": fixture(args.fixture)})
    playbook = os.path.join(args.collections, "ansible_collections/sinch/numbers/playbooks/main.yml")
    try:
        converge = subprocess.run(["ansible-playbook", "-i", inventory, playbook], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, universal_newlines=True, check=False,
                                  timeout=args.timeout, start_new_session=True)
    except subprocess.TimeoutExpired:
        fail("converging with playbooks/main.yml did not end within %d s" % args.timeout)
    if converge.returncode != 0:
        print(converge.stdout)
        fail("converging with playbooks/main.yml failed")
    declared = application_numbers(APP)
    if TAKEN not in declared:
        fail("after converging, application %s does not hold %d: %s" % (APP, TAKEN, declared))
    purchases = len(admin("GET", "state")["purchases"])
    run = Rulebook(rulebook, inventory, os.path.join(args.work, "drift.log"), env)
    try:
        wait_for("the snapshot event", lambda: run.alive() and run.count(r"sinch\.numbers snapshot: "), args.timeout)
        seq = last_seq()
        admin("POST", "numbers/%d" % TAKEN, {"application_key": None})
        print("took %d off application %s" % (TAKEN, APP))
        wait_for("the application holding its numbers again, reported",
                 lambda: run.alive() and application_numbers(APP) == declared and run.count(r"sinch\.numbers repaired: "),
                 args.timeout)
        # One reading after the run: it sees the number back on its application (and nothing starts another run).
        wait_for("the reading after the renting run",
                 lambda: run.alive() and run.count(r"sinch\.numbers event: assigned \+%d " % TAKEN), args.timeout)
    finally:
        run.stop()
    output = run.output()
    print(output)
    after = requests_since(seq)
    expected = [("PUT", "/v1/applications/key/%s/numbers/voice" % APP)]
    if writes(after) != expected:
        fail("the renting run sent %s, not exactly %s" % (writes(after), expected))
    put = [item for item in after if item["method"] == "PUT"][0]
    if TAKEN not in put["body"]["numbers"]:
        fail("the overwrite did not put %d back: %s" % (TAKEN, put["body"]))
    if len(admin("GET", "state")["purchases"]) != purchases:
        fail("the renting run bought numbers")
    for pattern, count in ((r"sinch\.numbers event: unassigned \+%d " % TAKEN, 1),
                           (r"sinch\.numbers repair: running the renting job", 1), (r"PLAY RECAP", 1),
                           (r"Plan id: snp2-", 1), (r"sinch\.numbers repaired: .*\(plan snp2-", 1),
                           (r"sinch\.numbers event: (gone|moved|unassigned) ", 1)):
        if len(re.findall(pattern, output)) != count:
            found = len(re.findall(pattern, output))
            fail("the drift run's output has %d lines matching %r, not %d" % (found, pattern, count))
    print("drift: %d back on %s after one renting run, one write, no purchase" % (TAKEN, APP))
    return output


def check_failed_run(args, env, rulebook, inventory):
    """A renting run that fails (the overwrite refused with HTTP 500, not repeated by the client) is tried again once
    by ansible-rulebook (the rule's retries), and the second run repairs: one event, one repair, two runs, one report."""
    declared = application_numbers(APP)
    purchases = len(admin("GET", "state")["purchases"])
    overwrite = "/v1/applications/key/%s/numbers/voice" % APP
    run = Rulebook(rulebook, inventory, os.path.join(args.work, "failed-run.log"), env)
    try:
        wait_for("the snapshot event", lambda: run.alive() and run.count(r"sinch\.numbers snapshot: "), args.timeout)
        seq = last_seq()
        admin("POST", "faults", {"action": "error", "status": 500, "error_code": 50000, "method": "PUT",
                                 "path": overwrite, "count": 1})
        admin("POST", "numbers/%d" % TAKEN, {"application_key": None})
        print("took %d off application %s, its overwrite to fail once" % (TAKEN, APP))
        wait_for("the application holding its numbers again after a failed run, reported",
                 lambda: run.alive() and application_numbers(APP) == declared and run.count(r"sinch\.numbers repaired: "),
                 args.timeout)
        wait_for("the reading after the second run",
                 lambda: run.alive() and run.count(r"sinch\.numbers event: assigned \+%d " % TAKEN), args.timeout)
    finally:
        run.stop()
    output = run.output()
    print(output)
    after = requests_since(seq)
    puts = [item["status"] for item in after if item["method"] == "PUT" and item["path"] == overwrite]
    if writes(after) != [("PUT", overwrite)] * 2 or puts != [500, 200]:
        fail("the failed and retried run sent %s (statuses %s), not the overwrite refused then accepted" % (
            writes(after), puts))
    if len(admin("GET", "state")["purchases"]) != purchases:
        fail("the retried run bought numbers")
    for pattern, count in ((r"sinch\.numbers event: unassigned \+%d " % TAKEN, 1),
                           (r"sinch\.numbers repair: running the renting job", 1), (r"PLAY RECAP", 2),
                           (r"Previous run_playbook failed\. Retry 1 of 2", 1), (r"Retry 2 of 2", 0),
                           (r"sinch\.numbers repaired: .*\(plan snp2-.*complete True\)", 1)):
        if len(re.findall(pattern, output)) != count:
            found = len(re.findall(pattern, output))
            fail("the failed run's output has %d lines matching %r, not %d" % (found, pattern, count))
    print("failed run: tried again once by ansible-rulebook, %d back on %s, no purchase" % (TAKEN, APP))
    return output


def check_expiry_and_unreadable(args, env, rulebook, inventory):
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).replace(microsecond=0)
    admin("POST", "numbers/%d" % EXPIRING, {"expires": soon.isoformat()})
    purchases = len(admin("GET", "state")["purchases"])
    declared = application_numbers(APP)
    seq = last_seq()
    run = Rulebook(rulebook, inventory, os.path.join(args.work, "expiry.log"), env)
    try:
        wait_for("the renting run after the expiring event",
                 lambda: run.alive() and run.count(r"sinch\.numbers repaired: "), args.timeout)
        # Readings after the run: the number still expires soon, and warns no more.
        runs_done = last_seq()
        wait_for("three readings after the renting run", lambda: run.alive() and reads_after(runs_done) >= 3, args.timeout)
        # Unreadable listings: the application key left out of every record (twice), then with the capabilities.
        armed = last_seq()
        admin("POST", "faults", {"action": "omit_fields", "fields": ["applicationKey"], "method": "GET",
                                 "path": ORG_NUMBERS, "count": 2})
        admin("POST", "faults", {"action": "omit_fields", "fields": ["applicationKey", "capabilities"],
                                 "method": "GET", "path": ORG_NUMBERS, "count": 2})
        wait_for("the faulted readings", lambda: run.alive() and not admin("GET", "faults"), args.timeout)
        faulted = last_seq()
        wait_for("two readings after the faulted ones", lambda: run.alive() and reads_after(faulted) >= 2, args.timeout)
    finally:
        run.stop()
    output = run.output()
    print(output)
    after = requests_since(seq)
    # Not vacuous: the listings without applicationKey read as numbers taken off, which the applications' own
    # listings contradicted (one read per application and reading), and the unreadable capabilities were said.
    confirming = [item for item in requests_since(armed) if item["method"] == "GET"
                  and re.fullmatch(r"/v1/applications/key/[^/]+/numbers", item["path"])]
    if len(confirming) < 2:
        fail("the listings without applicationKey were not checked against the applications' listings (%d reads)"
             % len(confirming))
    if len(re.findall(r"fields that cannot be read \(capabilities on ", output)) != 1:
        fail("the source did not say once that the capabilities could not be read")
    if len(admin("GET", "state")["purchases"]) != purchases or any("/numbers/shop" in item["path"] for item in after):
        fail("the expiry run reserved or bought numbers")
    if application_numbers(APP) != declared:
        fail("application %s changed: %s, not %s" % (APP, application_numbers(APP), declared))
    for pattern, count in ((r"sinch\.numbers event: expiring ", 1), (r"sinch\.numbers event: expiring \+%d " % EXPIRING, 1),
                           (r"sinch\.numbers event: (gone|unassigned|moved) ", 0), (r"PLAY RECAP", 1),
                           (r"sinch\.numbers repaired: ", 1)):
        if len(re.findall(pattern, output)) != count:
            found = len(re.findall(pattern, output))
            fail("the expiry run's output has %d lines matching %r, not %d" % (found, pattern, count))
    print("expiry: one expiring event, one renting run, no purchase; unreadable listings: no gone, unassigned or moved")
    return output


def check_no_secret(outputs):
    secrets = admin("GET", "secrets")
    values = [os.environ["SINCH_PASSWORD"]] + secrets["user_authorizations"] + secrets["instance_secrets"]
    if len(values) < 3:
        fail("the emulator issued no secret to look for")
    for value in values:
        for name, output in outputs:
            if value and value in output:
                fail("a secret appears in the output of the %s rulebook run" % name)
    print("no password, user authorization or instance secret (%d looked for) in any output" % len(values))


def stopped(signum, _frame):
    """SIGTERM (the test command stopped, a CI job cancelled) as an exit, so that every ``finally`` stops its
    ansible-rulebook: they run in sessions of their own, which a signal to this one does not reach."""
    raise SystemExit("eda_check: stopped by signal %d" % signum)


def main():
    signal.signal(signal.SIGTERM, stopped)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections", required=True, help="where sinch.numbers is installed (ansible_collections above)")
    parser.add_argument("--work", required=True)
    parser.add_argument("--fixture", required=True, help="the emulator's default fixture")
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    shipped = os.path.join(args.collections, "ansible_collections/sinch/numbers/extensions/eda/rulebooks/keep_numbers.yml")
    rulebook = os.path.join(args.work, "keep_numbers.yml")
    test_rulebook(shipped, rulebook)
    inventory = os.path.join(args.work, "inventory.yml")
    with open(inventory, "w", encoding="utf-8") as handle:
        json.dump({"all": {"hosts": {"localhost": {"ansible_connection": "local",
                                                   "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}},
                  handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=args.collections, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               ANSIBLE_HOME=os.path.join(args.work, "ansible-home"), ANSIBLE_LOCAL_TEMP=os.path.join(args.work, "tmp"))
    outputs = [("drift", check_drift(args, env, rulebook, inventory)),
               ("failed run", check_failed_run(args, env, rulebook, inventory)),
               ("expiry", check_expiry_and_unreadable(args, env, rulebook, inventory))]
    check_no_secret(outputs)


if __name__ == "__main__":
    main()
