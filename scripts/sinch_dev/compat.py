"""The compat step: every ansible-core minor release from 2.16 (the oldest supported) up to the one before .venv's.

Each release runs in its own venv, .venv-core-2.NN (from scripts/requirements-ansible-core-2.NN.txt and
scripts/requirements-compat.txt), on a Python that release supports, as a job of its own (side by side with
the other steps), and checks what only that release can break:

- the artifact installs with its ansible-galaxy;
- the role converges, is idempotent and verifies (the Molecule default scenario's playbooks in Molecule's
  order, run by its ansible-playbook, against an emulator the scenario starts);
- the unit tests that reach ansible-core (those importing ``ansible.``, directly or through the collection
  code or test helpers they import; see ALIKE for what does not count); the whole unit suite only once, on
  the oldest Python (when it is not .venv's), since the rest depends on the Python it runs on, not on
  ansible-core.
"""

import ast
import glob
import os
import re
import shutil

from . import pythons
from .project import StepFailed, stop_emulators

OLDEST = "2.16"
# The controller Pythons each release supports (its ansible-test's CONTROLLER_PYTHON_VERSIONS), in order of
# preference; 3.11 first where it is supported (every machine of the project has it), so with .venv's the
# steps cover 3.11, 3.12 and 3.13. Python 3.10 is left out: the shared pins need 3.11.
PYTHONS = {
    "2.16": ("3.11", "3.12"),
    "2.17": ("3.11", "3.12"),
    "2.18": ("3.11", "3.12", "3.13"),
    "2.19": ("3.11", "3.12", "3.13"),
    "2.20": ("3.12", "3.13", "3.14"),
}


def releases(core_version, oldest=OLDEST):
    """The minor releases from OLDEST up to the one before CORE_VERSION's ("2.21.5" -> 2.16 ... 2.20)."""
    newest = int(core_version.split(".")[1])
    return ["2.%d" % minor for minor in range(int(oldest.split(".")[1]), newest)]


def full_suite_releases(release_pythons, main_python):
    """The release that runs the whole unit suite: the first on the oldest Python found, when that is not MAIN_PYTHON.

    The code that does not reach ansible-core depends only on the Python it runs on; the main run covers the newest,
    this one the oldest, and the Pythons in between add nothing the two do not (RELEASE_PYTHONS: (release, X.Y))."""
    found = [(release, python) for release, python in release_pythons if python]
    if not found:
        return []
    oldest = min((python for _release, python in found), key=lambda python: tuple(int(part) for part in python.split(".")))
    if oldest == main_python:
        return []
    return [next(release for release, python in found if python == oldest)]


# --- which unit tests reach ansible-core ---------------------------------------------------------------

PREFIX = "ansible_collections.sinch.numbers."


def imported_modules(source, package):
    """The absolute module names SOURCE imports (relative imports resolved against PACKAGE), with the names given
    as strings to importlib.import_module or __import__."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1] if node.level > 1 else parts
                base = ".".join(parts + ([node.module] if node.module else []))
            names.add(base)
            names.update("%s.%s" % (base, alias.name) for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if function in ("import_module", "__import__"):
                names.add(node.args[0].value)
    return names


# What every supported release ships alike, so code importing nothing else of ansible-core behaves the same on each:
# six (a vendored copy of one library, used here for urllib's quote and urlsplit), the module_utils exception
# classes (AnsibleFallbackNotFound, raised by the options' fallbacks) and the release string (for the User-Agent).
ALIKE = ("ansible.module_utils.six", "ansible.module_utils.errors", "ansible.module_utils.ansible_release")


def reaches_core(name):
    if any(name == alike or name.startswith(alike + ".") for alike in ALIKE):
        return False
    return name == "ansible" or name.startswith("ansible.")


def collection_modules(coll):
    """{module name: absolute path} of the collection's Python code: plugins/, extensions/ and tests/ (its helpers)."""
    found = {}
    for top in ("plugins", "extensions", "tests"):
        for path in glob.glob(os.path.join(coll, top, "**", "*.py"), recursive=True):
            rel = os.path.relpath(path, coll)[:-3].replace(os.sep, ".")
            found[PREFIX + (rel[:-len(".__init__")] if rel.endswith(".__init__") else rel)] = path
    return found


