"""Which Python .venv is built on, and building virtual environments (standard library only).

.venv is built from requirements-dev.txt (the newest ansible-core, which needs Python 3.12 or later)
on Python 3.13 or 3.12; where neither exists, on Python 3.11 with the pins of
scripts/requirements-dev-python3.11.txt (ansible-core 2.19) in place of requirements-dev.txt's pins of
the same packages, saying so. SN_BASE_PYTHON chooses the interpreter.

Every environment carries a stamp (a hash of its requirements and its base interpreter) and is built
again only when the stamp changes.
"""

import hashlib
import os
import re
import shutil
import subprocess

NEWEST_PYTHONS = ("3.13", "3.12")
FALLBACK_PYTHON = "3.11"
FALLBACK_REQUIREMENTS = "scripts/requirements-dev-python3.11.txt"
STAMP = ".sinch-requirements-stamp"


class SetupError(Exception):
    """Setting up failed; the message is one sentence for the user."""


def _run_quiet(argv):
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def interpreter_of(candidate, version):
    """The real interpreter behind CANDIDATE (not a pyenv shim) if it runs and is Python VERSION, else None."""
    if os.sep not in candidate:
        candidate = shutil.which(candidate)
        if not candidate:
            return None
    out = _run_quiet([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"])
    if not out:
        return None
    lines = out.splitlines()
    return lines[1] if len(lines) == 2 and lines[0] == version else None


def pyenv_versions(version, listing):
    """The pyenv versions of LISTING (``pyenv versions --bare``) that are VERSION.N, newest first."""
    found = []
    for line in listing.splitlines():
        line = line.strip()
        match = re.match(r"^%s\.(\d+)$" % re.escape(version), line)
        if match:
            found.append((int(match.group(1)), line))
    return [name for _patch, name in sorted(found, reverse=True)]


def find_python(version):
    """The interpreter of Python VERSION: pythonX.Y or python3 on PATH, else the newest pyenv has installed."""
    for candidate in ("python" + version, "python3"):
        path = interpreter_of(candidate, version)
        if path:
            return path
    if not shutil.which("pyenv"):
        return None
    for name in pyenv_versions(version, _run_quiet(["pyenv", "versions", "--bare", "--skip-aliases"]) or ""):
        prefix = _run_quiet(["pyenv", "prefix", name])
        if prefix:
            path = interpreter_of(os.path.join(prefix, "bin", "python" + version), version)
            if path:
                return path
    return None


class Base:
    """The interpreter .venv is built on: path, X.Y, and why it is the fallback (None when it is not)."""

    def __init__(self, path, version, fallback_reason=None):
        self.path, self.version, self.fallback_reason = path, version, fallback_reason

    @property
    def fallback(self):
        return self.fallback_reason is not None


def select_base(environ=None, finder=find_python):
    """Choose .venv's base interpreter: SN_BASE_PYTHON, else the first of NEWEST_PYTHONS, else the fallback."""
    environ = os.environ if environ is None else environ
    wanted = environ.get("SN_BASE_PYTHON")
    if wanted:
        version = _run_quiet([wanted, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        if not version or not re.match(r"^\d+\.\d+$", version):
            raise SetupError("SN_BASE_PYTHON=%s does not run" % wanted)
        if version not in NEWEST_PYTHONS + (FALLBACK_PYTHON,):
            raise SetupError("SN_BASE_PYTHON is Python %s; .venv is built on Python %s (or %s)"
                             % (version, " or ".join(NEWEST_PYTHONS), FALLBACK_PYTHON))
        path = interpreter_of(wanted, version)
        if not path:
            raise SetupError("SN_BASE_PYTHON=%s does not run" % wanted)
        reason = "SN_BASE_PYTHON is Python %s" % version if version == FALLBACK_PYTHON else None
        return Base(path, version, reason)
    for version in NEWEST_PYTHONS:
        path = finder(version)
        if path:
            return Base(path, version)
    path = finder(FALLBACK_PYTHON)
    if path:
        return Base(path, FALLBACK_PYTHON, "no Python %s found on PATH or through pyenv" % " or ".join(NEWEST_PYTHONS))
    raise SetupError("no Python %s or %s found (on PATH or through pyenv)" % (", ".join(NEWEST_PYTHONS), FALLBACK_PYTHON))


def requirement_name(line):
    """The normalised project name of a pinned requirement line, or None for comments and blank lines."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*[=<>!~]", line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


def merge_requirements(main_text, fallback_text):
    """MAIN's lines with FALLBACK's pins in place of MAIN's pins of the same projects (FALLBACK's lines last)."""
    fallback = fallback_text.splitlines()
    replaced = {requirement_name(line) for line in fallback} - {None}
    kept = [line for line in main_text.splitlines() if requirement_name(line) not in replaced]
    return "\n".join(kept + fallback) + "\n"


def requirement_lines(requirements_text):
    """The requirements of a file, without its comments and blank lines (a comment changes no environment)."""
    lines = (line.split(" #")[0].strip() for line in requirements_text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def stamp_of(requirements_text, base_path):
    """The stamp of an environment: its requirements, its base interpreter's path and exact version."""
    version = _run_quiet([base_path, "-c", "import sys; print(sys.version)"]) or ""
    text = "\n".join(requirement_lines(requirements_text) + [base_path, version])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_venv(path, base_path, requirements_text, say, check_import=None, label=None, requirements_path=None, run=None):
    """Build the venv PATH from REQUIREMENTS_TEXT on BASE_PATH unless its stamp says it is up to date.

    pip installs REQUIREMENTS_PATH when given (a file whose ``-r`` lines name files next to it; its text, with
    theirs, is REQUIREMENTS_TEXT), else REQUIREMENTS_TEXT. RUN(argv) runs a command and returns its exit status
    (default: subprocess.call). A PATH that is a symbolic link to another venv is replaced by a venv of its own
    (the other is untouched). Returns True when it was (re)built.
    """
    run = run or subprocess.call
    label = label or os.path.basename(path)
    want = stamp_of(requirements_text, base_path)
    python = os.path.join(path, "bin", "python")
    stamp = os.path.join(path, STAMP)
    current = None
    if os.path.isfile(stamp) and os.access(python, os.X_OK):
        with open(stamp, encoding="utf-8") as handle:
            current = handle.read().strip()
    if current == want and (check_import is None or _run_quiet([python, "-c", "import " + check_import]) is not None):
        return False
    say("building %s (base: Python %s)" % (label, _run_quiet([base_path, "-c", "import platform; print(platform.python_version())"])))
    if os.path.islink(path):
        os.unlink(path)
    elif os.path.exists(path):
        shutil.rmtree(path)
    if run([base_path, "-m", "venv", path]) != 0:
        raise SetupError("python -m venv %s failed" % label)
    written = None
    if requirements_path is None:
        written = requirements_path = path + ".requirements.txt"
        with open(written, "w", encoding="utf-8") as handle:
            handle.write(requirements_text)
    try:
        rc = run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements_path])
    finally:
        if written:
            os.unlink(written)
    if rc != 0:
        raise SetupError("pip could not install the requirements of %s (exit status %d)" % (label, rc))
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(want + "\n")
    return True


def main_requirements(root, base):
    """The requirement list of .venv for BASE (requirements-dev.txt, with the fallback's pins on the fallback)."""
    with open(os.path.join(root, "requirements-dev.txt"), encoding="utf-8") as handle:
        main_text = handle.read()
    if not base.fallback:
        return main_text
    path = os.path.join(root, FALLBACK_REQUIREMENTS)
    if not os.path.isfile(path):
        raise SetupError("%s is missing" % FALLBACK_REQUIREMENTS)
    with open(path, encoding="utf-8") as handle:
        return merge_requirements(main_text, handle.read())
