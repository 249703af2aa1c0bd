"""The commands: test, main, bench, setup, docs (see scripts/dev.py).

Knobs of the test command (environment variables):

    SN_ONLY="sanity units ..."   only these steps (after setup; with the jobs they need, e.g. the artifact build)
    SN_TARGETS="target ..."      the integration step runs only these targets
    SN_JOBS=N                    how many jobs run at once (default: one more than the CPUs this process may use,
                                 since jobs also wait on emulators and processes starting; 1 runs one step
                                 after another with their output as it comes)
    SN_BASE_PYTHON=PATH          the interpreter .venv is built on
"""

import os
import re
import shutil
import signal
import sys
import tempfile
import time
from functools import partial

from . import docsite, layout, pythons
from .context import Context
from .project import Emulator, Log, StepFailed
from .scheduler import Job, Scheduler, summary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STAGE = "SN_DEV_STAGE"
COMMANDS = ("test", "main", "bench", "setup", "docs")


def say(text):
    print("==> %s" % text, flush=True)


def warn(text):
    print("WARNING: %s" % text, file=sys.stderr, flush=True)


def fail(text):
    print("ERROR: %s" % text, file=sys.stderr, flush=True)
    return 1


def main(argv):
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(sys.modules["__main__"].__doc__ or __doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    if os.environ.get(STAGE) != "venv":
        return bootstrap(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    command, args = argv[0], argv[1:]
    try:
        return {"test": command_test, "main": command_main, "bench": command_bench, "setup": command_setup,
                "docs": command_docs}[command](args)
    except KeyboardInterrupt:
        return interrupted()


# The signal that interrupted the command (SIGINT unless a handler below saw another); its exit status is 128 + it.
SIGNAL = {"number": signal.SIGINT}


def _interrupt(signum, _frame):
    SIGNAL["number"] = signum
    raise KeyboardInterrupt()


def interrupted():
    fail("interrupted (%s); what was running was stopped" % signal.Signals(SIGNAL["number"]).name)
    return 128 + int(SIGNAL["number"])


def bootstrap(argv):
    """Build .venv (standard library only), then run the command again with .venv's Python."""
    try:
        base = pythons.select_base()
        if base.fallback:
            warn("%s: falling back to Python %s with the pins of %s; the newest ansible-core is NOT tested"
                 % (base.fallback_reason, base.version, pythons.FALLBACK_REQUIREMENTS))
        venv = os.path.join(ROOT, ".venv")
        if not pythons.ensure_venv(venv, base.path, pythons.main_requirements(ROOT, base), say, check_import="ansible_test", label=".venv"):
            say("venv up to date: .venv")
    except pythons.SetupError as error:
        return fail("setup failed: %s" % error)
    except OSError as error:
        return fail("setup failed: %s" % error)
    python = os.path.join(venv, "bin", "python")
    env = dict(os.environ, **{STAGE: "venv", "SN_FALLBACK_REASON": base.fallback_reason or ""})
    sys.stdout.flush()
    os.execve(python, [python, os.path.join(ROOT, "scripts", "dev.py")] + list(argv), env)
    return 1  # not reached


# --- set-up in .venv ------------------------------------------------------------------------------------

def setup(ctx, log, ansible_test=True):
    """The collection copy (and, for the tests, ansible-test's home of this clone)."""
    try:
        copied, removed = layout.mirror(ROOT, ctx.project.coll, layout.listed_files(ROOT))
    except layout.LayoutError as error:
        raise StepFailed(str(error)) from None
    log.say("collection laid out in .build/ansible_collections/sinch/numbers (%d updated, %d stale removed)" % (copied, removed))
    ctx.project.locks()
    if ansible_test:
        home = ctx.prepare_ansible_test_home(log.say)
        log.say("ansible-test's home: %s" % os.path.relpath(home, ctx.project.root))
    return ctx.tools_note()


def set_up_and_run(name, body, ansible_test=False, emulator=False, failure="%s"):
    """Set up (with ansible-test's home when ANSIBLE_TEST), start an emulator when EMULATOR, run BODY(ctx, log, emulator)
    with its output live and in .build/logs/NAME.log, stop the emulator: BODY's exit status, or 1 with one sentence
    (FAILURE, a format of the reason)."""
    ctx = Context(ROOT)
    log = Log(os.path.join(ctx.project.logs, name + ".log"), live=True)
    try:
        setup(ctx, log, ansible_test=ansible_test)
        if not emulator:
            return body(ctx, log, None)
        with Emulator(ctx.project, log, name) as started:
            return body(ctx, log, started)
    except (StepFailed, RuntimeError, OSError) as error:
        return fail(failure % error)
    finally:
        log.close()


def command_setup(args):
    if args:
        return fail("setup takes no arguments")

    def body(ctx, _log, _emulator):
        say("setup done: %s" % ctx.tools_note())
        return 0

    return set_up_and_run("setup", body, ansible_test=True, failure="setup failed: %s")


# --- test -----------------------------------------------------------------------------------------------

STEPS = ("setup", "sanity", "ansible-doc", "units", "emulator", "integration", "lint", "changelog", "molecule", "artifact",
         "ee", "docs", "awx", "eda", "examples", "compat")
# Where no time of an earlier run is known: a guess, so the long jobs start first.
COSTS = {"integration": 300, "eda": 75, "examples": 65, "sanity": 60, "compat": 60, "molecule": 45, "units": 40, "awx": 35,
         "lint": 25, "artifact": 20, "docs": 15, "ee": 10, "emulator": 10, "ansible-doc": 5, "changelog": 3}


def slots_wanted(environ):
    value = environ.get("SN_JOBS", "")
    if value:
        if not re.match(r"^[1-9][0-9]*$", value):
            raise ValueError("SN_JOBS wants a whole number of jobs, 1 or more (it is %r)" % value)
        return int(value)
    return usable_cpus() + 1


def usable_cpus():
    """The CPUs this process may run on (its affinity, which container limits set), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def test_jobs(ctx, only):
    """The jobs of the test command (those of the steps in ONLY, and what they need, when ONLY is given)."""
    # pylint: disable=import-outside-toplevel
    from . import compat, release, steps
    from .scheduler import Job

    def job(name, step, fn, needs=(), **kwargs):
        return Job(name, step, fn, needs=needs, cost=COSTS.get(step, 10), **kwargs)

    jobs = [
        job("sanity", "sanity", partial(steps.sanity, ctx)),
        job("ansible-doc", "ansible-doc", partial(steps.ansible_doc, ctx)),
        job("units", "units", partial(steps.units, ctx)),
        job("emulator", "emulator", partial(steps.emulator_tests, ctx)),
    ]
    groups, times = steps.integration_groups(ctx)
    for index, targets in enumerate(groups, 1):
        integration = Job("integration-%d" % index, "integration", None,
                          cost=sum(float(times.get(target, 30)) for target in targets))
        integration.fn = partial(steps.integration_group, ctx, index=index, targets=targets, job=integration)
        jobs.append(integration)
    jobs += [job("lint", "lint", partial(steps.lint, ctx)),
             job("changelog", "changelog", partial(steps.changelog, ctx))]
    for scenario in steps.molecule_scenarios(ctx.project.coll):
        jobs.append(job("molecule-" + scenario, "molecule", partial(steps.molecule, ctx, scenario=scenario)))
    jobs += [
        job("build", "artifact", partial(release.build, ctx)),
        job("artifact", "artifact", partial(release.artifact, ctx), needs=("build",)),
        job("ee", "ee", partial(release.ee, ctx)),
        job("docs", "docs", partial(release.docs, ctx)),
        job("awx", "awx", partial(release.awx, ctx)),
        job("eda", "eda", partial(release.eda, ctx), needs=("build",)),
        job("examples", "examples", partial(release.examples, ctx), needs=("build",)),
    ]
    cores = compat.releases(ctx.core_version)
    full = compat.full_suite_releases([(core, compat.release_python(core)[1]) for core in cores], ctx.py_version)
    for core in cores:
        jobs.append(job("compat-" + core, "compat", partial(compat.run_release, ctx, release=core, full_suite=core in full),
                        needs=("build",)))
    if only is None:
        return jobs
    wanted = [item for item in jobs if item.step in only]
    names = {item.name for item in wanted}
    for item in list(wanted):
        for need in item.needs:
            if need not in names:
                wanted += [other for other in jobs if other.name == need]
                names.add(need)
    return wanted


def command_test(args):
    if args:
        return fail("the test command takes no arguments; its knobs are SN_ONLY, SN_TARGETS, SN_JOBS and SN_BASE_PYTHON")
    started = time.monotonic()
    try:
        slots = slots_wanted(os.environ)
    except ValueError as error:
        return fail(str(error))
    only = os.environ.get("SN_ONLY", "").split() or None
    unknown = [name for name in only or () if name not in STEPS]
    if unknown:
        return fail("SN_ONLY names steps that do not exist: %s (the steps: %s)" % (", ".join(unknown), " ".join(STEPS)))
    targets = list(dict.fromkeys(os.environ.get("SN_TARGETS", "").split())) or None
    ctx = Context(ROOT, slots=slots, targets=targets)
    say("the test command: %s; %d job%s at once" % (ctx.tools_note(), slots, "" if slots == 1 else "s"))
    setup_job = Job("setup", "setup", lambda log: setup(ctx, log), cost=1e9)
    # The jobs are made after the set-up (they look at the laid-out copy).
    setup_ok = Scheduler([setup_job], slots, ctx.project.logs).run()
    jobs = [setup_job]
    if setup_ok:
        jobs += test_jobs(ctx, only)
    scheduler = Scheduler([job for job in jobs if job is not setup_job], slots, ctx.project.logs, ctx.known_times)
    stopped_by = None
    try:
        ok = setup_ok and scheduler.run()
    except KeyboardInterrupt:
        ok, stopped_by = False, SIGNAL["number"]
    # The times of this run balance the next one.
    times = dict(ctx.known_times)
    for job in jobs:
        # An integration group's time is the sum of its targets' (its targets change from run to run).
        if job.state == "PASS" and job.seconds is not None and job.step != "integration":
            times[job.name] = round(job.seconds, 1)
    ctx.project.write_times(times)
    rows = [_row(setup_job)] + scheduler.steps()
    busy = sum(job.seconds or 0 for job in jobs)
    sys.stdout.write(summary(rows, time.monotonic() - started, busy, slots))
    if stopped_by is not None:
        return interrupted()
    return 0 if ok else 1


def _row(job):
    return (job.step, job.state, job.seconds, [job.note] if job.note else [], job.details)


# --- main, bench, docs ------------------------------------------------------------------------------------

def command_main(args):
    """bash scripts/main.sh [ansible-playbook options]: playbooks/main.yml against the emulator."""
    if not os.path.isfile(os.path.join(ROOT, "playbooks", "main.yml")):
        return fail("playbooks/main.yml does not exist yet: nothing to run")

    def body(ctx, log, emulator):
        log.say("running playbooks/main.yml against the emulator (%s)" % emulator.urls["SINCH_API_URL"])
        # No inventory: the play runs on the implicit localhost with .venv's interpreter (it has requests).
        env = emulator.env(ctx.env(), ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
        for name in ("NO_COLOR", "PY_COLORS", "ANSIBLE_NOCOLOR"):
            env.pop(name, None)
        rc = log.run(["ansible-playbook", "playbooks/main.yml"] + list(args), cwd=ctx.project.coll, env=env, check=False)
        if rc:
            return fail("playbooks/main.yml failed (exit status %d)" % rc)
        log.say("playbooks/main.yml succeeded")
        return 0

    return set_up_and_run("main", body, emulator=True)


def command_bench(args):
    """The benchmark: scripts/bench_driver.py against the emulator (options: see docs/benchmarks.md)."""

    def body(ctx, log, emulator):
        work = tempfile.mkdtemp(prefix="sinch-bench-")
        try:
            env = emulator.env(ctx.env(), ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
            return log.run([ctx.python, "scripts/bench_driver.py", "--work", work] + list(args), cwd=ctx.project.coll, env=env, check=False)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return set_up_and_run("bench", body, emulator=True)


def command_docs(args):
    """Build the HTML docs site offline: .build/docs/build/html/index.html."""
    if args:
        return fail("docs takes no arguments")

    def body(ctx, log, _emulator):
        docsite.build(ctx, log)
        say("docs site: .build/docs/build/html/index.html")
        return 0

    return set_up_and_run("docs-site", body)
