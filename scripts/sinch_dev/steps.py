"""The steps of the test command that check the sources: sanity, ansible-doc, units, emulator, integration,
lint, changelog, molecule. The release steps are in release.py.

Each function takes the run's Context and the job's Log, and returns a note for the summary.
"""

import glob
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET

from . import balance, layout
from .project import (DEFAULT_EMAIL, DEFAULT_ORGANISATION_ID, DEFAULT_PASSWORD, Cancelled, Emulator, StepFailed, StepSkipped,
                      stop_emulators)


def sanity(ctx, log):
    """ansible-test sanity --requirements, no ignore files, in the clone's own ansible-test home."""
    bypass = sorted(glob.glob(os.path.join(ctx.project.coll, "tests", "sanity", "ignore-*.txt"))
                    + glob.glob(os.path.join(ctx.project.coll, "tests", "sanity", "skip-*.txt")))
    if bypass:
        raise StepFailed("sanity ignore/skip files are not allowed; fix the findings instead: %s"
                         % " ".join(os.path.relpath(path, ctx.project.coll) for path in bypass))
    coll = ctx.job_copy("sanity")
    home = ctx.ansible_test_home()
    lines = []
    ctx_env = ctx.env(coll, HOME=home)
    log.run(["ansible-test", "sanity", "--requirements", "--python", ctx.py_version], cwd=coll, env=ctx_env, output=lines)
    if any(line.startswith("WARNING: All targets skipped") for line in lines):
        raise StepFailed("ansible-test sanity found no files to test in the laid-out collection")
    return ctx.tools_note()


def plugin_names(coll):
    """TYPE:sinch.numbers.NAME of every module, lookup plugin and documented filter."""
    specs = []
    for kind, pattern in (("module", "plugins/modules/*.py"), ("lookup", "plugins/lookup/*.py"), ("filter", "plugins/filter/*.yml")):
        for path in sorted(glob.glob(os.path.join(coll, pattern))):
            name = os.path.splitext(os.path.basename(path))[0]
            if name != "__init__":
                specs.append("%s:sinch.numbers.%s" % (kind, name))
    return specs


def ansible_doc(ctx, log):
    """Every plugin's documentation rendered by ansible-doc, all in one process."""
    specs = plugin_names(ctx.project.coll)
    if not any(spec.startswith("module:") for spec in specs):
        raise StepSkipped("no modules in plugins/modules yet")
    log.run([ctx.python, os.path.join(ctx.project.root, "scripts", "sinch_dev", "render_docs.py")] + specs,
            cwd=ctx.project.build, env=ctx.env())
    return "%d plugin docs rendered, %s" % (len(specs), ctx.tools_note())


def count_testcases(junit_dir, pattern="*units.xml"):
    """The number of <testcase> entries in ansible-test's junit files (it takes "no tests" for success)."""
    total = 0
    for path in glob.glob(os.path.join(junit_dir, pattern)):
        total += len(ET.parse(path).getroot().findall(".//testcase"))
    return total


def all_unit_tests(coll):
    """Every unit test file of COLL (relative paths)."""
    return sorted(os.path.relpath(path, coll) for path in glob.glob(os.path.join(coll, "tests", "unit", "**", "test_*.py"), recursive=True))


def run_unit_tests(log, coll, env, python, py_version, core, plain):
    """ansible-test units on the test files CORE (those that reach ansible-core: each test in a fork of its own, with
    ansible-test's collection loader, as collections' CI runs them), then pytest on the files PLAIN (those that do not:
    the same tests, in pytest's workers without a fork per test). Returns (tests ansible-test ran, tests pytest ran),
    from their junit files; a runner given files that ran no test fails (ansible-test takes "no tests" for success)."""
    junit = os.path.join(coll, "tests", "output", "junit")
    shutil.rmtree(junit, ignore_errors=True)
    plain_xml = os.path.join(junit, "python%s-plain-units.xml" % py_version)
    if core:
        log.run(["ansible-test", "units", "--python", py_version] + list(core), cwd=coll, env=env)
    if plain:
        os.makedirs(junit, exist_ok=True)
        plain_env = dict(env, PYTHONPATH=layout.collections_root(coll))
        log.run([python, "-m", "pytest", "-r", "a", "-n", "auto", "-p", "no:cacheprovider", "--strict-markers", "-o", "xfail_strict=true",
                 "-o", "junit_family=xunit1", "--rootdir", coll, "--junit-xml", plain_xml] + list(plain), cwd=coll, env=plain_env)
    counts = (count_testcases(junit) - count_testcases(junit, os.path.basename(plain_xml)), count_testcases(junit, os.path.basename(plain_xml)))
    if core and not counts[0]:
        raise StepFailed("ansible-test units ran no test of the %d files that reach ansible-core" % len(core))
    if plain and not counts[1]:
        raise StepFailed("pytest ran no test of the %d other unit test files" % len(plain))
    return counts