def core_reaching(modules, read=None):
    """The names in MODULES ({name: path}) that import ansible-core, directly or through other modules of MODULES."""
    read = read or _read
    imports = {}
    for name, path in modules.items():
        package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        found = imported_modules(read(path), package)
        # tests/unit imports its helpers as tests.unit.x (or relative); they are the collection's module names here
        imports[name] = found | {PREFIX + other for other in found if other.startswith("tests.")}
    reaching = {name for name, names in imports.items() if any(reaches_core(other) for other in names)}
    changed = True
    while changed:
        changed = False
        for name, names in imports.items():
            if name not in reaching and any(other in reaching for other in names):
                reaching.add(name)
                changed = True
    return reaching


def core_tests(coll, read=None):
    """The unit test files (relative to COLL) that reach ansible-core: they import ``ansible.``, or collection code or a
    test helper that does, or a conftest.py above them does."""
    read = read or _read
    modules = collection_modules(coll)
    reaching = core_reaching(modules, read)
    by_path = {path: name for name, path in modules.items()}
    chosen = []
    for path in sorted(glob.glob(os.path.join(coll, "tests", "unit", "**", "test_*.py"), recursive=True)):
        names = {by_path.get(path)}
        directory = os.path.dirname(path)
        while True:  # every conftest.py from the test's directory up to the collection's root
            conftest = by_path.get(os.path.join(directory, "conftest.py"))
            if conftest is None and _conftest_reaches(directory):
                conftest = "conftest:" + directory
            names.add(conftest)
            if os.path.relpath(directory, coll) == ".":
                break
            directory = os.path.dirname(directory)
        if names & reaching or any(name and name.startswith("conftest:") for name in names):
            chosen.append(os.path.relpath(path, coll))
    return chosen


def _conftest_reaches(directory):
    """Whether a conftest.py outside the scanned directories (at the collection's root) imports ansible-core."""
    path = os.path.join(directory, "conftest.py")
    return os.path.isfile(path) and any(reaches_core(name) for name in imported_modules(_read(path), ""))


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


# --- the job of one release ---------------------------------------------------------------------------

def release_python(release, finder=pythons.find_python):
    for version in PYTHONS.get(release, ()):
        path = finder(version)
        if path:
            return path, version
    return None, None


def ensure_release_venv(ctx, log, release):
    """.venv-core-RELEASE, built (or kept, when its stamp matches) on the first of the release's Pythons found."""
    if release not in PYTHONS:
        raise StepFailed("ansible-core %s: no Pythons known; add it to PYTHONS in scripts/sinch_dev/compat.py" % release)
    requirements = ctx.project.path("scripts", "requirements-ansible-core-%s.txt" % release)
    if not os.path.isfile(requirements):
        raise StepFailed("scripts/requirements-ansible-core-%s.txt is missing" % release)
    base, _version = release_python(release)
    if not base:
        raise StepFailed("ansible-core %s: none of its Pythons (%s) found" % (release, ", ".join(PYTHONS[release])))
    text = ""
    for path in (requirements, ctx.project.path("scripts", "requirements-compat.txt")):
        with open(path, encoding="utf-8") as handle:
            text += handle.read()
    venv = ctx.project.path(".venv-core-" + release)
    try:
        pythons.ensure_venv(venv, base, text, log.say, label=".venv-core-" + release, requirements_path=requirements,
                            run=lambda argv: log.run(argv, check=False))
    except pythons.SetupError as error:
        raise StepFailed(str(error)) from None
    return venv


