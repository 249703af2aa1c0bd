"""What every step needs: the clone's paths, .venv's Python and ansible-core, and the tools' environment."""

import hashlib
import os
import platform
import shutil
import sys

from . import getpip, layout
from .project import Project, clean_env, stop_emulators


class Context:
    """One run of a command in one clone (created with .venv's Python running the runner)."""

    def __init__(self, root, slots=1, targets=None):
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel
        self.project = Project(root)
        self.python = self.project.bin("python")
        self.py_version = "%d.%d" % sys.version_info[:2]
        self.core_version = __version__
        self.fallback_reason = os.environ.get("SN_FALLBACK_REASON") or None
        self.slots = slots
        self.targets = targets
        self.known_times = self.project.read_times()

    def tools_note(self):
        """"Python X.Y.Z, ansible-core A.B.C" of .venv, and the reason when it is the fallback."""
        note = "Python %s, ansible-core %s" % (platform.python_version(), self.core_version)
        if self.fallback_reason:
            note += " (fallback: %s)" % self.fallback_reason
        return note

    def env(self, coll=None, **extra):
        """The tools' environment: .venv first on PATH, the collection copy COLL (default: the main copy)
        on ANSIBLE_COLLECTIONS_PATH and as ansible-test's content root, the tests' lock directory, no
        SINCH_* of the user's shell, no colours (the output goes to logs)."""
        coll = coll or self.project.coll
        env = clean_env()
        env.pop("PYTHONHOME", None)
        venv_bin = os.path.dirname(self.python)
        env["PATH"] = venv_bin + os.pathsep + env.get("PATH", os.defpath)
        env["VIRTUAL_ENV"] = self.project.venv
        env["ANSIBLE_COLLECTIONS_PATH"] = layout.collections_root(coll)
        env["ANSIBLE_TEST_CONTENT_ROOT"] = coll
        env["SINCH_LOCK_PATH"] = self.project.locks()
        env.update(NO_COLOR="1", PY_COLORS="0", ANSIBLE_NOCOLOR="1")
        env.pop("ANSIBLE_FORCE_COLOR", None)
        env.update(extra)
        return env

    # --- ansible-test's own environments, inside the clone -------------------------------------------

    def ansible_test_key(self):
        """ansible-core, Python and .venv's requirements: what ansible-test's sanity venvs depend on."""
        stamp = os.path.join(self.project.venv, ".sinch-requirements-stamp")
        text = ""
        if os.path.isfile(stamp):
            with open(stamp, encoding="utf-8") as handle:
                text = handle.read()
        digest = hashlib.sha256(("%s\n%s\n%s" % (self.core_version, sys.version, text)).encode("utf-8")).hexdigest()
        return "core-%s-py%s-%s" % (self.core_version, self.py_version, digest[:12])

    def ansible_test_home(self):
        """The HOME ansible-test runs with: .build/ansible-test/KEY/home (its ~/.ansible/test: sanity venvs, caches)."""
        return os.path.join(self.project.build, "ansible-test", self.ansible_test_key(), "home")

    def prepare_ansible_test_home(self, say):
        """Make the clone's ansible-test home (other keys' homes are removed), with the user's pip settings
        and pip cache reachable from it, and the get-pip stand-in in its cache."""
        top = os.path.join(self.project.build, "ansible-test")
        key = self.ansible_test_key()
        if os.path.isdir(top):
            for name in os.listdir(top):
                if name != key:
                    say("removing ansible-test's environments of another key: %s" % name)
                    shutil.rmtree(os.path.join(top, name), ignore_errors=True)
        home = self.ansible_test_home()
        os.makedirs(home, exist_ok=True)
        real = os.path.expanduser("~")
        # pip in ansible-test's venvs reads its settings (the package index of this machine, if set per user)
        # and keeps its cache under HOME: the user's are linked in.
        for rel in (os.path.join(".config", "pip"), ".pip", os.path.join(".cache", "pip")):
            source, target = os.path.join(real, rel), os.path.join(home, rel)
            if os.path.isdir(source) and not os.path.lexists(target) and os.path.realpath(source) != os.path.realpath(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.symlink(source, target)
        getpip.install(home, say)
        return home

    def job_copy(self, name):
        """A copy of the collection (hard links) of the job NAME, made afresh: .build/jobs/NAME/ansible_collections/sinch/numbers."""
        # An emulator a stopped run of this job left behind is stopped before its directory goes.
        stop_emulators(self.project.job_dir(name), self.python, self.project.coll)
        return layout.link_copy(self.project.coll, self.project.job_dir(name))