def units(ctx, log):
    """No test name defined twice, then every unit test: ansible-test units on those that reach ansible-core, pytest on the rest."""
    from .compat import core_tests  # pylint: disable=import-outside-toplevel
    files = all_unit_tests(ctx.project.coll)
    if not files:
        raise StepSkipped("no tests/unit/**/test_*.py files yet")
    log.run([ctx.python, "scripts/check_test_names.py", "tests/unit", "tests/emulator/tests"], cwd=ctx.project.coll, env=ctx.env())
    coll = ctx.job_copy("units")
    core = core_tests(coll)
    plain = [path for path in files if path not in core]
    by_ansible_test, by_pytest = run_unit_tests(log, coll, ctx.env(coll, HOME=ctx.ansible_test_home()), ctx.python, ctx.py_version,
                                                core, plain)
    return "%d unit tests (%d of %d files by ansible-test units, %d of %d files by pytest), %s" % (
        by_ansible_test + by_pytest, by_ansible_test, len(core), by_pytest, len(plain), ctx.tools_note())


def emulator_tests(ctx, log):
    """The emulator's own tests (pytest)."""
    tests_dir = os.path.join(ctx.project.coll, "tests", "emulator", "tests")
    files = glob.glob(os.path.join(tests_dir, "test_*.py")) + glob.glob(os.path.join(tests_dir, "*_test.py"))
    if not files:
        raise StepSkipped("tests/emulator/tests has no test files yet")
    rc = log.run([ctx.python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/emulator/tests"], cwd=ctx.project.coll,
                 env=ctx.env(), check=False)
    if rc == 5:
        raise StepFailed("pytest collected no tests in tests/emulator/tests although %d test file(s) exist" % len(files))
    if rc:
        raise StepFailed("the emulator's tests failed (pytest exit status %d)" % rc)
    return ctx.tools_note()


# --- integration --------------------------------------------------------------------------------------

def integration_config(emulator, locks):
    """tests/integration/integration_config.yml for one group's emulator and lock directory."""
    return "\n".join([
        "---",
        "# Written by the test command for the emulator of this group of targets.",
        'sinch_user_api_url: "%s"' % emulator.urls["SINCH_USER_API_URL"],
        'sinch_api_url: "%s"' % emulator.urls["SINCH_API_URL"],
        'sinch_portal_api_url: "%s"' % emulator.urls["SINCH_PORTAL_API_URL"],
        'sinch_email: "%s"' % DEFAULT_EMAIL,
        'sinch_password: "%s"' % DEFAULT_PASSWORD,
        "sinch_organisation_id: %s" % DEFAULT_ORGANISATION_ID,
        "# The renting lock and pending purchases of the tests: in the build directory, never in /var/tmp.",
        'sinch_lock_path: "%s"' % locks,
        "",
    ])


TARGET_START = re.compile(r"^Running \S+ integration test (role|script)")


def target_times(coll):
    """{target: seconds} from the data files ansible-test integration writes into tests/output/data."""
    times = {}
    for path in sorted(glob.glob(os.path.join(coll, "tests", "output", "data", "integration-*.json"))):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        for name, target in (data.get("targets") or {}).items():
            times[name] = target.get("run_time_seconds")
    return times


def integration_groups(ctx):
    """The integration targets to run (SN_TARGETS or every runnable one), split into groups by last run's times."""
    targets = ctx.targets or balance.runnable_targets(os.path.join(ctx.project.coll, "tests", "integration", "targets"))
    times = {name[len("target:"):]: seconds for name, seconds in ctx.known_times.items() if name.startswith("target:")}
    return balance.split(targets, times, ctx.slots), times


def record_targets(ctx, job, targets, starts, ended, measured, stopped=False):
    """Name every target of a group in its summary lines, with its time (ansible-test's own figure for those that
    passed, else the time since it began); remember the times for the next run's balance. Returns {target: seconds
    or None when it did not pass}."""
    times = {}
    details = job.details if job is not None else []
    for position, (target, began) in enumerate(starts):
        seconds = (starts[position + 1][1] if position + 1 < len(starts) else ended) - began
        times[target] = measured.get(target)
        if times[target] is not None:
            details.append("PASS %-30s %ds" % (target, times[target]))
        else:
            # ansible-test stops at the first target that fails: when the group was stopped, those before the
            # last one had passed.
            last = position + 1 == len(starts)
            state = ("STOP" if last else "PASS") if stopped else "FAIL"
            details.append("%s %-30s %ds" % (state, target, seconds))
        ctx.known_times["target:" + target] = times[target] if times[target] is not None else round(seconds)
    details.extend("---- %-30s not run" % target for target in targets if target not in times)
    return times


def integration_group(ctx, log, index=1, targets=(), job=None):
    """One group of targets: its own collection copy, emulator, lock directory and ansible-test run."""
    name = "integration-%d" % index
    coll = ctx.job_copy(name)
    locks = os.path.join(ctx.project.job_dir(name), "locks")
    os.makedirs(locks, mode=0o700)
    with Emulator(ctx.project, log, name, coll=coll) as emulator:
        with open(os.path.join(coll, "tests", "integration", "integration_config.yml"), "w", encoding="utf-8") as handle:
            handle.write(integration_config(emulator, locks))
        starts = []  # (target, when its run began), as ansible-test announces each
        # Local run (no --docker/--venv): ansible-test uses the pythonX.Y first on PATH, .venv's, as controller
        # and module interpreter, so modules have requests.
        try:
            rc = log.run(["ansible-test", "integration", "--python", ctx.py_version] + list(targets), cwd=coll,
                         env=emulator.env(ctx.env(coll), SINCH_LOCK_PATH=locks), check=False,
                         on_line=lambda line: starts.append((line.split()[1], time.monotonic()))
                         if TARGET_START.match(line) else None)
        except Cancelled:
            record_targets(ctx, job, targets, starts, time.monotonic(), {}, stopped=True)
            raise
        times = record_targets(ctx, job, targets, starts, time.monotonic(), target_times(coll))
    ran = [target for target, _when in starts]
    if rc:
        failed = [target for target in ran if times[target] is None]
        raise StepFailed("ansible-test integration failed (exit status %d)%s" % (rc, "; in " + ", ".join(failed) if failed else ""))
    missing = [target for target in targets if target not in ran]
    if missing:
        raise StepFailed("ansible-test did not run %s (check their aliases)" % ", ".join(missing))
    return "group %d: %d target(s)" % (index, len(targets))


# --- lint, changelog, molecule ------------------------------------------------------------------------

def lint(ctx, log):
    """ansible-lint --profile production on the roles, playbooks and extensions."""
    paths = [path for path in ("roles", "playbooks", "extensions/molecule", "extensions/eda")
             if os.path.exists(os.path.join(ctx.project.coll, path))]
    if not paths:
        raise StepSkipped("none of roles/, playbooks/, extensions/ exists yet")
    coll = ctx.job_copy("lint")
    # --offline: no Galaxy installs and no version check; the collection resolves through ANSIBLE_COLLECTIONS_PATH.
    log.run(["ansible-lint", "--offline", "--profile", "production"] + paths, cwd=coll, env=ctx.env(coll))
    return ctx.tools_note()


def changelog(ctx, log):
    """Every fragment parses and uses a known section (antsibull-changelog lint)."""
    log.run(["antsibull-changelog", "lint"], cwd=ctx.project.coll, env=ctx.env())
    return ctx.tools_note()


def molecule_scenarios(coll):
    return sorted(os.path.basename(os.path.dirname(path))
                  for path in glob.glob(os.path.join(coll, "extensions", "molecule", "*", "molecule.yml")))


def molecule(ctx, log, scenario):
    """``molecule test -s SCENARIO``: the collection built and installed by Molecule, the role against an emulator
    the scenario starts itself (extensions/molecule/resources), in its own copy and ANSIBLE_HOME."""
    name = "molecule-" + scenario
    coll = ctx.job_copy(name)
    home = os.path.join(ctx.project.job_dir(name), "ansible-home")
    # Molecule builds the collection from galaxy.yml and installs it into ANSIBLE_HOME/collections, first on its
    # path; ANSIBLE_HOME is the job's own, so that copy (and molecule's ephemeral files) stay out of ~/.ansible.
    env = ctx.env(coll, ANSIBLE_HOME=home)
    lines = []
    try:
        log.run(["molecule", "test", "-s", scenario], cwd=coll, env=env, output=lines)
    finally:
        stop_emulators(ctx.project.job_dir(name), ctx.python, coll)  # the scenario's own, if it was stopped midway
    if not any(re.match(r"^%s +: actions=" % re.escape(scenario), re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in lines):
        raise StepFailed("molecule did not report the scenario %s" % scenario)
    return "%s, %s" % (scenario, ctx.tools_note())