def run_release(ctx, log, release=None, full_suite=False):
    """The compat checks of one release; returns its summary note."""
    venv = ensure_release_venv(ctx, log, release)
    home = os.path.join(ctx.project.build, "core-" + release)
    shutil.rmtree(home, ignore_errors=True)
    for sub in ("ephemeral", "locks", "collections"):
        os.makedirs(os.path.join(home, sub), mode=0o700)
    env = ctx.env(PATH=os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", os.defpath), VIRTUAL_ENV=venv,
                  ANSIBLE_HOME=os.path.join(home, "ansible-home"), ANSIBLE_COLLECTIONS_PATH=os.path.join(home, "collections"),
                  SINCH_LOCK_PATH=os.path.join(home, "locks"))
    version = []
    log.run([os.path.join(venv, "bin", "python"), "-c",
             "import platform; from ansible.release import __version__; print('%s on Python %s' % (__version__, platform.python_version()))"],
            env=env, output=version)
    version = version[-1] if version else release
    py_version = re.search(r"Python (\d+\.\d+)", version).group(1)
    # The artifact installs with this ansible-galaxy.
    log.run(["ansible-galaxy", "collection", "install", "--offline", "--force", "-p", os.path.join(home, "collections"),
             ctx.project.artifact()], env=env)
    # The role: converge, Molecule's idempotence (a second converge that changes nothing), verify (which checks from
    # the request log that the second converge only read), destroy; the playbooks of the installed artifact.
    molecule = os.path.join(ctx.project.coll, "extensions", "molecule")
    play_env = dict(env, MOLECULE_PROJECT_DIRECTORY=ctx.project.coll, MOLECULE_SCENARIO_DIRECTORY=os.path.join(molecule, "default"),
                    MOLECULE_EPHEMERAL_DIRECTORY=os.path.join(home, "ephemeral"))

    def play(path, output=None):
        return log.run(["ansible-playbook", "-i", os.path.join(molecule, "inventory.yml"), path], env=play_env, output=output,
                       cwd=ctx.project.coll, check=False)

    if play(os.path.join(molecule, "resources", "create.yml")):
        raise StepFailed("ansible-core %s: the emulator of the role's scenario did not start" % version)
    try:
        if play(os.path.join(molecule, "default", "converge.yml")):
            raise StepFailed("ansible-core %s: the role did not converge" % version)
        lines = []
        if play(os.path.join(molecule, "default", "converge.yml"), lines) or not any(
                re.match(r"^localhost +: ok=\d+ +changed=0 ", line) for line in lines):
            raise StepFailed("ansible-core %s: the role is not idempotent (a converge after converging changed something)" % version)
        if play(os.path.join(molecule, "default", "verify.yml")):
            raise StepFailed("ansible-core %s: the role's verify failed" % version)
    finally:
        if not log.cancel.is_set():
            play(os.path.join(molecule, "resources", "destroy.yml"))
        stop_emulators(home, ctx.python, ctx.project.coll)  # what destroy did not stop
    # The unit tests, from a copy of the collection, with this release's ansible-test (and its pytest for the rest of the
    # suite, where the whole suite runs).
    from .steps import all_unit_tests, run_unit_tests  # pylint: disable=import-outside-toplevel
    coll = ctx.job_copy("compat-" + release)
    core = core_tests(coll)
    plain = [path for path in all_unit_tests(coll) if path not in core] if full_suite else []
    if not core and not plain:
        return "%s: role passed; no unit test reaches ansible-core" % version
    count = sum(run_unit_tests(log, coll, dict(env, ANSIBLE_COLLECTIONS_PATH=ctx.project.job_dir("compat-" + release),
                                               ANSIBLE_TEST_CONTENT_ROOT=coll), os.path.join(venv, "bin", "python"), py_version, core, plain))
    what = "all unit tests" if full_suite else "the unit tests of %d files that reach ansible-core" % len(core)
    return "%s: role passed; %s ran (%d tests)" % (version, what, count)
