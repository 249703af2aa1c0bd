"""Paths of a clone, running commands with their output in a step's log, and the API emulator.

Layout (all git-ignored, all inside the clone, so two clones never share anything):

    .venv/                                 the development venv (scripts/sinch_dev/pythons.py)
    .venv-core-2.NN/                       the compat step's venvs, one per older ansible-core
    .build/ansible_collections/sinch/numbers/   the collection copy every tool runs from
    .build/jobs/NAME/...                   a copy of that copy (hard links) for each job that writes
                                           into it (ansible-test, ansible-lint), so jobs run side by side
    .build/ansible-test/KEY/               the home directory of ansible-test (its sanity venvs and
                                           caches), KEY = its ansible-core, Python and requirements
    .build/logs/STEP.log                   each step's output
    .build/times.json                      the times of the last run (the integration groups' balance)
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

DEFAULT_EMAIL = "address@example.com"
DEFAULT_PASSWORD = "correct-horse-battery-staple"
DEFAULT_ORGANISATION_ID = "8888123"
SINCH_VARIABLES = ("SINCH_USER_API_URL", "SINCH_API_URL", "SINCH_PORTAL_API_URL", "SINCH_EMAIL", "SINCH_PASSWORD",
                   "SINCH_INSTANCE_ID", "SINCH_INSTANCE_SECRET", "SINCH_ORGANISATION_ID", "SINCH_EMULATOR_PORT")


class StepFailed(Exception):
    """A step failed; the message is one sentence for the summary."""


class StepSkipped(Exception):
    """A step has nothing to do; the message says why."""


class Cancelled(Exception):
    """Another step failed: this one was stopped."""


class Project:
    """The paths of one clone."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.venv = os.path.join(self.root, ".venv")
        self.build = os.path.join(self.root, ".build")
        self.collections = self.build
        self.coll = os.path.join(self.build, "ansible_collections", "sinch", "numbers")
        self.logs = os.path.join(self.build, "logs")
        self.dist = os.path.join(self.build, "dist")
        self.times_file = os.path.join(self.build, "times.json")

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def bin(self, name, venv=None):
        return os.path.join(venv or self.venv, "bin", name)

    def job_dir(self, name):
        return os.path.join(self.build, "jobs", name)

    def locks(self, name="locks"):
        """A lock directory of the tests (never /var/tmp), mode 0700."""
        path = os.path.join(self.build, name)
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
        return path

    def version(self):
        """The collection's version (galaxy.yml)."""
        with open(os.path.join(self.root, "galaxy.yml"), encoding="utf-8") as handle:
            match = re.search(r"(?m)^version:\s*['\"]?([0-9][^'\"\s]*)", handle.read())
        if not match:
            raise StepFailed("galaxy.yml has no version")
        return match.group(1)

    def artifact(self):
        return os.path.join(self.dist, "sinch-numbers-%s.tar.gz" % self.version())

    def read_times(self):
        """{job: seconds, "target:NAME": seconds}: the last run's (.build/times.json) over the project's own record
        (scripts/sinch_dev/times.json, the balance of a clone's first run)."""
        times = {}
        try:
            with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "times.json"), encoding="utf-8") as handle:
                record = json.load(handle)
            times.update((name, float(value)) for name, value in record.get("jobs", {}).items())
            times.update(("target:" + name, float(value)) for name, value in record.get("targets", {}).items())
        except (OSError, ValueError, AttributeError, TypeError):
            pass
        try:
            with open(self.times_file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict):
            times.update((name, value) for name, value in data.items() if isinstance(value, (int, float)))
        return times

    def write_times(self, times):
        os.makedirs(self.build, exist_ok=True)
        tmp = self.times_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(times, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.times_file)


class Log:
    """The output of one step: its log file, and, when ``live``, the console as it comes."""

    def __init__(self, path, live, cancel=None):
        self.path, self.live = path, live
        self.cancel = cancel or threading.Event()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.handle = open(path, "w", encoding="utf-8", errors="replace")  # pylint: disable=consider-using-with
        self.lock = threading.Lock()
        self.note = None

    def write(self, text):
        with self.lock:
            self.handle.write(text)
            self.handle.flush()
            if self.live:
                sys.stdout.write(text)
                sys.stdout.flush()

    def say(self, text):
        self.write("==> %s\n" % text)

    def close(self):
        self.handle.close()

    def run(self, argv, cwd=None, env=None, check=True, timeout=None, output=None, stdin=subprocess.DEVNULL, on_line=None):
        """Run ARGV, its output into this log (and into OUTPUT, a list of lines, when given; each line is also
        given to ON_LINE as it comes); return its exit status.

        The command runs in a session of its own: when another step fails (``cancel`` is set) or TIMEOUT
        seconds pass, the whole session is stopped. With CHECK, a non-zero exit raises StepFailed.
        """
        if self.cancel.is_set():
            raise Cancelled()
        self.write("$ %s\n" % " ".join(argv))
        started = time.monotonic()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE,  # pylint: disable=consider-using-with
                                   stderr=subprocess.STDOUT, start_new_session=True)
        reader = threading.Thread(target=self._pump, args=(process.stdout, output, on_line), daemon=True)
        reader.start()
        stopped = None
        try:
            while process.poll() is None:
                if self.cancel.is_set():
                    stopped = "cancelled"
                elif timeout is not None and time.monotonic() - started > timeout:
                    stopped = "timeout"
                if stopped:
                    stop_session(process)
                    break
                time.sleep(0.1)
            process.wait()
        except BaseException:  # an interruption in this thread: the command and what it started stop too
            stop_session(process)
            raise
        finally:
            reader.join(timeout=10)
            process.stdout.close()
        if stopped == "cancelled":
            raise Cancelled()
        if stopped == "timeout":
            raise StepFailed("%s did not finish within %d s" % (describe(argv), timeout))
        if check and process.returncode != 0:
            raise StepFailed("%s exited with status %d" % (describe(argv), process.returncode))
        return process.returncode

    def _pump(self, stream, output, on_line):
        while True:
            try:
                raw = stream.readline()
            except (OSError, ValueError):  # the stream was closed under us (the command was stopped)
                return
            if not raw:
                return
            line = raw.decode("utf-8", "replace")
            if output is not None:
                output.append(line.rstrip("\n"))
            if on_line is not None:
                on_line(line.rstrip("\n"))
            self.write(line)


def describe(argv):
    """A command's name for a sentence: the program, or the Python script or module it runs, and its first word."""
    words = [os.path.basename(argv[0])]
    rest = list(argv[1:])
    if words[0].startswith("python") and rest:
        if rest[0] == "-m" and len(rest) > 1:
            words, rest = ["python -m " + rest[1]], rest[2:]
        elif rest[0].endswith(".py"):
            words, rest = [os.path.basename(rest[0])], rest[1:]
    if rest and not rest[0].startswith("-") and os.sep not in rest[0] and ":" not in rest[0]:
        words.append(rest[0])
    return " ".join(words)


def stop_session(process):
    """Stop a process started with start_new_session and everything it started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


class signals_deferred:  # pylint: disable=invalid-name
    """In the main thread, hold SIGINT, SIGTERM and SIGHUP until the block ends, then act on the first one held."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self):
        self.saved, self.held = {}, []

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self.saved[signum] = signal.signal(signum, lambda number, _frame: self.held.append(number))
        return self

    def __exit__(self, *exc):
        for signum, handler in self.saved.items():
            signal.signal(signum, handler)
        if self.held:
            handler = self.saved.get(self.held[0])
            if callable(handler):
                handler(self.held[0], None)
            elif handler == signal.default_int_handler or self.held[0] == signal.SIGINT:
                raise KeyboardInterrupt()
        return False


def stop_emulators(directory, python, coll):
    """Stop every emulator whose pidfile (emulator.pid) is under DIRECTORY (a job's leftovers when it was stopped)."""
    stopped = 0
    for dirpath, _dirs, files in os.walk(directory):
        if "emulator.pid" in files:
            subprocess.run([python, "tests/emulator/ctl.py", "stop", "--pidfile", os.path.join(dirpath, "emulator.pid")], cwd=coll,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=60)
            stopped += 1
    return stopped


def clean_env(base=None, drop_sinch=True, **extra):
    """A copy of BASE (os.environ) without the SINCH_* variables of the user's shell, plus EXTRA."""
    env = dict(os.environ if base is None else base)
    if drop_sinch:
        for name in SINCH_VARIABLES:
            env.pop(name, None)
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


class Emulator:
    """The API emulator on free ports, started from a collection copy, stopped on leaving the ``with``."""

    def __init__(self, project, log, name, coll=None, python=None, fixture=None):
        self.project, self.log, self.name = project, log, name
        self.coll = coll or project.coll
        self.python = python or project.bin("python")
        self.fixture = fixture
        state = os.path.join(project.build, "emulators")
        os.makedirs(state, exist_ok=True)
        self.pidfile = os.path.join(state, name + ".pid")
        self.urls = {}

    def _ctl(self, *args, output=None, check=True):
        return self.log.run([self.python, "tests/emulator/ctl.py"] + list(args) + ["--pidfile", self.pidfile],
                            cwd=self.coll, output=output, check=check, timeout=120)

    def __enter__(self):
        if os.path.exists(self.pidfile):
            self.log.say("a stale emulator pidfile was found; stopping that emulator first")
            self._ctl("stop", check=False)
            if os.path.exists(self.pidfile):
                os.unlink(self.pidfile)
        lines = []
        args = ["start"] + (["--fixture", self.fixture] if self.fixture else [])
        try:
            self._ctl(*args, output=lines)
        except StepFailed as error:
            raise StepFailed("the API emulator did not start (%s)" % error) from None
        for line in lines:
            key, sep, value = line.partition("=")
            if sep and key in ("SINCH_USER_API_URL", "SINCH_API_URL", "SINCH_PORTAL_API_URL", "SINCH_EMULATOR_PORT"):
                self.urls[key] = value.strip()
        if len(self.urls) != 4:
            self.__exit__(None, None, None)
            raise StepFailed("the API emulator did not print its URLs")
        return self

    def __exit__(self, *exc):
        if os.path.exists(self.pidfile):
            cancel, self.log.cancel = self.log.cancel, threading.Event()  # stopping runs even when cancelled
            try:
                with signals_deferred():  # and is not cut short by an interruption
                    self._ctl("stop", check=False)
            finally:
                self.log.cancel = cancel
        return False

    def env(self, base=None, **extra):
        """An environment with this emulator's URLs and the default fixture user in SINCH_*."""
        return clean_env(base, SINCH_EMAIL=DEFAULT_EMAIL, SINCH_PASSWORD=DEFAULT_PASSWORD, **dict(self.urls, **extra))
